/**
 * Proof that `fledge check`'s per-cell analysis cache (src/analysis/cache.ts) changes nothing: over a folder of
 * notebooks (default: the shared corpus), `fledge check --format json <folder>` is run three times, each in a
 * fresh process — with an empty cache (every cell misses and is stored), with the warm cache (every cell should
 * hit) and with --no-cache — and the outputs and exit codes must be byte-identical. Also per notebook: each
 * notebook checked on its own with the warm cache against --no-cache. The cache lives in a temporary folder
 * (--cache-dir), never beside the notebooks (the corpus is read-only). Each run also says whether it loaded the
 * Python grammar (initPython): the warm run must not.
 *
 *   npx tsx scripts/check-cache-identity.ts [folder] [--per-notebook]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { corpusDir } from "../test/helpers/env.js";

const self = fileURLToPath(import.meta.url);

async function child(argv: string[]): Promise<void> {
  const { main } = await import("../src/cli/main.js");
  const { isPythonReady } = await import("../src/python/index.js");
  let out = "";
  const code = await main(argv, {
    cwd: process.cwd(),
    env: process.env,
    stdout: {
      write: (s: string) => {
        out += s;
        return true;
      },
    },
    stderr: { write: (s: string) => process.stderr.write(s) },
    stdin: process.stdin,
    color: false,
    signal: new AbortController().signal,
  });
  process.stdout.write(JSON.stringify({ code, out, grammarLoaded: isPythonReady() }));
}

interface Run {
  code: number;
  out: string;
  grammarLoaded: boolean;
}

function run(argv: string[]): Run {
  const res = spawnSync(process.execPath, [...process.execArgv, self, "--child", ...argv], {
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  if (res.status !== 0) throw new Error(`fledge ${argv.join(" ")} failed:\n${res.stderr}`);
  return JSON.parse(res.stdout) as Run;
}

function notebooks(root: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(root, { withFileTypes: true })) {
    if (e.isDirectory() && e.name !== ".ipynb_checkpoints") out.push(...notebooks(join(root, e.name)));
    else if (e.name.endsWith(".ipynb")) out.push(join(root, e.name));
  }
  return out.sort();
}

function main(): number {
  const args = process.argv.slice(2);
  const folder = args.find((a) => !a.startsWith("--")) ?? corpusDir();
  if (!folder) {
    console.error("No folder given and no shared corpus found.");
    return 2;
  }
  const cache = mkdtempSync(join(tmpdir(), "fledge-cache-identity-"));
  let failures = 0;
  try {
    const base = ["check", "--format", "json", folder];
    const cold = run([...base, "--cache-dir", cache]);
    const warm = run([...base, "--cache-dir", cache]);
    const none = run([...base, "--no-cache"]);
    const files = (JSON.parse(none.out) as { files: unknown[] }).files.length;
    const same = (a: Run, b: Run) => a.code === b.code && a.out === b.out;
    console.log(
      `${folder}: ${files} notebooks in the JSON report (${none.out.length} bytes, exit ${none.code})`,
    );
    for (const [name, r] of [
      ["empty cache", cold],
      ["warm cache", warm],
    ] as const) {
      const ok = same(r, none);
      if (!ok) failures++;
      console.log(
        `  ${name.padEnd(11)} vs --no-cache: ${ok ? "identical" : "DIFFERENT"}; grammar loaded: ${r.grammarLoaded}`,
      );
    }
    if (warm.grammarLoaded) {
      failures++;
      console.log("  the warm run loaded the grammar: some cell missed");
    }
    if (args.includes("--per-notebook")) {
      let differ = 0;
      let loaded = 0;
      const list = notebooks(folder);
      for (const nb of list) {
        const a = run(["check", "--format", "json", nb, "--cache-dir", cache]);
        const b = run(["check", "--format", "json", nb, "--no-cache"]);
        if (!same(a, b)) {
          differ++;
          console.log(`  DIFFERENT: ${nb}`);
        }
        if (a.grammarLoaded) loaded++;
      }
      failures += differ;
      console.log(
        `  per notebook (warm cache vs --no-cache): ${list.length - differ} of ${list.length} identical; grammar loaded in ${loaded} warm runs`,
      );
    }
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
  console.log(failures === 0 ? "OK" : `${failures} differences`);
  return failures === 0 ? 0 : 1;
}

if (process.argv.includes("--child")) {
  await child(process.argv.slice(process.argv.indexOf("--child") + 1));
} else {
  process.exitCode = main();
}

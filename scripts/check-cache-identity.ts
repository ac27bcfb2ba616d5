/**
 * Proof that `fledge check`'s per-cell analysis cache (src/analysis/cache.ts) changes nothing: over a folder of
 * notebooks (default: the shared corpus), `fledge check --format json <folder>` is run three times, each in a
 * fresh process — with an empty cache (every cell misses and is stored), with the warm cache (every cell should
 * hit) and with --no-cache — and the outputs and exit codes must be byte-identical. Also per notebook: each
 * notebook checked on its own with the warm cache against --no-cache. The cache lives in a temporary folder
 * (--cache-dir), never beside the notebooks (the corpus is read-only). Each run also says whether it loaded the
 * Python grammar (initPython): the warm run must not. Then four processes check the folder at the same time
 * into one empty cache (they race to write the same files): each output must be identical too, no temporary
 * file may be left behind, and a run after them must find every cell in the cache.
 *
 *   npx tsx scripts/check-cache-identity.ts [folder] [--per-notebook] [--dist-dir DIR]
 *
 * --dist-dir: run a build (e.g. dist/) instead of src/ through tsx. Under tsx the cache's salt is the text of
 * src/python/*.ts, so an edit there by someone else during the run makes every later lookup miss (as it should);
 * a build is stable.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { findNotebooks } from "../src/cli/commands/check.js";
import type * as CliMain from "../src/cli/main.js";
import type * as PythonLib from "../src/python/index.js";
import { corpusDir } from "../test/helpers/env.js";

const self = fileURLToPath(import.meta.url);

async function child(argv: string[]): Promise<void> {
  const dist = process.env.FLEDGE_IDENTITY_DIST;
  const lib = (path: string) =>
    dist ? pathToFileURL(join(dist, `${path}.js`)).href : new URL(`../src/${path}.js`, import.meta.url).href;
  const { main } = (await import(lib("cli/main"))) as typeof CliMain;
  const { isPythonReady } = (await import(lib("python/index"))) as typeof PythonLib;
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

function runAsync(argv: string[]): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...process.execArgv, self, "--child", ...argv], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.on("close", (status) => {
      if (status !== 0) fail(new Error(`fledge ${argv.join(" ")} failed:\n${err}`));
      else done(JSON.parse(out) as Run);
    });
  });
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const at = args.indexOf("--dist-dir");
  if (at >= 0) process.env.FLEDGE_IDENTITY_DIST = resolve(args[at + 1]!);
  const folder = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--dist-dir") ?? corpusDir();
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
    const shared = join(cache, "concurrent");
    const racing = await Promise.all([1, 2, 3, 4].map(() => runAsync([...base, "--cache-dir", shared])));
    const racedSame = racing.filter((r) => same(r, none)).length;
    const leftovers = existsSync(join(shared, "v1"))
      ? readdirSync(join(shared, "v1")).filter((n) => n.endsWith(".tmp")).length
      : -1;
    const after = run([...base, "--cache-dir", shared]);
    const afterOk = same(after, none) && !after.grammarLoaded;
    failures += 4 - racedSame + (leftovers === 0 ? 0 : 1) + (afterOk ? 0 : 1);
    console.log(
      `  4 concurrent runs into one empty cache: ${racedSame} of 4 identical to --no-cache; temporary files left: ${leftovers}; ` +
        `the run after them: ${same(after, none) ? "identical" : "DIFFERENT"}, grammar loaded: ${after.grammarLoaded}`,
    );
    if (args.includes("--per-notebook")) {
      let differ = 0;
      let loaded = 0;
      const list = findNotebooks(folder);
      for (const nb of list) {
        const a = run(["check", "--format", "json", nb, "--cache-dir", cache]);
        const b = run(["check", "--format", "json", nb, "--no-cache"]);
        if (!same(a, b)) {
          differ++;
          console.log(`  DIFFERENT: ${nb}`);
        }
        if (a.grammarLoaded) loaded++;
      }
      failures += differ + loaded;
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
  process.exitCode = await main();
}

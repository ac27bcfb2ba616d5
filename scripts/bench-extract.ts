/**
 * npm run bench:extract -- <dir> [--keep]
 *
 * For every Python nbformat-4 notebook under <dir>: extract it without a kernel into a temporary folder, then
 * `python -m compileall` the project. Prints the share that extracts and compiles (target ≥ 95%), the TODOs and
 * unresolved names grouped by cause, every failure with its reason, and the time per notebook of the
 * extraction itself (analysis, map, code generation, ruff lint+format), excluding the one-time start of the
 * parsers and of ruff's WebAssembly module (target < 100 ms on average).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { analyseForExtract, extractProject, initExtract } from "../src/generate/index.js";
import { ruffStats } from "../src/generate/ruff.js";
import { readNotebookFile, requirePythonKernel } from "../src/notebook/index.js";
import { venvPython } from "../test/helpers/env.js";

function notebooks(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...notebooks(p));
    else if (name.endsWith(".ipynb")) out.push(p);
  }
  return out;
}

const stat = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? 0;
};

async function main() {
  const args = process.argv.slice(2);
  const dirArg = args.find((a) => !a.startsWith("--"));
  if (!dirArg) {
    console.error("usage: npm run bench:extract -- <dir> [--keep]");
    process.exit(2);
  }
  const dir = resolve(dirArg);
  const keep = args.includes("--keep");
  const python = venvPython();
  const work = mkdtempSync(join(tmpdir(), "fledge-bench-extract-"));

  const t0 = performance.now();
  await initExtract();
  const initMs = performance.now() - t0;

  const files = notebooks(dir);
  let considered = 0;
  let ok = 0;
  const skipped: string[] = [];
  const failures: { file: string; stage: string; reason: string }[] = [];
  const times: number[] = [];
  const ruffTimes: number[] = [];
  const genTimes: number[] = [];
  const byCause = new Map<string, number>();
  const unresolvedNames = new Map<string, number>();
  let warmedUp = false;

  for (const file of files) {
    const rel = relative(dir, file);
    let nb: Awaited<ReturnType<typeof readNotebookFile>>["notebook"];
    try {
      const loaded = await readNotebookFile(file);
      if (loaded.origin.nbformat !== 4) {
        skipped.push(`${rel}: nbformat ${loaded.origin.nbformat}`);
        continue;
      }
      requirePythonKernel(loaded.notebook, file);
      nb = loaded.notebook;
    } catch (err) {
      skipped.push(`${rel}: ${(err as Error).message.split("\n")[0]}`);
      continue;
    }
    considered++;
    const outDir = join(work, String(considered).padStart(3, "0"), "project");
    const nbPath = join(dirname(outDir), "notebook", basename(file));
    let extraction: ReturnType<typeof extractProject>;
    try {
      if (!warmedUp) {
        // ruff's WebAssembly module compiles on first use: start it outside the timed region.
        extractProject(nb, { notebookPath: nbPath, outDir });
        warmedUp = true;
      }
      const ruffBefore = ruffStats.ms;
      const t = performance.now();
      const analysed = analyseForExtract(nb);
      const tGen = performance.now();
      extraction = extractProject(nb, { notebookPath: nbPath, outDir }, analysed);
      times.push(performance.now() - t);
      genTimes.push(performance.now() - tGen);
      ruffTimes.push(ruffStats.ms - ruffBefore);
    } catch (err) {
      failures.push({
        file: rel,
        stage: "extract",
        reason: (err as Error).message.split("\n")[0] ?? String(err),
      });
      continue;
    }
    for (const f of extraction.findings) {
      if (f.severity === "info" && !f.todo) continue;
      byCause.set(f.code, (byCause.get(f.code) ?? 0) + 1);
      if (f.code === "unresolved-name") {
        const name = f.message.match(/^`([^`]+)`/)?.[1] ?? "?";
        unresolvedNames.set(name, (unresolvedNames.get(name) ?? 0) + 1);
      }
    }
    for (const f of extraction.files) {
      const p = join(outDir, ...f.path.split("/"));
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, f.content);
    }
    const c = spawnSync(python, ["-m", "compileall", "-q", "src", "tests"], {
      cwd: outDir,
      encoding: "utf8",
    });
    if (c.status !== 0) {
      const reason = `${c.stdout}${c.stderr}`.split("\n").filter(Boolean).slice(0, 4).join(" | ");
      failures.push({ file: rel, stage: "compile", reason });
      continue;
    }
    ok++;
  }

  const mean = times.reduce((a, b) => a + b, 0) / Math.max(1, times.length);
  console.log(
    `notebooks found: ${files.length}; Python nbformat-4: ${considered}; skipped: ${skipped.length}`,
  );
  console.log(
    `extract + compileall ok: ${ok}/${considered} = ${((100 * ok) / Math.max(1, considered)).toFixed(1)}% (target ≥ 95%)`,
  );
  console.log(
    `time per notebook (extract, excluding parser/ruff start ${initMs.toFixed(0)} ms): mean ${mean.toFixed(1)} ms, median ${stat(times, 0.5).toFixed(1)} ms, p90 ${stat(times, 0.9).toFixed(1)} ms, max ${Math.max(0, ...times).toFixed(1)} ms (target mean < 100 ms)`,
  );
  const ruffMean = ruffTimes.reduce((a, b) => a + b, 0) / Math.max(1, ruffTimes.length);
  const genMean = genTimes.reduce((a, b) => a + b, 0) / Math.max(1, genTimes.length);
  console.log(
    `  of which analysis + map (python/, graph/): mean ${(mean - genMean).toFixed(1)} ms; generation (generate/): mean ${genMean.toFixed(1)} ms, median ${stat(genTimes, 0.5).toFixed(1)} ms`,
  );
  console.log(
    `    of which ruff (lint + format of the generated files): mean ${ruffMean.toFixed(1)} ms; fix rounds ${ruffStats.fixRounds} over ${ruffStats.files} files (${[...ruffStats.fixedCodes].map(([k, v]) => `${k}×${v}`).join(", ")})`,
  );
  console.log("\nTODOs and findings by cause (warnings and TODOs):");
  for (const [k, v] of [...byCause].sort((a, b) => b[1] - a[1]))
    console.log(`  ${String(v).padStart(5)}  ${k}`);
  if (unresolvedNames.size > 0) {
    console.log("\nunresolved names (most frequent first):");
    const top = [...unresolvedNames].sort((a, b) => b[1] - a[1]).slice(0, 25);
    console.log(`  ${top.map(([n, c]) => `${n}×${c}`).join(", ")}`);
  }
  if (failures.length > 0) {
    console.log("\nfailures:");
    for (const f of failures) console.log(`  [${f.stage}] ${f.file}: ${f.reason}`);
  }
  if (skipped.length > 0) {
    console.log("\nskipped:");
    for (const s of skipped) console.log(`  ${s}`);
  }
  if (keep) console.log(`\nprojects kept in ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

await main();

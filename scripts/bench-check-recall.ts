/**
 * How well `fledge check` predicts NameError failures, measured by running notebooks for real.
 *
 *   npm run bench:check-recall -- [folder] [--cell-timeout S] [--timeout S] [--limit N] [--python PATH]
 *
 * For every Python notebook of the folder (default: the shared corpus) whose imports are all available in the
 * Python used (default: the project's .venv), it runs the notebook top to bottom in a fresh kernel, stopping at
 * the first error (cwd = the notebook's folder), and compares with the predicted failures (FL104 use before
 * definition and FL105 undefined names of error severity):
 * - recall: of the runs that stopped on a NameError, how many were predicted (same cell, same name);
 * - precision: of the predicted failures whose cell the run reached, how many really failed there.
 * Predictions in cells the run never reached (it stopped earlier, often on a missing data file) count for neither.
 * Notebooks with `!pip install` / `%pip install` lines are never run (they would change the environment).
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import {
  compareWithRun,
  loadEnvironment,
  nameErrorSymbol,
  predictedFailures,
  runChecks,
} from "../src/analysis/index.js";
import { STDLIB_MODULES } from "../src/analysis/rules/dependencies.js";
import { installLines } from "../src/analysis/rules/repro.js";
import { resolveKernel } from "../src/kernel/kernelspec.js";
import { runNotebook } from "../src/kernel/runner.js";
import { readNotebookFile, requirePythonKernel } from "../src/notebook/index.js";
import { initPython } from "../src/python/index.js";
import { corpusDir, venvPython } from "../test/helpers/env.js";

function notebooks(root: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(root, { withFileTypes: true })) {
    if (e.isDirectory() && e.name !== ".ipynb_checkpoints") out.push(...notebooks(join(root, e.name)));
    else if (e.name.endsWith(".ipynb")) out.push(join(root, e.name));
  }
  return out.sort();
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main() {
  const args = process.argv.slice(2);
  const folder =
    args.find((a, i) => !a.startsWith("--") && !(args[i - 1] ?? "").startsWith("--")) ?? corpusDir();
  if (!folder) {
    console.error("No folder given and no shared corpus found: npm run bench:check-recall -- <folder>");
    process.exit(2);
  }
  const cellTimeout = Number(option(args, "--cell-timeout") ?? 60);
  const nbTimeout = Number(option(args, "--timeout") ?? 180);
  const limit = Number(option(args, "--limit") ?? Number.POSITIVE_INFINITY);
  const python = option(args, "--python") ?? venvPython();
  await initPython();

  // 1. Check every notebook; collect the modules each imports.
  let installs = 0;
  const candidates: {
    file: string;
    nb: Awaited<ReturnType<typeof readNotebookFile>>["notebook"];
    roots: string[];
  }[] = [];
  for (const file of notebooks(resolve(folder))) {
    try {
      const nb = (await readNotebookFile(file)).notebook;
      requirePythonKernel(nb);
      const { context } = runChecks(nb);
      const roots = new Set<string>();
      for (const c of context.code) {
        for (const imp of c.analysis?.imports ?? []) {
          const root = imp.module.split(".")[0]!;
          if (root && !imp.module.startsWith(".") && !STDLIB_MODULES.has(root)) roots.add(root);
        }
      }
      // Never run a notebook that installs packages: it would change the environment the benchmark runs in.
      if (context.code.some((c) => installLines(c).length > 0)) {
        installs++;
        continue;
      }
      candidates.push({ file, nb, roots: [...roots] });
    } catch {
      // Unreadable or not Python: not a candidate.
    }
  }
  // 2. Which of those modules the Python can import (one process for all).
  const allRoots = [...new Set(candidates.flatMap((c) => c.roots))].sort();
  const probe = spawnSync(
    python,
    [
      "-c",
      "import importlib.util, json, sys\nprint(json.dumps({m: importlib.util.find_spec(m) is not None for m in sys.argv[1:]}))",
      ...allRoots,
    ],
    { encoding: "utf8" },
  );
  const available: Record<string, boolean> = JSON.parse(probe.stdout || "{}");
  const eligible = candidates.filter((c) => c.roots.every((r) => available[r])).slice(0, limit);
  console.log(
    `${candidates.length} Python notebooks without install lines (${installs} with !pip/%pip install left out); ` +
      `${eligible.length} have all their imports available in ${python} ` +
      `(missing: ${allRoots.filter((r) => !available[r]).join(", ") || "none"})`,
  );

  // 3. Run each one and compare.
  const spec = resolveKernel({ python });
  let actualNameErrors = 0;
  let predictedHit = 0;
  let confirmed = 0;
  let refuted = 0;
  let notReached = 0;
  let ranToEnd = 0;
  let otherStops = 0;
  const misses: string[] = [];
  const wrong: string[] = [];
  const t0 = Date.now();
  for (const [k, c] of eligible.entries()) {
    const { findings } = runChecks(c.nb, { environment: loadEnvironment(c.file) });
    const predicted = predictedFailures(findings);
    const run = await runNotebook(c.nb, {
      kernelSpec: spec,
      cwd: dirname(c.file),
      cellTimeoutMs: cellTimeout * 1000,
      timeoutMs: nbTimeout * 1000,
    });
    const s = compareWithRun(findings, {
      status: run.status,
      failedCell: run.failedCell,
      error: run.failure?.error,
      completed: run.cells.filter((x) => x.result.status === "ok").map((x) => x.cell),
    });
    confirmed += s.confirmed;
    refuted += s.refuted;
    notReached += s.notReached;
    const name = nameErrorSymbol(run.failure?.error);
    const rel = relative(resolve(folder), c.file);
    if (run.status === "ok") ranToEnd++;
    else if (name !== undefined) {
      actualNameErrors++;
      if (s.missed) misses.push(`${rel}: cell ${(run.failedCell ?? 0) + 1}, \`${name}\``);
      else predictedHit++;
    } else otherStops++;
    for (const f of predicted) {
      if (f.execution?.verdict === "refuted")
        wrong.push(`${rel}: cell ${f.cell! + 1} \`${f.symbol}\` (${f.code}): ${f.execution.detail}`);
    }
    const how =
      run.status === "ok"
        ? "ok"
        : `${run.status} at cell ${(run.failedCell ?? 0) + 1}${run.failure?.error ? ` ${run.failure.error.ename}` : ""}`;
    console.log(`  [${k + 1}/${eligible.length}] ${rel}: ${how}; ${predicted.length} predicted`);
  }
  const pct = (a: number, b: number) => (b === 0 ? "n/a" : `${((100 * a) / b).toFixed(0)}%`);
  console.log("");
  console.log(
    `ran ${eligible.length} notebooks in ${((Date.now() - t0) / 1000).toFixed(0)} s: ${ranToEnd} to the end, ${actualNameErrors} stopped on a NameError, ${otherStops} on something else (missing files, timeouts, …)`,
  );
  console.log(
    `recall:    ${predictedHit} of ${actualNameErrors} NameError stops were predicted (${pct(predictedHit, actualNameErrors)})`,
  );
  console.log(
    `precision: ${confirmed} of ${confirmed + refuted} predicted failures in reached cells really failed (${pct(confirmed, confirmed + refuted)}); ${notReached} predictions not reached`,
  );
  if (misses.length > 0) console.log(`missed:\n  ${misses.join("\n  ")}`);
  if (wrong.length > 0) console.log(`refuted:\n  ${wrong.join("\n  ")}`);
}

await main();

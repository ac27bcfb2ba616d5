/**
 * How well `fledge check` predicts NameError failures, measured by running notebooks for real.
 *
 *   npm run bench:check-recall -- [folder] [--python PATH] [--cell-timeout S] [--timeout S] [--limit N]
 *                                 [--include-missing-imports] [--match REGEX] [--skip N] [--json FILE]
 *
 * Python: --python, else .venv-bench when it exists (`node scripts/setup-bench-python.mjs` creates it, with more of
 * the corpus's imports; bench only), else the project's .venv. A notebook is run when all its imports are
 * available in that Python (with --include-missing-imports: every notebook; its failed import cells are then
 * handled like any failed cell) and it has no `!pip install` / `%pip install` line (that would change the
 * environment). Each one runs once in a fresh kernel, in a fresh empty temporary folder (so nothing is written
 * beside the corpus; the corpus holds no data files), with every cell run even after one fails (as nbconvert
 * --allow-errors). The predicted failures are FL104 (use before definition) and FL105 (undefined name) of error
 * severity. Two readings of the same run:
 * - strict: the run as if it had stopped at the first cell that did not end ok (the cells before it ran the same);
 * - continue: every cell; a NameError is observable only when no earlier cell that failed or did not run would
 *   (statically, by fledge's per-cell analysis) define the name — otherwise that failure caused it.
 *   A `%%capture` cell whose body raised counts as failed (the kernel answers "ok"; the error output shows it),
 *   though the strict reading does not stop there (nbclient would not).
 * recall = predicted observable NameErrors / observable NameErrors;
 * precision = confirmed / (confirmed + refuted): of the predictions whose line ran, how many raised NameError on
 * that name there. Predictions whose cell failed earlier on something else (inconclusive) or never ran
 * (not reached) count for neither.
 * The whole corpus takes 25–45 min on a loaded 2-core machine: --skip/--limit run it in parts, and --json is
 * rewritten after every notebook.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { loadEnvironment, predictedFailures, runChecks } from "../src/analysis/index.js";
import { STDLIB_MODULES } from "../src/analysis/rules/dependencies.js";
import { installLines } from "../src/analysis/rules/repro.js";
import { resolveKernel } from "../src/kernel/kernelspec.js";
import { runNotebook } from "../src/kernel/runner.js";
import { readNotebookFile, requirePythonKernel } from "../src/notebook/index.js";
import type { Notebook } from "../src/notebook/types.js";
import { initPython } from "../src/python/index.js";
import { corpusDir, ROOT, venvPython } from "../test/helpers/env.js";
import {
  type CellDefinitions,
  type CellOutcome,
  emptyTally,
  errorLineOf,
  type ObservedNameError,
  type Prediction,
  type PredictionOutcome,
  scoreRun,
  strictPrefix,
  type Tally,
} from "./check-recall-outcomes.js";

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

function benchPython(): string | undefined {
  const venv = process.env.FLEDGE_BENCH_VENV ?? join(ROOT, ".venv-bench");
  const python =
    process.platform === "win32" ? join(venv, "Scripts", "python.exe") : join(venv, "bin", "python");
  return existsSync(python) ? python : undefined;
}

/** Which of `modules` each Python can import (one process per Python). */
function importable(python: string, modules: string[]): Record<string, boolean> {
  const probe = spawnSync(
    python,
    [
      "-c",
      "import importlib.util, json, sys\nprint(json.dumps({m: importlib.util.find_spec(m) is not None for m in sys.argv[1:]}))",
      ...modules,
    ],
    { encoding: "utf8" },
  );
  return JSON.parse(probe.stdout || "{}");
}

interface Candidate {
  file: string;
  rel: string;
  nb: Notebook;
  roots: string[];
}

interface NotebookResult {
  notebook: string;
  /** All its imports are available in the Python used. */
  importsAvailable: boolean;
  added: boolean;
  run: string;
  durationS: number;
  strict: { errors: (ObservedNameError & { predicted: boolean })[]; outcomes: PredictionOutcome[] };
  continued: { errors: (ObservedNameError & { predicted: boolean })[]; outcomes: PredictionOutcome[] };
}

/** Names each code cell binds, by fledge's own per-cell analysis. */
function definitionsOf(context: ReturnType<typeof runChecks>["context"]): CellDefinitions[] {
  return context.code.map((c) => {
    const a = c.analysis;
    const defines = new Set(a?.defines ?? []);
    for (const f of a?.functions ?? []) for (const g of f.globalWrites) defines.add(g);
    for (const m of a?.magics ?? []) if (m.assignedTo) defines.add(m.assignedTo);
    return { cell: c.index, defines: [...defines], opaque: a?.opaque ?? false };
  });
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
  const nbTimeout = Number(option(args, "--timeout") ?? 240);
  const limit = Number(option(args, "--limit") ?? Number.POSITIVE_INFINITY);
  const jsonOut = option(args, "--json");
  const anyImports = args.includes("--include-missing-imports");
  const devPython = venvPython();
  const python = option(args, "--python") ?? benchPython() ?? devPython;
  await initPython();

  // 1. Check every notebook; collect the modules each imports.
  let installs = 0;
  const candidates: Candidate[] = [];
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
      candidates.push({ file, rel: relative(resolve(folder), file), nb, roots: [...roots] });
    } catch {
      // Unreadable or not Python: not a candidate.
    }
  }
  // 2. Which of those modules the Python can import; which notebooks the project's own .venv could not run.
  const allRoots = [...new Set(candidates.flatMap((c) => c.roots))].sort();
  const available = importable(python, allRoots);
  const inDev = python === devPython ? available : importable(devPython, allRoots);
  const runnable = (c: Candidate, a: Record<string, boolean>) => c.roots.every((r) => a[r]);
  const match = option(args, "--match");
  const skip = Number(option(args, "--skip") ?? 0);
  const eligible = candidates
    .filter((c) => anyImports || runnable(c, available))
    .filter((c) => match === undefined || new RegExp(match).test(c.rel))
    .slice(skip, skip + limit);
  const added = new Set(
    candidates.filter((c) => runnable(c, available) && !runnable(c, inDev)).map((c) => c.rel),
  );
  console.log(
    `${candidates.length} Python notebooks without install lines (${installs} with !pip/%pip install left out); ` +
      `${candidates.filter((c) => runnable(c, available)).length} have all their imports available in ${python} ` +
      `(missing: ${allRoots.filter((r) => !available[r]).join(", ") || "none"})`,
  );
  if (python !== devPython) {
    console.log(
      `${added.size} of them only because of this Python (not runnable with ${devPython}):\n  ${[...added].join("\n  ")}`,
    );
  }
  if (anyImports) console.log(`--include-missing-imports: running all ${eligible.length}`);

  // 3. Run each one once, past errors, and score both readings.
  const spec = resolveKernel({ python });
  // Tallies over the notebooks whose imports are all available, and (with --include-missing-imports) over all.
  const strict = emptyTally();
  const continued = emptyTally();
  const strictAll = emptyTally();
  const continuedAll = emptyTally();
  const results: NotebookResult[] = [];
  let ranToEnd = 0;
  const t0 = Date.now();
  /** Written after every notebook too, so an interrupted run still leaves its results. */
  const save = () => {
    if (!jsonOut) return;
    mkdirSync(dirname(resolve(jsonOut)), { recursive: true });
    const data = { python, strict, continued, strictAll, continuedAll, notebooks: results };
    writeFileSync(jsonOut, `${JSON.stringify(data, null, 2)}\n`);
  };
  for (const [k, c] of eligible.entries()) {
    const { findings, context } = runChecks(c.nb, { environment: loadEnvironment(c.file) });
    const predictions: Prediction[] = predictedFailures(findings).map((f) => ({
      cell: f.cell!,
      name: f.symbol!,
      line: f.line,
      code: f.code,
    }));
    const definitions = definitionsOf(context);
    const cwd = mkdtempSync(join(tmpdir(), "fledge-recall-"));
    let run: Awaited<ReturnType<typeof runNotebook>>;
    try {
      run = await runNotebook(c.nb, {
        kernelSpec: spec,
        cwd,
        allowErrors: true,
        cellTimeoutMs: cellTimeout * 1000,
        timeoutMs: nbTimeout * 1000,
      });
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
    const byCell = new Map(run.cells.map((x) => [x.cell, x.result]));
    const outcomes: CellOutcome[] = [];
    c.nb.cells.forEach((cell, index) => {
      if (cell.cell_type !== "code" || cell.source.trim() === "") return;
      const r = byCell.get(index);
      if (!r) {
        outcomes.push({ cell: index, status: "not-run" });
        return;
      }
      // A `%%capture` cell whose body raised: the kernel answers "ok" (the runner reports it as an error, from
      // its error output), and nbclient-style strict runs go past it, so the strict reading does too.
      const hidden = r.status === "error" && /^\s*%%capture\b/.test(cell.source);
      outcomes.push({
        cell: index,
        status: hidden ? "error" : r.status,
        error: r.error,
        errorLine: errorLineOf(r.error?.traceback, r.executionCount),
        hidden,
      });
    });
    const importsAvailable = runnable(c, available);
    const s = scoreRun(strictAll, strictPrefix(outcomes), definitions, predictions);
    const cont = scoreRun(continuedAll, outcomes, definitions, predictions);
    if (importsAvailable) {
      scoreRun(strict, strictPrefix(outcomes), definitions, predictions);
      scoreRun(continued, outcomes, definitions, predictions);
    }
    const failed = outcomes.filter((o) => o.status !== "ok" && o.status !== "not-run");
    const first = outcomes.find((o) => o.status !== "ok" && o.status !== "not-run");
    const how =
      run.status === "ok" && failed.length === 0
        ? "ran to the end without error"
        : `first failure at ${first ? `cell ${first.cell + 1} (${first.error?.ename ?? first.status})` : "none"}; ` +
          `${failed.length} cells failed (${failed.filter((o) => o.hidden).length} hidden by %%capture)` +
          `${run.status !== "ok" ? `, run ended: ${run.status}` : ""}`;
    if (failed.length === 0 && run.status === "ok") ranToEnd++;
    results.push({
      notebook: c.rel,
      importsAvailable,
      added: added.has(c.rel),
      run: how,
      durationS: Math.round(run.durationMs / 100) / 10,
      strict: s,
      continued: cont,
    });
    save();
    console.log(
      `  [${k + 1}/${eligible.length}] ${c.rel}: ${how}; ${predictions.length} predicted; ` +
        `${cont.errors.length} NameErrors (${cont.errors.filter((e) => e.observable).length} observable)`,
    );
  }

  // 4. Figures and tables.
  const pct = (a: number, b: number) => (b === 0 ? "n/a" : `${((100 * a) / b).toFixed(0)}%`);
  const figures = (label: string, t: Tally) => {
    console.log(
      `${label} recall:    ${t.predictedObservable} of ${t.observable} observable NameErrors were predicted ` +
        `(${pct(t.predictedObservable, t.observable)}); ${t.notObservable} NameErrors caused by an earlier failed cell left out`,
    );
    console.log(
      `${label} precision: ${t.confirmed} of ${t.confirmed + t.refuted} predictions whose line ran really raised ` +
        `NameError on that name (${pct(t.confirmed, t.confirmed + t.refuted)}); ${t.inconclusive} inconclusive ` +
        `(cell failed earlier on something else), ${t.notReached} not reached`,
    );
  };
  console.log("");
  console.log(
    `ran ${eligible.length} notebooks in ${((Date.now() - t0) / 1000).toFixed(0)} s with ${python}: ` +
      `${ranToEnd} without any error`,
  );
  const withImports = results.filter((r) => r.importsAvailable).length;
  console.log(`\n${withImports} notebooks with all imports available:`);
  figures("strict  ", strict);
  figures("continue", continued);
  if (anyImports) {
    console.log(`\nall ${results.length} notebooks run (missing imports are failed cells like any other):`);
    figures("strict  ", strictAll);
    figures("continue", continuedAll);
  }

  // † = some imports missing (only with --include-missing-imports); + = runnable only thanks to .venv-bench.
  const label = (r: NotebookResult) => `${r.notebook}${r.importsAvailable ? "" : " †"}${r.added ? " +" : ""}`;
  console.log("\nObservable NameErrors (continue reading; S = also in the strict reading):");
  console.log("| notebook | cell | name | strict | predicted |");
  console.log("|---|---|---|---|---|");
  for (const r of results) {
    for (const e of r.continued.errors.filter((x) => x.observable)) {
      const inStrict = r.strict.errors.some((x) => x.cell === e.cell && x.name === e.name);
      console.log(
        `| ${label(r)} | ${e.cell + 1} | \`${e.name}\` | ${inStrict ? "S" : ""} | ${e.predicted ? "yes" : "no"} |`,
      );
    }
  }
  console.log("\nNameErrors left out (caused by an earlier failed cell), by cause:");
  console.log("| notebook | NameErrors | caused by |");
  console.log("|---|---|---|");
  for (const r of results) {
    const byCause = new Map<string, number>();
    for (const e of r.continued.errors.filter((x) => !x.observable)) {
      const cause = (e.reason ?? "").replace(/ (defines|has a star import).*$/, "");
      byCause.set(cause, (byCause.get(cause) ?? 0) + 1);
    }
    if (byCause.size === 0) continue;
    const causes = [...byCause].map(([c, n]) => `${c}: ${n}`).join("; ");
    console.log(`| ${label(r)} | ${[...byCause.values()].reduce((a, b) => a + b, 0)} | ${causes} |`);
  }
  console.log("\nPredicted failures:");
  console.log("| notebook | cell:line | code | name | strict | continue | detail (continue) |");
  console.log("|---|---|---|---|---|---|---|");
  for (const r of results) {
    r.continued.outcomes.forEach((o, i) => {
      const p = o.prediction;
      console.log(
        `| ${label(r)} | ${p.cell + 1}:${p.line} | ${p.code} | \`${p.name}\` | ${r.strict.outcomes[i]!.verdict} | ` +
          `${o.verdict} | ${o.detail.replace(/\|/g, "\\|").replace(/\s+/g, " ").slice(0, 160)} |`,
      );
    });
  }
  if (jsonOut) {
    save();
    console.log(`\nfull results: ${jsonOut}`);
  }
}

await main();

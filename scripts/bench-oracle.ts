/**
 * npm run bench:oracle -- <dir> [--python <interpreter>] [--json]
 *
 * Compares fledge's defines/reads with CPython's (python/oracle.py: ast + symtable) on every code cell of every
 * notebook under <dir>. Cells CPython cannot parse (after the same IPython masking) are counted apart.
 * Prints agreement for defines and reads and lists every disagreement with its notebook and cell.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { readNotebookFile, requirePythonKernel } from "../src/notebook/index.js";
import { analyzeCell, builtinNames, initPython, maskIPython } from "../src/python/index.js";
import type { CellAnalysis } from "../src/python/types.js";
import { venvPython } from "../test/helpers/env.js";
import { compareWithOracle, runOracle } from "../test/python/oracle-client.js";

function* notebooks(dir: string): Generator<string> {
  for (const f of readdirSync(dir).sort()) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) yield* notebooks(p);
    else if (p.endsWith(".ipynb")) yield p;
  }
}

interface Cell {
  file: string;
  index: number;
  source: string;
  masked: string;
  analysis: CellAnalysis;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const dir = args.find((a) => !a.startsWith("--"));
  if (!dir) {
    process.stderr.write(
      "usage: npm run bench:oracle -- <dir with notebooks> [--python <interpreter>] [--json]\n",
    );
    process.exit(2);
  }
  const pyIndex = args.indexOf("--python");
  const python = pyIndex >= 0 ? args[pyIndex + 1]! : venvPython();
  const probe = spawnSync(python, ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"], {
    encoding: "utf8",
  });
  const version = probe.stdout?.trim() || "3.11";
  await initPython();
  const cells: Cell[] = [];
  let skippedNotebooks = 0;
  for (const file of notebooks(dir)) {
    let nb: Awaited<ReturnType<typeof readNotebookFile>>["notebook"];
    try {
      nb = (await readNotebookFile(file)).notebook;
      requirePythonKernel(nb, file);
    } catch {
      skippedNotebooks++;
      continue;
    }
    nb.cells.forEach((c, index) => {
      if (c.cell_type !== "code") return;
      const masked = maskIPython(c.source).masked;
      cells.push({
        file: relative(dir, file),
        index,
        source: c.source,
        masked,
        analysis: analyzeCell(c.source, index, { pythonVersion: version }),
      });
    });
  }
  const results = runOracle(
    python,
    cells.map((c) => c.masked),
  );
  const builtins = builtinNames(version);
  let parsed = 0;
  let definesOk = 0;
  let readsOk = 0;
  let treeSitterErrorsOnValid = 0;
  let missedErrors = 0;
  const disagreements: string[] = [];
  const parseDiffs: string[] = [];
  cells.forEach((c, i) => {
    const r = results[i]!;
    const errors = c.analysis.diagnostics.filter((d) => d.severity === "error");
    const where = `${c.file} cell ${c.index + 1}`;
    if (!r.ok) {
      if (errors.length === 0) {
        missedErrors++;
        parseDiffs.push(`${where}: CPython: ${r.error}; tree-sitter: no error`);
      }
      return;
    }
    parsed++;
    if (errors.length > 0) {
      treeSitterErrorsOnValid++;
      parseDiffs.push(`${where}: tree-sitter error at line ${errors[0]!.span.line} but CPython parses`);
    }
    const cmp = compareWithOracle(c.analysis, r, builtins);
    if (cmp.definesAgree) definesOk++;
    if (cmp.readsAgree) readsOk++;
    if (!cmp.definesAgree || !cmp.readsAgree) {
      const parts: string[] = [];
      if (cmp.defines.extra.length) parts.push(`defines only fledge: ${cmp.defines.extra.join(", ")}`);
      if (cmp.defines.missing.length) parts.push(`defines only CPython: ${cmp.defines.missing.join(", ")}`);
      if (!cmp.defines.order && parts.length === 0) parts.push("defines order differs");
      if (cmp.reads.extra.length) parts.push(`reads only fledge: ${cmp.reads.extra.join(", ")}`);
      if (cmp.reads.missing.length) parts.push(`reads only CPython: ${cmp.reads.missing.join(", ")}`);
      disagreements.push(`${where}: ${parts.join("; ")}`);
    }
  });
  const pct = (n: number) => (parsed === 0 ? "n/a" : `${((100 * n) / parsed).toFixed(2)}%`);
  const summary = {
    notebooks: new Set(cells.map((c) => c.file)).size,
    skippedNotebooks,
    codeCells: cells.length,
    parsedByCPython: parsed,
    notParsedByCPython: cells.length - parsed,
    definesAgreement: pct(definesOk),
    readsAgreement: pct(readsOk),
    treeSitterErrorsOnValidCells: treeSitterErrorsOnValid,
    cpythonErrorsTreeSitterMissed: missedErrors,
  };
  if (args.includes("--json")) {
    process.stdout.write(`${JSON.stringify({ ...summary, disagreements, parseDiffs }, null, 2)}\n`);
    return;
  }
  const out = [
    `oracle: ${python} (CPython ast + symtable), builtins of Python ${version}`,
    `notebooks: ${summary.notebooks} (${skippedNotebooks} skipped: unreadable or not Python)`,
    `code cells: ${cells.length}; parsed by CPython: ${parsed}; not parsed: ${cells.length - parsed}`,
    `defines agreement: ${definesOk}/${parsed} = ${summary.definesAgreement}`,
    `reads agreement:   ${readsOk}/${parsed} = ${summary.readsAgreement}`,
    `tree-sitter errors on cells CPython parses: ${treeSitterErrorsOnValid}; CPython errors tree-sitter missed: ${missedErrors}`,
  ];
  if (disagreements.length)
    out.push("", `disagreements (${disagreements.length}):`, ...disagreements.map((d) => `  ${d}`));
  if (parseDiffs.length)
    out.push("", `parse differences (${parseDiffs.length}):`, ...parseDiffs.map((d) => `  ${d}`));
  process.stdout.write(`${out.join("\n")}\n`);
}

main().catch((err) => {
  process.stderr.write(`bench:oracle failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});

/**
 * The shared corpus (skipped cleanly when absent): every notebook is checked without a crash, and the
 * execution-count statistics agree with a direct count from the raw JSON files.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { countStats, loadEnvironment, notebookStats, runChecks } from "../../src/analysis/index.js";
import { FledgeError } from "../../src/errors.js";
import { readNotebookFile, requirePythonKernel } from "../../src/notebook/index.js";
import { initPython } from "../../src/python/index.js";
import { corpusDir } from "../helpers/env.js";

const dir = corpusDir();

function notebooks(root: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(root, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...notebooks(join(root, e.name)));
    else if (e.name.endsWith(".ipynb")) out.push(join(root, e.name));
  }
  return out.sort();
}

/** Independent of fledge's reader: the counts straight from the JSON (nbformat 3 keeps them in worksheets). */
function directCounts(file: string): { outOfOrder: boolean; gapped: boolean } {
  const raw = JSON.parse(readFileSync(file, "utf8"));
  const cells: Record<string, unknown>[] = raw.worksheets
    ? raw.worksheets.flatMap((w: { cells?: unknown[] }) => w.cells ?? [])
    : (raw.cells ?? []);
  const counts = cells
    .filter((c) => c.cell_type === "code")
    .map((c) => c.execution_count ?? c.prompt_number)
    .filter((n): n is number => typeof n === "number");
  const outOfOrder = counts.some((n, i) => i > 0 && n <= counts[i - 1]!);
  const sorted = [...new Set(counts)].sort((a, b) => a - b);
  const gapped =
    sorted.length > 0 && (sorted[0] !== 1 || sorted.some((n, i) => i > 0 && n - sorted[i - 1]! > 1));
  return { outOfOrder, gapped };
}

describe.skipIf(!dir)("check over the corpus", () => {
  beforeAll(async () => {
    await initPython();
  });

  it("checks every notebook without a crash, and its count statistics match a direct count", async () => {
    const files = notebooks(dir!);
    expect(files.length).toBeGreaterThan(100);
    let outOfOrder = 0;
    let gapped = 0;
    let directOutOfOrder = 0;
    let directGapped = 0;
    let checked = 0;
    for (const file of files) {
      const direct = directCounts(file);
      if (direct.outOfOrder) directOutOfOrder++;
      if (direct.gapped) directGapped++;
      let stats: Record<string, boolean>;
      const nb = (await readNotebookFile(file)).notebook; // the corpus's notebooks all read (some with warnings)
      try {
        requirePythonKernel(nb, file);
        const result = runChecks(nb, { environment: loadEnvironment(file) });
        for (const f of result.findings) {
          expect(f.line, file).toBeGreaterThanOrEqual(1);
          // No interpolation slips ("cell undefined", "[object Object]", "NaN") in any message.
          expect(f.message, file).not.toMatch(/\[object |\bNaN\b|\[undefined\]|cell undefined|\bnull\b/);
        }
        stats = notebookStats(result);
        checked++;
      } catch (err) {
        if (!(err instanceof FledgeError) || err.code !== "E_NOT_PYTHON") throw err;
        stats = countStats(nb);
      }
      if (stats.outOfOrder) outOfOrder++;
      if (stats.skippedCounts) gapped++;
      expect(stats.outOfOrder, file).toBe(direct.outOfOrder);
      expect(stats.skippedCounts, file).toBe(direct.gapped);
    }
    expect(outOfOrder).toBe(directOutOfOrder);
    expect(gapped).toBe(directGapped);
    expect(checked).toBeGreaterThan(files.length - 5);
  }, 240_000);
});

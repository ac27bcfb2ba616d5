/** Small notebooks written on the fly for kernel and `fledge run` tests. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface CellSpec {
  source: string;
  tags?: string[];
  type?: "code" | "markdown";
}

export function notebookJson(cells: (string | CellSpec)[], kernelName = "python3"): string {
  const nb = {
    cells: cells.map((c, i) => {
      const spec = typeof c === "string" ? { source: c } : c;
      const base = {
        cell_type: spec.type ?? "code",
        id: `cell${i}`,
        metadata: spec.tags ? { tags: spec.tags } : {},
        source: spec.source,
      };
      return base.cell_type === "code" ? { ...base, execution_count: null, outputs: [] } : base;
    }),
    metadata: {
      kernelspec: { display_name: "Python 3", language: "python", name: kernelName },
      language_info: { name: "python" },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  return `${JSON.stringify(nb, null, 1)}\n`;
}

const created: string[] = [];

/** Removes the folders `writeNotebook` created (call it in `afterAll`). */
export function cleanupNotebooks(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Writes a notebook into a new temporary folder (see `cleanupNotebooks`) and returns its path. */
export function writeNotebook(
  cells: (string | CellSpec)[],
  name = "nb.ipynb",
  kernelName = "python3",
): string {
  const dir = mkdtempSync(join(tmpdir(), "fledge-run-test-"));
  created.push(dir);
  const path = join(dir, name);
  writeFileSync(path, notebookJson(cells, kernelName));
  return path;
}

/**
 * Paths the notebook writes are outputs (relative to outputs_dir), whatever a previous run left on disk; a
 * notebook constant made a parameter (even one written over several lines) is passed from params to each step.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extractProject, initExtract } from "../../src/generate/index.js";
import { readNotebookFile } from "../../src/notebook/index.js";

const root = mkdtempSync(join(tmpdir(), "fledge-outputs-"));
beforeAll(initExtract);
afterAll(() => rmSync(root, { recursive: true, force: true }));

function notebook(cells: string[]): string {
  return JSON.stringify({
    cells: cells.map((source) => ({
      cell_type: "code",
      metadata: {},
      execution_count: null,
      outputs: [],
      source,
    })),
    metadata: { kernelspec: { name: "python3", display_name: "Python 3", language: "python" } },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

describe("output paths", () => {
  it("a written file that already exists is an output, without a doubled outputs/ folder", async () => {
    mkdirSync(join(root, "outputs"), { recursive: true });
    writeFileSync(join(root, "data.csv"), "a\n1\n");
    writeFileSync(join(root, "outputs", "predictions.csv"), "a\n1\n"); // left by a previous run
    const nbPath = join(root, "nb.ipynb");
    writeFileSync(
      nbPath,
      notebook([
        'import pandas as pd\ndf = pd.read_csv("data.csv")',
        'df["b"] = df["a"] * 2',
        'df.to_csv("outputs/predictions.csv", index=False)',
      ]),
    );
    const nb = (await readNotebookFile(nbPath)).notebook;
    const e = extractProject(nb, { notebookPath: nbPath, outDir: join(root, "project") });
    const yaml = e.files.find((f) => f.path === "params.yaml")?.content ?? "";
    expect(yaml).toMatch(/\(relative to outputs_dir\)\n\w+: "predictions\.csv"/);
    expect(yaml).toMatch(/\(relative to data_dir\)\n\w+: "data\.csv"/);
  });

  it("a multi-line constant read by two steps comes from params, not as a step output", async () => {
    const nbPath = join(
      dirname(fileURLToPath(import.meta.url)),
      "..",
      "..",
      "examples",
      "churn",
      "churn.ipynb",
    );
    const nb = (await readNotebookFile(nbPath)).notebook;
    const e = extractProject(nb, { notebookPath: nbPath, outDir: join(root, "churn-project") });
    const pipeline = e.files.find((f) => f.path === "src/churn/pipeline.py")?.content ?? "";
    expect(pipeline).not.toContain("NUMERIC");
    expect(pipeline.match(/numeric=p\["numeric"\]/g)?.length).toBe(2);
  });
});

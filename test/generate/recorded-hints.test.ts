/**
 * Types recorded in a real run become the annotations of the generated step functions: they beat a guess from
 * the code, bring the imports they need, and are dropped when the notebook binds the alias to something else.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extractProject, initExtract } from "../../src/generate/index.js";
import { readNotebookFile } from "../../src/notebook/index.js";

const root = mkdtempSync(join(tmpdir(), "fledge-hints-"));
beforeAll(initExtract);
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function extract(cells: string[], hints: Record<string, Record<string, [string, string[]]>>) {
  const nbPath = join(root, `nb${Math.random().toString(36).slice(2)}.ipynb`);
  writeFileSync(
    nbPath,
    JSON.stringify({
      cells: cells.map((source) => ({
        cell_type: source.startsWith("#") ? "markdown" : "code",
        metadata: {},
        ...(source.startsWith("#") ? {} : { execution_count: null, outputs: [] }),
        source,
      })),
      metadata: { kernelspec: { name: "python3", display_name: "Python 3", language: "python" } },
      nbformat: 4,
      nbformat_minor: 5,
    }),
  );
  const nb = (await readNotebookFile(nbPath)).notebook;
  const recordedHints = new Map(
    Object.entries(hints).map(([step, m]) => [
      step,
      new Map(Object.entries(m).map(([n, [text, imports]]) => [n, { text, imports }])),
    ]),
  );
  const e = extractProject(nb, { notebookPath: nbPath, outDir: join(root, "project"), recordedHints });
  const file = (step: string) => e.files.find((f) => f.path.endsWith(`/steps/${step}.py`))?.content ?? "";
  const all = e.files
    .filter((f) => f.path.includes("/steps/"))
    .map((f) => f.content)
    .join("\n");
  return { file, all };
}

const cells = [
  "# Load the data",
  'import pandas as pd\ndf = pd.read_csv("data.csv")\ny = df.pop("target")',
  "# Scale the values",
  "values = (df - df.mean()).to_numpy()\nlabels = y * 2",
  "# Save the results",
  'pd.DataFrame(values).assign(label=labels).to_csv("out.csv")',
];

describe("recorded type hints", () => {
  it("annotate inputs and outputs, adding the import a recorded type needs", async () => {
    const { file } = await extract(cells, {
      load_data: {
        df: ["pd.DataFrame", ["import pandas as pd"]],
        y: ["pd.Series", ["import pandas as pd"]],
      },
      scale_values: {
        values: ["np.ndarray", ["import numpy as np"]],
        labels: ["pd.Series", ["import pandas as pd"]],
      },
    });
    const scale = file("scale_values");
    expect(scale).toMatch(/def scale_values\(df: pd\.DataFrame, y: pd\.Series\)/);
    expect(scale).toContain("-> tuple[np.ndarray, pd.Series]");
    expect(scale).toContain("import numpy as np");
    expect(file("load_data")).toContain("-> tuple[pd.DataFrame, pd.Series]");
  });

  it("are not used when the notebook binds the alias to another module", async () => {
    const { all } = await extract(
      [
        "# Load the data",
        'import polars as pd\ndf = pd.read_csv("data.csv")',
        "# Use it",
        'n = df.select(pd.col("a")).to_series()',
        "# Save it",
        'n.to_frame().write_csv("out.csv")',
      ],
      { load_data: { n: ["pd.Series", ["import pandas as pd"]] } },
    );
    expect(all).toMatch(/def \w+\(n, /);
    expect(all).not.toContain("import pandas");
    expect(all).not.toContain("pd.Series");
  });
});

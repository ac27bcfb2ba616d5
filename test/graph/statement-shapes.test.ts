/**
 * The map's statement heuristics read calls, arguments and literals from the tree-sitter tree (python/shape.ts):
 * the cases where that differs from the token scan it replaced, and the cases where it must not.
 */
import { describe, expect, it } from "vitest";
import { buildDataflow } from "../../src/graph/dataflow.js";
import { collectStatements } from "../../src/graph/statements.js";
import { buildWorkflowMap, checkWorkflowMap } from "../../src/graph/steps.js";
import { analyzeNotebook } from "../../src/python/index.js";
import { mapNotebook, notebookOf } from "./map-fixture.js";

describe("statement shapes in the map", () => {
  it("a metric printed inside an f-string is a result: the training it scores is not exploration", async () => {
    const nb = notebookOf([
      "import pandas as pd\nfrom sklearn.linear_model import SGDClassifier",
      'df = pd.read_csv("in.csv")\nX = df[["a"]]\ny = df["b"]',
      "clf = SGDClassifier(random_state=1)\nclf.partial_fit(X, y, classes=[0, 1])",
      "print(f'Accuracy: {clf.score(X, y):.3f}')",
    ]);
    const { map, analysis } = await mapNotebook(nb);
    expect(checkWorkflowMap(nb, analysis, map)).toEqual([]);
    expect(map.exploration.filter((r) => r.cell === 2 || r.cell === 3)).toEqual([]);
    expect(map.steps.flatMap((s) => s.results)).toContainEqual({ cell: 3, statement: 0 });
  });

  it("a filter through nested indexing is cleaning; a name inside a string or comment is not a call", async () => {
    const nb = notebookOf([
      "import pandas as pd",
      'df = pd.read_csv("in.csv")',
      'df = df[df["a"] >= 0][:-1]  # df.to_csv("x.csv")',
      'label = "df.to_csv(path)"',
    ]);
    const { analysis } = await mapNotebook(nb);
    const stmts = collectStatements(nb.cells, analysis);
    const filter = stmts.find((s) => s.ref.cell === 2)!;
    expect(filter.shape.assignment).toMatchObject({ target: "df", indexes: true });
    expect(filter.shape.compares).toBe(true);
    expect(filter.calls).toEqual([]);
    expect(stmts.find((s) => s.ref.cell === 3)!.kind).toBe("compute");
  });

  it("parameters keep the user's text and spans in CRLF cells and after IPython lines", async () => {
    const nb = notebookOf([
      "import pandas as pd\r\nfiles = !ls data\r\nSEED = 7\r\n%time df = pd.read_csv('data/in.csv')",
      "from sklearn.model_selection import train_test_split\ntr, te = train_test_split(df, test_size=0.25, random_state=SEED)",
    ]);
    const { map } = await mapNotebook(nb);
    const params = map.steps.flatMap((s) => s.parameters).map((p) => [p.name, p.literal, p.value, p.span]);
    expect(params).toContainEqual(["seed", "7", 7, { line: 3, column: 8, endLine: 3, endColumn: 9 }]);
    expect(params).toContainEqual([
      "in_path",
      "'data/in.csv'",
      "data/in.csv",
      { line: 4, column: 24, endLine: 4, endColumn: 37 },
    ]);
    expect(params).toContainEqual([
      "test_size",
      "0.25",
      0.25,
      { line: 2, column: 41, endLine: 2, endColumn: 45 },
    ]);
    // `files = !ls data` is masked to `files = 0`: no parameter `files`.
    expect(params.map((p) => p[0])).not.toContain("files");
  });

  it("an analysis made without shapes gives the same map (the cells are parsed again)", async () => {
    const nb = notebookOf([
      'import pandas as pd\ndf = pd.read_csv("in.csv")\nSEED = 3',
      'df = df[df["a"] > 0]\nwith open("out.txt", "w") as f:\n    f.write(str(len(df)))',
      'print(f"{df.shape[0]} rows")',
    ]);
    const { map } = await mapNotebook(nb);
    const plain = analyzeNotebook(nb);
    expect(plain.cells.every((c) => c.statements.every((s) => s.shape === undefined))).toBe(true);
    expect(buildWorkflowMap(nb, plain, buildDataflow(plain))).toEqual(map);
  });
});

import { describe, expect, it } from "vitest";
import { compareOutputs, diffNotebooks, sourceSimilarity, summarizeOutput } from "../../src/notebook/diff.js";
import { renderDiff, renderNotebookText } from "../../src/notebook/diff-render.js";
import type { Cell, Notebook, Output } from "../../src/notebook/types.js";

const code = (source: string, extra: Partial<Cell> & Record<string, unknown> = {}): Cell =>
  ({ cell_type: "code", source, metadata: {}, outputs: [], execution_count: null, ...extra }) as Cell;
const md = (source: string, extra: Record<string, unknown> = {}): Cell =>
  ({ cell_type: "markdown", source, metadata: {}, ...extra }) as Cell;
const nb = (cells: Cell[], metadata: Record<string, unknown> = {}): Notebook => ({
  nbformat: 4,
  nbformat_minor: 4,
  metadata,
  cells,
});
const png = (n: number): Output => ({
  output_type: "display_data",
  metadata: {},
  data: { "image/png": "A".repeat(n) },
});

describe("diffNotebooks", () => {
  it("finds nothing between equal notebooks", () => {
    const a = nb([md("# T"), code("x = 1")]);
    const d = diffNotebooks(a, nb([md("# T"), code("x = 1")]));
    expect(d.identical).toBe(true);
    expect(renderDiff(d, { aName: "a", bName: "b" })).toBe("");
  });

  it("shows source edits as unified hunks with cell-relative line numbers", () => {
    const a = nb([code("import pandas as pd\ndf = pd.read_csv('a.csv')\ndf.head()")]);
    const b = nb([code("import pandas as pd\ndf = pd.read_csv('b.csv')\ndf.head()")]);
    const d = diffNotebooks(a, b);
    expect(d.counts.modified).toBe(1);
    expect(d.cells[0]!.hunks?.[0]?.lines).toEqual([
      " import pandas as pd",
      "-df = pd.read_csv('a.csv')",
      "+df = pd.read_csv('b.csv')",
      " df.head()",
    ]);
    const text = renderDiff(d, { aName: "a.ipynb", bName: "b.ipynb" });
    expect(text).toBe(
      [
        "--- a.ipynb",
        "+++ b.ipynb",
        "## cell 1 (code) modified",
        "@@ -1,3 +1,3 @@",
        " import pandas as pd",
        "-df = pd.read_csv('a.csv')",
        "+df = pd.read_csv('b.csv')",
        " df.head()",
        "cells: 1 modified",
        "",
      ].join("\n"),
    );
  });

  it("matches cells by id, reports moves, additions and removals", () => {
    const a = nb([
      code("a = 1", { id: "a" }),
      code("b = 2", { id: "b" }),
      code("c = 3", { id: "c" }),
      md("old", { id: "m" }),
    ]);
    const b = nb([
      code("c = 3", { id: "c" }),
      code("a = 1", { id: "a" }),
      code("b = 20", { id: "b" }),
      md("new", { id: "n" }),
    ]);
    const d = diffNotebooks(a, b);
    const summary = d.cells.map((c) => [c.status, c.id, c.moved, c.matchedBy]);
    expect(summary).toEqual([
      ["unchanged", "c", true, "id"],
      ["unchanged", "a", false, "id"],
      ["modified", "b", false, "id"],
      ["removed", "m", false, undefined],
      ["added", "n", false, undefined],
    ]);
    expect(d.counts).toEqual({ modified: 1, added: 1, removed: 1, moved: 1, unchanged: 2 });
    const text = renderDiff(d, { aName: "a", bName: "b" });
    expect(text).toContain("## cell 1 (code, id c) moved from 3\n");
    expect(text).toContain("## cell 4 of old (markdown, id m) removed\n-old\n");
    expect(text).toContain("## cell 4 (markdown, id n) added\n+new\n");
    expect(text).toContain("cells: 1 modified, 1 added, 1 removed, 1 moved\n");
  });

  it("without ids, matches by identical content and then by similar source", () => {
    const load = "import pandas as pd\ndf = pd.read_csv('data.csv')\ndf = df.dropna()\nprint(len(df))";
    const a = nb([md("# Title"), code(load), code("model.fit(X, y)"), code("plot(df)")]);
    const b = nb([
      md("# Title"),
      code("model.fit(X, y)"),
      code(load.replace("dropna()", "dropna(how='all')")),
      code("something else entirely"),
    ]);
    const d = diffNotebooks(a, b);
    expect(d.cells.map((c) => [c.status, c.a, c.b, c.matchedBy, c.moved])).toEqual([
      ["unchanged", 0, 0, "content", false],
      ["unchanged", 2, 1, "content", true],
      ["modified", 1, 2, "similarity", false],
      ["modified", 3, 3, "similarity", false], // the same place after the same neighbour: an edit
    ]);
  });

  it("summarises output changes without binary content", () => {
    const a = nb([
      code("plot()", {
        outputs: [png(4000), { output_type: "stream", name: "stdout", text: ["a\n", "b\n"] }],
      }),
    ]);
    const b = nb([
      code("plot()", {
        outputs: [
          png(4400),
          { output_type: "stream", name: "stdout", text: ["a\n", "b\n"] },
          { output_type: "error", ename: "ValueError", evalue: "bad", traceback: [] },
        ],
      }),
    ]);
    const d = diffNotebooks(a, b);
    expect(d.cells[0]!.outputs).toEqual([
      { op: "changed", before: "display: image/png (2.9 kB)", summary: "display: image/png (3.2 kB)" },
      { op: "same", summary: 'stdout: "a" (+1 lines)' },
      { op: "added", summary: 'error ValueError: "bad"' },
    ]);
    const text = renderDiff(d, { aName: "a", bName: "b" });
    expect(text).not.toContain("AAAA");
    expect(text).toContain("outputs:\n  - display: image/png (2.9 kB)\n  + display: image/png (3.2 kB)\n");
  });

  it("marks same-looking outputs whose content changed", () => {
    const changed = compareOutputs([png(8)], [{ ...png(8), data: { "image/png": "BBBBBBBB" } }]);
    expect(changed).toEqual([
      { op: "changed", before: "display: image/png (6 B)", summary: "display: image/png (6 B)" },
    ]);
    const text = renderDiff(
      diffNotebooks(
        nb([code("x", { outputs: [png(8)] })]),
        nb([code("x", { outputs: [{ ...png(8), data: { "image/png": "BBBBBBBB" } }] })]),
      ),
      { aName: "a", bName: "b" },
    );
    expect(text).toContain("  ~ display: image/png (6 B) (content changed)\n");
  });

  it("reports metadata changes by key, and execution-count-only changes separately", () => {
    const a = nb(
      [code("x", { execution_count: 1, metadata: { tags: ["a"] } }), code("y", { execution_count: 2 })],
      {
        kernelspec: { name: "python3", display_name: "Python 3" },
      },
    );
    const b = nb(
      [
        code("x", { execution_count: 1, metadata: { tags: ["a", "b"], collapsed: true } }),
        code("y", { execution_count: 7 }),
      ],
      {
        kernelspec: { name: "python3", display_name: "Python 3 (ipykernel)" },
      },
    );
    const d = diffNotebooks(a, b);
    expect(d.notebook).toEqual([
      { path: "metadata.kernelspec.display_name", before: '"Python 3"', after: '"Python 3 (ipykernel)"' },
    ]);
    expect(d.cells[0]!.metadata).toEqual([
      { path: "collapsed", after: "true" },
      { path: "tags", before: '["a"]', after: '["a","b"]' },
    ]);
    expect(d.countOnly).toBe(1);
    expect(d.identical).toBe(false);
    const text = renderDiff(d, { aName: "a", bName: "b" });
    expect(text).toContain('~ metadata.kernelspec.display_name: "Python 3" → "Python 3 (ipykernel)"');
    expect(text).toContain('metadata:\n  + collapsed: true\n  ~ tags: ["a"] → ["a","b"]\n');
    expect(text).toContain("1 with only a new execution count");
  });

  it("does not show a hunk when only line endings or trailing whitespace differ", () => {
    const d = diffNotebooks(nb([code("x = 1\r\ny = 2\n")]), nb([code("x = 1\ny = 2")]));
    expect(d.cells[0]!.status).toBe("modified");
    expect(d.cells[0]!.hunks).toBeUndefined();
    expect(renderDiff(d, { aName: "a", bName: "b" })).toContain(
      "source: only line endings or trailing whitespace differ\n",
    );
  });

  it("ignores made-up ids when the two notebooks share none (a notebook against its .py)", () => {
    const a = nb([code("a = 1", { id: "x1" }), code("b = 2", { id: "x2" })]);
    const b = nb([code("a = 1\n", { id: "r1" }), code("b = 3", { id: "r2" })]);
    const d = diffNotebooks(a, b);
    expect(d.cells.map((c) => [c.status, c.matchedBy])).toEqual([
      ["modified", "content"],
      ["modified", "similarity"],
    ]);
  });

  it("colours only when asked", () => {
    const d = diffNotebooks(nb([code("a")]), nb([code("b")]));
    expect(renderDiff(d, { aName: "a", bName: "b" })).not.toContain("\u001b[");
    expect(renderDiff(d, { aName: "a", bName: "b", color: true })).toContain("\u001b[31m-a\u001b[0m");
  });
});

describe("helpers", () => {
  it("sourceSimilarity", () => {
    expect(sourceSimilarity("a\nb\nc", "a\nb\nc")).toBe(1);
    expect(sourceSimilarity("a\nb", "c\nd")).toBe(0);
    expect(sourceSimilarity("a\nb\nc\nd", "a\nb\nc\nx")).toBe(0.75);
  });

  it("summarizeOutput never shows base64", () => {
    expect(summarizeOutput(png(1_400_000))).toBe("display: image/png (1.0 MB)");
    expect(
      summarizeOutput({
        output_type: "execute_result",
        execution_count: 1,
        metadata: {},
        data: { "text/plain": ["   a\n", "0  1"] },
      }),
    ).toBe('result: text/plain "a" (+1 lines)');
  });

  it("renderNotebookText gives one readable block per cell", () => {
    const text = renderNotebookText(
      nb(
        [
          md("# Title", { id: "t" }),
          code("x = 1\nx", { execution_count: 3, metadata: { tags: ["keep"] }, outputs: [png(40)] }),
        ],
        {
          kernelspec: { name: "python3" },
        },
      ),
    );
    expect(text).toBe(
      "# notebook: nbformat 4.4, kernel python3\n\n# %% [markdown] id=t\n# Title\n\n# %% [code] tags=keep [3]\nx = 1\nx\n# out: display: image/png (30 B)\n",
    );
  });
});

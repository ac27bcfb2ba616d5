/** The percent format, case by case (the property and golden tests cover the rest). */
import { describe, expect, it } from "vitest";
import { parsePercent, replaceSyncState, writePercent } from "../../src/notebook/percent.js";
import type { Cell, Notebook } from "../../src/notebook/types.js";

const HEADER = `# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---
`;

function nb(...cells: [Cell["cell_type"], string, Record<string, unknown>?][]): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 4,
    metadata: { kernelspec: { display_name: "Python 3", language: "python", name: "python3" } },
    cells: cells.map(([cell_type, source, metadata]) =>
      cell_type === "code"
        ? { cell_type, source, metadata: metadata ?? {}, execution_count: null, outputs: [] }
        : ({ cell_type, source, metadata: metadata ?? {} } as Cell),
    ),
  };
}

const cells = (text: string) =>
  parsePercent(text).notebook.cells.map((c) => [c.cell_type, c.source, c.metadata]);

describe("parsePercent", () => {
  it("reads a Jupytext file: header, markdown, tags, commented magics", () => {
    const text = `${HEADER}
# %% [markdown]
# # Title
#
# Text

# %% tags=["parameters"]
# %matplotlib inline
SEED = 42
# !pip install pandas
# files = !ls

# %%
def f():
    return 1


# %%
f()
`;
    const r = parsePercent(text, "nb.py");
    expect(r.warnings).toEqual([]);
    expect(r.pairing).toEqual({ formats: "ipynb,py:percent" });
    expect(r.notebook.metadata.kernelspec).toEqual({
      display_name: "Python 3",
      language: "python",
      name: "python3",
    });
    expect(cells(text)).toEqual([
      ["markdown", "# Title\n\nText", {}],
      ["code", "%matplotlib inline\nSEED = 42\n!pip install pandas\nfiles = !ls", { tags: ["parameters"] }],
      ["code", "def f():\n    return 1", {}],
      ["code", "f()", {}],
    ]);
  });

  it("reads CRLF files, and a script without header or markers as one code cell", () => {
    expect(cells("# %%\r\nx = 1\r\n\r\n# %% [markdown]\r\n# hi\r\n")).toEqual([
      ["code", "x = 1", {}],
      ["markdown", "hi", {}],
    ]);
    expect(cells("import os\nprint(os.getcwd())\n")).toEqual([["code", "import os\nprint(os.getcwd())", {}]]);
    expect(cells("")).toEqual([]);
  });

  it("reads the marker variants and metadata forms Jupytext and editors use", () => {
    const text = [
      "#%%",
      "a = 1",
      '# %% Load data [markdown] tags=["x"] n=null k-d={"b": [1, 2.5]}',
      "# text",
      '# %% {"tags": ["json"]}',
      "b = 2",
      "# In[3]:",
      "c = 3",
      '# %% language="bash" magic_args="-e"',
      "# ls",
      '# %% active="py"',
      "only_in_script = 1",
      '# %% tags=["active-ipynb"]',
      "# only_in_notebook = 1",
    ].join("\n");
    expect(cells(text)).toEqual([
      ["code", "a = 1", {}],
      ["markdown", "text", { tags: ["x"], n: null, "k-d": { b: [1, 2.5] }, title: "Load data" }],
      ["code", "b = 2", { tags: ["json"] }],
      ["code", "c = 3", {}],
      ["code", "%%bash -e\nls", {}],
      ["raw", "only_in_script = 1", { active: "py" }],
      ["code", "only_in_notebook = 1", { tags: ["active-ipynb"] }],
    ]);
  });

  it("does not split a cell at a marker inside a string or a closed markdown fence", () => {
    expect(cells("# %%\ns = '''\n# %%\n'''\n\n# %% [markdown]\n# ```\n# %%\n# ```\n")).toEqual([
      ["code", "s = '''\n# %%\n'''", {}],
      ["markdown", "```\n%%\n```", {}],
    ]);
  });

  it("reads the fledge sync record and warns about a damaged one", () => {
    const good = parsePercent(
      HEADER.replace(
        "# jupyter:\n",
        "# jupyter:\n#   fledge:\n#     cells: [ab12cd34]\n#     inputs: 0123456789abcdef\n#     version: 1\n",
      ),
    );
    expect(good.pairing?.state).toEqual({ version: 1, inputs: "0123456789abcdef", cells: ["ab12cd34"] });
    expect(good.notebook.metadata.fledge).toBeUndefined();
    const bad = parsePercent(HEADER.replace("# jupyter:\n", "# jupyter:\n#   fledge:\n#     cells: 3\n"));
    expect(bad.pairing?.state).toBeUndefined();
    expect(bad.warnings[0]?.message).toMatch(/sync record is damaged/);
  });
});

describe("writePercent", () => {
  it("writes what Jupytext 1.19 writes for an ordinary notebook (PEP 8 blank lines around functions)", () => {
    const text = writePercent(
      nb(
        ["markdown", "# Title\n\nText"],
        ["code", "%matplotlib inline\nSEED = 42", { tags: ["parameters"], collapsed: true }],
        ["code", "def f():\n    return 1"],
        ["code", "f()"],
        ["raw", "raw text", { format: "text/x-rst" }],
      ),
    );
    expect(text).toBe(`${HEADER}
# %% [markdown]
# # Title
#
# Text

# %% tags=["parameters"]
# %matplotlib inline
SEED = 42


# %%
def f():
    return 1


# %%
f()

# %% [raw] format="text/x-rst"
# raw text
`);
  });

  it("escapes lines that look like markers or commented magics, and reads them back", () => {
    const source = "# %%\n#%% [markdown]\n# %matplotlib inline\nx = 1  # %%";
    const text = writePercent(nb(["code", source], ["markdown", "%% not a marker\n# %%"]));
    expect(text).toContain("# # %%\n# #%% [markdown]\n# # %matplotlib inline\nx = 1  # %%\n");
    expect(text).toContain("# # %% not a marker\n# # # %%\n");
    expect(cells(text)).toEqual([
      ["code", source, {}],
      ["markdown", "%% not a marker\n# %%", {}],
    ]);
  });

  it("keeps empty cells, leading and trailing blank lines", () => {
    const sources = ["", "\n", "\n\nx = 2", "x = 1\n\n", "  ", "x = 1\n  \n"];
    expect(
      cells(writePercent(nb(...sources.map((s): [Cell["cell_type"], string] => ["code", s])))).map(
        (c) => c[1],
      ),
    ).toEqual(sources);
    // The one case the format cannot tell apart from the separator: a single final newline (Jupytext drops it too).
    expect(cells(writePercent(nb(["code", "x = 1\n"], ["code", "y"])))[0]![1]).toBe("x = 1");
  });

  it("writes CRLF on request", () => {
    const text = writePercent(nb(["code", "x = 1"]), { eol: "\r\n" });
    expect(text.split("\r\n").length).toBe(text.split("\n").length);
    expect(cells(text)).toEqual([["code", "x = 1", {}]]);
  });
});

describe("replaceSyncState", () => {
  it("changes only the header and keeps the cells' text byte for byte", () => {
    const body = "# %%\nx  =  1   # odd spacing\n\n\n\n# %% [markdown]\n#    indented text\n";
    const text = `${HEADER}\n${body}`;
    const out = replaceSyncState(text, {
      version: 1,
      inputs: "0123456789abcdef",
      cells: ["aaaaaaaa", "bbbbbbbb"],
    });
    expect(out.endsWith(`\n\n${body}`)).toBe(true);
    expect(parsePercent(out).pairing?.state?.cells).toEqual(["aaaaaaaa", "bbbbbbbb"]);
    expect(parsePercent(out).notebook.cells).toEqual(parsePercent(text).notebook.cells);
    const noHeader = replaceSyncState(body, { version: 1, inputs: "x", cells: [] });
    expect(noHeader.endsWith(`\n\n${body}`)).toBe(true);
    const withBom = replaceSyncState(`\ufeff${body}`, { version: 1, inputs: "x", cells: [] });
    expect(withBom.startsWith("\ufeff# ---\n")).toBe(true);
  });
});

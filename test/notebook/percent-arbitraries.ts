/** fast-check generators of notebooks with the lines that make the percent format hard. */
import fc from "fast-check";
import { encodeCodeLines, QuoteTracker } from "../../src/notebook/percent-syntax.js";
import type { Cell, Notebook } from "../../src/notebook/types.js";

/** A code cell that ends inside an unterminated string hides the next marker (as in Jupytext): not representable. */
export function endsInsideString(nb: Notebook): boolean {
  return nb.cells.some((c) => {
    if (c.cell_type !== "code") return false;
    const t = new QuoteTracker();
    for (const l of encodeCodeLines(c.source.split("\n"))) t.read(l);
    return t.quoted();
  });
}

const TRICKY_LINES = [
  "x = 1",
  "",
  "  ",
  "\t",
  "# %%",
  "#%%",
  "# %% [markdown]",
  "# # %%",
  "## %%",
  "  # %%",
  "# In[1]:",
  "# <codecell>",
  "%% x",
  "In[2]:",
  "%matplotlib inline",
  "# %matplotlib inline",
  "# # %time",
  "!pip install pandas",
  "files = !ls",
  "  y = %time f()",
  "x?",
  "?x",
  "ls",
  "cd data",
  "echo hi",
  "def f():",
  "    return 1",
  "class A:",
  "    pass",
  "@decorator",
  "%%time",
  "%%bash",
  "%%capture out",
  "s = '''",
  "'''",
  '"""',
  's = "it\'s"',
  "t = 'a' \\",
  "%time a = \\",
  "```",
  "~~~",
  "# comment",
  "#",
  "# ",
  "a = '# %%'",
  "é ü — 😀",
  "[markdown]",
  "---",
  "title: x",
];

const line = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...TRICKY_LINES) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }).map((s) => s.replace(/[\r\n]/g, "")) },
);

export const source = fc
  .tuple(fc.array(line, { maxLength: 6 }), fc.constantFrom("", "", "", "\n", "\n\n"))
  .map(([lines, end]) => lines.join("\n") + end);

const jsonLeaf = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.integer({ min: -1000, max: 1000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).filter((d) => !Object.is(d, -0)),
  fc.boolean(),
  fc.constant(null),
);
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    jsonLeaf,
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom("a", "b", "c d", "é"), tie("value"), { maxKeys: 3 }),
  ),
})).value;

/** Metadata a .py shows (tags and other valid keys, a title, a Spyder cell depth). */
export const visibleMetadata = fc.record(
  {
    tags: fc.array(
      fc
        .oneof(fc.constantFrom("parameters", "skip", "b c", "é"), fc.string({ maxLength: 6 }))
        .filter((t) => !t.startsWith("active-")),
      { maxLength: 3 },
    ),
    title: fc.oneof(
      fc.constantFrom("Load data", "x = {y}", " padded ", "a  b", ".hidden", "[raw]"),
      fc.string({ maxLength: 10 }),
    ),
    cell_depth: fc.integer({ min: 0, max: 4 }),
    foo: jsonValue,
    "k-d": jsonValue,
    "a.b": jsonValue,
    "x@y/z": jsonValue,
  },
  { requiredKeys: [] },
);

/** Metadata only the .ipynb keeps. */
export const hiddenMetadata = fc.record(
  {
    collapsed: fc.boolean(),
    scrolled: fc.constantFrom(true, false, "auto"),
    ExecuteTime: fc.record({ end_time: fc.constant("2024-01-01T00:00:00.000Z") }),
    "not a valid key": fc.integer(),
  },
  { requiredKeys: [] },
);

export interface CellSpec {
  type: "code" | "markdown" | "raw";
  source: string;
  visible: Record<string, unknown>;
  hidden: Record<string, unknown>;
}

export const cellSpec: fc.Arbitrary<CellSpec> = fc.record({
  type: fc.constantFrom("code", "code", "code", "markdown", "raw"),
  source,
  visible: visibleMetadata,
  hidden: hiddenMetadata,
});

/** A notebook; code cell i has one output ("out i") and execution count i + 1. */
export function buildNotebook(
  specs: CellSpec[],
  options: { hidden?: boolean; ids?: boolean } = {},
): Notebook {
  const cells: Cell[] = specs.map((s, i) => {
    const metadata = { ...s.visible, ...(options.hidden ? s.hidden : {}) };
    const id = options.ids ? { id: `cell-${i}` } : {};
    if (s.type === "code") {
      return {
        cell_type: "code",
        ...id,
        metadata,
        source: s.source,
        execution_count: i + 1,
        outputs: [{ output_type: "stream", name: "stdout", text: [`out ${i}\n`] }],
      };
    }
    return { cell_type: s.type, ...id, metadata, source: s.source } as Cell;
  });
  return {
    cells,
    metadata: { kernelspec: { display_name: "Python 3", language: "python", name: "python3" } },
    nbformat: 4,
    nbformat_minor: options.ids ? 5 : 4,
  };
}

export const notebookSpecs = fc.array(cellSpec, { maxLength: 8 });

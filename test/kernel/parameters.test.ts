import { describe, expect, it } from "vitest";
import { FledgeError } from "../../src/errors.js";
import { injectParameters, parseParameter } from "../../src/kernel/parameters.js";
import type { Cell, Notebook } from "../../src/notebook/types.js";

function nb(cells: Partial<Cell>[], minor = 5): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: minor,
    metadata: {},
    cells: cells.map(
      (c, i) =>
        ({
          cell_type: "code",
          execution_count: null,
          outputs: [],
          metadata: {},
          source: "",
          ...(minor >= 5 ? { id: `c${i}` } : {}),
          ...c,
        }) as Cell,
    ),
  };
}

describe("parameters", () => {
  it("parses name=value with a Python literal, and -r values as strings", () => {
    expect(parseParameter("lr=0.1")).toEqual({ name: "lr", value: "0.1", kind: "float" });
    expect(parseParameter("cols=['a', 'b']")).toMatchObject({ kind: "list" });
    expect(parseParameter("eq='a=b'")).toMatchObject({ name: "eq", value: "'a=b'" });
    expect(parseParameter("path=data/x.csv", true)).toEqual({
      name: "path",
      value: '"data/x.csv"',
      kind: "str",
    });
  });

  it("rejects bad names and values as usage errors (exit 2)", () => {
    for (const arg of ["noequals", "=1", "class=1", "a-b=1", "x=data/y.csv"]) {
      let err: unknown;
      try {
        parseParameter(arg);
      } catch (e) {
        err = e;
      }
      expect(err, arg).toBeInstanceOf(FledgeError);
      expect((err as FledgeError).exitCode).toBe(2);
    }
  });

  it("injects a tagged cell right after the 'parameters' cell, with a fresh id", () => {
    const n = nb([
      { source: "import x" },
      { source: "lr = 0.01\nepochs = 3", metadata: { tags: ["parameters"] } },
      {},
    ]);
    const r = injectParameters(n, [parseParameter("lr=0.5")]);
    expect(r.index).toBe(2);
    expect(r.warnings).toEqual([]);
    const cell = r.notebook.cells[2]!;
    expect(cell.metadata).toEqual({ tags: ["injected-parameters"] });
    expect(cell.source).toBe("# Parameters\nlr = 0.5\n");
    expect(cell.id).toMatch(/^[0-9a-f]{8}$/);
    expect(r.notebook.cells).toHaveLength(4);
  });

  it("replaces an earlier injected cell, warns about unknown names, and goes first without a parameters cell", () => {
    const n = nb(
      [
        { source: "a = 1", metadata: { tags: ["parameters"] } },
        { source: "# Parameters\na = 2\n", metadata: { tags: ["injected-parameters"] } },
        { source: "print(a)" },
      ],
      4,
    );
    const r = injectParameters(n, [parseParameter("a=3"), parseParameter("b=4")]);
    expect(r.notebook.cells.map((c) => c.source)).toEqual([
      "a = 1",
      "# Parameters\na = 3\nb = 4\n",
      "print(a)",
    ]);
    expect(r.notebook.cells[1]!.id).toBeUndefined(); // nbformat 4.4: no cell ids
    expect(r.warnings).toEqual(["parameter 'b' is not assigned in the 'parameters' cell (cell 1)"]);
    const none = injectParameters(nb([{ source: "print(1)" }]), [parseParameter("z=1")]);
    expect(none.index).toBe(0);
    expect(none.warnings[0]).toMatch(/no cell is tagged 'parameters'/);
  });

  it("recognises annotated assignments in the parameters cell", () => {
    const n = nb([{ source: "rate: float = 0.1", metadata: { tags: ["parameters"] } }]);
    expect(injectParameters(n, [parseParameter("rate=0.2")]).warnings).toEqual([]);
  });
});

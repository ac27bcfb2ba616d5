/** The cell analysis beyond defines/reads (which oracle.test.ts checks against CPython). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseNotebook } from "../../src/notebook/index.js";
import { analyzeCell, analyzeNotebook, initPython, notebookPythonVersion } from "../../src/python/index.js";
import { ROOT } from "../helpers/env.js";

const FIXTURES = join(ROOT, "test", "python", "fixtures");

beforeAll(async () => {
  await initPython();
});

const cell = (src: string, version?: string) =>
  analyzeCell(src, 0, version ? { pythonVersion: version } : {});

describe("function and class records", () => {
  it("records global reads (free variables resolved to the module), global writes and calls", () => {
    const a = cell(
      [
        "def outer(a, b=dflt):",
        "    global counter",
        "    counter += 1",
        "    local = helper(a) + K",
        "    def inner():",
        "        return local + other_global + a",
        "    return [x * scale for x in inner()] + list(map(str, data))",
        "class Model(Base):",
        "    rate = 0.1",
        "    def step(self):",
        "        return rate * self.w + super().step() + __class__.__name__",
        "predict = lambda x: x * coef",
      ].join("\n"),
    );
    expect(a.functions).toEqual([
      expect.objectContaining({
        name: "outer",
        kind: "function",
        globalReads: ["K", "counter", "data", "helper", "other_global", "scale"],
        globalWrites: ["counter"],
        calls: ["helper"],
        span: { line: 1, column: 1, endLine: 7, endColumn: 63 },
      }),
      expect.objectContaining({
        name: "Model",
        kind: "class",
        globalReads: ["rate"],
        globalWrites: [],
        calls: [],
      }),
      expect.objectContaining({ name: "predict", kind: "function", globalReads: ["coef"] }),
    ]);
    expect(a.reads.map((r) => r.name)).toEqual(["dflt", "Base"]);
    expect(a.indirectReads).toEqual([]);
  });

  it("counts names interpolated into shell commands as indirect reads", () => {
    const a = cell("pkg = 'pandas'\n!pip install {pkg} {extra}");
    expect(a.indirectReads.map((r) => r.name)).toEqual(["extra"]);
    expect(a.reads).toEqual([]);
  });

  it("lists calls of the cell and reads of anonymous lambdas separately", () => {
    const a = cell("out = df.apply(lambda r: r * factor)\nresult = train(out)\nprint(len(out))");
    expect(a.calls).toEqual(["train"]);
    expect(a.indirectReads.map((r) => r.name)).toEqual(["factor"]);
    expect(a.reads.map((r) => r.name)).toEqual(["df", "train"]);
  });
});

describe("imports, deletes, aliases, opaque cells", () => {
  it("records imports with module, names, aliases and the names they bind", () => {
    const a = cell(
      "import numpy as np, os.path\nfrom sklearn.model_selection import train_test_split as tts, KFold\nfrom .local import *",
    );
    expect(a.imports.map(({ span: _s, ...i }) => i)).toEqual([
      { module: "numpy", names: [], alias: "np", star: false, binds: ["np"] },
      { module: "os.path", names: [], star: false, binds: ["os"] },
      {
        module: "sklearn.model_selection",
        names: [{ name: "train_test_split", alias: "tts" }, { name: "KFold" }],
        star: false,
        binds: ["tts", "KFold"],
      },
      { module: ".local", names: [], star: true, binds: [] },
    ]);
    expect(a.opaque).toBe(true);
  });

  it("records del, aliases and opaque %run / exec", () => {
    const a = cell("tmp = 1\nalias = data\ndel tmp, old");
    expect(a.deletes).toEqual(["tmp", "old"]);
    expect(a.aliases).toEqual({ alias: "data" });
    expect(a.opaque).toBe(false);
    expect(cell("%run helpers.py").opaque).toBe(true);
    expect(cell("exec(code)").opaque).toBe(true);
  });

  it("does not take a name like `constructor` for an alias (no inherited object keys)", () => {
    const a = cell("constructor = []\nconstructor.append(1)\ntoString = {}\ntoString.update(a=1)");
    expect(a.modifies.map((m) => m.name).sort()).toEqual(["constructor", "toString"]);
    expect(a.modifies.every((m) => m.via === undefined)).toBe(true);
  });
});

describe("statements", () => {
  it("gives one record per top-level statement with its own defines/reads/modifies", () => {
    const a = cell("x = load()\ny = x + 1\nx.append(y)\n# comment\nfor i in y:\n    z = i");
    expect(a.statements.map((s) => [s.type, s.defines, s.reads, s.modifies])).toEqual([
      ["expression_statement", ["x"], ["load"], []],
      ["expression_statement", ["y"], ["x"], []],
      ["expression_statement", [], ["x", "y"], ["x"]],
      ["for_statement", ["i", "z"], ["y"], []],
    ]);
    expect(a.statements[3]!.span).toEqual({ line: 5, column: 1, endLine: 6, endColumn: 10 });
  });

  it("marks what Jupyter displays: the last bare expression (not after `;`) and display-only calls", () => {
    const shown = (src: string) => cell(src).statements.map((s) => s.displayKind ?? "-");
    expect(shown("x = 1\nx")).toEqual(["-", "value"]);
    expect(shown("x\ny = 1")).toEqual(["-", "-"]);
    expect(shown("df.head();")).toEqual(["-"]);
    expect(shown("print(1)\ndisplay(df)\nplt.show()\nfig.show()\nx = 2")).toEqual([
      "call",
      "call",
      "call",
      "call",
      "-",
    ]);
    expect(shown("df.describe()\n%matplotlib inline")).toEqual(["-", "-"]);
  });

  it("links statements that come from IPython syntax to their magic", () => {
    const a = cell("!pip install x\nfiles = !ls\n%time y = f(files)\nz = 1");
    expect(a.statements.map((s) => s.magic)).toEqual([0, 1, 2, 2, undefined]);
    expect(a.defines).toEqual(["files", "y", "z"]);
    expect(a.magics.map((m) => m.kind)).toEqual(["shell", "shell", "line-magic"]);
  });
});

describe("diagnostics", () => {
  it("reports syntax errors with line and column and still analyses the rest", () => {
    const a = cell("a = 1\nb = (a,\nc = a + d\n");
    expect(a.diagnostics.length).toBeGreaterThan(0);
    expect(a.diagnostics[0]).toMatchObject({ code: "syntax-error", severity: "error" });
    expect(a.diagnostics[0]!.span.line).toBeGreaterThanOrEqual(2);
    expect(a.defines).toContain("a");
  });

  it("reports Python 2 print statements", () => {
    const a = cell('x = 1\nprint "x is", x');
    expect(a.diagnostics).toEqual([
      expect.objectContaining({
        code: "syntax-error",
        span: { line: 2, column: 1, endLine: 2, endColumn: 16 },
      }),
    ]);
  });
});

describe("Python versions", () => {
  it("uses the builtins of the notebook's Python version", () => {
    expect(cell("aiter(x)", "3.8").reads.map((r) => r.name)).toEqual(["aiter", "x"]);
    expect(cell("aiter(x)", "3.10").reads.map((r) => r.name)).toEqual(["x"]);
    expect(cell("ExceptionGroup", "3.10").reads.map((r) => r.name)).toEqual(["ExceptionGroup"]);
    expect(cell("ExceptionGroup").reads).toEqual([]);
  });
});

describe("analyzeNotebook", () => {
  const nb = parseNotebook(readFileSync(join(FIXTURES, "churn.ipynb"), "utf8")).notebook;

  it("analyses every code cell with its index and id, using language_info's version", () => {
    const a = analyzeNotebook(nb);
    expect(a.pythonVersion).toBe("3.10");
    expect(notebookPythonVersion(nb)).toBe("3.10");
    expect(a.cells.map((c) => [c.cellIndex, c.cellId])).toEqual([
      [1, "c1"],
      [2, "c2"],
      [3, "c3"],
      [4, "c4"],
      [5, "c5"],
    ]);
    expect(a.cells.map((c) => c.defines)).toEqual([
      ["pd", "plt", "DATA"],
      ["df", "raw"],
      ["clean", "LIMIT"],
      ["df", "counts"],
      ["files", "f"],
    ]);
    expect(a.cells[3]!.reads.map((r) => r.name)).toEqual(["raw", "clean", "df", "plt"]);
  });

  it("follows aliases across cells and ignores method calls on imported modules", () => {
    const c4 = analyzeNotebook(nb).cells[3]!;
    expect(c4.modifies.map((m) => [m.name, m.confidence, m.rule, m.via])).toEqual([
      ["raw", "certain", "assignment", undefined],
      ["df", "possible", "alias", "raw"],
    ]);
    expect(c4.indirectReads.map((r) => r.name)).toEqual(["weight"]);
  });

  it("is pure and serialisable", () => {
    const a = analyzeNotebook(nb);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
    expect(analyzeNotebook(nb)).toEqual(a);
  });
});

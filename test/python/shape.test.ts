/** Statement shapes (python/shape.ts): calls, arguments, literals, and the same shapes from analyzeCell. */
import { beforeAll, describe, expect, it } from "vitest";
import { analyzeCell, initPython } from "../../src/python/index.js";
import { type CallShape, cellShapes, numberValue, stringValue } from "../../src/python/shape.js";

beforeAll(async () => {
  await initPython();
});

const one = (src: string) => {
  const shapes = cellShapes(src);
  expect(shapes).toHaveLength(1);
  return shapes[0]!;
};
const dotted = (c: CallShape) => [...c.receiver, c.name].join(".");

describe("calls", () => {
  it("lists calls of names and attributes in written order, with their receiver chains", () => {
    const s = one("out = df.groupby(key(a)).agg(np.mean)[0].round(2)");
    expect(s.calls.map(dotted)).toEqual(["df.groupby", "key", "?.agg", "?.round"]);
  });

  it("keeps comments and strings out of code", () => {
    const src = 'x = f("a # b(c)", r\'\\d\')  # df.to_csv("x.csv")';
    const s = one(src);
    expect(s.calls.map(dotted)).toEqual(["f"]);
    expect(s.calls[0]!.positional.map((t) => src.slice(t.start, t.end))).toEqual(['"a # b(c)"', "r'\\d'"]);
  });

  it("finds calls inside f-string fields, lambdas and comprehensions; a nested def is not a call", () => {
    const s = one(
      [
        "for m in ms:",
        '    print(f"{m}: {model.score(X, y):.3f}")',
        "    g = lambda v: h(v)",
        "    def inner(a):",
        "        return [k(a) for _ in a]",
      ].join("\n"),
    );
    expect(s.calls.map(dotted)).toEqual(["print", "model.score", "h", "k"]);
  });

  it("gives positional and keyword arguments with their literal values and spans", () => {
    const s = one(
      'clf = RandomForestClassifier(200, max_depth=-3, cols=["a", "b"], w=(0.5), f=f"{x}", **kw)',
    );
    const c = s.calls[0]!;
    expect(c.hasArguments).toBe(true);
    expect(c.positional.map((p) => p.literal?.value)).toEqual([200]);
    expect(c.positional[0]!.token).toBe(true);
    expect(c.keywords.map((k) => [k.name, k.literal?.value])).toEqual([
      ["max_depth", -3],
      ["cols", ["a", "b"]],
      ["w", 0.5],
      ["f", undefined],
    ]);
    expect(c.keywords[0]).toMatchObject({ start: 44, end: 46 });
    expect(c.args).toEqual({ start: 28, end: 89 });
  });

  it("counts a generator argument as one positional argument; *args is an argument, not a positional one", () => {
    expect(one("sum(x for x in xs)").calls[0]!.positional).toHaveLength(1);
    const star = one("f(*args)").calls[0]!;
    expect([star.hasArguments, star.positional.length]).toEqual([true, 0]);
    expect(one("f(  # nothing\n)").calls[0]!.hasArguments).toBe(false);
  });
});

describe("statement facts", () => {
  it("finds assignments outside brackets, in loop bodies too, but not keyword arguments or annotations", () => {
    expect(one("x += 1").assigns).toBe(true);
    expect(one("for a in b:\n    d[a] = 1").assigns).toBe(true);
    expect(one("f(a=1)").assigns).toBe(false);
    expect(one("x: int").assigns).toBe(false);
  });

  it("describes `name = value` and whether the value starts by indexing a name", () => {
    expect(one('df = df[df["a"] > 0].copy()').assignment).toMatchObject({ target: "df", indexes: true });
    expect(one("y = X[m[:, 1] >= 0.5][0]").assignment?.indexes).toBe(true);
    expect(one("y = df.a[0]").assignment?.indexes).toBe(false);
    expect(one("SEED = 42").assignment?.value.literal).toEqual({ value: 42 });
    expect(one("x: int = 5").assignment).toBeUndefined();
    expect(one("a = b = 1").assignment?.value.literal).toBeUndefined();
  });

  it("sees order comparisons and ~, not `in`/`is`", () => {
    expect(one("m = a != b").compares).toBe(true);
    expect(one("m = ~mask").compares).toBe(true);
    expect(one("m = a in b or a is not None").compares).toBe(false);
  });

  it("gives a definition an empty shape", () => {
    const s = one('def f(p="x.csv"):\n    return g(p)');
    expect(s).toEqual({ calls: [], assigns: false, compares: false, hasLiteral: false });
  });

  it("does not take IPython's masked `0` for a literal", () => {
    const [a, b] = cellShapes("files = !ls data\nn = 3");
    expect(a!.assignment?.value.literal).toBeUndefined();
    expect(a!.hasLiteral).toBe(false);
    expect(b!.assignment?.value.literal).toEqual({ value: 3 });
  });
});

describe("analyzeCell", () => {
  it("gives the same shapes as parsing the cell on its own, only when asked", () => {
    const src = [
      "%matplotlib inline",
      "import pandas as pd\r",
      'df = pd.read_csv("data/in.csv")\r',
      "%time model.fit(X, y, epochs=10)",
      'print(f"{acc:.2f}")',
    ].join("\n");
    const analysed = analyzeCell(src, 0, { shapes: true });
    expect(analysed.statements.map((s) => s.shape)).toEqual(cellShapes(src));
    expect(analyzeCell(src, 0).statements.every((s) => s.shape === undefined)).toBe(true);
    // Offsets are the user's (CRLF kept), not the masked text's.
    const read = analysed.statements[2]!.shape!.calls[0]!;
    expect(src.slice(read.positional[0]!.start, read.positional[0]!.end)).toBe('"data/in.csv"');
    const fit = analysed.statements[4]!.shape!.calls[0]!;
    expect(src.slice(fit.start, fit.end)).toBe("model.fit(X, y, epochs=10)");
  });
});

describe("literal values", () => {
  it("decodes plain strings and numbers; f-strings, bytes and complex numbers have none", () => {
    expect(stringValue("'a\\tb'")).toBe("a\tb");
    expect(stringValue("r'\\d'")).toBe("\\d");
    expect(stringValue("f'{x}'")).toBeUndefined();
    expect(stringValue("b'x'")).toBeUndefined();
    expect([numberValue("1_000"), numberValue("0x1f"), numberValue("1.5e3"), numberValue("2j")]).toEqual([
      1000,
      31,
      1500,
      undefined,
    ]);
  });
});

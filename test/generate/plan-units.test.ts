/**
 * The planner's passes one by one (plan-context, plan-steps, plan-params, plan-imports): each takes the
 * explicit PlanContext, so each is checked here on a small notebook or hand-made state.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { analyseForExtract, initExtract } from "../../src/generate/extract.js";
import { hintContext } from "../../src/generate/hints.js";
import type { PlanInput } from "../../src/generate/plan.js";
import { createPlanContext, type PlanContext, type StepWork } from "../../src/generate/plan-context.js";
import {
  boundName,
  type NotebookImports,
  recordedHintUsable,
  recordHints,
  sameBinding,
} from "../../src/generate/plan-imports.js";
import { paramArg, wireInputs } from "../../src/generate/plan-params.js";
import { buildStep } from "../../src/generate/plan-steps.js";
import type { Step, StepParameter } from "../../src/graph/types.js";
import { parseNotebook } from "../../src/notebook/index.js";

beforeAll(initExtract);

function planInput(cells: string[]): PlanInput {
  const nb = parseNotebook(
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
  ).notebook;
  const { analysis, map } = analyseForExtract(nb);
  return { notebook: nb, analysis, map, notebookRelPath: "nb.ipynb", dataDir: ".", options: {} };
}

function imports(text: Record<string, string>): NotebookImports {
  const m = new Map(Object.entries(text));
  return { text: m, bound: new Set(m.keys()), tops: new Set(), star: [], forHints: new Map() };
}

describe("plan-imports", () => {
  it.each([
    ["import pandas as pd", "pd"],
    ["import os.path", "os"],
    ["from sklearn.svm import SVC", "SVC"],
    ["from sklearn.svm import SVC as Model", "Model"],
    ["import a, b", undefined],
  ])("boundName(%s) → %s", (line, name) => {
    expect(boundName(line)).toBe(name);
  });

  it("sameBinding sees an alias inside a longer import statement", () => {
    expect(sameBinding("import numpy as np, pandas as pd", "import pandas as pd")).toBe(true);
    expect(sameBinding("from sklearn.svm import SVR, SVC", "from sklearn.svm import SVC")).toBe(true);
    expect(sameBinding("import polars as pd", "import pandas as pd")).toBe(false);
  });

  it("a recorded hint is usable unless the notebook binds its name to something else", () => {
    const imp = imports({ pd: "import pandas as pd", pl: "import polars as pl" });
    expect(recordedHintUsable(imp, { text: "pd.DataFrame", imports: ["import pandas as pd"] })).toBe(true);
    expect(recordedHintUsable(imp, { text: "np.ndarray", imports: ["import numpy as np"] })).toBe(true);
    expect(imp.forHints.get("np")).toBe("import numpy as np");
    expect(imp.forHints.has("pd")).toBe(false); // the notebook's own import serves
    expect(recordedHintUsable(imp, { text: "pl.Series", imports: ["import pandas as pl"] })).toBe(false);
    expect(recordedHintUsable(imp, { text: "X", imports: ["import a, b"] })).toBe(false);
  });

  it("recordHints learns from assignments and train_test_split, and forgets on an unknown type", () => {
    const span = { line: 1, column: 1, endLine: 1, endColumn: 20 };
    const ctx = hintContext([{ module: "pandas", alias: "pd", names: [], star: false, binds: ["pd"], span }]);
    recordHints('df = pd.read_csv("a.csv")', ctx);
    expect(ctx.known.get("df")).toBe("pd.DataFrame");
    recordHints('X = df.drop(columns=["y"])', ctx);
    recordHints("X_train, X_test, y_train, y_test = train_test_split(X, df, test_size=0.2)", ctx);
    expect(ctx.known.get("X_train")).toBe("pd.DataFrame");
    expect(ctx.known.get("y_test")).toBe("pd.DataFrame");
    recordHints("df = something()", ctx);
    expect(ctx.known.has("df")).toBe(false);
  });
});

describe("plan-params", () => {
  const bare = (): PlanContext =>
    ({ findings: [], params: [], hintCtx: hintContext([]) }) as unknown as PlanContext;
  const param = (p: Partial<StepParameter>): StepParameter =>
    ({
      name: "p",
      literal: "1",
      value: 1,
      kind: "other",
      cell: 0,
      span: { line: 1, column: 1, endLine: 1, endColumn: 2 },
      ...p,
    }) as StepParameter;

  it("a path is data when read, an output when written (outputs/ prefix dropped)", () => {
    const ctx = bare();
    const read = paramArg(
      ctx,
      param({ name: "data_path", kind: "path", value: "./d/a.csv" }),
      "load",
      "",
      false,
    );
    expect(read).toEqual({
      name: "data_path",
      hint: "str",
      source: { kind: "param", param: "data_path", role: "data" },
    });
    const out = param({ name: "out_path", kind: "path", value: "outputs/p.csv" });
    paramArg(ctx, out, "save", 'df.to_csv("outputs/p.csv")', false);
    expect(ctx.params.map((p) => [p.name, p.value, p.role])).toEqual([
      ["data_path", "d/a.csv", "data"],
      ["out_path", "p.csv", "output"],
    ]);
  });

  it("an absolute path stays data with a finding; a second value under one name gets the step prefix", () => {
    const ctx = bare();
    paramArg(ctx, param({ name: "src", kind: "path", value: "/srv/a.csv" }), "load", "", false);
    expect(ctx.findings.map((f) => f.code)).toEqual(["absolute-path"]);
    const a = paramArg(ctx, param({ name: "k", literal: "3", value: 3 }), "a", "", false);
    const b = paramArg(ctx, param({ name: "k", literal: "5", value: 5 }), "b", "", false);
    expect([a.source, b.source]).toEqual([
      { kind: "param", param: "k", role: "value" },
      { kind: "param", param: "b_k", role: "value" },
    ]);
    expect(b).toMatchObject({ hint: "int", defaultLiteral: "5" });
  });

  it("wireInputs takes a name from the latest earlier producer, else makes a TODO parameter", () => {
    const ctx = bare();
    (ctx as { imports: NotebookImports }).imports = imports({});
    const work = (name: string, needs: string[], produces: string[]): StepWork =>
      ({
        step: { inputs: [] } as unknown as Step,
        model: { name, args: [], imports: [] },
        produces: new Set(produces),
        needs,
        hints: new Map([["df", "pd.DataFrame"]]),
      }) as unknown as StepWork;
    const works = [
      work("a", [], ["df"]),
      work("b", [], ["df"]),
      work("c", ["df", "late"], []),
      work("d", [], ["late"]),
    ];
    const { neededLater, consumers } = wireInputs(ctx, works);
    expect(works[2]!.model.args).toEqual([
      { name: "df", hint: "pd.DataFrame", source: { kind: "input", from: "b" } },
      { name: "late", source: { kind: "param", param: "late", role: "value" } },
    ]);
    expect(neededLater.map((s) => [...s])).toEqual([[], ["df"], [], []]);
    expect(consumers.get("1:df")).toEqual(["c"]);
    expect(ctx.findings[0]).toMatchObject({ code: "unresolved-name", step: "c" });
    expect(ctx.findings[0]!.message).toContain("defined only below, in step d");
    expect(ctx.params.map((p) => p.kind)).toEqual(["unresolved"]);
  });
});

describe("plan-context and plan-steps", () => {
  it("a constant the map made a parameter is that parameter in helpers and steps", () => {
    const input = planInput([
      "import pandas as pd",
      "WINDOW = 6",
      "def smooth(s):\n    return s.rolling(WINDOW).mean()",
      'df = pd.read_csv("data/sales.csv")\ndf["s"] = smooth(df["v"])',
    ]);
    const ctx = createPlanContext(input);
    const [name, c] = [...ctx.constants][0] ?? [];
    expect(name).toBe("WINDOW");
    expect(ctx.renames.get("WINDOW")).toBe(c!.param.name);
    expect(ctx.helpers.get("smooth")!.params).toEqual([c!.param.name]);
    const works = input.map.steps.map((s) => buildStep(ctx, s)).filter((w) => w !== undefined);
    const args = works.flatMap((w) => w.model.args.map((a) => a.name));
    expect(args).toContain(c!.param.name);
    expect(works.flatMap((w) => w.needs)).not.toContain("WINDOW");
    expect(works.map((w) => w.model.body).join("\n")).toContain(
      `smooth(df["v"], ${c!.param.name}=${c!.param.name})`,
    );
  });

  it("a step keeps its statements' reads from outside as needs, and drops display-only statements", () => {
    const input = planInput(["import pandas as pd", "df = load()\ndf.head()\nn = len(df) + offset"]);
    const ctx = createPlanContext(input);
    const works = input.map.steps.map((s) => buildStep(ctx, s)).filter((w) => w !== undefined);
    const body = works.map((w) => w.model.body).join("\n");
    expect(body).not.toContain("df.head()");
    expect(works.flatMap((w) => w.needs).sort()).toEqual(["load", "offset"]);
    expect(works.some((w) => w.produces.has("n"))).toBe(true);
  });
});

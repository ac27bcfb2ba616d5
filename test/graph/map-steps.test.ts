/**
 * Table-driven tests of the workflow map on the fixture notebooks (test/fixtures/notebooks/map/). Cells are
 * 0-based notebook indices (markdown cells count). Each case states the strategy, the steps with their cells,
 * inputs and outputs, and the cells that hold exploration; every case must also satisfy the map invariants.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkWorkflowMap } from "../../src/graph/steps.js";
import { ROOT } from "../helpers/env.js";
import { mapFile, mapFixture } from "./map-fixture.js";

interface ExpectedStep {
  name: string;
  cells: number[];
  inputs: string[];
  outputs: string[];
  modifies?: string[];
  unresolved?: string[];
  helpers?: string[];
}

interface Case {
  fixture: string;
  strategy: "headings" | "dataflow";
  level?: number;
  steps: ExpectedStep[];
  /** Cells holding at least one exploration statement. */
  explorationCells: number[];
  sharedHelpers?: string[];
}

const CASES: Case[] = [
  {
    fixture: "no-headings",
    strategy: "dataflow",
    steps: [
      { name: "load_data", cells: [0, 1], inputs: [], outputs: ["df"] },
      { name: "clean_data", cells: [4, 5], inputs: ["df"], outputs: ["df"] },
      { name: "build_features", cells: [0, 6], inputs: ["df"], outputs: ["df"], modifies: ["df"] },
      { name: "train_model", cells: [0, 7, 8, 9, 10], inputs: ["df"], outputs: ["model"] },
      { name: "save_model", cells: [11], inputs: ["model"], outputs: [] },
    ],
    explorationCells: [2, 3, 5],
  },
  {
    fixture: "h1-h3-only",
    strategy: "headings",
    level: 3,
    steps: [
      { name: "load_table", cells: [1, 3], inputs: [], outputs: ["houses"] },
      { name: "clean_data", cells: [5], inputs: ["houses"], outputs: ["houses"] },
      {
        name: "split_data",
        cells: [1, 8],
        inputs: ["houses"],
        outputs: ["X_test", "X_train", "y_test", "y_train"],
      },
      { name: "train_ridge_regression", cells: [1, 10], inputs: ["X_train", "y_train"], outputs: ["ridge"] },
      { name: "evaluate_model", cells: [1, 12], inputs: ["X_test", "ridge", "y_test"], outputs: [] },
    ],
    explorationCells: [3, 6],
  },
  {
    fixture: "giant-cell",
    strategy: "dataflow",
    steps: [
      { name: "load_data", cells: [0], inputs: [], outputs: ["raw"] },
      { name: "clean_data", cells: [0], inputs: ["raw"], outputs: ["raw"] },
      { name: "train_model", cells: [0], inputs: ["raw"], outputs: [] },
    ],
    explorationCells: [0],
  },
  {
    fixture: "helper-globals",
    strategy: "headings",
    level: 2,
    steps: [
      { name: "load_orders", cells: [0, 2], inputs: [], outputs: ["CURRENCY_RATE", "MIN_AMOUNT", "orders"] },
      {
        name: "clean_orders",
        cells: [3, 5],
        inputs: ["CURRENCY_RATE", "MIN_AMOUNT", "orders"],
        outputs: ["orders"],
        helpers: ["normalise"],
      },
      { name: "save_results", cells: [7], inputs: ["orders"], outputs: [] },
      {
        name: "load_returns",
        cells: [9],
        inputs: ["CURRENCY_RATE", "MIN_AMOUNT"],
        outputs: [],
        helpers: ["normalise"],
      },
    ],
    explorationCells: [],
    sharedHelpers: ["normalise"],
  },
  {
    fixture: "inplace-mutation",
    strategy: "headings",
    level: 2,
    steps: [
      { name: "load_data", cells: [0, 2], inputs: [], outputs: ["df", "readings"] },
      // df.dropna(inplace=True) in a later step: df is that step's input, modification and output.
      { name: "clean_data", cells: [4], inputs: ["df"], outputs: ["df"], modifies: ["df"] },
      { name: "merge_data", cells: [6], inputs: ["df", "readings"], outputs: ["merged"] },
      { name: "save_results", cells: [8], inputs: ["df", "merged"], outputs: [] },
    ],
    explorationCells: [],
  },
  {
    fixture: "redefined",
    strategy: "headings",
    level: 2,
    steps: [
      { name: "load_data", cells: [0, 2], inputs: [], outputs: ["df"] },
      { name: "clean_data", cells: [4], inputs: ["df"], outputs: ["df"] },
      { name: "build_features", cells: [6], inputs: ["df"], outputs: ["df"] },
      { name: "save_results", cells: [8], inputs: ["df"], outputs: [] },
    ],
    explorationCells: [9],
  },
  {
    fixture: "interleaved",
    strategy: "dataflow",
    steps: [
      { name: "load_data", cells: [0, 1, 4], inputs: [], outputs: ["df"] },
      { name: "train_model", cells: [0, 6, 7], inputs: ["df"], outputs: ["df"], modifies: ["df"] },
      { name: "save_results", cells: [9], inputs: ["df"], outputs: [] },
    ],
    explorationCells: [0, 1, 2, 3, 4, 5, 6, 7, 8],
  },
  {
    fixture: "unresolved",
    strategy: "headings",
    level: 2,
    steps: [
      { name: "load_data", cells: [0, 2], inputs: [], outputs: ["events"] },
      { name: "enrich_data", cells: [4], inputs: ["events"], outputs: ["events"], unresolved: ["lookup"] },
      { name: "save_results", cells: [6], inputs: ["events"], outputs: [] },
    ],
    explorationCells: [],
  },
];

const sorted = (xs: string[]) => [...xs].sort();

describe("workflow map on fixture notebooks", () => {
  for (const c of CASES) {
    it(`${c.fixture}: ${c.steps.map((s) => s.name).join(" → ")}`, async () => {
      const { nb, analysis, map } = await mapFixture(c.fixture);
      expect(map.strategy.kind).toBe(c.strategy);
      if (c.level !== undefined) expect(map.strategy).toEqual({ kind: "headings", level: c.level });
      expect(map.steps.map((s) => s.name)).toEqual(c.steps.map((s) => s.name));
      c.steps.forEach((want, i) => {
        const got = map.steps[i]!;
        expect({ step: got.name, cells: got.cells }).toEqual({ step: want.name, cells: want.cells });
        expect({ step: got.name, inputs: sorted(got.inputs) }).toEqual({
          step: want.name,
          inputs: sorted(want.inputs),
        });
        expect({ step: got.name, outputs: sorted(got.outputs) }).toEqual({
          step: want.name,
          outputs: sorted(want.outputs),
        });
        expect(sorted(got.modifies)).toEqual(sorted(want.modifies ?? []));
        expect(got.unresolved).toEqual(want.unresolved ?? []);
        expect(sorted(got.helpers)).toEqual(sorted(want.helpers ?? []));
      });
      expect([...new Set(map.exploration.map((r) => r.cell))].sort((a, b) => a - b)).toEqual(
        c.explorationCells,
      );
      expect(map.sharedHelpers).toEqual(c.sharedHelpers ?? []);
      expect(checkWorkflowMap(nb, analysis, map)).toEqual([]);
    });
  }

  it("the example churn notebook maps to its six sections", async () => {
    const { nb, analysis, map } = await mapFile(join(ROOT, "examples", "churn", "churn.ipynb"));
    expect(map.steps.map((s) => s.name)).toEqual([
      "load_data",
      "clean_data",
      "build_features",
      "train_model",
      "evaluate_model",
      "predict_customers",
    ]);
    expect(map.sharedHelpers).toEqual(["add_features"]);
    // The helper reads CALLS_THRESHOLD: a step calling it needs the global as an input.
    const predict = map.steps[5]!;
    expect(predict.inputs).toContain("CALLS_THRESHOLD");
    expect(predict.helpers).toContain("add_features");
    expect(checkWorkflowMap(nb, analysis, map)).toEqual([]);
  });
});

describe("statement-level split, results and parameters", () => {
  it("splits a cell that computes and displays", async () => {
    const { map } = await mapFixture("interleaved");
    // cell 1: `df = pd.read_csv(…)` is in load_data, `df.head()` is exploration.
    expect(map.steps[0]!.statements).toContainEqual({ cell: 1, statement: 0 });
    expect(map.exploration).toContainEqual({ cell: 1, statement: 1 });
    // cell 3: `corr = df.corr()` only feeds a heatmap: the whole cell is exploration.
    expect(map.exploration.filter((r) => r.cell === 3)).toHaveLength(3);
    // cell 4: `print(len(df))` is exploration, `df = df.dropna()` is not.
    expect(map.exploration).toContainEqual({ cell: 4, statement: 1 });
    expect(map.steps[0]!.statements).toContainEqual({ cell: 4, statement: 0 });
  });

  it("keeps results in steps: metrics, their prints, predictions, files written", async () => {
    const { map } = await mapFixture("no-headings");
    const train = map.steps.find((s) => s.name === "train_model")!;
    // cell 10: pred = model.predict(X_test); print(accuracy_score(y_test, pred))
    expect(train.results).toEqual([
      { cell: 10, statement: 0 },
      { cell: 10, statement: 1 },
    ]);
    const save = map.steps.find((s) => s.name === "save_model")!;
    expect(save.results).toEqual([{ cell: 11, statement: 1 }]);
  });

  it("finds paths, seeds, sizes, hyperparameters and column lists with their place", async () => {
    const { map, nb } = await mapFixture("no-headings");
    const params = map.steps.flatMap((s) => s.parameters);
    const byName = Object.fromEntries(params.map((p) => [p.name, p]));
    expect(byName.train_path).toMatchObject({
      kind: "path",
      value: "data/train.csv",
      literal: '"data/train.csv"',
    });
    expect(byName.test_size).toMatchObject({ kind: "size", value: 0.2 });
    expect(byName.random_state).toMatchObject({ kind: "seed", value: 0, literal: "0" });
    expect(byName.n_estimators).toMatchObject({ kind: "hyperparameter", value: 200 });
    expect(byName.max_depth).toMatchObject({ kind: "hyperparameter", value: 6 });
    expect(byName.get_dummies_columns).toMatchObject({ kind: "columns", value: ["city"] });
    expect(byName.model_path).toMatchObject({ kind: "path", value: "model.joblib" });
    // random_state=0 appears twice (split and forest): one parameter, the second place in alsoAt.
    expect(params.filter((p) => p.name.startsWith("random_state"))).toHaveLength(1);
    expect(byName.random_state!.alsoAt).toHaveLength(1);
    // The span points at the literal in the cell source.
    for (const p of params) {
      const lines = nb.cells[p.cell]!.source.split("\n");
      const at = lines[p.span.line - 1]!.slice(p.span.column - 1);
      expect(at.startsWith(p.literal.split("\n")[0]!)).toBe(true);
    }
  });

  it("reports names defined nowhere as unresolved findings, never dropping them", async () => {
    const { map } = await mapFixture("unresolved");
    expect(map.findings).toEqual([
      expect.objectContaining({ code: "undefined-name", name: "lookup", cell: 4, step: "enrich_data" }),
    ]);
  });

  it("passes in-place modifications on: save_results takes df from clean_data, not load_data", async () => {
    const { map } = await mapFixture("inplace-mutation");
    expect(map.edges).toContainEqual({ from: "clean_data", to: "save_results", names: ["df"] });
    expect(
      map.edges?.some((e) => e.from === "load_data" && e.to === "save_results" && e.names.includes("df")),
    ).toBe(false);
  });
});

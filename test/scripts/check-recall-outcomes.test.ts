import { describe, expect, it } from "vitest";
import {
  type CellDefinitions,
  type CellOutcome,
  emptyTally,
  errorLineOf,
  nameErrorName,
  observedNameErrors,
  predictionOutcome,
  scoreRun,
  strictPrefix,
} from "../../scripts/check-recall-outcomes.js";

const nameError = (name: string) => ({ ename: "NameError", evalue: `name '${name}' is not defined` });

// A notebook of five code cells: 0 imports pandas, 1 reads a missing file into `df`, 2 uses `df`,
// 3 reads `model` (defined nowhere), 4 has a star import that fails.
const defs: CellDefinitions[] = [
  { cell: 0, defines: ["pd"], opaque: false },
  { cell: 1, defines: ["df"], opaque: false },
  { cell: 2, defines: ["n"], opaque: false },
  { cell: 3, defines: [], opaque: false },
  { cell: 4, defines: [], opaque: true },
  { cell: 5, defines: [], opaque: false },
];
const run: CellOutcome[] = [
  { cell: 0, status: "ok" },
  { cell: 1, status: "error", error: { ename: "FileNotFoundError", evalue: "data.csv" }, errorLine: 1 },
  { cell: 2, status: "error", error: nameError("df"), errorLine: 1 },
  { cell: 3, status: "error", error: nameError("model"), errorLine: 2 },
  { cell: 4, status: "error", error: { ename: "ModuleNotFoundError", evalue: "No module named 'x'" } },
  { cell: 5, status: "error", error: nameError("helper"), errorLine: 1 },
];

describe("observedNameErrors", () => {
  it("leaves out a NameError on a name an earlier failed cell defines, and every one after a failed opaque cell", () => {
    const seen = observedNameErrors(run, defs);
    expect(seen.map((e) => [e.cell, e.name, e.observable])).toEqual([
      [2, "df", false],
      [3, "model", true],
      [5, "helper", false],
    ]);
    expect(seen[0]!.reason).toBe("cell 2 (FileNotFoundError) defines `df`");
    expect(seen[2]!.reason).toContain("star import or %run");
  });

  it("in the strict reading only the first failure is seen", () => {
    const strict = strictPrefix(run);
    expect(strict.map((c) => c.status)).toEqual(["ok", "error", "not-run", "not-run", "not-run", "not-run"]);
    expect(observedNameErrors(strict, defs)).toEqual([]);
    const clean: CellOutcome[] = [run[0]!, run[3]!, run[1]!];
    expect(observedNameErrors(strictPrefix(clean), defs)).toEqual([
      { cell: 3, name: "model", observable: true },
    ]);
  });

  it("counts a cell whose error %%capture hid as failed, though a strict run goes on past it", () => {
    const hiddenRun: CellOutcome[] = [
      { cell: 0, status: "ok" },
      { cell: 1, status: "error", error: nameError("data"), hidden: true },
      { cell: 2, status: "error", error: nameError("df") },
    ];
    expect(observedNameErrors(hiddenRun, defs)).toEqual([
      { cell: 1, name: "data", observable: true },
      {
        cell: 2,
        name: "df",
        observable: false,
        reason: "cell 2 (NameError hidden by %%capture) defines `df`",
      },
    ]);
    expect(strictPrefix(hiddenRun).map((c) => c.status)).toEqual(["ok", "error", "error"]);
  });
});

describe("predictionOutcome", () => {
  it("confirms the right name, refutes a line that ran, and is inconclusive when the cell failed first", () => {
    expect(predictionOutcome({ cell: 3, name: "model", line: 2, code: "FL105" }, run).verdict).toBe(
      "confirmed",
    );
    expect(predictionOutcome({ cell: 0, name: "pd", line: 1, code: "FL104" }, run).verdict).toBe("refuted");
    // Cell 3 raised at line 2: a prediction at line 1 of another name ran without failing.
    expect(predictionOutcome({ cell: 3, name: "other", line: 1, code: "FL105" }, run).verdict).toBe(
      "refuted",
    );
    // …and one at line 5 was never tested.
    expect(predictionOutcome({ cell: 3, name: "other", line: 5, code: "FL105" }, run).verdict).toBe(
      "inconclusive",
    );
    expect(predictionOutcome({ cell: 4, name: "y", line: 1, code: "FL105" }, run).verdict).toBe(
      "inconclusive",
    );
    const strict = predictionOutcome({ cell: 3, name: "model", line: 2, code: "FL105" }, strictPrefix(run));
    expect(strict).toMatchObject({ verdict: "not-reached", detail: expect.stringContaining("cell 2") });
  });
});

describe("scoreRun", () => {
  it("counts recall over observable NameErrors and precision over tested predictions", () => {
    const t = emptyTally();
    const predictions = [
      { cell: 3, name: "model", line: 2, code: "FL105" },
      { cell: 0, name: "pd", line: 1, code: "FL104" },
      { cell: 4, name: "y", line: 1, code: "FL105" },
    ];
    const { errors } = scoreRun(t, run, defs, predictions);
    expect(errors.find((e) => e.name === "model")?.predicted).toBe(true);
    expect(t).toEqual({
      observable: 1,
      predictedObservable: 1,
      notObservable: 2,
      confirmed: 1,
      refuted: 1,
      inconclusive: 1,
      notReached: 0,
    });
  });
});

describe("tracebacks", () => {
  it("reads the failing line of the executed cell, not of a function it called", () => {
    const tb = [
      "\u001b[0;31mNameError\u001b[0m Traceback (most recent call last)",
      "Cell \u001b[0;32mIn[7], line 3\u001b[0m\n      1 a = 1\n----> 3 f()",
      "Cell \u001b[0;32mIn[2], line 2\u001b[0m, in \u001b[0;36mf\u001b[0;34m()\u001b[0m",
    ];
    expect(errorLineOf(tb, 7)).toBe(3);
    expect(errorLineOf(tb, 9)).toBeUndefined();
    expect(errorLineOf(undefined, 7)).toBeUndefined();
  });

  it("names the missing name of NameError and UnboundLocalError only", () => {
    expect(nameErrorName(nameError("x"))).toBe("x");
    expect(
      nameErrorName({
        ename: "UnboundLocalError",
        evalue: "cannot access local variable 'y' where it is not associated with a value",
      }),
    ).toBe("y");
    expect(nameErrorName({ ename: "KeyError", evalue: "'x'" })).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { exitCodeOf, renderReport } from "../../src/cli/commands/verify.js";
import type { VerifyReport } from "../../src/verify/verify.js";

const base: VerifyReport = {
  project: "/p",
  notebook: "/n.ipynb",
  steps: [
    { step: "load_data", outputs: ["df"], status: "equal" },
    {
      step: "clean_data",
      outputs: ["df"],
      status: "different",
      difference: {
        name: "df",
        path: 'df["age"]',
        kind: "values",
        detail: "mean: 41.2 vs 40.9",
        maxAbsDiff: 0.31,
      },
    },
    {
      step: "train",
      outputs: ["model"],
      status: "not-comparable",
      why: "random: two calls on the same inputs gave different model",
    },
  ],
  notebookMs: 1200,
  pipelineMs: 900,
  notes: [],
};

describe("verify report", () => {
  it("prints one row per step with its mark and the first difference", () => {
    const text = renderReport(base, false);
    expect(text).toContain("load_data   df       ✓ equal");
    expect(text).toContain(
      'clean_data  df       ✗ different  df["age"]: values — mean: 41.2 vs 40.9 (largest difference 0.310)',
    );
    expect(text).toContain("train       model    ~ not comparable  random: two calls");
    expect(text).toContain("1 equal, 1 different, 1 not comparable — notebook 1.2 s, pipeline 0.9 s");
  });
  it("exits 1 on a difference, 0 when only not-comparable steps remain, 3 when code failed", () => {
    expect(exitCodeOf(base)).toBe(1);
    expect(exitCodeOf({ ...base, steps: [base.steps[0], base.steps[2]] as VerifyReport["steps"] })).toBe(0);
    expect(exitCodeOf({ ...base, pipelineFailure: { step: "clean_data", error: "ValueError: x" } })).toBe(3);
    expect(
      exitCodeOf({
        ...base,
        notebookFailure: { cell: 3, ename: "KeyError", evalue: "'a'", traceback: [], status: "error" },
      }),
    ).toBe(3);
  });
});

/** .fledge/steps.json keeps which whole-number parameters are Python floats (JSON writes 1.0 as 1). */
import { describe, expect, it } from "vitest";
import type { ProjectModel } from "../../src/generate/model.js";
import { floatParams, stepsFileOf } from "../../src/verify/project.js";

function modelWith(params: { name: string; value: unknown; literal?: string }[]): ProjectModel {
  return {
    packageName: "pkg",
    dataDir: "..",
    outputsDir: "outputs",
    steps: [],
    params: params.map((p) => ({ role: "value", kind: "number", comment: "", ...p })),
  } as unknown as ProjectModel;
}

describe("floatParams", () => {
  it("lists parameters written as floats with a whole-number value, not ints or fractional floats", () => {
    const model = modelWith([
      { name: "alpha", value: 1, literal: "1.0" },
      { name: "scale", value: 2000, literal: "2e3" },
      { name: "dot", value: 3, literal: "3." },
      { name: "n_estimators", value: 100, literal: "100" },
      { name: "test_size", value: 0.25, literal: "0.25" },
      { name: "path", value: "data/x.csv", literal: '"data/x.csv"' },
      { name: "derived", value: 4 },
    ]);
    expect(floatParams(model)).toEqual(["alpha", "scale", "dot"]);
    expect(stepsFileOf(model).floats).toEqual(["alpha", "scale", "dot"]);
    // JSON cannot tell 1.0 from 1: the list is what lets verify pass a float.
    expect(JSON.stringify(stepsFileOf(model).params.alpha)).toBe("1");
  });
});

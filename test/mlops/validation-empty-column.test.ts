/**
 * A column that is entirely null in the notebook's data gets no "not all null" rule (the rules must accept the
 * data they were inferred from), and no empty `if` block when nothing else is checked.
 */
import { describe, expect, it } from "vitest";
import type { DataProfile } from "../../src/generate/mlops/profile.js";
import { renderValidation } from "../../src/generate/mlops/validation.js";
import type { ProjectModel } from "../../src/generate/model.js";

const model = { packageName: "shop", notebookName: "shop.ipynb" } as ProjectModel;
const profile: DataProfile = {
  param: "orders_path",
  file: "orders.csv",
  rows: 10,
  columns: [
    { name: "note", dtype: "object", kind: "string", nulls: 10 },
    { name: "discount", dtype: "float64", kind: "float", nulls: 10 },
    { name: "coupon", dtype: "object", kind: "string", nulls: 3, allowed: ["A", "B"] },
  ],
};

describe("validation of columns empty in the notebook's data", () => {
  const code = renderValidation(model, [profile]);
  it("checks neither 'not all null' nor an empty block for an empty text column", () => {
    expect(code).not.toContain('check_not_all_null(df, "note"');
    expect(code).toContain("# note: empty in the notebook's data; only its presence is required");
    expect(code).not.toMatch(/if "note" in df\.columns:/);
  });
  it("keeps the other rules of an empty numeric column and of a partly null one", () => {
    expect(code).not.toContain('check_not_all_null(df, "discount"');
    expect(code).toContain('check_numeric(df, "discount", found)');
    expect(code).toContain('check_not_all_null(df, "coupon", found)');
    expect(code).toContain('check_allowed(df, "coupon", ["A", "B"], found)');
  });
});

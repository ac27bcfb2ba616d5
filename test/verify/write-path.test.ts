/** The notebook-side path of a file a step writes: extraction strips `outputs/`, the notebook did not. */
import { describe, expect, it } from "vitest";
import type { WorkflowMap } from "../../src/graph/types.js";
import { notebookWritePath } from "../../src/verify/verify.js";

function mapWith(values: unknown[]): WorkflowMap {
  const parameters = values.map((value, i) => ({ name: `p${i}`, value, kind: "path" }));
  return { steps: [{ name: "predict", parameters }] } as unknown as WorkflowMap;
}

describe("notebookWritePath", () => {
  it("finds the notebook's own literal for a path stripped of its outputs/ folder", () => {
    const map = mapWith(["data/new.csv", "outputs/predictions.csv"]);
    expect(notebookWritePath(map, "predict", "predictions.csv")).toBe("outputs/predictions.csv");
  });
  it("keeps a path the notebook wrote as is, and falls back to it when no parameter matches", () => {
    expect(notebookWritePath(mapWith(["report.txt"]), "predict", "report.txt")).toBe("report.txt");
    expect(notebookWritePath(mapWith([42, "a.csv"]), "predict", "b.csv")).toBe("b.csv");
    expect(notebookWritePath(mapWith(["outputs/predictions.csv"]), "other", "predictions.csv")).toBe(
      "predictions.csv",
    );
  });
  it("matches Windows separators", () => {
    expect(notebookWritePath(mapWith(["outputs\\p.csv"]), "predict", "p.csv")).toBe("outputs\\p.csv");
  });
});

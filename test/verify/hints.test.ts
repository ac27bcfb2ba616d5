import { describe, expect, it } from "vitest";
import { annotationFor } from "../../src/verify/hints.js";

describe("annotationFor", () => {
  it("maps recorded types to importable annotations", () => {
    expect(annotationFor({ type: "pandas.DataFrame" })).toEqual({
      text: "pd.DataFrame",
      imports: ["import pandas as pd"],
    });
    expect(annotationFor({ type: "pandas.core.series.Series" }, { pandas: "pandas" })?.text).toBe(
      "pandas.Series",
    );
    expect(annotationFor({ type: "numpy.ndarray" })?.text).toBe("np.ndarray");
    expect(annotationFor({ type: "numpy.float64" })?.text).toBe("float");
    expect(annotationFor({ type: "float" })?.text).toBe("float");
    expect(annotationFor({ type: "sklearn.ensemble._forest.RandomForestClassifier" })).toEqual({
      text: "RandomForestClassifier",
      imports: ["from sklearn.ensemble import RandomForestClassifier"],
    });
    expect(annotationFor({ type: "sklearn.pipeline.Pipeline" })?.imports).toEqual([
      "from sklearn.pipeline import Pipeline",
    ]);
  });
  it("annotates containers only as precisely as the recorded items allow", () => {
    expect(annotationFor({ type: "list", items: ["str"] })?.text).toBe("list[str]");
    expect(annotationFor({ type: "list", items: ["int", "str"] })?.text).toBe("list");
    expect(annotationFor({ type: "dict", keys: ["str"], values: ["float", "numpy.float64"] })?.text).toBe(
      "dict",
    );
    expect(annotationFor({ type: "dict", keys: ["str"], values: ["float"] })?.text).toBe("dict[str, float]");
    expect(annotationFor({ type: "tuple", items: ["numpy.ndarray"], length: 2 })?.text).toBe(
      "tuple[np.ndarray, np.ndarray]",
    );
  });
  it("gives no annotation for a type it cannot name safely", () => {
    expect(annotationFor({ type: "matplotlib.figure.Figure" })).toBeUndefined();
    expect(annotationFor({ type: "__main__.MyModel" })).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { compareWithRun, type Finding, nameErrorSymbol } from "../../src/analysis/index.js";

const finding = (
  code: string,
  cell: number,
  symbol: string,
  severity: Finding["severity"] = "error",
): Finding => ({
  code,
  name: code,
  severity,
  message: "m",
  cell,
  symbol,
  line: 1,
  column: 1,
  endLine: 1,
  endColumn: 2,
});

describe("compareWithRun", () => {
  it("confirms a NameError at the predicted cell for the predicted name", () => {
    const fs = [finding("FL104", 2, "total"), finding("FL105", 5, "model")];
    const s = compareWithRun(fs, {
      status: "error",
      failedCell: 2,
      error: { ename: "NameError", evalue: "name 'total' is not defined" },
      completed: [0, 1],
    });
    expect(s).toEqual({ confirmed: 1, refuted: 0, notReached: 1, missed: undefined });
    expect(fs[0]!.execution?.verdict).toBe("confirmed");
    expect(fs[1]!.execution).toEqual({
      verdict: "not-reached",
      detail: "the run stopped earlier, at cell 3 (NameError)",
    });
  });

  it("refutes a prediction whose cell ran, or failed with something else", () => {
    const fs = [finding("FL105", 1, "x"), finding("FL104", 3, "y")];
    const s = compareWithRun(fs, {
      status: "error",
      failedCell: 3,
      error: { ename: "FileNotFoundError", evalue: "data.csv" },
      completed: [0, 1, 2],
    });
    expect(s.refuted).toBe(2);
    expect(fs[0]!.execution?.detail).toBe("the cell ran without error");
    expect(fs[1]!.execution?.detail).toContain("FileNotFoundError");
  });

  it("reports a NameError nothing predicted, and ignores warnings (star-import causes)", () => {
    const fs = [finding("FL105", 1, "plot", "warning")];
    const s = compareWithRun(fs, {
      status: "error",
      failedCell: 1,
      error: { ename: "NameError", evalue: "name 'plot' is not defined" },
      completed: [0],
    });
    expect(fs[0]!.execution).toBeUndefined();
    expect(s.missed).toEqual({ cell: 1, name: "plot" });
  });

  it("reads the name from NameError messages", () => {
    expect(nameErrorSymbol({ ename: "NameError", evalue: "name 'df' is not defined" })).toBe("df");
    expect(nameErrorSymbol({ ename: "ValueError", evalue: "name 'df'" })).toBeUndefined();
  });
});

import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Kernel, startKernel } from "../../src/kernel/index.js";
import { compareFingerprints } from "../../src/verify/compare.js";
import { buildRecordingPlan } from "../../src/verify/plan.js";
import { helperCall, installHelper, recordRun } from "../../src/verify/record.js";
import { venvPython } from "../helpers/env.js";
import { smallNotebook } from "./fake-map.js";

const tmp = mkdtempSync(join(tmpdir(), "fledge-rec-"));
let kernel: Kernel;

beforeAll(async () => {
  kernel = await startKernel({ python: venvPython() }, { cwd: tmp });
  await installHelper(kernel);
}, 60_000);

afterAll(async () => {
  await kernel?.shutdown();
  rmSync(tmp, { recursive: true, force: true });
});

describe("recording plan", () => {
  it("splits a cell shared by two steps at the second step's first line", () => {
    const { nb, analysis, map } = smallNotebook();
    const plan = buildRecordingPlan(nb, analysis, map);
    expect(plan.chunks.map((c) => [c.cell, c.startLine, c.steps])).toEqual([
      [1, 1, [0]],
      [2, 1, [1]],
      [2, 3, [2]],
      [3, 1, [3]],
    ]);
    expect(plan.chunks[1]?.code).toBe("df = df.dropna()\nprint('rows', len(df))");
    // clean's outputs are taken after its own chunk, before summarize runs in the same cell.
    expect(plan.chunks[1]?.after).toEqual([{ step: 1, names: ["df"] }]);
    expect(plan.chunks[3]?.before).toEqual([{ step: 3, names: ["df"] }]);
    expect(plan.chunks[3]?.after).toEqual([{ step: 3, names: ["scaled_total"] }]);
  });
});

describe("recording in a real kernel", () => {
  it("records each step at its boundary without touching the user's namespace", async () => {
    const { nb, analysis, map } = smallNotebook();
    const plan = buildRecordingPlan(nb, analysis, map);
    const fixtures = join(tmp, "fixtures");
    const rec = await recordRun(kernel, map, plan, {
      fixtures: { dir: fixtures, synthetic: false, maxRows: 10, budgetBytes: 5_000_000 },
    });
    expect(rec.failure).toBeUndefined();
    const [load, clean, summarize, scale] = rec.steps;
    expect(load?.outputs.df).toMatchObject({ kind: "dataframe", shape: [4, 2] });
    expect(clean?.outputs.df).toMatchObject({ kind: "dataframe", shape: [3, 2] });
    expect(summarize?.outputs.total).toEqual({ type: "float", kind: "float", value: 7 });
    // scale modifies df in place: its input is the value before, as the step received it.
    const before = scale?.inputs.df;
    expect(before && clean?.outputs.df && compareFingerprints(before, clean.outputs.df).equal).toBe(true);
    expect(scale?.outputs.scaled_total).toEqual({ type: "float", kind: "float", value: 14 });
    expect(scale?.types.df?.type).toBe("pandas.DataFrame");
    expect(rec.stdout).toBe("rows 3\ntotal: 7.0\naccuracy: 0.875\n");
    expect(summarize?.printed).toBe("total: 7.0\n");
    expect(existsSync(join(fixtures, "scale", "in_df.parquet"))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(fixtures, "clean", "manifest.json"), "utf8"));
    expect(manifest.inputs.df.rows_kept).toBe(4);
    const names = await helperCall<string[]>(kernel, "user_names");
    expect(names.sort()).toEqual(["df", "pd", "scaled_total", "total"]);
  }, 60_000);

  it("stops at the failing cell and reports it", async () => {
    const { nb, analysis, map } = smallNotebook();
    (nb.cells[2] as { source: string }).source = "df = df.dropna()\nraise RuntimeError('boom')";
    const plan = buildRecordingPlan(nb, analysis, map);
    const rec = await recordRun(kernel, map, plan);
    expect(rec.failure).toMatchObject({ cell: 2, ename: "RuntimeError", evalue: "boom" });
    expect(rec.steps[3]?.outputs).toEqual({});
  }, 60_000);
});

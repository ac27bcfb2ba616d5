/**
 * `fledge check --timings FILE`: each notebook's phases, the grammar's load apart, as JSON; the findings printed
 * are those of a run without it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CheckTimingsReport } from "../../src/cli/timings.js";
import { runCli } from "../helpers/cli.js";
import { ROOT } from "../helpers/env.js";

const CHECK = join(ROOT, "test", "fixtures", "notebooks", "check");

describe("fledge check --timings", () => {
  it("writes every notebook's read, analysis and checks times, and the grammar's load once", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fledge-timings-"));
    const files = ["FL101-positive.ipynb", "FL102-positive.ipynb"].map((f) => join(CHECK, f));
    const plain = await runCli(["check", "--no-cache", "--format", "json", ...files]);
    const timed = await runCli(["check", "--no-cache", "--format", "json", "--timings", "t.json", ...files], {
      cwd: dir,
    });
    expect(timed.code).toBe(plain.code);
    expect(timed.stdout.replace(/"path": "[^"]*"/g, "")).toBe(plain.stdout.replace(/"path": "[^"]*"/g, ""));
    const report = JSON.parse(readFileSync(join(dir, "t.json"), "utf8")) as CheckTimingsReport;
    expect(report.node).toBe(process.version);
    expect(report.notebooks.map((n) => n.path)).toEqual(files);
    for (const n of report.notebooks) {
      for (const phase of [n.read, n.analysis, n.checks]) {
        expect(phase?.wallMs).toBeGreaterThanOrEqual(0);
        expect(phase?.cpuMs).toBeGreaterThanOrEqual(0);
      }
    }
    // The grammar may already be loaded in this test process; when it loads, it is inside the first analysis.
    if (report.grammar) {
      expect(report.grammar.path).toBe(files[0]);
      expect(report.grammar.wallMs).toBeLessThanOrEqual(report.notebooks[0]!.analysis!.wallMs);
    }
  });

  it("records a notebook that could not be read with its read time only", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fledge-timings-"));
    writeFileSync(join(dir, "broken.ipynb"), "{ not json");
    writeFileSync(join(dir, "ok.ipynb"), readFileSync(join(CHECK, "FL101-negative.ipynb")));
    const run = await runCli(["check", "--no-cache", "--timings", "t.json", "."], { cwd: dir });
    expect(run.code).toBe(2);
    const report = JSON.parse(readFileSync(join(dir, "t.json"), "utf8")) as CheckTimingsReport;
    const byName = new Map(report.notebooks.map((n) => [n.path, n]));
    expect(byName.get("broken.ipynb")?.analysis).toBeUndefined();
    expect(byName.get("ok.ipynb")?.checks?.wallMs).toBeGreaterThanOrEqual(0);
  });

  it("needs a file name", async () => {
    const run = await runCli(["check", "--timings", "", join(CHECK, "FL101-positive.ipynb")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--timings needs a file name");
  });
});

/**
 * Golden files: every file `fledge extract` writes for each fixture notebook (no kernel, so no version pins),
 * and the same with --stubs for one fixture. Refresh with UPDATE_SNAPSHOTS=1 after an intended change.
 */
import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { compareGolden, extractFixture, fixOrder, fixtureNames } from "./project-run.js";

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

describe("fledge extract golden files", () => {
  for (const name of fixtureNames()) {
    it(name, async () => {
      const e = await extractFixture(name, name === "energy_out_of_order" ? { transform: fixOrder } : {});
      roots.push(e.root);
      const problems = compareGolden(
        name,
        e.project,
        e.extraction.files.map((f) => f.path),
      );
      expect(problems, problems.join("\n")).toEqual([]);
    });
  }

  it("churn_classification --stubs", async () => {
    const e = await extractFixture("churn_classification", { stubs: true });
    roots.push(e.root);
    const problems = compareGolden(
      "churn_classification.stubs",
      e.project,
      e.extraction.files.map((f) => f.path),
    );
    expect(problems, problems.join("\n")).toEqual([]);
  });
});

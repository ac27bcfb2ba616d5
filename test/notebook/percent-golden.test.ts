/**
 * Golden files for the percent format: every input under test/golden/percent/inputs is converted and compared
 * with test/golden/percent/expected. `UPDATE_SNAPSHOTS=1` rewrites the expected files (review the diff).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parsePercent, writePercent } from "../../src/notebook/percent.js";
import { parseNotebook } from "../../src/notebook/read.js";
import { ROOT } from "../helpers/env.js";

const DIR = join(ROOT, "test", "golden", "percent");
const INPUTS = join(DIR, "inputs");
const EXPECTED = join(DIR, "expected");
const UPDATE = process.env.UPDATE_SNAPSHOTS === "1";

function golden(name: string, actual: string): void {
  const file = join(EXPECTED, name);
  if (UPDATE) {
    mkdirSync(EXPECTED, { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  expect(existsSync(file), `missing golden file ${file}: run with UPDATE_SNAPSHOTS=1`).toBe(true);
  expect(actual).toBe(readFileSync(file, "utf8"));
}

const inputs = readdirSync(INPUTS).sort();

describe("percent format golden files", () => {
  it("has inputs of both kinds", () => {
    expect(inputs.filter((f) => f.endsWith(".ipynb")).length).toBeGreaterThanOrEqual(2);
    expect(inputs.filter((f) => f.endsWith(".py")).length).toBeGreaterThanOrEqual(3);
  });

  for (const file of inputs) {
    const text = readFileSync(join(INPUTS, file), "utf8");
    if (file.endsWith(".ipynb")) {
      it(`writes ${file} as expected/${file.replace(/\.ipynb$/, ".py")}`, () => {
        const nb = parseNotebook(text, file).notebook;
        golden(file.replace(/\.ipynb$/, ".py"), writePercent(nb));
      });
    } else if (file.endsWith(".py")) {
      it(`reads ${file} as expected/${file.replace(/\.py$/, ".cells.json")}`, () => {
        const { notebook, warnings, pairing } = parsePercent(text, file);
        const view = {
          metadata: notebook.metadata,
          pairing: pairing ?? null,
          warnings: warnings.map((w) => w.message),
          cells: notebook.cells.map((c) => ({
            cell_type: c.cell_type,
            metadata: c.metadata,
            source: c.source,
          })),
        };
        golden(file.replace(/\.py$/, ".cells.json"), `${JSON.stringify(view, null, 1)}\n`);
      });
    }
  }
});

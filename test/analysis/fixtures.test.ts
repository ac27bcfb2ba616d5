/**
 * One fixture notebook per finding, positive and negative (test/fixtures/notebooks/check/). Each fixture says in
 * its metadata (`fledge_fixture`) which findings it must produce ("FL104@1:1:7" = code at cell 1, line 1,
 * column 7; "FL104@1" = anywhere in cell 1; "FL208" = anywhere) and which codes must be absent.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { checkNotebook, loadEnvironment, RULES } from "../../src/analysis/index.js";
import { readNotebookFile } from "../../src/notebook/index.js";
import { initPython } from "../../src/python/index.js";
import { ROOT } from "../helpers/env.js";

const DIR = join(ROOT, "test", "fixtures", "notebooks", "check");

function fixtures(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...fixtures(join(dir, e.name)));
    else if (e.name.endsWith(".ipynb") && !e.name.includes(".fixed.")) out.push(join(dir, e.name));
  }
  return out.sort();
}

beforeAll(async () => {
  await initPython();
});

describe("check fixtures", () => {
  const files = fixtures(DIR);

  it("has a positive and a negative fixture for every rule", () => {
    const names = files.map((f) => f.slice(DIR.length + 1));
    for (const rule of RULES) {
      if (rule.code === "FL209") continue; // shares FL208's fixtures (both are metadata)
      expect(names.some((n) => n.startsWith(`${rule.code}-positive`))).toBe(true);
      expect(names.some((n) => n.startsWith(`${rule.code}-negative`))).toBe(true);
    }
  });

  for (const file of files) {
    it(file.slice(DIR.length + 1), async () => {
      const { notebook } = await readNotebookFile(file);
      const spec = notebook.metadata.fledge_fixture as { expect: string[]; absent: string[] };
      const findings = checkNotebook(notebook, { environment: loadEnvironment(file) });
      const got = findings.map((f) => `${f.code}@${f.cell ?? "-"}:${f.line}:${f.column}`);
      for (const want of spec.expect) {
        const [code, where] = want.split("@");
        const hit = findings.some((f) => {
          if (f.code !== code) return false;
          if (where === undefined) return true;
          const [cell, line, column] = where.split(":").map(Number);
          return (
            f.cell === cell &&
            (line === undefined || f.line === line) &&
            (column === undefined || f.column === column)
          );
        });
        expect(hit, `${want} in ${got.join(", ")}`).toBe(true);
      }
      for (const entry of spec.absent) {
        // "FL206" = nowhere; "FL206@1" = not in cell 1.
        const prefix = entry.includes("@") ? `${entry}:` : `${entry}@`;
        expect(
          got.filter((g) => g.startsWith(prefix)),
          `${entry} must be absent`,
        ).toEqual([]);
      }
      // Every finding is well formed.
      for (const f of findings) {
        expect(f.message.length).toBeGreaterThan(10);
        expect(f.line).toBeGreaterThanOrEqual(1);
        expect(f.column).toBeGreaterThanOrEqual(1);
        expect(f.endLine * 10_000 + f.endColumn).toBeGreaterThanOrEqual(f.line * 10_000 + f.column);
      }
    });
  }
});

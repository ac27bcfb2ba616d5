/**
 * Invariants of the workflow map on every notebook of the shared corpus (skipped cleanly when it is absent):
 * every statement of every code cell is in exactly one step or in exploration; steps are in a valid topological
 * order; every input is an earlier step's output, a parameter or a reported unresolved input; step names are
 * unique snake_case identifiers; nothing crashes. Notebooks the reader rejects (not Python, broken) are skipped
 * with their FledgeError, which is the foundation's clear error.
 */
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { FledgeError } from "../../src/errors.js";
import { checkWorkflowMap } from "../../src/graph/steps.js";
import { readNotebookFile, requirePythonKernel } from "../../src/notebook/index.js";
import { renderText } from "../../src/render/text.js";
import { corpusDir } from "../helpers/env.js";
import { mapNotebook } from "./map-fixture.js";

function notebooks(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? notebooks(p) : name.endsWith(".ipynb") ? [p] : [];
    });
}

const corpus = corpusDir();

describe.skipIf(!corpus)("map invariants on the corpus", () => {
  const files = corpus ? notebooks(corpus) : [];
  it("finds the corpus notebooks", () => {
    expect(files.length).toBeGreaterThan(0);
  });
  for (const file of files) {
    it(relative(corpus!, file), async () => {
      let nb: Awaited<ReturnType<typeof readNotebookFile>>["notebook"];
      try {
        nb = (await readNotebookFile(file)).notebook;
        requirePythonKernel(nb, file);
      } catch (err) {
        expect(err).toBeInstanceOf(FledgeError);
        return;
      }
      const { map, analysis } = await mapNotebook(nb);
      expect(checkWorkflowMap(nb, analysis, map)).toEqual([]);
      // Every statement is accounted for, and a notebook with pipeline code has at least one step.
      const total = analysis.cells.reduce((n, c) => n + c.statements.length, 0);
      const placed = map.steps.reduce((n, s) => n + s.statements.length, 0) + map.exploration.length;
      expect(placed).toBe(total);
      for (const f of map.findings ?? [])
        if (f.code !== "non-python-cell")
          expect(map.steps.some((s) => s.unresolved.includes(f.name))).toBe(true);
      expect(renderText({ title: "nb", nb, analysis, map })).toContain("step");
    });
  }
});

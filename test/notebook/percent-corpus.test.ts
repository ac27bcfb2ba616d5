/**
 * Every readable notebook of the shared corpus survives ipynb → py → ipynb: the .py reads back to the same cell
 * types, sources and visible metadata, and syncing it into the notebook gives the notebook back unchanged.
 * Skipped when the corpus is absent.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parsePercent, writePercent } from "../../src/notebook/percent.js";
import { parseNotebook } from "../../src/notebook/read.js";
import { mergePyIntoNotebook } from "../../src/notebook/sync.js";
import { cellViews } from "../../src/notebook/sync-hash.js";
import { serializeNotebook } from "../../src/notebook/write.js";
import { corpusDir } from "../helpers/env.js";
import { endsInsideString } from "./percent-arbitraries.js";

function notebooks(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...notebooks(path));
    else if (name.endsWith(".ipynb")) out.push(path);
  }
  return out;
}

const corpus = corpusDir();

describe.skipIf(!corpus)("percent format on the corpus", () => {
  it("round-trips every readable notebook", () => {
    let checked = 0;
    const unreadable: string[] = [];
    const unrepresentable: string[] = [];
    for (const file of notebooks(corpus!)) {
      const text = readFileSync(file, "utf8");
      let nb: ReturnType<typeof parseNotebook>["notebook"];
      try {
        nb = parseNotebook(text, file).notebook;
      } catch {
        unreadable.push(file);
        continue;
      }
      if (
        nb.cells.some(
          (c) => !["code", "markdown", "raw"].includes(c.cell_type) || typeof c.source !== "string",
        )
      ) {
        unreadable.push(file); // not valid nbformat 4 (e.g. a v3 "heading" cell): sync refuses these
        continue;
      }
      if (endsInsideString(nb)) {
        unrepresentable.push(file);
        continue;
      }
      const py = parsePercent(writePercent(nb)).notebook;
      expect(
        cellViews(py).map((v) => v.hash),
        file,
      ).toEqual(cellViews(nb).map((v) => v.hash));
      const merged = mergePyIntoNotebook(nb, py);
      expect(merged.changes, file).toEqual([]);
      expect(serializeNotebook(merged.notebook), file).toBe(serializeNotebook(nb));
      checked++;
    }
    // The corpus has 123 notebooks, a few of them deliberately invalid (jupyter__nbformat).
    expect(checked).toBeGreaterThan(100);
    expect(unrepresentable, "notebooks with a cell ending inside an unterminated string").toEqual([]);
    expect(
      unreadable.every((f) => f.includes("jupyter__nbformat")),
      unreadable.join(", "),
    ).toBe(true);
  }, 120_000);
});

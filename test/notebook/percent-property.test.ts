/** Property tests: random notebooks with tricky lines survive ipynb → py → ipynb. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parsePercent, percentSource, writePercent } from "../../src/notebook/percent.js";
import { mergePyIntoNotebook } from "../../src/notebook/sync.js";
import { canonicalJson, cellViews } from "../../src/notebook/sync-hash.js";
import { buildNotebook, endsInsideString, notebookSpecs } from "./percent-arbitraries.js";

const RUNS = Number(process.env.FC_RUNS ?? 300);

describe("percent format round trip (property)", () => {
  it("keeps cell types, sources, visible metadata (tags, …) and the kernelspec", () => {
    fc.assert(
      fc.property(notebookSpecs, (specs) => {
        const nb = buildNotebook(specs);
        fc.pre(!endsInsideString(nb));
        const text = writePercent(nb);
        const back = parsePercent(text).notebook;
        expect(back.cells.length).toBe(nb.cells.length);
        back.cells.forEach((c, i) => {
          const o = nb.cells[i]!;
          expect(c.cell_type).toBe(o.cell_type);
          expect(c.source).toBe(percentSource(o));
          expect(canonicalJson(c.metadata)).toBe(canonicalJson(o.metadata));
        });
        expect(back.metadata.kernelspec).toEqual(nb.metadata.kernelspec);
        // Writing what was read gives the same text (the format is stable).
        expect(writePercent(back)).toBe(text);
      }),
      { numRuns: RUNS },
    );
  });

  it("with the paired notebook, gives back the notebook exactly (sources, metadata, ids, outputs)", () => {
    fc.assert(
      fc.property(notebookSpecs, fc.boolean(), (specs, ids) => {
        const nb = buildNotebook(specs, { hidden: true, ids });
        fc.pre(!endsInsideString(nb));
        const py = parsePercent(writePercent(nb)).notebook;
        const { notebook, changes } = mergePyIntoNotebook(nb, py);
        expect(changes).toEqual([]);
        expect(notebook).toEqual(nb);
        notebook.cells.forEach((c, i) => {
          expect(c).toBe(nb.cells[i]);
        });
      }),
      { numRuns: RUNS },
    );
  });

  it("reads CRLF files as LF files", () => {
    fc.assert(
      fc.property(notebookSpecs, (specs) => {
        const nb = buildNotebook(specs);
        fc.pre(!endsInsideString(nb) && !nb.cells.some((c) => c.source.includes("\r")));
        const lf = parsePercent(writePercent(nb)).notebook;
        const crlf = parsePercent(writePercent(nb, { eol: "\r\n" })).notebook;
        expect(cellViews(crlf).map((v) => v.hash)).toEqual(cellViews(lf).map((v) => v.hash));
      }),
      { numRuns: Math.ceil(RUNS / 3) },
    );
  });
});

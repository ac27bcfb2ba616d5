/**
 * Property: whatever is edited in the .py (cells edited, inserted, deleted, moved), syncing it into the notebook
 * gives the .py's inputs, and every cell that was not edited keeps its outputs, id and hidden metadata.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parsePercent, writePercent } from "../../src/notebook/percent.js";
import { mergePyIntoNotebook } from "../../src/notebook/sync.js";
import { cellViews } from "../../src/notebook/sync-hash.js";
import type { Cell, CodeCell } from "../../src/notebook/types.js";
import { buildNotebook, cellSpec, endsInsideString, notebookSpecs } from "./percent-arbitraries.js";

type Op =
  | { kind: "edit"; at: number }
  | { kind: "insert"; at: number; spec: { source: string; type: "code" | "markdown" | "raw" } }
  | { kind: "delete"; at: number }
  | { kind: "move"; from: number; to: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("edit" as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.nat(),
    spec: cellSpec.map((s) => ({ source: s.source, type: s.type })),
  }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("move" as const), from: fc.nat(), to: fc.nat() }),
);

const RUNS = Number(process.env.FC_RUNS ?? 300);

describe("sync merge (property)", () => {
  it("takes inputs from the .py and never loses the outputs of an unchanged cell", () => {
    fc.assert(
      fc.property(notebookSpecs, fc.array(op, { maxLength: 6 }), fc.boolean(), (specs, ops, ids) => {
        // A unique first line per cell, so that "unchanged" is unambiguous; then a plain statement so that
        // no cell ends inside a string.
        const unique = specs.map((s, i) => ({ ...s, source: `# c${i}\n${s.source}\nend_${i} = 0` }));
        const nb = buildNotebook(unique, { hidden: true, ids });
        fc.pre(!endsInsideString(nb));
        const py = parsePercent(writePercent(nb)).notebook;
        // origin[j]: the notebook cell the .py cell j still is, or -1 (edited or new)
        let cells: Cell[] = [...py.cells];
        let origin = cells.map((_, i) => i);
        let counter = 0;
        for (const o of ops) {
          const n = cells.length;
          if (o.kind === "edit" && n > 0) {
            const at = o.at % n;
            cells[at] = { ...cells[at]!, source: `${cells[at]!.source}\nedited_${counter++} = 1` };
            origin[at] = -1;
          } else if (o.kind === "insert") {
            const at = o.at % (n + 1);
            const fresh = buildNotebook([
              {
                type: o.spec.type,
                source: `# new ${counter++}\n${o.spec.source}\nz = 0`,
                visible: {},
                hidden: {},
              },
            ]);
            if (endsInsideString(fresh)) continue;
            const cell = parsePercent(writePercent(fresh)).notebook.cells[0]!;
            cells = [...cells.slice(0, at), cell, ...cells.slice(at)];
            origin = [...origin.slice(0, at), -1, ...origin.slice(at)];
          } else if (o.kind === "delete" && n > 0) {
            const at = o.at % n;
            cells = cells.filter((_, k) => k !== at);
            origin = origin.filter((_, k) => k !== at);
          } else if (o.kind === "move" && n > 1) {
            const from = o.from % n;
            const to = o.to % n;
            const [c] = cells.splice(from, 1);
            const [g] = origin.splice(from, 1);
            cells.splice(to, 0, c!);
            origin.splice(to, 0, g!);
          }
        }
        const edited = { ...py, cells };
        const { notebook } = mergePyIntoNotebook(nb, edited);
        expect(cellViews(notebook).map((v) => v.hash)).toEqual(cellViews(edited).map((v) => v.hash));
        notebook.cells.forEach((c, j) => {
          const o = origin[j]!;
          if (o >= 0) {
            const before = nb.cells[o]!;
            expect(c.source).toBe(before.source);
            expect(c.metadata).toEqual(before.metadata);
            expect(c.id).toBe(before.id);
            if (c.cell_type === "code") {
              expect((c as CodeCell).outputs).toEqual((before as CodeCell).outputs);
              expect((c as CodeCell).execution_count).toBe((before as CodeCell).execution_count);
            }
          } else if (c.cell_type === "code") {
            expect((c as CodeCell).outputs).toEqual([]);
            expect((c as CodeCell).execution_count).toBeNull();
          }
          if (ids) expect(typeof c.id).toBe("string");
          else expect(c.id).toBeUndefined();
        });
        if (ids) expect(new Set(notebook.cells.map((c) => c.id)).size).toBe(notebook.cells.length);
      }),
      { numRuns: RUNS },
    );
  });
});

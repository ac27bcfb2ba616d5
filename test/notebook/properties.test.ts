/** Property tests: random notebooks round-trip; damaged files give FledgeError, never another exception. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FledgeError } from "../../src/errors.js";
import { parseNotebook } from "../../src/notebook/read.js";
import type { Cell, Notebook } from "../../src/notebook/types.js";
import { validateNotebook } from "../../src/notebook/validate.js";
import { serializeNotebook } from "../../src/notebook/write.js";
import { ROOT } from "../helpers/env.js";

const line = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom("", "    x = 1", 'print("é😀")', "\t# tab", "a\\b", '"quoted"'),
);
const eol = fc.constantFrom("\n", "\n", "\n", "\r\n", "\r", "\f", "\u2028", "");
const source = fc
  .array(fc.tuple(line, eol), { maxLength: 6 })
  .map((parts) => parts.map(([l, e]) => l + e).join(""));
const metaValue = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
);
// Keys are prefixed so they never collide with keys the nbformat spec types (cell `name`, `tags`, notebook
// `title`, …): a random list under `name` is rightly a validation problem, not a round-trip failure.
const metadata = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 6 }).map((k) => `x_${k}`),
  metaValue,
  { maxKeys: 3 },
);
const output = fc.oneof(
  fc.record({ output_type: fc.constant("stream"), name: fc.constantFrom("stdout", "stderr"), text: source }),
  fc.record({
    output_type: fc.constant("display_data"),
    metadata: fc.constant({}),
    data: fc.record({ "text/plain": source, "image/png": fc.base64String({ maxLength: 40 }) }),
  }),
);
const cell: fc.Arbitrary<Cell> = fc.oneof(
  fc.record({
    cell_type: fc.constant("code" as const),
    source,
    metadata,
    execution_count: fc.option(fc.nat(500), { nil: null }),
    outputs: fc.array(output, { maxLength: 2 }),
  }),
  fc.record({ cell_type: fc.constantFrom("markdown" as const, "raw" as const), source, metadata }),
) as fc.Arbitrary<Cell>;
const notebook: fc.Arbitrary<Notebook> = fc
  .record({ cells: fc.array(cell, { maxLength: 6 }), metadata, withIds: fc.boolean() })
  .map(({ cells, metadata, withIds }) => {
    if (withIds) {
      cells.forEach((c, i) => {
        c.id = `c${i}`;
      });
    }
    return { nbformat: 4, nbformat_minor: withIds ? 5 : 4, metadata, cells };
  });

describe("properties", () => {
  it("write → read gives the same notebook, and a second write the same bytes", () => {
    fc.assert(
      fc.property(notebook, (nb) => {
        const text = serializeNotebook(nb);
        const back = parseNotebook(text);
        expect(back.warnings).toEqual([]);
        expect(back.notebook.cells.map((c) => [c.cell_type, c.source, c.id])).toEqual(
          nb.cells.map((c) => [c.cell_type, c.source, c.id]),
        );
        expect(serializeNotebook(back.notebook)).toBe(text);
        expect(validateNotebook(back.notebook)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  const valid = readFileSync(join(ROOT, "test", "fixtures", "notebooks", "io", "jupyter45.ipynb"), "utf8");
  const readOrInputError = (text: string) => {
    try {
      parseNotebook(text, "x.ipynb");
    } catch (err) {
      expect(err).toBeInstanceOf(FledgeError);
      expect((err as FledgeError).code).toBe("E_INPUT");
    }
  };

  it("every truncation of a notebook is an input error with a location, never a crash", () => {
    for (let n = 0; n < valid.trimEnd().length; n += 7) {
      try {
        parseNotebook(valid.slice(0, n), "x.ipynb");
        expect.unreachable(`prefix ${n} was accepted`);
      } catch (err) {
        expect(err).toBeInstanceOf(FledgeError);
        expect((err as FledgeError).location?.file).toBe("x.ipynb");
      }
    }
  });

  it("random damage is read or rejected as input, never a crash", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.nat(valid.length - 1),
            fc.constantFrom("", "{", "}", "[", "]", '"', ",", ":", "1", "null", "\\"),
          ),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
        (edits) => {
          let text = valid;
          for (const [at, insert] of edits) text = text.slice(0, at) + insert + text.slice(at + 1);
          readOrInputError(text);
        },
      ),
      { numRuns: 500 },
    );
  });
});

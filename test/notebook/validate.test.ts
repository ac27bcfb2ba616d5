import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseNotebook } from "../../src/notebook/read.js";
import { validateNotebook } from "../../src/notebook/validate.js";
import { ROOT } from "../helpers/env.js";

const IO = join(ROOT, "test", "fixtures", "notebooks", "io");
const load = (name: string) => parseNotebook(readFileSync(join(IO, name), "utf8")).notebook;

function base(cells: unknown[], minor = 5): unknown {
  return { nbformat: 4, nbformat_minor: minor, metadata: {}, cells };
}
const code = (extra: Record<string, unknown> = {}) => ({
  cell_type: "code",
  id: "c1",
  metadata: {},
  source: "x",
  outputs: [],
  execution_count: null,
  ...extra,
});

describe("validateNotebook", () => {
  it("accepts valid notebooks written by Jupyter", () => {
    expect(validateNotebook(load("jupyter45.ipynb"))).toEqual([]);
    expect(validateNotebook(load("jupyter44-noids.ipynb"))).toEqual([]);
  });

  it("names the JSON path and what was expected", () => {
    const problems = validateNotebook(
      base([
        code({ id: "bad id!", execution_count: -1, metadata: { tags: ["a", "a", "b,c"], scrolled: "yes" } }),
        code({ id: "c1", outputs: [{ output_type: "stream", name: 3, text: ["ok", 4] }] }),
        { cell_type: "markdown", id: "m", metadata: {}, source: "t", outputs: [] },
        { cell_type: "heading", id: "h", metadata: {}, source: "t" },
      ]),
    );
    const byPath = Object.fromEntries(problems.map((p) => [p.jsonPath, p.message]));
    expect(byPath["cells[0].id"]).toMatch(/expected 1–64 characters .* found the string "bad id!"/);
    expect(byPath["cells[0].execution_count"]).toMatch(
      /expected a non-negative integer or null, found the number -1/,
    );
    expect(byPath["cells[0].metadata.tags[1]"]).toMatch(/duplicate tag "a"/);
    expect(byPath["cells[0].metadata.tags[2]"]).toMatch(/without commas/);
    expect(byPath["cells[0].metadata.scrolled"]).toMatch(/true, false or "auto"/);
    expect(byPath["cells[1].outputs[0].name"]).toMatch(/expected a string/);
    expect(byPath["cells[1].outputs[0].text"]).toMatch(/a string or a list of strings/);
    expect(byPath["cells[2].outputs"]).toMatch(/unexpected field 'outputs' in a markdown cell/);
    expect(byPath["cells[3].cell_type"]).toMatch(/expected "code", "markdown" or "raw"/);
  });

  it("finds duplicate and missing ids (ids are required from 4.5)", () => {
    const dup = validateNotebook(base([code(), code()]));
    expect(dup).toEqual([
      { jsonPath: "cells[1].id", message: expect.stringMatching(/already used by cells\[0\]/) },
    ]);
    const { id: _, ...noId } = code();
    expect(validateNotebook(base([noId]))[0]?.message).toMatch(/missing required field 'id'/);
    expect(validateNotebook(base([noId], 4))).toEqual([]);
  });

  it("checks outputs and MIME bundles", () => {
    const problems = validateNotebook(
      base([
        code({
          outputs: [
            {
              output_type: "execute_result",
              data: { "text/plain": 5, "application/json": { a: 1 } },
              metadata: {},
            },
            { output_type: "display_data", data: { plain: "x" }, metadata: {}, extra: 1 },
            { output_type: "error", ename: "E", evalue: "v", traceback: "not a list" },
            { output_type: "bogus" },
          ],
        }),
      ]),
    );
    const paths = problems.map((p) => p.jsonPath);
    expect(paths).toEqual([
      "cells[0].outputs[0]", // missing execution_count
      'cells[0].outputs[0].data["text/plain"]',
      "cells[0].outputs[1].extra",
      'cells[0].outputs[1].data["plain"]',
      "cells[0].outputs[2].traceback",
      "cells[0].outputs[3].output_type",
    ]);
  });

  it("checks the top level and notebook metadata", () => {
    const problems = validateNotebook({
      nbformat: 4,
      nbformat_minor: "5",
      metadata: { kernelspec: { name: "python3" }, language_info: {}, authors: "me" },
      cells: [],
      extra: true,
    });
    expect(problems.map((p) => `${p.jsonPath}: ${p.message}`)).toEqual([
      'nbformat_minor: expected a non-negative integer, found the string "5"',
      "extra: unexpected field 'extra' in the notebook (allowed: metadata, nbformat_minor, nbformat, cells)",
      "metadata.kernelspec: missing required field 'display_name'",
      "metadata.language_info: missing required field 'name'",
      'metadata.authors: expected a list, found the string "me"',
    ]);
    expect(validateNotebook([])).toEqual([{ jsonPath: "$", message: "expected an object, found a list" }]);
  });
});

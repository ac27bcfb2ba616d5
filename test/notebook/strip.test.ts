import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseNotebook } from "../../src/notebook/read.js";
import { checkKeyPath, stripNotebook } from "../../src/notebook/strip.js";
import type { CodeCell } from "../../src/notebook/types.js";
import { validateNotebook } from "../../src/notebook/validate.js";
import { serializeNotebook } from "../../src/notebook/write.js";
import { ROOT } from "../helpers/env.js";

const IO = join(ROOT, "test", "fixtures", "notebooks", "io");
const load = (name: string) => parseNotebook(readFileSync(join(IO, name), "utf8")).notebook;

describe("stripNotebook", () => {
  it("removes outputs, counts and volatile metadata, keeps sources, ids, tags and the rest", () => {
    const nb = load("jupyter45.ipynb");
    const before = serializeNotebook(nb);
    const { notebook, stats } = stripNotebook(nb, { keepOutputTags: [] });
    expect(serializeNotebook(nb)).toBe(before); // the input is untouched
    const codes = notebook.cells.filter((c): c is CodeCell => c.cell_type === "code");
    expect(codes.every((c) => c.outputs.length === 0 && c.execution_count === null)).toBe(true);
    expect(stats).toEqual({ outputs: 3, counts: 3, metadata: 2 });
    expect(notebook.cells[1]!.metadata).toEqual({ tags: ["keep_output", "parameters"] });
    expect(notebook.cells.map((c) => [c.id, c.source])).toEqual(nb.cells.map((c) => [c.id, c.source]));
    expect(notebook.metadata).toEqual(nb.metadata);
    expect(notebook.cells[0]!.attachments).toEqual(nb.cells[0]!.attachments);
    expect(validateNotebook(notebook)).toEqual([]);
  });

  it("keeps outputs and counts of cells tagged keep_output by default", () => {
    const { notebook } = stripNotebook(load("jupyter45.ipynb"));
    const tagged = notebook.cells[1] as CodeCell;
    expect(tagged.outputs).toHaveLength(2);
    expect(tagged.execution_count).toBe(1);
    expect((notebook.cells[2] as CodeCell).outputs).toEqual([]);
  });

  it("is idempotent, and a stripped Jupyter notebook keeps its exact bytes", () => {
    const once = serializeNotebook(stripNotebook(load("jupyter45.ipynb")).notebook);
    const twice = stripNotebook(parseNotebook(once).notebook);
    expect(serializeNotebook(twice.notebook)).toBe(once);
    expect(twice.stats).toEqual({ outputs: 0, counts: 0, metadata: 0 });
  });

  it("drops extra keys and keeps default ones on request", () => {
    const { notebook } = stripNotebook(load("jupyter45.ipynb"), {
      dropKeys: ["metadata.language_info.version", "metadata.my_tool.nested", "cell.metadata.tags"],
      keepKeys: ["cell.metadata.tags"],
      keepCount: true,
    });
    expect(notebook.metadata.language_info).not.toHaveProperty("version");
    expect(notebook.metadata.language_info?.name).toBe("python");
    expect(notebook.metadata.my_tool).not.toHaveProperty("nested");
    expect(notebook.cells[1]!.metadata.tags).toEqual(["keep_output", "parameters"]);
    expect(notebook.cells[1]!.metadata).toHaveProperty("scrolled"); // not in this dropKeys list
    expect((notebook.cells[2] as CodeCell).execution_count).toBe(2);
  });

  it("validates key paths", () => {
    expect(checkKeyPath("cell.metadata.vscode")).toBeUndefined();
    expect(checkKeyPath("metadata.a.b")).toBeUndefined();
    expect(checkKeyPath("outputs")).toMatch(/not a metadata path/);
    expect(checkKeyPath("cell.metadata.")).toMatch(/not a metadata path/);
  });
});

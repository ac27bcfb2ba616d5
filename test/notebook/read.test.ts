import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FledgeError } from "../../src/errors.js";
import type { JsonNumber } from "../../src/notebook/json.js";
import { parseNotebook } from "../../src/notebook/read.js";
import type { CodeCell } from "../../src/notebook/types.js";
import { validateNotebook } from "../../src/notebook/validate.js";
import { serializeNotebook } from "../../src/notebook/write.js";
import { ROOT } from "../helpers/env.js";

const IO = join(ROOT, "test", "fixtures", "notebooks", "io");
const fixture = (name: string) => readFileSync(join(IO, name), "utf8");

function inputError(name: string): FledgeError {
  try {
    parseNotebook(fixture(name), name);
  } catch (err) {
    expect(err).toBeInstanceOf(FledgeError);
    expect((err as FledgeError).code).toBe("E_INPUT");
    expect((err as FledgeError).exitCode).toBe(2);
    return err as FledgeError;
  }
  throw new Error(`${name} was read without an error`);
}

describe("parseNotebook: structurally broken files are errors with a location", () => {
  it("not JSON: line and column", () => {
    const err = inputError("not-json.ipynb");
    expect(err.message).toMatch(/^not valid JSON: .*expected ',' or '}'/);
    expect(err.location).toMatchObject({ file: "not-json.ipynb", line: 5, column: 4 });
  });

  it("truncated file", () => {
    const err = inputError("truncated.ipynb");
    expect(err.message).toMatch(/ends too early: it looks truncated/);
    expect(err.hint).toMatch(/cut off while being saved/);
    expect(err.location?.line).toBeGreaterThan(1);
  });

  it("git merge conflict markers", () => {
    const text =
      '{\n "cells": [],\n<<<<<<< HEAD\n "metadata": {},\n=======\n "metadata": {"a": 1},\n>>>>>>> other\n "nbformat": 4\n}\n';
    try {
      parseNotebook(text, "nb.ipynb");
      expect.unreachable();
    } catch (err) {
      const e = err as FledgeError;
      expect(e.message).toMatch(/merge conflict markers/);
      expect(e.location).toMatchObject({ file: "nb.ipynb", line: 3, column: 1 });
      expect(e.hint).toMatch(/git checkout --ours/);
    }
  });

  it("empty file", () => {
    expect(inputError("empty.ipynb").message).toMatch(/the file is empty/);
    expect(() => parseNotebook("  \n\t")).toThrow(/the file is empty/);
  });

  it("wrong top-level shape", () => {
    const err = inputError("top-level-list.ipynb");
    expect(err.message).toMatch(/expected a JSON object .* found a list/);
    expect(err.location?.jsonPath).toBe("$");
    expect(() => parseNotebook('"just a string"')).toThrow(/found a string/);
  });

  it("nbformat 5 or unknown", () => {
    const err = inputError("nbformat5.ipynb");
    expect(err.message).toMatch(/nbformat 5 is not supported/);
    expect(err.location?.jsonPath).toBe("nbformat");
    expect(() => parseNotebook('{"nbformat": 1, "cells": []}')).toThrow(/too old/);
    expect(() => parseNotebook('{"nbformat": "four", "cells": []}')).toThrow(/must be an integer/);
    expect(() => parseNotebook('{"metadata": {}}')).toThrow(/no 'nbformat' field and no 'cells' list/);
  });

  it("no cell list", () => {
    expect(inputError("no-cells.ipynb").location?.jsonPath).toBe("cells");
    const err = inputError("cells-not-list.ipynb");
    expect(err.message).toMatch(/'cells' must be a list, found an object/);
  });

  it("a cell that is not an object, or a source of the wrong type", () => {
    expect(() => parseNotebook('{"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "cells": [3]}')).toThrow(
      /a cell must be an object/,
    );
    try {
      parseNotebook(
        '{"nbformat":4,"nbformat_minor":4,"metadata":{},"cells":[{"cell_type":"code","source":5}]}',
      );
      expect.unreachable();
    } catch (err) {
      expect((err as FledgeError).location?.jsonPath).toBe("cells[0].source");
    }
  });
});

describe("parseNotebook: forgiving repairs", () => {
  it("repairs missing optional fields with warnings naming the JSON path", () => {
    const { notebook, warnings } = parseNotebook(fixture("missing-fields.ipynb"));
    const paths = warnings.map((w) => w.jsonPath);
    expect(paths).toEqual(
      expect.arrayContaining([
        "metadata",
        "cells[0].metadata",
        "cells[0].outputs",
        "cells[0].execution_count",
        "cells[1].source",
        "cells[1].metadata",
      ]),
    );
    const code = notebook.cells[0] as CodeCell;
    expect(code.outputs).toEqual([]);
    expect(code.execution_count).toBeNull();
    expect(notebook.cells[1]!.source).toBe("");
    expect(validateNotebook(notebook)).toEqual([]);
  });

  it("assumes nbformat 4 when the field is missing but cells are there", () => {
    const r = parseNotebook('{"cells": [], "metadata": {}, "nbformat_minor": 4}');
    expect(r.notebook.nbformat).toBe(4);
    expect(r.warnings[0]?.message).toMatch(/assuming nbformat 4/);
  });

  it("warns about a missing nbformat_minor and a missing 4.5 cell id, without adding ids", () => {
    const r = parseNotebook(
      '{"cells": [{"cell_type": "code", "source": "", "metadata": {}, "outputs": [], "execution_count": null}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}',
    );
    expect(r.warnings.map((w) => w.jsonPath)).toEqual(["cells[0].id"]);
    expect(r.notebook.cells[0]!.id).toBeUndefined();
  });

  it("keeps unknown keys of newer 4.x minors, with a warning", () => {
    const text = fixture("future-minor.ipynb");
    const { notebook, warnings, origin } = parseNotebook(text);
    expect(origin).toEqual({ nbformat: 4, nbformat_minor: 7 });
    expect(warnings.some((w) => /newer than 4\.5/.test(w.message))).toBe(true);
    expect(notebook.future_top).toEqual({ k: 1.5 }); // Python itself wrote 1.50 as 1.5
    expect(notebook.cells[1]!.future_cell_field).toEqual([1, "two"]);
    expect((notebook.cells[1]!.metadata.vendor as { deep: { value: JsonNumber } }).deep.value.text).toBe(
      "3.0",
    );
    expect(serializeNotebook(notebook)).toBe(text);
  });

  it("keeps a cell of an unknown type, with a usable source and metadata", () => {
    const r = parseNotebook(
      '{"nbformat": 4, "nbformat_minor": 9, "metadata": {}, "cells": [{"cell_type": "future", "id": "f", "extra": [1.0]}]}',
    );
    const cell = r.notebook.cells[0]!;
    expect(cell.cell_type).toBe("future");
    expect(cell.source).toBe("");
    expect(cell.metadata).toEqual({});
    expect(serializeNotebook(r.notebook)).toContain('"extra": [\n    1.0\n   ]');
    expect(r.warnings.map((w) => w.jsonPath)).toEqual([
      "nbformat_minor",
      "cells[0].cell_type",
      "cells[0].source",
      "cells[0].metadata",
    ]);
  });

  it("cells without ids keep having none", () => {
    const { notebook } = parseNotebook(fixture("jupyter44-noids.ipynb"));
    expect(notebook.cells.every((c) => !("id" in c))).toBe(true);
  });
});

describe("parseNotebook: nbformat 2 and 3 are upgraded to 4", () => {
  it("upgrades v3: worksheets flattened, headings, outputs moved into MIME bundles", () => {
    const { notebook, origin, warnings } = parseNotebook(fixture("v3.ipynb"));
    expect(origin).toEqual({ nbformat: 3, nbformat_minor: 0 });
    expect(notebook.nbformat).toBe(4);
    expect(notebook.nbformat_minor).toBe(4);
    expect(notebook).not.toHaveProperty("worksheets");
    expect(notebook.metadata).toEqual({ custom: { keep: true } });
    expect(warnings.some((w) => /2 worksheets were merged/.test(w.message))).toBe(true);
    expect(notebook.cells.map((c) => [c.cell_type, c.source])).toEqual([
      ["markdown", "## Results"],
      ["code", "import math\nmath.pi"],
      ["markdown", "second worksheet"],
    ]);
    const code = notebook.cells[1] as CodeCell;
    expect(code.execution_count).toBe(4);
    expect(code.metadata).toEqual({ collapsed: false });
    expect(code).not.toHaveProperty("input");
    expect(code).not.toHaveProperty("language");
    expect(code.outputs).toEqual([
      {
        output_type: "execute_result",
        execution_count: 4,
        metadata: {},
        data: { "text/plain": "3.141592653589793" },
      },
      { output_type: "stream", name: "stderr", text: "warning\n" },
      {
        output_type: "display_data",
        metadata: { "image/png": { width: 10 } },
        data: { "image/png": "iVBORw0KGgo=" },
      },
      { output_type: "error", ename: "ValueError", evalue: "bad", traceback: ["ValueError: bad"] },
    ]);
    expect(validateNotebook(notebook)).toEqual([]);
    const written = serializeNotebook(notebook);
    expect(written).toContain('"text/plain": [\n       "3.141592653589793"\n      ]');
    // the upgraded file is a stable nbformat 4 file
    const again = parseNotebook(written);
    expect(again.origin.nbformat).toBe(4);
    expect(serializeNotebook(again.notebook)).toBe(written);
  });

  it("upgrades v2, whose line lists have no line endings", () => {
    const { notebook, origin } = parseNotebook(fixture("v2.ipynb"));
    expect(origin.nbformat).toBe(2);
    expect(notebook.cells[0]!.source).toBe("a = 1\nb = a + 1\nprint b");
    expect(notebook.cells[0]!.metadata).toEqual({ collapsed: true });
    expect((notebook.cells[0] as CodeCell).outputs).toEqual([
      { output_type: "stream", name: "stdout", text: "2" },
    ]);
    expect(notebook.cells[1]!.source).toBe("Line one\nline two");
    expect(validateNotebook(notebook)).toEqual([]);
  });
});

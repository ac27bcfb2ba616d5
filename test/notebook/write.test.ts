import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { addCellIds } from "../../src/notebook/ids.js";
import { cloneJson } from "../../src/notebook/memo.js";
import { parseNotebook } from "../../src/notebook/read.js";
import type { CodeCell, Notebook } from "../../src/notebook/types.js";
import { validateNotebook } from "../../src/notebook/validate.js";
import { serializeNotebook, splitLines } from "../../src/notebook/write.js";
import { ROOT } from "../helpers/env.js";

const IO = join(ROOT, "test", "fixtures", "notebooks", "io");
const fixture = (name: string) => readFileSync(join(IO, name), "utf8");

describe("splitLines (Python str.splitlines(True))", () => {
  it("splits on every Python line boundary and keeps the endings", () => {
    expect(splitLines("")).toEqual([]);
    expect(splitLines("a")).toEqual(["a"]);
    expect(splitLines("a\nb\n")).toEqual(["a\n", "b\n"]);
    expect(splitLines("a\r\nb\rc\fd\u000be\u001cf\u0085g\u2028h\u2029i\n")).toEqual([
      "a\r\n",
      "b\r",
      "c\f",
      "d\u000b",
      "e\u001c",
      "f\u0085",
      "g\u2028",
      "h\u2029",
      "i\n",
    ]);
  });
});

describe("serializeNotebook: byte-exact round trip", () => {
  for (const name of ["jupyter45.ipynb", "jupyter44-noids.ipynb", "future-minor.ipynb", "r-kernel.ipynb"]) {
    it(`${name} (written by nbformat) round-trips byte for byte`, () => {
      const text = fixture(name);
      expect(serializeNotebook(parseNotebook(text).notebook)).toBe(text);
    });
  }

  it("keeps the layout of a file not written by Jupyter where the content is unchanged", () => {
    const text = fixture("not-jupyter-layout.ipynb");
    const { notebook } = parseNotebook(text);
    const out = serializeNotebook(notebook);
    // Jupyter's layout (indent 1, sorted keys) …
    expect(out.startsWith('{\n "cells": [\n  {\n   "cell_type": "code",')).toBe(true);
    // … but the values are written as they were: a string source stays a string, an odd split stays,
    // an unsplit stream text stays, and 1.50 keeps its digits.
    expect(out).toContain('"source": "x = 1\\ny = 2"');
    expect(out).toContain('"source": [\n    "no\\n",\n    "split",\n    " here"\n   ]');
    expect(out).toContain('"text": "one\\ntwo\\n"');
    expect(out).toContain('"x": 1.50');
    expect(serializeNotebook(parseNotebook(out).notebook)).toBe(out);
  });

  it("writes an edited source split into lines as Jupyter does", () => {
    const { notebook } = parseNotebook(fixture("not-jupyter-layout.ipynb"));
    notebook.cells[0]!.source = "x = 1\ny = 3";
    expect(serializeNotebook(notebook)).toContain('"source": [\n    "x = 1\\n",\n    "y = 3"\n   ]');
  });

  it("splits new string outputs as Jupyter does, and leaves binary data whole", () => {
    const { notebook } = parseNotebook(fixture("jupyter45.ipynb"));
    const cell = notebook.cells[1] as CodeCell;
    cell.outputs = [
      { output_type: "stream", name: "stdout", text: "a\nb\n" },
      {
        output_type: "display_data",
        metadata: {},
        data: { "text/plain": "p\nq", "image/png": "AAA\nBBB\n" },
      },
    ];
    const out = serializeNotebook(notebook);
    expect(out).toContain('"text": [\n      "a\\n",\n      "b\\n"\n     ]');
    expect(out).toContain('"text/plain": [\n       "p\\n",\n       "q"\n      ]');
    expect(out).toContain('"image/png": "AAA\\nBBB\\n"');
  });

  it("keeps CRLF line endings and a missing final newline", () => {
    const text = fixture("jupyter45.ipynb");
    const crlf = text.replace(/\n/g, "\r\n");
    expect(serializeNotebook(parseNotebook(crlf).notebook)).toBe(crlf);
    const noFinal = text.slice(0, -1);
    expect(serializeNotebook(parseNotebook(noFinal).notebook)).toBe(noFinal);
    expect(serializeNotebook(parseNotebook(crlf).notebook, { eol: "\n" })).toBe(text);
  });

  it("cloneJson copies deeply and keeps what is needed for the round trip", () => {
    const text = fixture("not-jupyter-layout.ipynb");
    const { notebook } = parseNotebook(text);
    const copy = cloneJson(notebook);
    expect(copy).not.toBe(notebook);
    expect(copy.cells[0]).not.toBe(notebook.cells[0]);
    expect(serializeNotebook(copy)).toBe(serializeNotebook(notebook));
    copy.cells[0]!.source = "changed";
    expect(notebook.cells[0]!.source).toBe("x = 1\ny = 2");
  });

  it("writes a notebook built in code like nbformat would", () => {
    const nb: Notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [
        {
          cell_type: "code",
          id: "a1",
          source: "print(1)\n",
          metadata: {},
          execution_count: null,
          outputs: [],
        },
        { cell_type: "markdown", id: "b2", source: "# T", metadata: {} },
      ],
    };
    expect(serializeNotebook(nb)).toBe(
      '{\n "cells": [\n  {\n   "cell_type": "code",\n   "execution_count": null,\n   "id": "a1",\n   "metadata": {},\n   "outputs": [],\n   "source": [\n    "print(1)\\n"\n   ]\n  },\n  {\n   "cell_type": "markdown",\n   "id": "b2",\n   "metadata": {},\n   "source": [\n    "# T"\n   ]\n  }\n ],\n "metadata": {},\n "nbformat": 4,\n "nbformat_minor": 5\n}\n',
    );
  });

  const venvPy = join(ROOT, ".venv", process.platform === "win32" ? "Scripts/python.exe" : "bin/python");
  it.skipIf(!existsSync(venvPy))("nbformat writes the same bytes after reading what fledge wrote", () => {
    const { notebook } = parseNotebook(fixture("jupyter45.ipynb"));
    notebook.cells[0]!.source = "changed\r\nsource\u2028with odd breaks\n";
    (notebook.cells[1] as CodeCell).outputs.push({
      output_type: "stream",
      name: "stderr",
      text: "new\noutput",
    });
    const dir = mkdtempSync(join(tmpdir(), "fledge-write-"));
    const file = join(dir, "nb.ipynb");
    const ours = serializeNotebook(notebook);
    writeFileSync(file, ours);
    const r = spawnSync(
      venvPy,
      [
        "-c",
        "import nbformat,sys; nb = nbformat.read(sys.argv[1], as_version=4); nbformat.write(nb, sys.argv[1])",
        file,
      ],
      { encoding: "utf8" },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(ours);
  });

  it("adds cell ids only when asked, keeping valid unique ones", () => {
    const { notebook } = parseNotebook(fixture("jupyter44-noids.ipynb"));
    expect(serializeNotebook(notebook)).not.toContain('"id"');
    notebook.cells[1]!.id = "keep-me";
    notebook.cells[2]!.id = "keep-me"; // a duplicate gets a new id
    notebook.cells[3]!.id = "bad id"; // so does an invalid one
    let n = 0;
    expect(addCellIds(notebook, () => `gen-${n++}`)).toBe(6);
    expect(notebook.cells.map((c) => c.id)).toEqual([
      "gen-0",
      "keep-me",
      "gen-1",
      "gen-2",
      "gen-3",
      "gen-4",
      "gen-5",
    ]);
    expect(notebook.nbformat_minor).toBe(5);
    expect(validateNotebook(notebook)).toEqual([]);
  });
});

/**
 * Compatibility with Jupytext itself (skipped when the project venv has no `jupytext`): fledge reads the
 * py:percent files Jupytext writes as Jupytext does, and Jupytext reads what fledge writes back to the same
 * cell types, sources and tags.
 */
import { execFileSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePercent, percentSource, writePercent } from "../../src/notebook/percent.js";
import { isMarkerLike } from "../../src/notebook/percent-syntax.js";
import { parseNotebook } from "../../src/notebook/read.js";
import type { Cell, Notebook } from "../../src/notebook/types.js";
import { ROOT } from "../helpers/env.js";

const JUPYTEXT = join(ROOT, ".venv", process.platform === "win32" ? "Scripts/jupytext.exe" : "bin/jupytext");
const FIXTURES = [
  join(ROOT, "test", "golden", "percent", "inputs", "basic.ipynb"),
  join(ROOT, "test", "golden", "percent", "inputs", "tricky.ipynb"),
  join(ROOT, "examples", "churn", "churn.ipynb"),
].filter((f) => existsSync(f));

interface Summary {
  type: string;
  source: string;
  tags: unknown;
}

const summary = (c: Cell): Summary => ({
  type: c.cell_type,
  source: c.source,
  tags: c.metadata?.tags ?? null,
});
const read = (path: string): Notebook => parseNotebook(readFileSync(path, "utf8"), path).notebook;

function jupytext(args: string[], cwd: string): void {
  execFileSync(JUPYTEXT, args, { cwd, stdio: "pipe", timeout: 120_000 });
}

describe.skipIf(!existsSync(JUPYTEXT))("percent format and Jupytext", () => {
  let dir: string;
  const names = FIXTURES.map((f) => basename(f, ".ipynb"));

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "fledge-jupytext-"));
    for (const sub of ["orig", "jt-py", "jt-back", "fl-py"]) mkdirSync(join(dir, sub));
    for (const f of FIXTURES) copyFileSync(f, join(dir, "orig", basename(f)));
    // Jupytext writes .py files next to the notebooks; one process for all files.
    for (const n of names) copyFileSync(join(dir, "orig", `${n}.ipynb`), join(dir, "jt-py", `${n}.ipynb`));
    jupytext(["--to", "py:percent", ...names.map((n) => `${n}.ipynb`)], join(dir, "jt-py"));
    // Jupytext's own reading of its .py files.
    for (const n of names) copyFileSync(join(dir, "jt-py", `${n}.py`), join(dir, "jt-back", `${n}.py`));
    jupytext(["--to", "ipynb", ...names.map((n) => `${n}.py`)], join(dir, "jt-back"));
    // fledge's .py files, read back by Jupytext.
    for (const n of names)
      writeFileSync(join(dir, "fl-py", `${n}.py`), writePercent(read(join(dir, "orig", `${n}.ipynb`))));
    jupytext(["--to", "ipynb", ...names.map((n) => `${n}.py`)], join(dir, "fl-py"));
  }, 240_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each(FIXTURES.map((f) => basename(f, ".ipynb")))(
    "reads Jupytext's %s.py as Jupytext does (or closer to the original notebook)",
    (name) => {
      const original = read(join(dir, "orig", `${name}.ipynb`)).cells;
      const byJupytext = read(join(dir, "jt-back", `${name}.ipynb`)).cells.map(summary);
      const byFledge = parsePercent(
        readFileSync(join(dir, "jt-py", `${name}.py`), "utf8"),
      ).notebook.cells.map(summary);
      expect(byFledge.length).toBe(byJupytext.length);
      let better = 0;
      byFledge.forEach((f, i) => {
        const j = byJupytext[i]!;
        if (JSON.stringify(f) === JSON.stringify(j)) return;
        // Where Jupytext misreads its own file, fledge must give the original cell.
        const o = original[i];
        expect(o, `cell ${i + 1}`).toBeDefined();
        expect(f, `cell ${i + 1}`).toEqual({ ...summary(o!), source: percentSource(o!) });
        better++;
      });
      expect(better).toBeLessThanOrEqual(3);
    },
  );

  it.each(FIXTURES.map((f) => basename(f, ".ipynb")))(
    "Jupytext reads fledge's %s.py back to the same cell types, sources and tags",
    (name) => {
      const original = read(join(dir, "orig", `${name}.ipynb`)).cells;
      const back = read(join(dir, "fl-py", `${name}.ipynb`)).cells.map(summary);
      expect(back.length).toBe(original.length);
      let skipped = 0;
      original.forEach((o, i) => {
        // Lines that look like cell markers cannot be kept inside a cell by Jupytext; fledge escapes them.
        if (o.source.split("\n").some((l) => isMarkerLike(l) || isMarkerLike(`# ${l}`))) {
          skipped++;
          return;
        }
        expect(back[i], `cell ${i + 1}`).toEqual({ ...summary(o), source: percentSource(o) });
      });
      if (name === "basic" || name === "churn") expect(skipped).toBe(0);
    },
  );
});

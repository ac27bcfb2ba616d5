/**
 * `fledge sync` on real files: never loses an output or an edit. Edits on one side, on both (conflict, nothing
 * written), --prefer either way, mtimes reset as by `git checkout`, cells inserted/deleted/moved in the .py.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Cell } from "../../src/notebook/types.js";
import { serializeNotebook } from "../../src/notebook/write.js";
import { hasNoStackTrace, runCli } from "../helpers/cli.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(sources: string[] = ["import math", "r = 2", "area = math.pi * r**2\narea", "print(area)"]) {
  const dir = mkdtempSync(join(tmpdir(), "fledge-sync-"));
  dirs.push(dir);
  const cells: Cell[] = [
    { cell_type: "markdown", id: "title", metadata: {}, source: "# Circle" },
    ...sources.map(
      (source, i): Cell => ({
        cell_type: "code",
        id: `c${i}`,
        metadata: i === 1 ? { tags: ["parameters"], collapsed: false } : {},
        source,
        execution_count: i + 1,
        outputs: [{ output_type: "stream", name: "stdout", text: [`output of cell ${i}\n`] }],
      }),
    ),
  ];
  const nb = {
    cells,
    metadata: {
      kernelspec: { display_name: "Python 3", language: "python", name: "python3" },
      language_info: { name: "python", version: "3.11.4" },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  writeFileSync(join(dir, "nb.ipynb"), serializeNotebook(nb));
  return dir;
}

async function sync(dir: string, ...args: string[]) {
  const r = await runCli(["sync", ...args], { cwd: dir });
  return { code: r.code, out: r.stdout, err: r.stderr, run: r };
}

const read = (dir: string, name: string) => readFileSync(join(dir, name), "utf8");
const nbJson = (dir: string) =>
  JSON.parse(read(dir, "nb.ipynb")) as {
    cells: { source: string[]; outputs?: unknown[]; id: string; metadata: object }[];
  };
const sources = (dir: string) => nbJson(dir).cells.map((c) => c.source.join(""));
const editPy = (dir: string, from: string, to: string) => {
  const text = read(dir, "nb.py");
  expect(text).toContain(from);
  writeFileSync(join(dir, "nb.py"), text.replace(from, to));
};
const editNb = (dir: string, cell: number, source: string) => {
  const nb = nbJson(dir);
  nb.cells[cell]!.source = [source];
  writeFileSync(join(dir, "nb.ipynb"), `${JSON.stringify(nb, null, 1)}\n`);
};
const setMtime = (dir: string, name: string, seconds: number) =>
  utimesSync(join(dir, name), seconds, seconds);

describe("fledge sync", () => {
  it("pairs a notebook with a new .py, then reports it in sync without writing", async () => {
    const dir = setup();
    const before = read(dir, "nb.ipynb");
    const first = await sync(dir, "nb.ipynb");
    expect(first.code, first.err).toBe(0);
    expect(first.out).toContain("nb.py does not exist: written from nb.ipynb");
    const py = read(dir, "nb.py");
    expect(py).toContain("#     formats: ipynb,py:percent");
    expect(py).toContain("#   fledge:");
    expect(py).toContain('# %% tags=["parameters"]\nr = 2\n');
    expect(read(dir, "nb.ipynb")).toBe(before);
    const mtime = statSync(join(dir, "nb.py")).mtimeMs;
    for (const arg of ["nb.ipynb", "nb.py"]) {
      const again = await sync(dir, arg);
      expect(again.code).toBe(0);
      expect(again.out).toContain("already in sync");
    }
    expect(read(dir, "nb.py")).toBe(py);
    expect(statSync(join(dir, "nb.py")).mtimeMs).toBe(mtime);
  });

  it("--dry-run says what it would write and writes nothing", async () => {
    const dir = setup();
    const r = await sync(dir, "nb.ipynb", "--dry-run");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/would write nb\.py \(\d+ bytes\)/);
    expect(() => statSync(join(dir, "nb.py"))).toThrow();
  });

  it("editing code in the .py keeps the outputs of unchanged cells and clears the edited cell's", async () => {
    const dir = setup();
    await sync(dir, "nb.ipynb");
    const original = nbJson(dir);
    editPy(dir, "r = 2\n", "r = 3\n");
    const r = await sync(dir, "nb.py");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("cell 3: source edited (its outputs are cleared: they were stale)");
    const nb = nbJson(dir);
    expect(sources(dir)).toEqual([
      "# Circle",
      "import math",
      "r = 3",
      "area = math.pi * r**2\narea",
      "print(area)",
    ]);
    expect(nb.cells[2]!.outputs).toEqual([]);
    expect(nb.cells[2]!.metadata).toEqual({ tags: ["parameters"], collapsed: false });
    for (const i of [1, 3, 4]) expect(nb.cells[i]).toEqual(original.cells[i]);
    expect((await sync(dir, "nb.ipynb")).out).toContain("already in sync");
  });

  it("cells inserted, deleted and moved in the .py: outputs follow their cells", async () => {
    const dir = setup();
    await sync(dir, "nb.ipynb");
    const original = nbJson(dir);
    const py = read(dir, "nb.py");
    const blocks = py.split(/\n(?=# %%)/);
    // blocks: header, markdown, import, r, area, print — move "print" before "area", delete "import",
    // insert a new cell after the title.
    const [header, title, imp, r, area, print] = blocks as [string, string, string, string, string, string];
    void imp;
    writeFileSync(
      join(dir, "nb.py"),
      [header, title, "# %%\nimport math as m\n", r, `${print.trimEnd()}\n`, area].join("\n"),
    );
    const res = await sync(dir, "nb.py");
    expect(res.code, res.err).toBe(0);
    const nb = nbJson(dir);
    expect(sources(dir)).toEqual([
      "# Circle",
      "import math as m",
      "r = 2",
      "print(area)",
      "area = math.pi * r**2\narea",
    ]);
    expect(nb.cells[2]).toEqual(original.cells[2]);
    expect(nb.cells[3]!.outputs).toEqual(original.cells[4]!.outputs);
    expect(nb.cells[4]!.outputs).toEqual(original.cells[3]!.outputs);
    expect(nb.cells[1]!.outputs).toEqual([]);
  });

  it("editing the notebook writes the .py again; the notebook is not touched", async () => {
    const dir = setup();
    await sync(dir, "nb.ipynb");
    editNb(dir, 4, "print(round(area, 2))");
    const nbBefore = read(dir, "nb.ipynb");
    const r = await sync(dir, "nb.py");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("nb.ipynb changed since the last sync");
    expect(read(dir, "nb.py")).toContain("\n# %%\nprint(round(area, 2))\n");
    expect(read(dir, "nb.ipynb")).toBe(nbBefore);
  });

  it("decides by content, not mtimes: a .py edit wins over a notebook with a newer mtime (and vice versa)", async () => {
    const dir = setup();
    await sync(dir, "nb.ipynb");
    editPy(dir, "r = 2\n", "r = 5\n");
    setMtime(dir, "nb.py", 1_000_000);
    setMtime(dir, "nb.ipynb", 2_000_000_000);
    expect((await sync(dir, "nb.ipynb")).code).toBe(0);
    expect(sources(dir)[2]).toBe("r = 5");

    editNb(dir, 1, "import math  # from the notebook");
    setMtime(dir, "nb.ipynb", 1_000_000);
    setMtime(dir, "nb.py", 2_000_000_000);
    expect((await sync(dir, "nb.py")).code).toBe(0);
    expect(read(dir, "nb.py")).toContain("import math  # from the notebook\n");
    expect(read(dir, "nb.py")).toContain("r = 5\n");
  });

  it("both changed: exit 1 naming the cells, nothing written; --prefer settles it either way", async () => {
    const dir = setup();
    await sync(dir, "nb.ipynb");
    editPy(dir, "r = 2\n", "r = 7\n");
    editNb(dir, 4, "print('notebook edit')");
    const py = read(dir, "nb.py");
    const nb = read(dir, "nb.ipynb");
    const r = await sync(dir, "nb.py");
    expect(r.code).toBe(1);
    expect(r.err).toContain("both nb.py and nb.ipynb changed since the last sync");
    expect(r.err).toContain("In nb.py: cell 3 edited.");
    expect(r.err).toContain("In nb.ipynb: cell 5 edited.");
    expect(r.err).toContain("--prefer py");
    expect(read(dir, "nb.py")).toBe(py);
    expect(read(dir, "nb.ipynb")).toBe(nb);

    const dry = await sync(dir, "nb.py", "--prefer", "py", "--dry-run");
    expect(dry.code).toBe(0);
    expect(dry.out).toContain("would write nb.ipynb");
    expect(read(dir, "nb.ipynb")).toBe(nb);

    const keepPy = await sync(dir, "nb.py", "--prefer", "py");
    expect(keepPy.code, keepPy.err).toBe(0);
    expect(sources(dir)).toEqual([
      "# Circle",
      "import math",
      "r = 7",
      "area = math.pi * r**2\narea",
      "print(area)",
    ]);
    expect(nbJson(dir).cells[1]!.outputs).toEqual([
      { name: "stdout", output_type: "stream", text: ["output of cell 0\n"] },
    ]);
  });

  it("--prefer ipynb keeps the notebook's inputs", async () => {
    const dir = setup();
    await sync(dir, "nb.ipynb");
    editPy(dir, "r = 2\n", "r = 7\n");
    editNb(dir, 4, "print('notebook edit')");
    const nb = read(dir, "nb.ipynb");
    const r = await sync(dir, "nb.ipynb", "--prefer", "ipynb");
    expect(r.code, r.err).toBe(0);
    expect(read(dir, "nb.ipynb")).toBe(nb);
    expect(read(dir, "nb.py")).toContain("r = 2\n");
    expect(read(dir, "nb.py")).toContain("print('notebook edit')\n");
  });

  it("an unpaired .py that differs is never overwritten without --prefer", async () => {
    const dir = setup();
    writeFileSync(join(dir, "nb.py"), "print('my own script')\n");
    const r = await sync(dir, "nb.ipynb");
    expect(r.code).toBe(1);
    expect(r.err).toContain("no fledge sync record");
    expect(read(dir, "nb.py")).toBe("print('my own script')\n");
  });

  it("creates the notebook from a .py, and keeps a CRLF .py in CRLF", async () => {
    const dir = setup();
    rmSync(join(dir, "nb.ipynb"));
    writeFileSync(join(dir, "nb.py"), "# %%\r\nx = 1\r\n\r\n# %% [markdown]\r\n# Notes\r\n");
    const r = await sync(dir, "nb.py");
    expect(r.code, r.err).toBe(0);
    expect(sources(dir)).toEqual(["x = 1", "Notes"]);
    const py = read(dir, "nb.py");
    expect(py.endsWith("# %%\r\nx = 1\r\n\r\n# %% [markdown]\r\n# Notes\r\n")).toBe(true);
    expect(py.replace(/\r\n/g, "").includes("\n")).toBe(false);
    expect((await sync(dir, "nb.py")).out).toContain("already in sync");
  });

  it("bad input: clear message and exit 2", async () => {
    const dir = setup();
    expect((await sync(dir, "missing.ipynb")).code).toBe(2);
    const ext = await sync(dir, "nb.txt");
    expect(ext.code).toBe(2);
    expect(ext.err).toMatch(/neither a notebook/);
    expect((await sync(dir, "nb.ipynb", "--prefer", "newest")).code).toBe(2);
    expect((await sync(dir)).code).toBe(2);
    writeFileSync(join(dir, "broken.ipynb"), '{"cells": [');
    const broken = await sync(dir, "broken.ipynb");
    expect(broken.code).toBe(2);
    expect(broken.err).toContain("broken.ipynb");
    expect(hasNoStackTrace(broken.run)).toBe(true);
    expect(hasNoStackTrace(ext.run)).toBe(true);
  });

  it("refuses a cell the .py cannot hold (unterminated string) and writes nothing", async () => {
    const dir = setup(["s = '''unterminated", "x = 1"]);
    const r = await sync(dir, "nb.ipynb");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cell 2 cannot be written to the percent format/);
    expect(() => statSync(join(dir, "nb.py"))).toThrow();
  });

  it("syncs several pairs in one run", async () => {
    const a = setup();
    writeFileSync(join(a, "other.ipynb"), read(a, "nb.ipynb"));
    const r = await sync(a, "nb.ipynb", "other.ipynb", "--quiet");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe("");
    expect(read(a, "other.py")).toBe(read(a, "nb.py"));
  });

  it("many pairs: reported in the order given, a pair given twice syncs once, an error stops after the pairs before it", async () => {
    // Writes of several pairs overlap (the flush to disk of one runs while the next is converted): the report,
    // a repeated pair and the first error must come out as if the pairs were synced one by one.
    const a = setup();
    const names = ["b", "c", "d", "e", "f"];
    for (const n of names) writeFileSync(join(a, `${n}.ipynb`), read(a, "nb.ipynb"));
    writeFileSync(join(a, "bad.ipynb"), '{"cells": [');
    const args = ["nb.ipynb", "b.ipynb", "c.ipynb", "nb.py", "d.ipynb", "e.ipynb", "bad.ipynb", "f.ipynb"];
    const r = await sync(a, ...args);
    expect(r.code).toBe(2);
    const reported = [...r.out.matchAll(/^(\S+\.py) ⇄ \S+: (.*)$/gm)].map((m) => `${m[1]}: ${m[2]}`);
    expect(reported).toEqual([
      "nb.py: nb.py does not exist: written from nb.ipynb",
      "b.py: b.py does not exist: written from b.ipynb",
      "c.py: c.py does not exist: written from c.ipynb",
      "nb.py: already in sync",
      "d.py: d.py does not exist: written from d.ipynb",
      "e.py: e.py does not exist: written from e.ipynb",
    ]);
    expect(r.err).toMatch(/bad\.ipynb/);
    expect(hasNoStackTrace(r.run)).toBe(true);
    for (const n of ["b", "c", "d", "e"]) expect(read(a, `${n}.py`)).toBe(read(a, "nb.py"));
    expect(() => statSync(join(a, "f.py"))).toThrow();
    expect(() => statSync(join(a, "bad.py"))).toThrow();
  });
});

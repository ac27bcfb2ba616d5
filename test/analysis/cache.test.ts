import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AnalysisCache,
  analysisSalt,
  CACHE_DIR_NAME,
  cacheFileFor,
  cellKey,
  defaultCacheDir,
  projectRoot,
} from "../../src/analysis/cache.js";
import { readNotebookFile } from "../../src/notebook/index.js";
import type { Cell, Notebook } from "../../src/notebook/types.js";
import { analyzeCell, analyzeNotebook, initPython, notebookPythonVersion } from "../../src/python/index.js";
import { corpusDir, ROOT } from "../helpers/env.js";

const FIXTURES = join(ROOT, "test", "fixtures", "notebooks");
let tmp: string;

beforeAll(async () => {
  await initPython();
  tmp = mkdtempSync(join(tmpdir(), "fledge-cache-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function code(source: string, id?: string): Cell {
  return {
    cell_type: "code",
    source,
    metadata: {},
    execution_count: null,
    outputs: [],
    ...(id ? { id } : {}),
  };
}

function notebook(cells: Cell[], version = "3.11.4"): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: "python3", display_name: "Python 3", language: "python" },
      language_info: { name: "python", version },
    },
    cells,
  };
}

const SAMPLE = () =>
  notebook([
    { cell_type: "markdown", source: "# Title", metadata: {}, id: "m0" },
    code("import pandas as pd\ndf = pd.read_csv('a.csv')", "c1"),
    code("X = df\nX['b'] = 1\nplt.plot(X)", "c2"),
    code("import matplotlib.pyplot as plt\n%matplotlib inline\nprint(total)", "c3"),
    code("total = len(df)\ndef f(a):\n    return a + total", "c4"),
  ]);

function ipynbFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...ipynbFiles(join(dir, e.name)));
    else if (e.name.endsWith(".ipynb")) out.push(join(dir, e.name));
  }
  return out.sort();
}

/** Every code cell's analysis survives the JSON round trip the cache makes, exactly (no undefined keys, no -0). */
async function expectRoundTrips(files: string[]): Promise<number> {
  let cells = 0;
  for (const file of files) {
    let nb: Notebook;
    try {
      nb = (await readNotebookFile(file)).notebook;
    } catch {
      continue;
    }
    const pythonVersion = notebookPythonVersion(nb);
    nb.cells.forEach((cell, index) => {
      if (cell.cell_type !== "code") return;
      const { cellIndex: _i, cellId: _c, ...rest } = analyzeCell(cell.source, index, { pythonVersion });
      expect(JSON.parse(JSON.stringify(rest)), `${file} cell ${index}`).toStrictEqual(rest);
      cells++;
    });
  }
  return cells;
}

describe("analysis cache: what is stored is what was analysed", () => {
  it("a cell analysis survives the JSON round trip unchanged (all fixture notebooks)", async () => {
    expect(await expectRoundTrips(ipynbFiles(FIXTURES))).toBeGreaterThan(100);
  });

  it.skipIf(!corpusDir())("… and over the corpus", async () => {
    expect(await expectRoundTrips(ipynbFiles(corpusDir()!))).toBeGreaterThan(1000);
  });
});

describe("analysis cache: lookups", () => {
  it("misses every code cell when empty, then hits them all, giving analyzeNotebook's analysis both times", () => {
    const dir = join(tmp, "basic");
    const file = join(tmp, "basic.ipynb");
    const first = new AnalysisCache().lookup(dir, file, SAMPLE());
    expect([first.hits, first.misses]).toEqual([0, 4]);
    expect(first.finish()).toStrictEqual(analyzeNotebook(SAMPLE()));
    // A new instance (a new process) reads the file.
    const second = new AnalysisCache().lookup(dir, file, SAMPLE());
    expect([second.hits, second.misses]).toEqual([4, 0]);
    const cached = second.finish();
    expect(cached).toStrictEqual(analyzeNotebook(SAMPLE()));
    // The notebook-level pass ran over the cached cells: the alias modification and the receiver rule.
    expect(cached.cells[1]!.modifies.some((m) => m.name === "df" && m.via === "X")).toBe(true);
    expect(cached.cells[1]!.modifies.some((m) => m.name === "plt")).toBe(false);
    expect(cached.cells.map((c) => [c.cellIndex, c.cellId])).toEqual([
      [1, "c1"],
      [2, "c2"],
      [3, "c3"],
      [4, "c4"],
    ]);
  });

  it("re-analyses only an edited cell, and a moved cell keeps its entry with its new index", () => {
    const dir = join(tmp, "edit");
    const file = join(tmp, "edit.ipynb");
    new AnalysisCache().lookup(dir, file, SAMPLE()).finish();
    const edited = SAMPLE();
    edited.cells[3]!.source = "import matplotlib.pyplot as plt\ntotal = 0\nprint(total)";
    [edited.cells[1], edited.cells[2]] = [edited.cells[2]!, edited.cells[1]!];
    const found = new AnalysisCache().lookup(dir, file, edited);
    expect([found.hits, found.misses]).toEqual([3, 1]);
    const analysis = found.finish();
    expect(analysis).toStrictEqual(analyzeNotebook(edited));
    expect(analysis.cells[2]!.defines).toContain("total");
  });

  it("misses when the notebook's Python version changes", () => {
    const dir = join(tmp, "version");
    const file = join(tmp, "version.ipynb");
    const cells = () => [code("try:\n    pass\nexcept* ExceptionGroup:\n    pass\nprint(aiter)")];
    new AnalysisCache().lookup(dir, file, notebook(cells(), "3.11")).finish();
    const older = notebook(cells(), "3.9");
    const found = new AnalysisCache().lookup(dir, file, older);
    expect(found.misses).toBe(1);
    const analysis = found.finish();
    expect(analysis).toStrictEqual(analyzeNotebook(older));
    // Under 3.9 ExceptionGroup and aiter are not builtins: they are reads.
    expect(analysis.cells[0]!.reads.map((r) => r.name)).toEqual(["ExceptionGroup", "aiter"]);
  });

  it("tells apart sources that differ only in a lone surrogate (keys hash UTF-16 code units)", () => {
    const dir = join(tmp, "surrogate");
    const file = join(tmp, "surrogate.ipynb");
    new AnalysisCache().lookup(dir, file, notebook([code("x = '\ud800'")])).finish();
    expect(new AnalysisCache().lookup(dir, file, notebook([code("x = '\ud800'")])).misses).toBe(0);
    expect(new AnalysisCache().lookup(dir, file, notebook([code("x = '\ufffd'")])).misses).toBe(1);
    expect(cellKey("3.11", "a")).not.toBe(cellKey("3.12", "a"));
  });

  it("misses everything when the analysis code's salt changes, and the file is rewritten with the new salt", () => {
    const dir = join(tmp, "salt");
    const file = join(tmp, "salt.ipynb");
    new AnalysisCache({ salt: "one" }).lookup(dir, file, SAMPLE()).finish();
    expect(new AnalysisCache({ salt: "one" }).lookup(dir, file, SAMPLE()).misses).toBe(0);
    const other = new AnalysisCache({ salt: "two" }).lookup(dir, file, SAMPLE());
    expect(other.misses).toBe(4);
    other.finish();
    expect(readFileSync(cacheFileFor(dir, file), "utf8").split("\n", 1)[0]).toBe(
      `fledge-analysis-cache v1 two ${JSON.stringify(file)}`,
    );
    expect(new AnalysisCache({ salt: "two" }).lookup(dir, file, SAMPLE()).misses).toBe(0);
  });

  it("the salt is a hash of the analysis modules' text: editing one changes it", () => {
    const py = join(tmp, "python-src");
    mkdirSync(py);
    writeFileSync(join(py, "analyze.ts"), "export const a = 1;\n");
    writeFileSync(join(py, "scopes.ts"), "export const b = 2;\n");
    const before = analysisSalt(py);
    expect(analysisSalt(py)).toBe(before);
    writeFileSync(join(py, "notes.d.ts"), "declare const x: number;\n");
    writeFileSync(join(py, "analyze.js.map"), "{}");
    expect(analysisSalt(py)).toBe(before);
    appendFileSync(join(py, "scopes.ts"), "// a comment changes the code's text\n");
    expect(analysisSalt(py)).not.toBe(before);
    // The process's own salt: the running python/ folder, computed once.
    expect(analysisSalt()).toMatch(/^[\w-]{22}$/);
    expect(analysisSalt()).toBe(analysisSalt());
  });

  it("ignores and rewrites a corrupt, truncated or foreign cache file", () => {
    const dir = join(tmp, "corrupt");
    const file = join(tmp, "corrupt.ipynb");
    const path = cacheFileFor(dir, file);
    new AnalysisCache().lookup(dir, file, SAMPLE()).finish();
    const good = readFileSync(path, "utf8");
    const lines = good.split("\n");
    const damaged = [
      "",
      "not a cache file at all \u0000\u00ff",
      good.slice(0, Math.floor(good.length / 2)), // truncated: no trailer
      good.slice(0, -1), // no final newline
      good.replace('"defines":[', '"defines":["injected",'), // checksum no longer matches
      good.replace("fledge-analysis-cache v1", "fledge-analysis-cache v0"), // another format
      [...lines.slice(0, 2), ...lines.slice(3)].join("\n"), // a line missing: count and checksum differ
    ];
    for (const text of damaged) {
      writeFileSync(path, text);
      const found = new AnalysisCache().lookup(dir, file, SAMPLE());
      expect(found.misses, JSON.stringify(text.slice(0, 40))).toBe(4);
      expect(found.finish()).toStrictEqual(analyzeNotebook(SAMPLE()));
      expect(readFileSync(path, "utf8")).toBe(good);
    }
  });

  it("a deleted cell drops out of the notebook's file", () => {
    const dir = join(tmp, "deleted");
    const file = join(tmp, "deleted.ipynb");
    new AnalysisCache().lookup(dir, file, SAMPLE()).finish();
    const fewer = SAMPLE();
    fewer.cells.splice(2, 1);
    const found = new AnalysisCache().lookup(dir, file, fewer);
    expect([found.hits, found.misses]).toEqual([3, 0]);
    found.finish();
    const rows = readFileSync(cacheFileFor(dir, file), "utf8").trimEnd().split("\n");
    expect(rows).toHaveLength(1 + 3 + 1);
    expect(rows.at(-1)).toMatch(/^end 3 /);
  });

  it("one file per notebook path; the folder is marked as a cache (.gitignore, CACHEDIR.TAG)", () => {
    const dir = join(tmp, "layout");
    new AnalysisCache().lookup(dir, join(tmp, "a.ipynb"), SAMPLE()).finish();
    new AnalysisCache().lookup(dir, join(tmp, "b.ipynb"), SAMPLE()).finish();
    expect(readdirSync(join(dir, "v1")).filter((n) => n.endsWith(".cells"))).toHaveLength(2);
    expect(readdirSync(join(dir, "v1")).filter((n) => n.endsWith(".tmp"))).toEqual([]);
    expect(readFileSync(join(dir, ".gitignore"), "utf8")).toMatch(/^\*$/m);
    expect(readFileSync(join(dir, "CACHEDIR.TAG"), "utf8")).toMatch(
      /^Signature: 8a477f597d28d172789f06886806bc55\n/,
    );
  });

  it("an existing folder given as the cache gets no .gitignore (it may be the user's)", () => {
    const dir = join(tmp, "existing");
    mkdirSync(dir);
    new AnalysisCache().lookup(dir, join(tmp, "a.ipynb"), SAMPLE()).finish();
    expect(existsSync(join(dir, ".gitignore"))).toBe(false);
    expect(new AnalysisCache().lookup(dir, join(tmp, "a.ipynb"), SAMPLE()).misses).toBe(0);
  });

  it("a cache that cannot be written is reported once and the analysis is still right", () => {
    const blocker = join(tmp, "a-file");
    writeFileSync(blocker, "not a folder");
    const dir = join(blocker, "cache");
    const cache = new AnalysisCache();
    expect(cache.lookup(dir, join(tmp, "a.ipynb"), SAMPLE()).finish()).toStrictEqual(
      analyzeNotebook(SAMPLE()),
    );
    expect(cache.writeError).toEqual({ dir, message: "a part of the path is a file, not a folder" });
    expect(cache.lookup(dir, join(tmp, "b.ipynb"), SAMPLE()).finish()).toStrictEqual(
      analyzeNotebook(SAMPLE()),
    );
  });

  it("store: false analyses without writing", () => {
    const dir = join(tmp, "nostore");
    new AnalysisCache().lookup(dir, join(tmp, "a.ipynb"), SAMPLE(), { store: false }).finish();
    expect(existsSync(dir)).toBe(false);
  });
});

describe("analysis cache: pruning", () => {
  const DAY = 24 * 3_600_000;
  /** A cache folder holding the files of notebooks a.ipynb and b.ipynb, which exist. */
  function twoNotebooks(name: string) {
    const dir = join(tmp, name, "cache");
    const a = join(tmp, name, "a.ipynb");
    const b = join(tmp, name, "b.ipynb");
    mkdirSync(join(tmp, name), { recursive: true });
    for (const f of [a, b]) {
      writeFileSync(f, "{}");
      new AnalysisCache().lookup(dir, f, SAMPLE()).finish();
    }
    return {
      dir,
      a,
      b,
      cells: () =>
        readdirSync(join(dir, "v1"))
          .filter((n) => n.endsWith(".cells"))
          .sort(),
    };
  }

  it("deletes the files of notebooks that no longer exist, and keeps the others' hits", () => {
    const { dir, a, b, cells } = twoNotebooks("prune-gone");
    expect(cells()).toHaveLength(2);
    rmSync(b);
    expect(new AnalysisCache().prune(dir)).toBe(1);
    expect(cells()).toEqual([cacheFileFor(dir, a).split(/[\\/]/).pop()]);
    expect(new AnalysisCache().lookup(dir, a, SAMPLE()).misses).toBe(0);
  });

  it("prunes at most once a day per folder", () => {
    const { dir, a, b, cells } = twoNotebooks("prune-daily");
    const now = Date.now();
    expect(new AnalysisCache().prune(dir, { now })).toBe(0);
    rmSync(b);
    expect(new AnalysisCache().prune(dir, { now: now + DAY / 2 })).toBe(0);
    expect(cells()).toHaveLength(2);
    expect(new AnalysisCache().prune(dir, { now: now + DAY + 1 })).toBe(1);
    rmSync(a);
    expect(new AnalysisCache().prune(dir, { now: now + DAY + 2 })).toBe(0);
    expect(cells()).toHaveLength(1);
  });

  it("deletes foreign files and temporary files older than an hour, not younger ones", () => {
    const { dir, cells } = twoNotebooks("prune-junk");
    const v1 = join(dir, "v1");
    writeFileSync(join(v1, "0123456789abcdef01234567.cells"), "not a cache file\n");
    writeFileSync(join(v1, "old.cells.1-aa.tmp"), "half");
    writeFileSync(join(v1, "new.cells.2-bb.tmp"), "half");
    const hourAgo = (Date.now() - 2 * 3_600_000) / 1000;
    utimesSync(join(v1, "old.cells.1-aa.tmp"), hourAgo, hourAgo);
    expect(new AnalysisCache().prune(dir)).toBe(2);
    expect(cells()).toHaveLength(2);
    expect(readdirSync(v1).filter((n) => n.endsWith(".tmp"))).toEqual(["new.cells.2-bb.tmp"]);
  });

  it("does nothing in a folder without a cache, or read-only", () => {
    expect(new AnalysisCache().prune(join(tmp, "prune-none"))).toBe(0);
    expect(existsSync(join(tmp, "prune-none"))).toBe(false);
    const { dir, b, cells } = twoNotebooks("prune-readonly");
    rmSync(b);
    expect(new AnalysisCache({ readOnly: true }).prune(dir)).toBe(0);
    expect(cells()).toHaveLength(2);
  });
});

describe("analysis cache: where it lives", () => {
  it("in the nearest folder with a pyproject.toml or .git above the notebook, else the current folder", () => {
    const project = join(tmp, "proj");
    mkdirSync(join(project, "notebooks", "deep"), { recursive: true });
    writeFileSync(join(project, "pyproject.toml"), "[project]\nname = 'x'\n");
    expect(projectRoot(join(project, "notebooks", "deep", "a.ipynb"), "/")).toBe(project);
    expect(defaultCacheDir(join(project, "notebooks", "a.ipynb"), "/")).toBe(join(project, CACHE_DIR_NAME));
    const repo = join(tmp, "repo");
    mkdirSync(join(repo, ".git"), { recursive: true });
    mkdirSync(join(repo, "nb"));
    expect(projectRoot(join(repo, "nb", "a.ipynb"), "/")).toBe(repo);
    expect(projectRoot("nb/a.ipynb", repo)).toBe(repo);
  });
});

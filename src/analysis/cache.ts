/**
 * A persistent per-cell cache of the Python analysis for `fledge check`, so that re-checking notebooks whose cells
 * did not change skips their parse (and, when every cell hits, loading the grammar at all).
 *
 * Unit: one code cell's `CellAnalysis`, a pure function of (cell source, Python version, analysis code). It is
 * stored without `cellIndex`/`cellId` (restored on a hit) and before the notebook-level pass
 * (`finishNotebookAnalysis`), which then runs over cached and fresh cells alike. Analyses are made without
 * statement shapes (`AnalyzeOptions.shapes`), as check needs none: a caller wanting shapes must not use this cache.
 *
 * Layout: `<cache dir>/v1/<hash of the notebook's absolute path>.cells`, one file per notebook holding only its
 * current code cells (a deleted cell drops out on the next write). The cache dir (default `.fledge_cache` in the
 * notebook's project root: the nearest folder above it with a pyproject.toml or .git, else the current folder)
 * gets a `.gitignore` (`*`) and a `CACHEDIR.TAG` when fledge creates it. File format (UTF-8 text):
 *
 *   fledge-analysis-cache v1 <salt> <the notebook's absolute path, as a JSON string>
 *   <key>\t<CellAnalysis JSON without cellIndex/cellId>      one line per code cell, in notebook order
 *   end <number of cell lines> <sha256 of everything above, base64url>
 *
 * key = SHA-256 of (Python version, cell source as UTF-16), 132 bits; salt = SHA-256 of the text of this module
 * and of the python/ modules that run (src/*.ts under tsx, dist/*.js when built) and of the grammar/runtime wasm
 * files' size and mtime, ~5 ms once per process — so any rebuild of the analysis code misses, whatever
 * package.json's version says.
 * A file with another header, a missing or wrong trailer, or a line that does not parse is ignored (as if absent)
 * and rewritten. Writes go to a temporary file in the same folder renamed over the target (atomic; concurrent
 * processes each rename a complete file, the last one wins); no fsync: the cache is disposable, and a file torn
 * by a crash fails the trailer check. A write that fails disables writing for the rest of the run and is
 * reported through `writeError` (the CLI prints one note); reading never fails.
 *
 * Pruning (`prune`, at most once a day per cache folder, run by the CLI after a check): the files of notebooks
 * that no longer exist (the header names the notebook) and temporary files older than an hour are deleted.
 *
 * Reads and writes files; never prints.
 */
import { createHash, randomBytes } from "node:crypto";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Notebook } from "../notebook/types.js";
import {
  type AnalyzeOptions,
  analyzeCell,
  finishNotebookAnalysis,
  notebookPythonVersion,
  pythonWasmFiles,
} from "../python/index.js";
import type { CellAnalysis, NotebookAnalysis } from "../python/types.js";

/** Bump when the file format or what is stored changes. */
const FORMAT = "v1";
const HEADER = "fledge-analysis-cache";
/** The default cache folder's name, in the project root. */
export const CACHE_DIR_NAME = ".fledge_cache";

const sha256 = (text: string) => createHash("sha256").update(text).digest("base64url");

let processSalt: string | undefined;

/** A cell's key: its Python version and source, hashed as UTF-16 code units (lossless, even for lone surrogates). */
export function cellKey(pythonVersion: string, source: string): string {
  return createHash("sha256")
    .update(`${pythonVersion}\n${source}`, "utf16le")
    .digest("base64url")
    .slice(0, 22);
}

/**
 * What the analysis code is: a hash of the python/ modules' text (the files of the build that runs) and of the
 * wasm files' size and mtime. Memoised for the default folder.
 */
export function analysisSalt(pythonDir?: string): string {
  if (pythonDir === undefined && processSalt !== undefined) return processSalt;
  const dir = pythonDir ?? fileURLToPath(new URL("../python/", import.meta.url));
  const hash = createHash("sha256").update(`${FORMAT}\0`);
  const names = readdirSync(dir)
    .filter((n) => /\.(?:ts|js)$/.test(n) && !n.endsWith(".d.ts"))
    .sort();
  for (const name of names)
    hash
      .update(`${name}\0`)
      .update(readFileSync(join(dir, name)))
      .update("\0");
  if (pythonDir === undefined) {
    // This module too: how records are stored and restored.
    hash.update(readFileSync(fileURLToPath(import.meta.url)));
    let wasm: [string, string][];
    try {
      const files = pythonWasmFiles();
      wasm = [
        ["grammar", files.grammar],
        ["runtime", files.runtime],
      ];
    } catch {
      wasm = [];
      hash.update("wasm\0missing\0");
    }
    for (const [label, file] of wasm) {
      try {
        const st = statSync(file);
        hash.update(`${label}\0${st.size}\0${st.mtimeMs}\0`);
      } catch {
        hash.update(`${label}\0missing\0`);
      }
    }
  }
  const salt = hash.digest("base64url").slice(0, 22);
  if (pythonDir === undefined) processSalt = salt;
  return salt;
}

/** The project root of a notebook: the nearest folder above it with a pyproject.toml or .git, else `cwd`. */
export function projectRoot(notebookFile: string, cwd: string): string {
  let dir = dirname(resolve(cwd, notebookFile));
  for (;;) {
    if (existsSync(join(dir, "pyproject.toml")) || existsSync(join(dir, ".git"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(cwd);
    dir = parent;
  }
}

/** The default cache folder for a notebook: `.fledge_cache` in its project root. */
export function defaultCacheDir(notebookFile: string, cwd: string): string {
  return join(projectRoot(notebookFile, cwd), CACHE_DIR_NAME);
}

/** Where a notebook's entries live inside a cache folder. */
export function cacheFileFor(cacheDir: string, notebookFile: string): string {
  const key = createHash("sha256").update(resolve(notebookFile)).digest("hex").slice(0, 24);
  return join(cacheDir, FORMAT, `${key}.cells`);
}

/** One notebook looked up: how many code cells must be analysed afresh, and `finish()` to get the analysis. */
export interface CacheLookup {
  hits: number;
  misses: number;
  /** The notebook's analysis (as `analyzeNotebook` gives it). With misses, `await initPython()` must have run. */
  finish(): NotebookAnalysis;
}

export interface AnalysisCacheOptions {
  /** Override the analysis-code salt (tests). */
  salt?: string;
  /** Look up, but never write (default false). */
  readOnly?: boolean;
}

interface Entry {
  key: string;
  /** The stored line's JSON text (what a rewrite puts back). */
  text: string;
}

type Stored = Omit<CellAnalysis, "cellIndex" | "cellId">;

export class AnalysisCache {
  readonly salt: string;
  readonly readOnly: boolean;
  /** Set when a write failed (writing is then off for the rest of the run). */
  writeError: { dir: string; message: string } | undefined;
  /** The latest notebook's entries, by path: a second lookup of it in the same run (--stats, --fix) hits. */
  private recent: { file: string; entries: Map<string, string> } | undefined;
  private readonly readyDirs = new Set<string>();

  constructor(options: AnalysisCacheOptions = {}) {
    this.salt = options.salt ?? analysisSalt();
    this.readOnly = options.readOnly ?? false;
  }

  /**
   * Look up the notebook's code cells in `cacheDir`; `file` names the notebook (its absolute path is the key).
   * `store: false`: do not write what `finish()` analyses (a notebook that is not the file's content, such as
   * what --fix made of it).
   */
  lookup(cacheDir: string, file: string, nb: Notebook, options: { store?: boolean } = {}): CacheLookup {
    const path = cacheFileFor(cacheDir, file);
    const header = this.header(file);
    const stored = this.recent?.file === path ? this.recent.entries : this.read(path, header);
    const pythonVersion = notebookPythonVersion(nb);
    const slots: { index: number; source: string; cellId?: string; key: string; cached?: Stored }[] = [];
    let hits = 0;
    nb.cells.forEach((cell, index) => {
      if (cell.cell_type !== "code") return;
      const key = cellKey(pythonVersion, cell.source);
      const slot: (typeof slots)[number] = { index, source: cell.source, key };
      if (typeof cell.id === "string") slot.cellId = cell.id;
      const text = stored.get(key);
      if (text !== undefined) {
        const parsed = parseStored(text);
        if (parsed) {
          slot.cached = parsed;
          hits++;
        }
      }
      slots.push(slot);
    });
    return {
      hits,
      misses: slots.length - hits,
      finish: () => {
        const entries: Entry[] = [];
        const cells = slots.map((s) => {
          let analysis: CellAnalysis;
          if (s.cached) {
            analysis = { cellIndex: s.index, ...s.cached };
            entries.push({ key: s.key, text: stored.get(s.key)! });
          } else {
            const options: AnalyzeOptions = { pythonVersion };
            analysis = analyzeCell(s.source, s.index, options);
            // Serialised now: the notebook-level pass below mutates `modifies`.
            const { cellIndex: _i, cellId: _c, ...rest } = analysis;
            entries.push({ key: s.key, text: JSON.stringify(rest) });
          }
          if (s.cellId !== undefined) analysis.cellId = s.cellId;
          return analysis;
        });
        const now = new Map(entries.map((e) => [e.key, e.text]));
        if (options.store === false) return finishNotebookAnalysis(pythonVersion, cells);
        this.recent = { file: path, entries: now };
        const unchanged =
          slots.length === hits && stored.size === now.size && [...now.keys()].every((k) => stored.has(k));
        if (!unchanged) this.write(cacheDir, path, header, entries);
        return finishNotebookAnalysis(pythonVersion, cells);
      },
    };
  }

  /** A notebook's cache file's first line: format, salt and the notebook it belongs to. */
  private header(notebookFile: string): string {
    return `${HEADER} ${FORMAT} ${this.salt} ${JSON.stringify(resolve(notebookFile))}`;
  }

  /** The entries of a cache file; empty when it is missing, foreign, truncated or corrupt. */
  private read(path: string, header: string): Map<string, string> {
    const entries = new Map<string, string>();
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch {
      return entries;
    }
    const headerEnd = text.indexOf("\n");
    if (text.slice(0, headerEnd) !== header) return entries;
    const trailerStart = text.lastIndexOf("\nend ", text.length - 2) + 1;
    if (trailerStart <= 0 || !text.endsWith("\n")) return entries;
    const body = text.slice(0, trailerStart);
    const [, count, sum] = text.slice(trailerStart, -1).split(" ");
    if (sum !== sha256(body)) return entries;
    const lines = body.slice(headerEnd + 1, -1);
    const rows = lines === "" ? [] : lines.split("\n");
    if (String(rows.length) !== count) return entries;
    for (const row of rows) {
      const tab = row.indexOf("\t");
      if (tab <= 0) return new Map();
      entries.set(row.slice(0, tab), row.slice(tab + 1));
    }
    return entries;
  }

  private write(cacheDir: string, path: string, header: string, entries: Entry[]): void {
    if (this.readOnly || this.writeError) return;
    const seen = new Set<string>();
    let body = `${header}\n`;
    let count = 0;
    for (const e of entries) {
      if (seen.has(e.key)) continue;
      seen.add(e.key);
      body += `${e.key}\t${e.text}\n`;
      count++;
    }
    const temp = `${path}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`;
    try {
      this.prepareDir(cacheDir);
      writeFileSync(temp, `${body}end ${count} ${sha256(body)}\n`);
      renameSync(temp, path);
    } catch (err) {
      try {
        unlinkSync(temp);
      } catch {
        // never created
      }
      this.writeError = { dir: cacheDir, message: writeProblem(err) };
    }
  }

  /**
   * Deletes the files of notebooks that no longer exist and temporary files older than an hour, at most once
   * per `interval` (default a day; a stamp file keeps the time) per cache folder. Best effort: never throws,
   * and a file that cannot be read or deleted is left. Returns how many files it deleted.
   */
  prune(cacheDir: string, options: { now?: number; interval?: number } = {}): number {
    if (this.readOnly) return 0;
    const now = options.now ?? Date.now();
    const folder = join(cacheDir, FORMAT);
    const stamp = join(folder, PRUNE_STAMP);
    try {
      if (now - statSync(stamp).mtimeMs < (options.interval ?? DAY_MS)) return 0;
    } catch {
      // Never pruned, or no cache here at all.
    }
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      return 0;
    }
    let deleted = 0;
    const remove = (name: string) => {
      try {
        unlinkSync(join(folder, name));
        deleted++;
      } catch {
        // Gone already, or not ours to delete.
      }
    };
    for (const name of names) {
      if (name.endsWith(".tmp")) {
        try {
          if (now - statSync(join(folder, name)).mtimeMs > HOUR_MS) remove(name);
        } catch {
          // Renamed into place meanwhile.
        }
      } else if (name.endsWith(".cells")) {
        const notebook = notebookOf(join(folder, name));
        if (notebook === null || (notebook !== undefined && !existsSync(notebook))) remove(name);
      }
    }
    try {
      writeFileSync(stamp, "");
      utimesSync(stamp, now / 1000, now / 1000);
    } catch {
      // Pruned again next time.
    }
    return deleted;
  }

  /** Create the cache folder (with its .gitignore and CACHEDIR.TAG when fledge makes it) and its format folder. */
  private prepareDir(cacheDir: string): void {
    if (this.readyDirs.has(cacheDir)) return;
    let created = false;
    mkdirSync(dirname(cacheDir), { recursive: true });
    try {
      mkdirSync(cacheDir);
      created = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    if (created) {
      writeIfAbsent(join(cacheDir, ".gitignore"), "# Created by fledge: this folder is a cache.\n*\n");
      writeIfAbsent(
        join(cacheDir, "CACHEDIR.TAG"),
        "Signature: 8a477f597d28d172789f06886806bc55\n" +
          "# This file marks a cache folder made by fledge (see https://bford.info/cachedir/).\n",
      );
    }
    mkdirSync(join(cacheDir, FORMAT), { recursive: true });
    this.readyDirs.add(cacheDir);
  }
}

const PRUNE_STAMP = ".last-prune";
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * The notebook a cache file belongs to, from its header: a path, null when the file is not a cache file of this
 * format (it would never be read again), undefined when it cannot be read.
 */
function notebookOf(cacheFile: string): string | null | undefined {
  let fd: number;
  try {
    fd = openSync(cacheFile, "r");
  } catch {
    return undefined;
  }
  try {
    const buf = Buffer.alloc(8192);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const text = buf.toString("utf8", 0, n);
    const end = text.indexOf("\n");
    const prefix = `${HEADER} ${FORMAT} `;
    if (end === -1) return n < buf.length ? null : undefined;
    const line = text.slice(0, end);
    if (!line.startsWith(prefix)) return null;
    const space = line.indexOf(" ", prefix.length);
    if (space === -1) return null;
    try {
      const path = JSON.parse(line.slice(space + 1)) as unknown;
      return typeof path === "string" && path !== "" ? path : null;
    } catch {
      return null;
    }
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function writeProblem(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EROFS":
      return "read-only file system";
    case "ENOTDIR":
    case "EEXIST":
      return "a part of the path is a file, not a folder";
    case "ENOSPC":
      return "the disk is full";
    default:
      return e?.code ?? e?.message ?? String(err);
  }
}

function writeIfAbsent(path: string, text: string): void {
  try {
    writeFileSync(path, text, { flag: "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
}

/** A stored line back to a cell analysis; undefined when it is not one (then the cell is analysed afresh). */
function parseStored(text: string): Stored | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  for (const k of ["defines", "reads", "modifies", "deletes", "imports", "functions", "calls", "magics"]) {
    if (!Array.isArray(o[k])) return undefined;
  }
  if (!Array.isArray(o.diagnostics) || !Array.isArray(o.statements) || !Array.isArray(o.indirectReads))
    return undefined;
  if (typeof o.aliases !== "object" || o.aliases === null || typeof o.opaque !== "boolean") return undefined;
  return v as Stored;
}

/**
 * Formatting and linting of generated Python with ruff's WebAssembly build, in-process.
 *
 * The settings here are the ones written into the project's `[tool.ruff]`, so `ruff check` and
 * `ruff format --check` with the real ruff (pinned to the same version in the dev extras) agree with
 * what fledge produced. Lint fixes ruff offers for safe, mechanical rules (import sorting, unused
 * imports, pyupgrade) are applied; what remains in the user's own code (an ambiguous name `l`, a
 * bare `except`) gets a targeted `# noqa: CODE` so the project is clean without rewriting user logic.
 */
import { PositionEncoding, Workspace } from "@astral-sh/ruff-wasm-nodejs";
import { FledgeError } from "../errors.js";

/** The version of the WebAssembly build, which the generated project pins for its dev tools. */
export const RUFF_VERSION = "0.17.4";

export const RUFF_SELECT = ["E", "F", "W", "I", "UP"] as const;
/** E501: the formatter decides line length; long strings and comments from the notebook stay as written. */
export const RUFF_IGNORE = ["E501"] as const;
export const LINE_LENGTH = 99;

/** Rules whose ruff fix is applied automatically (mechanical, behaviour-preserving). */
const AUTOFIX = /^(I001|I002|F401|F541|UP\d+|W291|W293|E401|E703|E711|E712)$/;

export interface RuffSettings {
  "line-length": number;
  "target-version": string;
  lint: { select: string[]; ignore: string[]; isort: { "known-first-party": string[] } };
}

export function ruffSettings(packageName: string, pythonVersion: string): RuffSettings {
  return {
    "line-length": LINE_LENGTH,
    "target-version": targetVersion(pythonVersion),
    lint: {
      select: [...RUFF_SELECT],
      ignore: [...RUFF_IGNORE],
      isort: { "known-first-party": [packageName] },
    },
  };
}

/** "3.11" → "py311" (ruff's spelling), clamped to what ruff 0.17 knows (py37–py314). */
export function targetVersion(pythonVersion: string): string {
  const [, minor = "11"] = pythonVersion.split(".");
  const m = Math.min(14, Math.max(8, Number(minor) || 11));
  return `py3${m}`;
}

interface RuffDiagnostic {
  code: string | null;
  message: string;
  start_location: { row: number; column: number };
  end_location: { row: number; column: number };
  fix: {
    edits: {
      content: string | null;
      location: { row: number; column: number };
      end_location: { row: number; column: number };
    }[];
  } | null;
}

const workspaces = new Map<string, Workspace>();

function workspace(settings: RuffSettings): Workspace {
  const key = JSON.stringify(settings);
  let ws = workspaces.get(key);
  if (!ws) {
    // One workspace per package name; keep only a few (a benchmark extracts hundreds of packages).
    if (workspaces.size >= 8) {
      for (const old of workspaces.values()) old.free();
      workspaces.clear();
    }
    ws = new Workspace(settings, PositionEncoding.Utf16);
    workspaces.set(key, ws);
  }
  return ws;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function offsetOf(starts: number[], row: number, column: number, length: number): number {
  const base = starts[row - 1];
  if (base === undefined) return length;
  return Math.min(length, base + column - 1);
}

function check(ws: Workspace, file: string, code: string): RuffDiagnostic[] {
  try {
    return ws.check(code) as RuffDiagnostic[];
  } catch (err) {
    throw new FledgeError(
      "E_INTERNAL",
      `ruff could not lint the generated ${file}: ${(err as Error).message}`,
    );
  }
}

/** Apply the fixes of fixable diagnostics that do not overlap; returns undefined when nothing applied. */
function applyFixes(code: string, diagnostics: RuffDiagnostic[]): string | undefined {
  const starts = lineStarts(code);
  const edits: { from: number; to: number; content: string }[] = [];
  for (const d of diagnostics) {
    if (!d.fix || !d.code || !AUTOFIX.test(d.code)) continue;
    const mine = d.fix.edits.map((e) => ({
      from: offsetOf(starts, e.location.row, e.location.column, code.length),
      to: offsetOf(starts, e.end_location.row, e.end_location.column, code.length),
      content: e.content ?? "",
    }));
    const overlaps = mine.some((m) => edits.some((e) => m.from < e.to && e.from < m.to));
    if (!overlaps) edits.push(...mine);
  }
  if (edits.length === 0) return undefined;
  edits.sort((a, b) => b.from - a.from);
  let out = code;
  for (const e of edits) out = out.slice(0, e.from) + e.content + out.slice(e.to);
  return out;
}

/** Lines (1-based) that are inside a triple-quoted string, where a `# noqa` comment would change the value. */
function linesInsideStrings(code: string): Set<number> {
  const inside = new Set<number>();
  let line = 1;
  let quote: string | undefined;
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (c === "\n") {
      line++;
      if (quote) inside.add(line - 1);
      continue;
    }
    if (!quote && c === "#") {
      while (i + 1 < code.length && code[i + 1] !== "\n") i++;
      continue;
    }
    const three = code.slice(i, i + 3);
    if (three === '"""' || three === "'''") {
      if (!quote) quote = three;
      else if (quote === three) quote = undefined;
      i += 2;
    } else if (!quote && (c === '"' || c === "'")) {
      // skip a one-line string
      let j = i + 1;
      while (j < code.length && code[j] !== c && code[j] !== "\n") j += code[j] === "\\" ? 2 : 1;
      i = j;
    }
  }
  return inside;
}

function addNoqa(code: string, diagnostics: RuffDiagnostic[]): string {
  const byLine = new Map<number, Set<string>>();
  for (const d of diagnostics) {
    if (!d.code) continue;
    const set = byLine.get(d.start_location.row) ?? new Set<string>();
    set.add(d.code);
    byLine.set(d.start_location.row, set);
  }
  if (byLine.size === 0) return code;
  const blocked = linesInsideStrings(code);
  const lines = code.split("\n");
  for (const [row, codes] of byLine) {
    const text = lines[row - 1];
    if (text === undefined || blocked.has(row)) continue;
    lines[row - 1] = `${text}  # noqa: ${[...codes].sort().join(", ")}`;
  }
  return lines.join("\n");
}

export interface RuffResult {
  code: string;
  /** Rule codes silenced with `# noqa` in the user's code, for the report. */
  silenced: string[];
}

/**
 * Lint-fix then format one generated Python file. Throws an internal error naming the file when
 * ruff cannot parse it (a generated file must always be valid Python).
 */
/** Counters for benchmarks: files processed, extra fix rounds, time spent in ruff. */
export const ruffStats = { files: 0, fixRounds: 0, ms: 0, fixedCodes: new Map<string, number>() };

export function ruffFile(file: string, code: string, settings: RuffSettings): RuffResult {
  const started = performance.now();
  try {
    return ruffFileInner(file, code, settings);
  } finally {
    ruffStats.files++;
    ruffStats.ms += performance.now() - started;
  }
}

function ruffFileInner(file: string, code: string, settings: RuffSettings): RuffResult {
  const ws = workspace(settings);
  // Format first, then lint: usually one format and one check; a round of fixes adds one of each.
  let current = format(ws, file, code);
  let diagnostics = check(ws, file, current);
  for (let round = 0; round < 6; round++) {
    const syntax = diagnostics.find((d) => d.code === null || d.code === "invalid-syntax");
    if (syntax) {
      throw new FledgeError(
        "E_INTERNAL",
        `fledge generated invalid Python in ${file} (line ${syntax.start_location.row}): ${syntax.message}`,
        { hint: "This is a bug in fledge's code generation; please report it with the notebook." },
      );
    }
    const fixed = applyFixes(current, diagnostics);
    if (fixed === undefined) break;
    ruffStats.fixRounds++;
    for (const d of diagnostics)
      if (d.fix && d.code) ruffStats.fixedCodes.set(d.code, (ruffStats.fixedCodes.get(d.code) ?? 0) + 1);
    current = format(ws, file, fixed);
    diagnostics = check(ws, file, current);
  }
  const silenced = [...new Set(diagnostics.map((d) => d.code ?? "syntax"))].sort();
  if (diagnostics.length > 0) current = format(ws, file, addNoqa(current, diagnostics));
  return { code: current, silenced };
}

function format(ws: Workspace, file: string, code: string): string {
  try {
    return ws.format(code);
  } catch (err) {
    throw new FledgeError(
      "E_INTERNAL",
      `ruff could not format the generated ${file}: ${(err as Error).message}`,
      { hint: "This is a bug in fledge's code generation; please report it with the notebook." },
    );
  }
}

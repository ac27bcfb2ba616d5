/**
 * Statement source text for the generated modules: each top-level statement sliced from its cell by
 * the analyzer's span (with the comments written just above it), IPython syntax turned into Python
 * following the policy table of docs/product (drop, keep the body, subprocess, or a marked TODO).
 */
import type { CellAnalysis, Magic, StatementRecord } from "../python/types.js";
import { pipInstallRequirements } from "./distributions.js";
import type { ExtractFinding } from "./model.js";

export interface StatementSource {
  cell: number;
  index: number;
  record: StatementRecord;
  /** Python text after the magic policy, without leading comments. */
  code: string;
  /** Comment lines written just above the statement in the cell. */
  comments: string[];
  /** Offset of the raw slice in the (\n-normalised) cell source, for locating literals. */
  offset: number;
  /** The raw slice (before magic rewriting), for --stubs and the README. */
  raw: string;
}

/** Normalise line endings to \n (CRLF notebooks from Windows). Spans count lines, so this keeps them valid. */
export function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}

export function lineStartOffsets(src: string): number[] {
  const starts = [0];
  for (let i = 0; i < src.length; i++) if (src.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

export function offsetAt(starts: number[], src: string, line: number, column: number): number {
  const base = starts[line - 1];
  if (base === undefined) return src.length;
  const lineEnd = starts[line] !== undefined ? starts[line]! - 1 : src.length;
  return Math.min(lineEnd, base + Math.max(0, column - 1));
}

/** Line magics that only configure the interactive session: dropped from generated code. */
const SESSION_MAGICS = new Set([
  "matplotlib",
  "load_ext",
  "reload_ext",
  "autoreload",
  "aimport",
  "config",
  "who",
  "whos",
  "who_ls",
  "lsmagic",
  "pylab",
  "precision",
  "pprint",
  "xmode",
  "pdb",
  "debug",
  "history",
  "reset",
  "reset_selective",
  "store",
  "notebook",
  "qtconsole",
  "connect_info",
  "colors",
  "magic",
  "page",
  "pinfo",
  "pinfo2",
  "psearch",
  "doctest_mode",
  "automagic",
  "autocall",
  "tb",
  "env_list",
  "watermark",
  "version_information",
]);

/** Cell magics whose body is Python and stays (the timing or capture is dropped). */
export const PYTHON_BODY_CELL_MAGICS = new Set(["time", "timeit", "capture", "prun", "memit", "skip"]);

const SHELL_META = /[|&;<>()$`{}*?~[\]\\]/;

/** POSIX-like word splitting with single and double quotes (no expansions: callers rule those out). */
export function splitWords(cmd: string): string[] | undefined {
  const words: string[] = [];
  let cur = "";
  let inWord = false;
  let quote: string | undefined;
  for (const c of cmd) {
    if (quote) {
      if (c === quote) quote = undefined;
      else cur += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = "";
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quote) return undefined;
  if (inWord) words.push(cur);
  return words;
}

/** `!cmd args` (or `%sx`, `%system`) → a subprocess.run call. `assigned` captures stdout lines like IPython's SList. */
export function shellToPython(command: string, assigned: string | undefined): string {
  const cmd = command.trim();
  const words = SHELL_META.test(cmd) ? undefined : splitWords(cmd);
  const needsShell = words === undefined;
  const interpolated = /\{[^}]*\}|\$[A-Za-z_]/.test(cmd);
  let argExpr: string;
  if (words) {
    argExpr = `[${words.map((w) => JSON.stringify(w)).join(", ")}]`;
  } else if (interpolated) {
    // IPython expands {expr} and $name from the Python namespace: an f-string does the same.
    const body = cmd
      .replace(/\\/g, "\\\\")
      .replace(/"/g, '\\"')
      .replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, "{$1}");
    argExpr = `f"${body}"`;
  } else {
    argExpr = JSON.stringify(cmd);
  }
  const shell = needsShell ? ", shell=True" : "";
  if (assigned) {
    return `${assigned} = subprocess.run(${argExpr}${shell}, capture_output=True, text=True, check=True).stdout.splitlines()`;
  }
  return `subprocess.run(${argExpr}${shell}, check=True)`;
}

export interface MagicOutcome {
  /** Replacement lines (possibly none) for the magic's line. */
  lines: string[];
  findings: ExtractFinding[];
  /** Requirements from pip install lines. */
  requirements: string[];
  usesSubprocess: boolean;
  usesOs: boolean;
}

/** Rewrite one line holding a line magic or shell escape. `indent` is the line's leading whitespace. */
export function rewriteMagicLine(
  magic: Magic,
  lineText: string,
  cell: number,
  step: string | undefined,
): MagicOutcome {
  const indent = lineText.match(/^\s*/)?.[0] ?? "";
  const out: MagicOutcome = {
    lines: [],
    findings: [],
    requirements: [],
    usesSubprocess: false,
    usesOs: false,
  };
  const prefix = magic.assignedTo ? "" : indent;
  const where = { cell, line: magic.span.line, ...(step ? { step } : {}) };
  const original = lineText.trim();
  if (magic.kind === "help") return out;
  if (magic.kind === "shell" || (magic.kind === "line-magic" && ["sx", "system"].includes(magic.name))) {
    // For `!` lines `args` is the whole command; `%sx cmd` / `%system cmd` give the command as args too.
    const command = magic.args.trim() || magic.name;
    if (
      ["pip", "pip3", "conda", "mamba", "uv"].includes(magic.name) ||
      /^(python -m )?pip3? /.test(command)
    ) {
      out.requirements.push(...pipInstallRequirements(command.replace(/^python -m /, "")));
      return out;
    }
    out.usesSubprocess = true;
    out.lines.push(`${indent}# From the notebook: ${original}`);
    const assigned = magic.assignedTo;
    out.lines.push(`${indent}${shellToPython(command, assigned)}`);
    out.findings.push({
      code: "shell-command",
      severity: "info",
      message: `shell command \`${original}\` became subprocess.run(); check it runs where the pipeline runs`,
      ...where,
    });
    return out;
  }
  // line magics
  switch (magic.name) {
    case "time":
    case "timeit":
    case "prun":
    case "capture":
    case "memit": {
      const stmt = magic.args.replace(/^(\s*-\w+(\s+\d+)?)*\s*/, "");
      if (stmt) out.lines.push(`${prefix}${magic.assignedTo ? `${magic.assignedTo} = ` : ""}${stmt}`);
      return out;
    }
    case "pip":
    case "conda":
      out.requirements.push(...pipInstallRequirements(magic.args));
      return out;
    case "env": {
      const m = magic.args.trim().match(/^([A-Za-z_][A-Za-z0-9_]*)\s*[= ]\s*(.*)$/);
      if (m) {
        out.usesOs = true;
        out.lines.push(`${indent}os.environ[${JSON.stringify(m[1])}] = ${JSON.stringify(m[2] ?? "")}`);
      }
      return out;
    }
    case "run":
      out.lines.push(
        `${indent}# TODO(fledge): \`${original}\` ran another file in the notebook's namespace; import what this step needs from it instead.`,
      );
      out.findings.push({
        code: "run-magic",
        severity: "warning",
        message: `\`${original}\` runs another file whose names fledge cannot see; the names it defined are parameters or TODOs`,
        todo: true,
        ...where,
      });
      return out;
    default:
      if (SESSION_MAGICS.has(magic.name)) return out;
      out.lines.push(`${indent}# TODO(fledge): IPython magic \`${original}\` has no Python equivalent here.`);
      out.findings.push({
        code: "run-magic",
        severity: "warning",
        message: `IPython magic \`${original}\` was left as a TODO comment`,
        todo: true,
        ...where,
      });
      return out;
  }
}

/** Is a cell a non-Python cell magic (%%bash, %%writefile, %%sql …)? */
export function nonPythonCellMagic(analysis: CellAnalysis): Magic | undefined {
  return analysis.magics.find(
    (m) => m.kind === "cell-magic" && !(m.bodyIsPython ?? PYTHON_BODY_CELL_MAGICS.has(m.name)),
  );
}

export interface SliceResult {
  source: StatementSource;
  outcome: MagicOutcome;
}

/**
 * Slice statement `index` of a cell and apply the magic policy to its lines.
 * `literalEdits` (offsets in the cell source) replace parameter literals before the magic rewrite.
 */
export function sliceStatement(
  cellSource: string,
  analysis: CellAnalysis,
  index: number,
  step: string | undefined,
  literalEdits: { from: number; to: number; text: string }[] = [],
): SliceResult {
  const src = normalizeNewlines(cellSource);
  const starts = lineStartOffsets(src);
  const record = analysis.statements[index]!;
  const span = record.span;
  const sharesLine = (line: number) =>
    analysis.statements.some((s, i) => i !== index && (s.span.line === line || s.span.endLine === line));
  // Whole lines unless another statement shares the line (`a = 1; b = 2`).
  const startLine = span.line;
  let from = offsetAt(starts, src, startLine, span.column);
  const lineStart = starts[startLine - 1] ?? 0;
  if (!sharesLine(startLine) && src.slice(lineStart, from).trim() === "") from = lineStart;
  let to = offsetAt(starts, src, span.endLine, span.endColumn);
  if (!sharesLine(span.endLine)) {
    const next = starts[span.endLine];
    to = next !== undefined ? next - 1 : src.length;
  }
  if (to < from) to = from;
  let raw = src.slice(from, to);
  const edits = literalEdits.filter((e) => e.from >= from && e.to <= to).sort((a, b) => b.from - a.from);
  let code = raw;
  for (const e of edits) code = code.slice(0, e.from - from) + e.text + code.slice(e.to - from);
  raw = raw.replace(/[ \t;]+$/g, "");

  // The magic policy, line by line (magic spans are in cell lines).
  const outcome: MagicOutcome = {
    lines: [],
    findings: [],
    requirements: [],
    usesSubprocess: false,
    usesOs: false,
  };
  const lines = code.split("\n");
  const own = record.magic !== undefined ? analysis.magics[record.magic] : undefined;
  if (own?.kind === "cell-magic") {
    // The `%%time` line itself (masked to `pass`): the body's statements carry the code.
    const empty: MagicOutcome = {
      lines: [],
      findings: [],
      requirements: [],
      usesSubprocess: false,
      usesOs: false,
    };
    return {
      source: { cell: analysis.cellIndex, index, record, code: "", comments: [], offset: from, raw },
      outcome: empty,
    };
  }
  const magics = analysis.magics.filter(
    (m) => m.kind !== "cell-magic" && m.span.line >= startLine && m.span.line <= span.endLine,
  );
  const rewritten: string[] = [];
  lines.forEach((text, i) => {
    const cellLine = startLine + i;
    const magic = magics.find((m) => m.span.line === cellLine);
    if (!magic) {
      rewritten.push(text);
      return;
    }
    const r = rewriteMagicLine(magic, text, analysis.cellIndex, step);
    outcome.findings.push(...r.findings);
    outcome.requirements.push(...r.requirements);
    outcome.usesSubprocess ||= r.usesSubprocess;
    outcome.usesOs ||= r.usesOs;
    // A block whose only line was this magic still needs a body.
    const indentOf = text.match(/^\s*/)?.[0] ?? "";
    if (indentOf !== "" && !r.lines.some((l) => l.trim() !== "" && !l.trim().startsWith("#"))) {
      r.lines.push(`${indentOf}pass`);
    }
    if (magic.assignedTo && r.lines.length > 0) {
      // `files = !ls`: keep the indentation of the assignment line.
      const indent = text.match(/^\s*/)?.[0] ?? "";
      rewritten.push(...r.lines.map((l, j) => (j === r.lines.length - 1 ? indent + l.trimStart() : l)));
    } else rewritten.push(...r.lines);
  });
  // A block whose only line was a magic needs a body.
  code = rewritten.join("\n").replace(/[ \t;]+$/g, "");

  // Comments written just above the statement (up to the previous statement or the cell start).
  const prevEnd = index > 0 ? analysis.statements[index - 1]!.span.endLine : 0;
  const comments: string[] = [];
  for (let line = startLine - 1; line > prevEnd; line--) {
    const text = src.slice(starts[line - 1] ?? 0, (starts[line] ?? src.length + 1) - 1);
    if (/^\s*#/.test(text)) comments.unshift(text.trim());
    else break;
  }
  return { source: { cell: analysis.cellIndex, index, record, code, comments, offset: from, raw }, outcome };
}

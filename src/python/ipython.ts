/**
 * IPython syntax masking: replace magics, shell escapes and help requests with plain Python that binds what
 * IPython would bind, keeping every position the parser reports equal to the user's real line and column.
 *
 * Rules (mirroring IPython's input transformers):
 * - Only a line that starts a logical line (not inside a string, brackets or a backslash continuation) can be
 *   IPython syntax; `!` in `a != b`, `%` as modulo and `?` inside strings are never touched.
 * - `%%name` on the first non-blank line is a cell magic. `%%time`, `%%timeit`, `%%capture`, `%%prun` keep their
 *   body as Python (analysed); every other cell magic's body is not Python and is blanked.
 * - `!cmd`, `!!cmd`, `%magic args`, `?obj`, `obj?`, `obj??` become `pass` (same indentation, so they stay valid
 *   inside blocks); backslash-continued lines of the command become empty lines.
 * - `%time stmt`, `%timeit [-opts] stmt`, `%prun [-opts] stmt` become `pass    ;stmt` with `stmt` at its real column.
 * - `lhs = !cmd` and `lhs = %magic …` keep `lhs =` and replace the command with `0`, so `lhs` is still bound.
 * - `%%capture out` becomes `pass;    out=0` so `out` is bound at its real column.
 * Masked lines only ever grow at their end, so (row, column) of every kept token is unchanged. Line breaks are
 * normalised to `\n` (CRLF and CR are accepted).
 */
import type { Diagnostic, Magic, Span } from "./types.js";

export interface MaskedCell {
  /** The Python text to parse. Same rows as the source; kept text at the same columns. */
  masked: string;
  magics: Magic[];
  /** 0-based row → index in `magics`, for every row a magic occupies. */
  magicRows: Map<number, number>;
  /** The cell magic (`%%bash` …), if the cell has one; also listed in `magics`. */
  cellMagic?: Magic;
  /** Problems found while masking (a compound statement after `%time`, …). */
  diagnostics: Diagnostic[];
}

/** Cell magics whose body runs as Python in the user namespace. */
const PYTHON_CELL_MAGICS = new Set(["time", "timeit", "capture", "prun"]);
/** Line magics whose argument (after options) is a Python statement run in the user namespace. */
const STATEMENT_LINE_MAGICS = new Set(["time", "timeit", "prun"]);
/** Options of %timeit / %prun that take a value (`-n 10`). */
const VALUE_OPTIONS: Record<string, Set<string>> = {
  timeit: new Set(["n", "r", "p"]),
  prun: new Set(["l", "s", "T", "D"]),
  time: new Set(),
};

interface ScanState {
  /** Open triple-quoted string delimiter, or an open single-quoted string continued with a backslash. */
  quote: string | null;
  depth: number;
  continued: boolean;
}

/** Advance the tokenizer state over one physical line of Python. */
function scanPython(line: string, st: ScanState, from = 0): void {
  let i = from;
  st.continued = false;
  while (i < line.length) {
    const ch = line[i]!;
    if (st.quote) {
      if (ch === "\\") {
        i += 2;
        continue;
      }
      if (line.startsWith(st.quote, i)) {
        i += st.quote.length;
        st.quote = null;
        continue;
      }
      i++;
      continue;
    }
    if (ch === "#") return;
    if (ch === '"' || ch === "'") {
      const triple = ch.repeat(3);
      st.quote = line.startsWith(triple, i) ? triple : ch;
      i += st.quote.length;
      continue;
    }
    if (ch === "(" || ch === "[" || ch === "{") st.depth++;
    else if (ch === ")" || ch === "]" || ch === "}") st.depth = Math.max(0, st.depth - 1);
    else if (ch === "\\" && i === line.length - 1) st.continued = true;
    i++;
  }
  // A single-quoted string ends at the line end unless the line ends with a backslash.
  if (st.quote && st.quote.length === 1 && !line.endsWith("\\")) st.quote = null;
}

/** Index of the first plain `=` (assignment) at bracket depth 0 outside strings, or -1. */
function findAssign(line: string): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === "\\") i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === "#") return -1;
    if (ch === '"' || ch === "'") quote = ch;
    else if ("([{".includes(ch)) depth++;
    else if (")]}".includes(ch)) depth--;
    else if (ch === "=" && depth === 0) {
      const prev = line[i - 1] ?? "";
      if (line[i + 1] === "=" || "=<>!:+-*/%&|^@".includes(prev) || prev === "") return -1;
      return i;
    }
  }
  return -1;
}

/** Quick filter before the exact scan of `lhs = !cmd` / `lhs = %magic`. */
const ASSIGN_MAGIC = /=\s*[!%]/u;

/** A compound statement cannot follow `pass;` on one line. */
const COMPOUND = /^(?:for|while|if|with|try|def|class|async)\b/u;

const HELP_END = /^(%{0,2}[\w.*]+)(\?{1,2})$/u;

function span(row: number, col: number, endRow: number, endCol: number): Span {
  return { line: row + 1, column: col + 1, endLine: endRow + 1, endColumn: endCol + 1 };
}

function padTo(text: string, length: number): string {
  return text.length >= length ? text : text + " ".repeat(length - text.length);
}

/** Last row of a command continued with trailing backslashes, starting at `row`. */
function continuedEnd(lines: string[], row: number): number {
  let end = row;
  while (end < lines.length - 1 && lines[end]!.endsWith("\\")) end++;
  return end;
}

function joinContinued(lines: string[], row: number, end: number, startCol: number): string {
  const parts = lines.slice(row, end + 1).map((l, k) => (k === 0 ? l.slice(startCol) : l));
  return parts
    .map((p, k) => (k < parts.length - 1 ? p.slice(0, -1) : p).trim())
    .filter((p) => p !== "")
    .join(" ");
}

/** `{name}`, `{name.attr}`, `{name[0]}` in a shell command or line magic (not `{{…}}`, IPython's escape). */
const EXPANSION = /(?<!\{)\{\s*([A-Za-z_]\w*)\s*(?=[}.[])/gu;

function expansions(args: string): string[] {
  const names: string[] = [];
  for (const m of args.matchAll(EXPANSION)) if (!names.includes(m[1]!)) names.push(m[1]!);
  return names;
}

/** Split `name rest` of a magic after its `%`/`%%`. */
function splitMagic(text: string): { name: string; args: string } {
  const m = /^(\S*)\s*([\s\S]*)$/u.exec(text)!;
  return { name: m[1]!, args: m[2]!.trim() };
}

/** Offset (in `args`) where the Python statement of `%time`/`%timeit`/`%prun` starts, after options. */
function statementOffset(name: string, args: string): number {
  const valueOpts = VALUE_OPTIONS[name] ?? new Set<string>();
  const re = /\S+/gu;
  let m: RegExpExecArray | null = re.exec(args);
  while (m?.[0].startsWith("-")) {
    const opt = m[0].slice(1);
    if (opt.length === 1 && valueOpts.has(opt)) re.exec(args);
    m = re.exec(args);
  }
  return m ? m.index : args.length;
}

/** Characters that can start IPython syntax; a cell without any of them is plain Python. */
const IPYTHON_CHARS = /[!%?]/u;

export function maskIPython(source: string): MaskedCell {
  if (!IPYTHON_CHARS.test(source)) {
    const masked = source.includes("\r") ? source.replace(/\r\n?/gu, "\n") : source;
    return { masked, magics: [], magicRows: new Map(), diagnostics: [] };
  }
  const lines = source.split(/\r\n|\r|\n/u);
  const out = lines.slice();
  const magics: Magic[] = [];
  const magicRows = new Map<number, number>();
  const diagnostics: Diagnostic[] = [];
  let cellMagic: Magic | undefined;
  const st: ScanState = { quote: null, depth: 0, continued: false };

  const record = (magic: Magic, fromRow: number, toRow: number) => {
    if (magic.kind === "shell" || magic.kind === "line-magic") {
      const names = expansions(magic.args);
      if (names.length > 0) magic.expands = names;
    }
    magics.push(magic);
    for (let r = fromRow; r <= toRow; r++) magicRows.set(r, magics.length - 1);
  };

  let row = 0;
  while (row < lines.length && lines[row]!.trim() === "") row++;
  // Cell magic: the first non-blank line.
  const first = lines[row];
  if (first?.trimStart().startsWith("%%")) {
    const indent = first.length - first.trimStart().length;
    const { name, args } = splitMagic(first.slice(indent + 2));
    const bodyIsPython = PYTHON_CELL_MAGICS.has(name);
    const endRow = bodyIsPython ? row : lines.length - 1;
    const last = lines[endRow]!;
    cellMagic = {
      kind: "cell-magic",
      name,
      args,
      span: span(row, indent, endRow, last.length),
      bodyIsPython,
    };
    let replacement = padTo("pass", first.length);
    if (name === "capture") {
      // %%capture [--no-stderr] [--no-stdout] [--no-display] [output]
      const m = /(?:^|\s)([A-Za-z_]\w*)\s*$/u.exec(first);
      if (m && !first.trimEnd().endsWith(`%%${name}`)) {
        const at = m.index + m[0].indexOf(m[1]!);
        replacement = `${padTo("pass;", at)}${m[1]}=0`;
        cellMagic.assignedTo = m[1]!;
      }
    }
    out[row] = replacement;
    if (!bodyIsPython) for (let r = row + 1; r < lines.length; r++) out[r] = "";
    record(cellMagic, row, endRow);
    if (!bodyIsPython) return { masked: out.join("\n"), magics, magicRows, cellMagic, diagnostics };
    row++;
  } else {
    row = 0;
  }

  for (; row < lines.length; row++) {
    const line = lines[row]!;
    const logicalStart = st.quote === null && st.depth === 0 && !st.continued;
    if (!logicalStart) {
      scanPython(line, st);
      continue;
    }
    const content = line.trimStart();
    const indent = line.length - content.length;
    const lead = content[0];
    if (lead === "!" || lead === "%" || lead === "?") {
      const end = continuedEnd(lines, row);
      const text = joinContinued(lines, row, end, indent);
      const lastLen = lines[end]!.length;
      let magic: Magic;
      if (lead === "!") {
        const cmd = text.replace(/^!!?/u, "").trim();
        magic = {
          kind: "shell",
          name: /^\S*/u.exec(cmd)![0],
          args: cmd,
          span: span(row, indent, end, lastLen),
        };
      } else if (lead === "?" || HELP_END.test(text)) {
        const help = HELP_END.exec(text);
        const obj = help ? help[1]! : text.replace(/^\?+/u, "").trim();
        const name = text.startsWith("??") || help?.[2] === "??" ? "pinfo2" : "pinfo";
        magic = { kind: "help", name, args: obj, span: span(row, indent, end, lastLen) };
      } else {
        const { name, args } = splitMagic(text.replace(/^%/u, ""));
        magic = { kind: "line-magic", name, args, span: span(row, indent, end, lastLen) };
        if (STATEMENT_LINE_MAGICS.has(name) && end === row) {
          const rest = line.slice(indent + 1 + name.length);
          const argStart = indent + 1 + name.length + (rest.length - rest.trimStart().length);
          const stmtCol = argStart + statementOffset(name, line.slice(argStart));
          const compound = COMPOUND.test(line.slice(stmtCol));
          if (compound) {
            diagnostics.push({
              code: "magic-statement-not-analysed",
              severity: "warning",
              message: `the compound statement after %${name} cannot be analysed (only simple statements can follow a line magic in fledge's analysis); put it in a %%${name} cell`,
              span: span(row, stmtCol, row, line.length),
            });
          } else if (stmtCol < line.length && stmtCol - indent >= 5) {
            out[row] = `${" ".repeat(indent)}${padTo("pass", stmtCol - indent - 1)};${line.slice(stmtCol)}`;
            record(magic, row, row);
            scanPython(line, st, stmtCol);
            continue;
          }
        }
      }
      out[row] = `${" ".repeat(indent)}${padTo("pass", content.length)}`;
      for (let r = row + 1; r <= end; r++) out[r] = "";
      record(magic, row, end);
      row = end;
      st.continued = false;
      continue;
    }
    // Help at the end: `obj?`, `obj.attr??`, `%magic?`.
    const code = content.trimEnd();
    const help = code.endsWith("?") ? HELP_END.exec(code) : null;
    if (help) {
      const name = help[2] === "??" ? "pinfo2" : "pinfo";
      const magic: Magic = { kind: "help", name, args: help[1]!, span: span(row, indent, row, line.length) };
      out[row] = `${" ".repeat(indent)}${padTo("pass", content.length)}`;
      record(magic, row, row);
      continue;
    }
    // Assignment forms: `lhs = !cmd`, `lhs = %magic args`.
    const eq = ASSIGN_MAGIC.test(line) ? findAssign(line) : -1;
    if (eq > 0) {
      const after = line.slice(eq + 1);
      const rhsCol = eq + 1 + (after.length - after.trimStart().length);
      const sigil = line[rhsCol];
      if (sigil === "!" || (sigil === "%" && line[rhsCol + 1] !== "%")) {
        const end = continuedEnd(lines, row);
        const text = joinContinued(lines, row, end, rhsCol);
        const lhs = line.slice(indent, eq).trim();
        const lastLen = lines[end]!.length;
        let magic: Magic;
        if (sigil === "!") {
          const cmd = text.replace(/^!!?/u, "").trim();
          magic = {
            kind: "shell",
            name: /^\S*/u.exec(cmd)![0],
            args: cmd,
            span: span(row, rhsCol, end, lastLen),
          };
        } else {
          const { name, args } = splitMagic(text.slice(1));
          magic = { kind: "line-magic", name, args, span: span(row, rhsCol, end, lastLen) };
        }
        magic.assignedTo = lhs;
        out[row] = `${line.slice(0, rhsCol)}${padTo("0", line.length - rhsCol)}`;
        for (let r = row + 1; r <= end; r++) out[r] = "";
        record(magic, row, end);
        row = end;
        st.continued = false;
        continue;
      }
    }
    scanPython(line, st);
  }
  return { masked: out.join("\n"), magics, magicRows, diagnostics, ...(cellMagic ? { cellMagic } : {}) };
}

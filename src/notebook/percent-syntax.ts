/**
 * Line-level rules of the percent format (`# %%` scripts), shared by the reader and the writer in percent.ts.
 *
 * Every transformation here comes as a pair (encode on write, decode on read) driven by the SAME predicate,
 * so that decode(encode(lines)) gives the lines back exactly:
 * - code lines that IPython would treat as magics (`%matplotlib inline`, `!pip install x`, `files = !ls`, `x?`)
 *   are commented out (`# %matplotlib inline`), as Jupytext does; a comment that already looks like a commented
 *   magic gets one more `# ` so that it is not uncommented on the way back;
 * - lines that look like a cell marker (`# %%`, `#%% [markdown]`, `# In[3]:`) get one more `# ` (Jupytext
 *   leaves them alone and splits the cell there);
 * - lines inside Python string literals are never touched (a small quote tracker decides which lines are).
 */

/** Tracks whether the next line starts inside a Python string literal. */
export class QuoteTracker {
  private triple: string | null = null;
  private single: string | null = null;

  quoted(): boolean {
    return this.triple !== null || this.single !== null;
  }

  read(line: string): void {
    if (this.triple === null && this.single === null) {
      // Fast path: nothing opens a string on a line without quotes.
      if (line.indexOf('"') < 0 && line.indexOf("'") < 0) return;
      if (line.trimStart().startsWith("#")) return;
    }
    const n = line.length;
    let i = 0;
    while (i < n) {
      const ch = line[i]!;
      if (this.triple !== null) {
        if (ch === "\\") {
          i += 2;
          continue;
        }
        if (ch === this.triple && line.startsWith(this.triple.repeat(3), i)) {
          this.triple = null;
          i += 3;
          continue;
        }
        i++;
        continue;
      }
      if (this.single !== null) {
        if (ch === "\\") {
          i += 2;
          continue;
        }
        if (ch === this.single) this.single = null;
        i++;
        continue;
      }
      if (ch === "#") break;
      if (ch === '"' || ch === "'") {
        if (line.startsWith(ch.repeat(3), i)) {
          this.triple = ch;
          i += 3;
        } else {
          this.single = ch;
          i++;
        }
        continue;
      }
      i++;
    }
    // A one-quote string cannot span lines unless the line ends with a backslash continuation.
    if (this.single !== null && !line.endsWith("\\")) this.single = null;
  }
}

/** A cell marker as Jupytext reads it: `# %%…`, `#%%`, `# In[1]:`, `# <codecell>` (after optional indentation). */
const MARKER_RE = /^#\s*(?:%%%*\s.*|(?:%%|<codecell>|In\[[0-9 ]*\]:?)\s*)$/;

export function isMarkerLine(line: string): boolean {
  return MARKER_RE.test(line.trimStart());
}

/** Remove one comment level: `# x` → `x`, `#x` → `x` (indentation kept). */
export function uncommentOnce(line: string): string {
  const body = line.trimStart();
  const indent = line.slice(0, line.length - body.length);
  if (body.startsWith("# ")) return indent + body.slice(2);
  if (body.startsWith("#")) return indent + body.slice(1);
  return line;
}

/** Add one comment level after the indentation: `  x` → `  # x`. */
export function commentOnce(line: string): string {
  const body = line.trimStart();
  return `${line.slice(0, line.length - body.length)}# ${body}`;
}

function stripCommentLevels(body: string): string {
  let s = body;
  while (s.startsWith("#")) s = s.startsWith("# ") ? s.slice(2) : s.slice(1);
  return s;
}

/** A line that is a marker, or a marker commented out one or more times (`# # %%`). */
const MAYBE_MARKER = /%%|In\[|<codecell>/;

export function isMarkerLike(line: string): boolean {
  if (!MAYBE_MARKER.test(line)) return false;
  let s = line.trimStart();
  for (;;) {
    if (MARKER_RE.test(s)) return true;
    if (!s.startsWith("#")) return false;
    s = s.startsWith("# ") ? s.slice(2) : s.slice(1);
  }
}

const SHELL_COMMANDS = /^(?:cat|cd|cp|mv|rm|rmdir|mkdir|copy|ddir|echo|ls|ldir|ren)(?:$|\s$|\s[^=,])/;

/**
 * An IPython line (possibly already commented out any number of times): `%magic`, `%%cell_magic`, `!cmd`,
 * `?obj`, `obj?`, `x = !cmd`, `x = %magic`, and the automagic shell commands (`ls`, `cd dir`) at column 0.
 */
export function isMagicLike(line: string): boolean {
  const body = line.trimStart();
  const core = body.charCodeAt(0) === 35 /* # */ ? stripCommentLevels(body) : body;
  const first = core.trimStart()[0];
  if (first === "%" && /^%{1,3}[a-zA-Z]/.test(core)) return true;
  if (first === "!" || first === "?") {
    if (/^\s*[?!]\s*[A-Za-z.~$\\/{}]/.test(core)) return true;
  }
  if (core.indexOf("=") >= 0 && /^\s*[a-zA-Z_][a-zA-Z_$0-9]*\s*=\s*(?:%{1,3}|!)[a-zA-Z]/.test(core))
    return true;
  if (core.indexOf("?") >= 0 && /^\S*\?\s*$/.test(core)) return true;
  return body.length === line.length && SHELL_COMMANDS.test(core);
}

const CONTINUATION_RE = /\\\s*$/;

/** Code lines → file lines: comment magics, escape marker-like comments; string contents untouched. */
export function encodeCodeLines(lines: string[]): string[] {
  const tracker = new QuoteTracker();
  let continuation = false;
  return lines.map((line) => {
    if (tracker.quoted()) {
      tracker.read(line);
      return line;
    }
    if (continuation) {
      // The rest of a magic continued with a backslash is commented out too (escaped if it would be a marker).
      continuation = CONTINUATION_RE.test(line);
      return isMarkerLike(`# ${line}`) ? `# # ${line}` : `# ${line}`;
    }
    const magic = isMagicLike(line);
    if (magic || isMarkerLike(line)) {
      continuation = magic && CONTINUATION_RE.test(line);
      return commentOnce(line);
    }
    tracker.read(line);
    return line;
  });
}

/** File lines → code lines (inverse of {@link encodeCodeLines}; also reads Jupytext's commented magics). */
export function decodeCodeLines(lines: string[]): string[] {
  const tracker = new QuoteTracker();
  let continuation = false;
  return lines.map((line) => {
    if (tracker.quoted()) {
      tracker.read(line);
      return line;
    }
    if (continuation) {
      continuation = CONTINUATION_RE.test(line);
      const text = uncommentText(line);
      return text.startsWith("# ") && isMarkerLike(text) ? text.slice(2) : text;
    }
    const magic = isMagicLike(line);
    if (magic || isMarkerLike(line)) {
      continuation = magic && CONTINUATION_RE.test(line);
      return uncommentOnce(line);
    }
    tracker.read(line);
    return line;
  });
}

// ---- Commented bodies: markdown and raw cells, language cells (%%bash …), cells inactive in scripts ----

const FENCE_RE = /^ {0,3}(`{3,}|~{3,})(.*)$/;

function openingFence(text: string): string | null {
  const m = FENCE_RE.exec(text);
  if (!m) return null;
  const fence = m[1]!;
  if (fence[0] === "`" && m[2]!.includes("`")) return null;
  return fence;
}

function closesFence(text: string, fence: string): boolean {
  const m = FENCE_RE.exec(text);
  return !!m && m[1]![0] === fence[0] && m[1]!.length >= fence.length && m[2]!.trim() === "";
}

/**
 * Which lines of a commented body are inside a fenced code block (``` … ```) that closes within the body.
 * Markers inside such blocks do not end a markdown cell (as in Jupytext), so they need no escaping.
 */
export function fencedLines(texts: string[]): boolean[] {
  const inside = new Array<boolean>(texts.length).fill(false);
  let fence: string | null = null;
  for (let i = 0; i < texts.length; i++) {
    const t = texts[i]!;
    if (fence !== null) {
      inside[i] = true;
      if (closesFence(t, fence)) fence = null;
      continue;
    }
    const open = openingFence(t);
    if (open !== null && texts.slice(i + 1).some((later) => closesFence(later, open))) {
      fence = open;
      inside[i] = true;
    }
  }
  return inside;
}

/** Body lines → commented file lines (`# text`, `#` for an empty line); marker-like lines escaped. */
export function encodeCommentedLines(lines: string[], fences: boolean): string[] {
  const inFence = fences ? fencedLines(lines) : [];
  return lines.map((line, i) => {
    const markerLike = MAYBE_MARKER.test(line) && !inFence[i] && isMarkerLike(`# ${line}`);
    const escaped = markerLike ? `# ${line}` : line;
    return escaped === "" ? "#" : `# ${escaped}`;
  });
}

/** Uncomment one level (`# x` → `x`, `#x` → `x`), as Jupytext does for commented cells. */
export function uncommentText(line: string): string {
  if (line.startsWith("# ")) return line.slice(2);
  if (line.startsWith("#")) return line.slice(1);
  return line;
}

/** Inverse of {@link encodeCommentedLines}. */
export function decodeCommentedLines(lines: string[], fences: boolean): string[] {
  const texts = lines.map(uncommentText);
  const inFence = fences ? fencedLines(texts) : [];
  return texts.map((t, i) => (!inFence[i] && t.startsWith("# ") && isMarkerLike(t) ? t.slice(2) : t));
}

// ---- Blank lines between cells ----

const BLANK_RE = /^\s*$/;

export function isBlank(line: string): boolean {
  return BLANK_RE.test(line);
}

/**
 * How many trailing lines of a cell's text (its marker line, then its lines, up to the next marker) a reader
 * drops as the separator: two if exactly two blank lines end it, else one if the last line is empty.
 */
export function separatorCount(lines: string[], extraEmpty = 0): number {
  // As if `extraEmpty` empty lines followed `lines` (the writer tries separators without copying the cell).
  const n = lines.length + extraEmpty;
  const at = (i: number): string => (i < lines.length ? lines[i]! : "");
  if (n >= 3 && !isBlank(at(n - 3)) && isBlank(at(n - 2)) && isBlank(at(n - 1))) return 2;
  if (n >= 1 && at(n - 1) === "") return 1;
  return 0;
}

const DEF_RE = /^(?:def |async |class )/;

function endsWithDefOrClass(lines: string[]): boolean {
  const tracker = new QuoteTracker();
  const unquoted: string[] = [];
  for (const line of lines) {
    if (!tracker.quoted()) unquoted.push(line);
    tracker.read(line);
  }
  for (let i = unquoted.length - 1; i >= 0; i--) {
    const line = unquoted[i]!;
    if (!line.trim()) {
      if (i < unquoted.length - 1 && !unquoted[i + 1]!.trim()) return false;
      continue;
    }
    if (/^[# )]/.test(line)) continue;
    return DEF_RE.test(line);
  }
  return false;
}

function startsWithDefOrClass(lines: string[]): boolean {
  const tracker = new QuoteTracker();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const quoted = tracker.quoted();
    tracker.read(line);
    if (quoted) continue;
    if (!line.trim()) {
      if (i > 0 && !lines[i - 1]!.trim()) return false;
      continue;
    }
    if (DEF_RE.test(line)) return true;
    if (/^[#@ )]/.test(line)) continue;
    return false;
  }
  return false;
}

function hasCode(lines: string[]): boolean {
  for (let i = 0; i < lines.length; i++) {
    const s = lines[i]!.trim();
    if (s.startsWith("#")) continue;
    if (!s) {
      if (i > 0 && !lines[i - 1]!.trim()) return false;
      continue;
    }
    return true;
  }
  return false;
}

/** Blank lines PEP 8 wants between two cells' texts (2 around top-level functions and classes), as Jupytext writes. */
export function pep8BlankLines(prev: string[], next: string[]): number {
  if (endsWithDefOrClass(prev)) return hasCode(next) ? 2 : 1;
  const last = prev[prev.length - 1];
  const endsWithCode = last !== undefined && last.trim() !== "" && !last.startsWith("#");
  return endsWithCode && startsWithDefOrClass(next) ? 2 : 1;
}

// ---- Cell magics that switch language (Jupytext writes their body commented, with language="…") ----

const LANGUAGE_MAGICS = new Set([
  "R", "bash", "sh", "coconut", "javascript", "js", "perl", "html", "latex", "markdown", "pypy", "ruby",
  "script", "svg", "matlab", "octave", "idl", "robotframework", "sas", "spark", "sql", "cython", "haskell",
  "tcl", "gnuplot", "julia", "c++", "scheme", "clojure", "powershell", "q", "typescript", "scala", "rust",
  "csharp", "fsharp", "sos", "java", "groovy", "sage", "ocaml", "maxima", "stata", "jenner", "xonsh",
  "logtalk", "lua", "go", "c#", "f#", "cs", "fs",
]); // biome-ignore format: a word list

export function isLanguageMagic(name: string): boolean {
  return LANGUAGE_MAGICS.has(name);
}

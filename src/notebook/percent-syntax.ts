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

/** Is the line a comment (its first non-blank character is `#`)? */
function isCommentLine(line: string): boolean {
  const c = line.charCodeAt(0);
  if (c === 35) return true;
  if (c > 32 && c < 127) return false; // not whitespace: the line starts with it
  return line.trimStart().startsWith("#");
}

/** Tracks whether the next line starts inside a Python string literal. */
export class QuoteTracker {
  /** The quote character (its code) of the open triple-quoted string, or 0. */
  private triple = 0;
  /** The quote character (its code) of the open one-quote string, or 0. */
  private single = 0;

  quoted(): boolean {
    return this.triple !== 0 || this.single !== 0;
  }

  read(line: string): void {
    if (this.triple === 0 && this.single === 0) {
      // Fast path: nothing opens a string on a line without quotes.
      if (line.indexOf('"') < 0 && line.indexOf("'") < 0) return;
      if (isCommentLine(line)) return;
    }
    const n = line.length;
    let i = 0;
    while (i < n) {
      const c = line.charCodeAt(i);
      if (this.triple !== 0) {
        if (c === 92 /* \ */) {
          i += 2;
          continue;
        }
        const q = this.triple;
        if (c === q && line.charCodeAt(i + 1) === q && line.charCodeAt(i + 2) === q) {
          this.triple = 0;
          i += 3;
          continue;
        }
        i++;
        continue;
      }
      if (this.single !== 0) {
        if (c === 92) {
          i += 2;
          continue;
        }
        if (c === this.single) this.single = 0;
        i++;
        continue;
      }
      if (c === 35 /* # */) break;
      if (c === 34 || c === 39 /* " ' */) {
        if (line.charCodeAt(i + 1) === c && line.charCodeAt(i + 2) === c) {
          this.triple = c;
          i += 3;
        } else {
          this.single = c;
          i++;
        }
        continue;
      }
      i++;
    }
    // A one-quote string cannot span lines unless the line ends with a backslash continuation.
    if (this.single !== 0 && !line.endsWith("\\")) this.single = 0;
  }
}

/** A cell marker as Jupytext reads it: `# %%…`, `#%%`, `# In[1]:`, `# <codecell>` (after optional indentation). */
const MARKER_RE = /^#\s*(?:%%%*\s.*|(?:%%|<codecell>|In\[[0-9 ]*\]:?)\s*)$/;

export function isMarkerLine(line: string): boolean {
  // Most lines start with a printable character other than `#`: no marker (trimStart only removes whitespace).
  const c = line.charCodeAt(0);
  if (c > 32 && c < 127 && c !== 35) return false;
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

/** Characters without which a line can only be magic as an automagic shell command (`ls`, `cd dir`). */
const MAGIC_CHARS = /[%!?]/;
/** First letters of the automagic shell commands (`SHELL_COMMANDS`): c, d, e, l, m, r. */
const SHELL_FIRST = new Set([99, 100, 101, 108, 109, 114]);

/**
 * An IPython line (possibly already commented out any number of times): `%magic`, `%%cell_magic`, `!cmd`,
 * `?obj`, `obj?`, `x = !cmd`, `x = %magic`, and the automagic shell commands (`ls`, `cd dir`) at column 0.
 */
export function isMagicLike(line: string): boolean {
  if (!MAGIC_CHARS.test(line)) {
    // Only SHELL_COMMANDS can match, and only at column 0: after a `#` (commented) or on its first letter.
    const c = line.charCodeAt(0);
    if (c !== 35 && !SHELL_FIRST.has(c)) return false;
  }
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
  if (line.length === 0) return true;
  const c = line.charCodeAt(0);
  if (c > 32 && c < 127) return false; // printable ASCII: not whitespace
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
const SKIP_AFTER_RE = /^[# )]/;
const SKIP_BEFORE_RE = /^[#@ )]/;

function endsWithDefOrClass(lines: string[]): boolean {
  const tracker = new QuoteTracker();
  const unquoted: string[] = [];
  for (const line of lines) {
    if (!tracker.quoted()) unquoted.push(line);
    tracker.read(line);
  }
  for (let i = unquoted.length - 1; i >= 0; i--) {
    const line = unquoted[i]!;
    if (isBlank(line)) {
      if (i < unquoted.length - 1 && isBlank(unquoted[i + 1]!)) return false;
      continue;
    }
    if (SKIP_AFTER_RE.test(line)) continue;
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
    if (isBlank(line)) {
      if (i > 0 && isBlank(lines[i - 1]!)) return false;
      continue;
    }
    if (DEF_RE.test(line)) return true;
    if (SKIP_BEFORE_RE.test(line)) continue;
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

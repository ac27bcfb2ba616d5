/**
 * The percent format's line predicates have cheap first checks (a line's first character, whether it has a
 * `%`, `!` or `?` at all) and the quote tracker reads character codes: the speed work on bench:formats. These
 * tests hold them to the plain definitions they replaced (kept here as the reference), on random lines made of
 * the characters that matter and on every line of the corpus notebooks' code cells.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isBlank, isMagicLike, isMarkerLine, QuoteTracker } from "../../src/notebook/percent-syntax.js";
import { corpusDir } from "../helpers/env.js";

// ---- The reference definitions (as they were before the fast paths) ----

const MARKER_RE = /^#\s*(?:%%%*\s.*|(?:%%|<codecell>|In\[[0-9 ]*\]:?)\s*)$/;
const refIsMarkerLine = (line: string): boolean => MARKER_RE.test(line.trimStart());

const SHELL_COMMANDS = /^(?:cat|cd|cp|mv|rm|rmdir|mkdir|copy|ddir|echo|ls|ldir|ren)(?:$|\s$|\s[^=,])/;
function stripCommentLevels(body: string): string {
  let s = body;
  while (s.startsWith("#")) s = s.startsWith("# ") ? s.slice(2) : s.slice(1);
  return s;
}
function refIsMagicLike(line: string): boolean {
  const body = line.trimStart();
  const core = body.charCodeAt(0) === 35 ? stripCommentLevels(body) : body;
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

class RefTracker {
  private triple: string | null = null;
  private single: string | null = null;
  quoted(): boolean {
    return this.triple !== null || this.single !== null;
  }
  read(line: string): void {
    if (this.triple === null && this.single === null) {
      if (line.indexOf('"') < 0 && line.indexOf("'") < 0) return;
      if (line.trimStart().startsWith("#")) return;
    }
    let i = 0;
    while (i < line.length) {
      const ch = line[i]!;
      if (this.triple !== null) {
        if (ch === "\\") i += 2;
        else if (ch === this.triple && line.startsWith(this.triple.repeat(3), i)) {
          this.triple = null;
          i += 3;
        } else i++;
        continue;
      }
      if (this.single !== null) {
        if (ch === "\\") i += 2;
        else {
          if (ch === this.single) this.single = null;
          i++;
        }
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
    if (this.single !== null && !line.endsWith("\\")) this.single = null;
  }
}

/** Quoted-state after each line, for a tracker. */
function states(tracker: { read(l: string): void; quoted(): boolean }, lines: string[]): boolean[] {
  return lines.map((line) => {
    tracker.read(line);
    return tracker.quoted();
  });
}

// ---- Lines made of what the predicates look at ----

const pieces = [
  "#", "# ", "%", "%%", "!", "?", "=", " ", "\t", "\u00a0", "\u2003", "\f", '"', "'", '"""', "'''", "\\",
  "ls", "cd", "cat", "echo", "rm", "mkdir", "In[", "]", ":", "<codecell>", "x", "def ", "a1", ",", ".",
  "é", "😀", "\u2028",
]; // biome-ignore format: a word list
const line = fc.array(fc.constantFrom(...pieces), { maxLength: 8 }).map((p) => p.join(""));

function corpusCodeLines(): string[] {
  const dir = corpusDir();
  if (!dir) return [];
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(".ipynb")) {
        try {
          const nb = JSON.parse(readFileSync(path, "utf8")) as { cells?: { source?: unknown }[] };
          for (const c of nb.cells ?? []) {
            const src = Array.isArray(c.source) ? c.source.join("") : c.source;
            if (typeof src === "string") out.push(...src.split("\n"));
          }
        } catch {
          // not JSON (the invalid test files): nothing to take
        }
      }
    }
  };
  walk(dir);
  return out;
}

describe("percent-syntax fast paths", () => {
  it("isMarkerLine, isMagicLike and isBlank agree with their definitions on random lines", () => {
    fc.assert(
      fc.property(line, (l) => {
        expect(isMarkerLine(l)).toBe(refIsMarkerLine(l));
        expect(isMagicLike(l)).toBe(refIsMagicLike(l));
        expect(isBlank(l)).toBe(/^\s*$/.test(l));
        expect(isBlank(l)).toBe(!l.trim());
      }),
      { numRuns: 5000 },
    );
  });

  it("the quote tracker agrees with its definition, line after line", () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (lines) => {
        expect(states(new QuoteTracker(), lines)).toEqual(states(new RefTracker(), lines));
      }),
      { numRuns: 3000 },
    );
  });

  it("and on every line of the corpus code and markdown cells (skipped without the corpus)", (ctx) => {
    const lines = corpusCodeLines();
    if (lines.length === 0) return ctx.skip();
    let magics = 0;
    for (const l of lines) {
      expect(isMarkerLine(l), l).toBe(refIsMarkerLine(l));
      expect(isBlank(l), l).toBe(!l.trim());
      const m = isMagicLike(l);
      expect(m, l).toBe(refIsMagicLike(l));
      if (m) magics++;
    }
    expect(magics).toBeGreaterThan(0);
    expect(states(new QuoteTracker(), lines)).toEqual(states(new RefTracker(), lines));
  });
});

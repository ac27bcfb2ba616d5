/**
 * The rules' fast paths give exactly what the plain scans they replace gave: property tests against those scans
 * (kept here as references), on random code made of the pieces that matter (words, digits, dots, spaces,
 * parentheses, non-ASCII letters).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countWords } from "../../src/analysis/rules/quality.js";
import { callSiteMatcher } from "../../src/analysis/rules/repro.js";
import { findSecrets } from "../../src/analysis/rules/secrets.js";
import { scanPython } from "../../src/analysis/source.js";

const PIECES = [
  "sk",
  "a",
  "b",
  "ab",
  "fit",
  "KMeans",
  "x1",
  "1",
  "_",
  ".",
  " ",
  "\t",
  "\n",
  "\r",
  "\u00a0",
  "\u3000",
  "(",
  ")",
  "é",
  "=",
];
const code = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((xs) => xs.join(""));

/** The scan countWords replaces: every `[A-Za-z_]\w*` word, counted when it is a name and not after a dot. */
function countWordsReference(codes: string[], names: string[]): Map<string, number> {
  const wanted = new Set(names);
  const words = new Map<string, number>();
  for (const c of codes) {
    for (const m of c.matchAll(/[A-Za-z_]\w*/g)) {
      if (!wanted.has(m[0]) || (m.index > 0 && c[m.index - 1] === ".")) continue;
      words.set(m[0], (words.get(m[0]) ?? 0) + 1);
    }
  }
  return words;
}

describe("countWords", () => {
  it("counts the same words as listing every word of the code", () => {
    fc.assert(
      fc.property(
        fc.array(code, { maxLength: 4 }),
        fc.uniqueArray(fc.constantFrom("a", "b", "ab", "fit", "x1", "_", "KMeans", "é", "aé"), {
          maxLength: 5,
        }),
        (codes, names) => {
          expect(countWords(codes, names)).toEqual(countWordsReference(codes, names));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("does not count a name inside a longer word, after a dot or after letters and digits", () => {
    const words = countWords(["ab = 1; x.ab; a1ab; 1ab; ab_; ab"], ["ab"]);
    expect(words.get("ab")).toBe(3); // `ab =`, `1ab` (digits start no word) and the last `ab`
  });
});

describe("callSiteMatcher", () => {
  it("finds the same matches as scanning the whole code", () => {
    fc.assert(
      fc.property(
        code,
        fc.uniqueArray(fc.constantFrom("sk", "a", "x1"), { maxLength: 2 }),
        fc.uniqueArray(fc.constantFrom("fit", "KMeans", "b"), { minLength: 1, maxLength: 2 }),
        fc.uniqueArray(fc.constantFrom("ab", "b", "fit"), { maxLength: 2 }),
        (text, modules, qualified, bare) => {
          // The shape of checkRandomness's scikit-learn pattern.
          const re = new RegExp(
            `(?<![\\w.])(?:(?:${modules.join("|") || "sk"})(?:\\.\\w+)*\\.(${qualified.join("|")})` +
              `${bare.length > 0 ? `|(${bare.join("|")})` : ""})\\s*\\(`,
            "g",
          );
          const fast = callSiteMatcher(re, new Set([...qualified, ...bare]))(text);
          const slow = [...text.matchAll(re)];
          expect(fast.map((m) => [m.index, m[0], m[1], m[2]])).toEqual(
            slow.map((m) => [m.index, m[0], m[1], m[2]]),
          );
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("finds qualified and bare calls, with spaces before the parenthesis", () => {
    const re = /(?<![\w.])(?:(?:sk)(?:\.\w+)*\.(KMeans)|(tts))\s*\(/g;
    const found = callSiteMatcher(
      re,
      new Set(["KMeans", "tts"]),
    )("m = sk.cluster.KMeans (3)\nx.tts(1); tts(2); ftts(3)");
    expect(found.map((m) => m[0])).toEqual(["sk.cluster.KMeans (", "tts("]);
  });
});

describe("findSecrets pre-check", () => {
  it("dismisses text without any pattern's hint, and still finds each kind of secret", () => {
    expect(findSecrets("weight = high_through(gh, key_count)")).toEqual([]);
    expect(findSecrets(`token = "ghp_${"a1B2".repeat(9)}"`).map((h) => h.kind)).toEqual(["GitHub token"]);
    expect(findSecrets('PASSWORD = "x9!Kq2#mZ7"').map((h) => h.kind)).toEqual(["hard-coded credential"]);
    expect(findSecrets("postgres://me:hunter22@db.example.com/x").map((h) => h.kind)).toEqual([
      "password in a connection string",
    ]);
  });
});

describe("scanPython's blanked code", () => {
  it("keeps the source's length and line breaks, and only blanks characters", () => {
    const python = fc
      .array(
        fc.constantFrom("x = 1", "'a\\'b'", '"""q\r\nz"""', "# c", "\n", "\r\n", "%time f()", "(", ")", " é"),
        {
          maxLength: 30,
        },
      )
      .map((xs) => xs.join(""));
    fc.assert(
      fc.property(python, (source) => {
        const { code } = scanPython(source);
        expect(code.length).toBe(source.length);
        for (let i = 0; i < source.length; i++) {
          if (code[i] === source[i]) continue;
          expect(code[i]).toBe(" ");
          expect(source[i]).not.toMatch(/[\r\n]/);
        }
      }),
      { numRuns: 1000 },
    );
    expect(scanPython('s = \'ab\'  # c\nt = """x\ny"""').code).toBe(
      `s =${" ".repeat(10)}\nt =${" ".repeat(5)}\n${" ".repeat(4)}`,
    );
  });
});

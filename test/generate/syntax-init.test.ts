/** generate/'s parser reuses the python stage's web-tree-sitter module: both keep parsing after either loads. */
import { describe, expect, it } from "vitest";
import { initSyntax, parsePython } from "../../src/generate/syntax.js";
import { initPython, parserLanguage } from "../../src/python/index.js";
import { parsePython as parseForAnalysis } from "../../src/python/parser.js";

describe("initSyntax after initPython", () => {
  it("shares one web-tree-sitter initialisation (no 'Incompatible language version')", async () => {
    await initPython();
    expect(parseForAnalysis("x = 1\n").hasError).toBe(false);
    await initSyntax();
    const parsed = parsePython("C = 1.0\nprint(C)\n");
    expect(parsed.hasError).toBe(false);
    expect(parsed.root.namedChildren.length).toBe(2);
    // One grammar object: generate/ did not load (and initialise web-tree-sitter) a second time.
    expect(parsed.root.tree.language).toBe(parserLanguage());
    parsed.dispose();
    // The analyzer's parser still works after generate/ loaded its own.
    expect(parseForAnalysis("def f(a):\n    return a\n").hasError).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { checkPythonLiteral, decodePythonStr } from "../../src/kernel/pyliteral.js";

describe("checkPythonLiteral", () => {
  it.each([
    ["42", "int"],
    ["-7", "int"],
    ["1_000_000", "int"],
    ["0x1F", "int"],
    ["0", "int"],
    ["00", "int"],
    ["0.1", "float"],
    [".5", "float"],
    ["1e-3", "float"],
    ["-2.5E+10", "float"],
    ["3j", "complex"],
    ["1+2j", "complex"],
    ["'text'", "str"],
    ['"it\'s"', "str"],
    ["r'C:\\path'", "str"],
    ["'''multi\nline'''", "str"],
    ["'a' 'b'", "str"],
    ["b'bytes'", "bytes"],
    ["True", "bool"],
    ["None", "None"],
    ["...", "Ellipsis"],
    ["[1, 'a', [2.0, None]]", "list"],
    ["[]", "list"],
    ["(1,)", "tuple"],
    ["()", "tuple"],
    ["(1)", "int"],
    ["('x')", "str"],
    ["{'a': 1, 'b': [1, 2]}", "dict"],
    ["{}", "dict"],
    ["{1, 2}", "set"],
    ["set()", "set"],
    ["  {'nested': {'deep': (1, 2,)}}  ", "dict"],
  ])("accepts %s as %s", (src, kind) => {
    expect(checkPythonLiteral(src)).toEqual({ ok: true, kind });
  });

  it.each([
    ["data/x.csv", /name|unexpected/],
    ["true", /Python writes True/],
    ["'unterminated", /unterminated/],
    ["[1, 2", /expected/],
    ["1, 2", /tuple needs parentheses/],
    ["01", /leading zeros/],
    ["1.2.3", /malformed number/],
    ["os.system('x')", /unexpected|name/],
    ["r'C:\\path\\'", /unterminated/],
    ["f'{x}'", /name/],
    ["'a' b'b'", /mix bytes and str/],
    ["1 + 2", /real and an imaginary/],
    ["{1: 2, 3}", /expected|mixed/],
    ["'\\x4'", /truncated/],
    ["", /missing value/],
    ["1 # comment", /comments/],
    ["-'a'", /sign can only precede a number/],
  ])("rejects %s", (src, message) => {
    const r = checkPythonLiteral(src);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });
});

describe("decodePythonStr", () => {
  it.each([
    ["'plain'", "plain"],
    ["'it\\'s'", "it's"],
    ['"it\'s"', "it's"],
    ["'a\\nb\\tc\\\\d'", "a\nb\tc\\d"],
    ["'\\x00\\u00e9\\U0001f600'", "\0é😀"],
    ["'é'", "é"],
  ])("decodes %s", (repr, value) => {
    expect(decodePythonStr(repr)).toBe(value);
  });

  it("refuses what is not a string repr", () => {
    expect(() => decodePythonStr("42")).toThrow(/not the repr/);
  });
});

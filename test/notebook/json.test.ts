import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  formatNumber,
  JsonNumber,
  JsonSyntaxError,
  parseJson,
  serializeJson,
} from "../../src/notebook/json.js";
import { ROOT } from "../helpers/env.js";

describe("parseJson", () => {
  it("parses plain JSON like JSON.parse", () => {
    const text = '{"a": [1, -2, 0.5, true, false, null, "x\\n\\u00e9\\"\\\\"], "b": {}}';
    expect(parseJson(text)).toEqual(JSON.parse(text));
  });

  it("keeps the text of numbers that would not be written back the same way", () => {
    const v = parseJson("[1.0, 1e-05, 1E5, 12345678901234567890, -0, 2, 0.25]") as unknown[];
    expect(v[0]).toBeInstanceOf(JsonNumber);
    expect((v[0] as JsonNumber).text).toBe("1.0");
    expect(Number(v[0])).toBe(1);
    expect(v[1]).toBe(1e-5); // Python writes 1e-05 itself, so a plain number is enough
    expect((v[2] as JsonNumber).text).toBe("1E5");
    expect((v[3] as JsonNumber).text).toBe("12345678901234567890");
    expect((v[4] as JsonNumber).text).toBe("-0");
    expect(v[5]).toBe(2);
    expect(v[6]).toBe(0.25);
    expect(serializeJson(v, { indent: 0 }).replace(/\n/g, "")).toBe(
      "[1.0,1e-05,1E5,12345678901234567890,-0,2,0.25]",
    );
  });

  it("accepts Python's NaN and Infinity", () => {
    const v = parseJson("[NaN, Infinity, -Infinity]") as number[];
    expect(Number.isNaN(v[0])).toBe(true);
    expect(v[1]).toBe(Number.POSITIVE_INFINITY);
    expect(v[2]).toBe(Number.NEGATIVE_INFINITY);
    expect(serializeJson(v)).toBe("[\n NaN,\n Infinity,\n -Infinity\n]");
  });

  it("treats __proto__ as an ordinary key", () => {
    const v = parseJson('{"__proto__": {"polluted": 1}}') as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(serializeJson(v)).toContain('"__proto__": {');
  });

  it("reports the line and column of a syntax error", () => {
    const text = '{\n "a": 1\n "b": 2\n}';
    try {
      parseJson(text);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(JsonSyntaxError);
      const e = err as JsonSyntaxError;
      expect([e.line, e.column]).toEqual([3, 2]);
      expect(e.message).toContain("expected ',' or '}'");
      expect(e.atEnd).toBe(false);
    }
  });

  it("says when the text ends too early", () => {
    for (const text of ['{"a": [1, 2', '{"a": "unterminated', '{"a": tr', '{"a"', "[1,"]) {
      try {
        parseJson(text);
        expect.unreachable(text);
      } catch (err) {
        expect((err as JsonSyntaxError).atEnd, text).toBe(true);
      }
    }
  });

  it("rejects trailing garbage, bad escapes and bare words", () => {
    expect(() => parseJson("{} x")).toThrow(/after the end/);
    expect(() => parseJson('"\\q"')).toThrow(/invalid escape/);
    expect(() => parseJson('"\\u12"')).toThrow(/invalid \\u escape/);
    expect(() => parseJson("nope")).toThrow(JsonSyntaxError);
    expect(() => parseJson("{'a': 1}")).toThrow(/property name in double quotes/);
  });

  it("handles escaped quotes and backslashes at string ends", () => {
    expect(parseJson('["a\\"b", "c\\\\", "\\\\\\"", "x"]')).toEqual(['a"b', "c\\", '\\"', "x"]);
  });
});

describe("formatNumber (Python repr)", () => {
  it("writes floats as Python does", () => {
    const cases: [number, string][] = [
      [1e-5, "1e-05"],
      [1e-4, "0.0001"],
      [0.1, "0.1"],
      [1.5e16, "1.5e+16"],
      [1e16, "1e+16"], // beyond 2^53: written as Python writes the float
      [2 ** 52, "4503599627370496"], // a safe integer is written as an integer
      [123.456, "123.456"],
      [1e22, "1e+22"],
      [5e-324, "5e-324"],
      [-2.5e-7, "-2.5e-07"],
      [0.30000000000000004, "0.30000000000000004"],
    ];
    for (const [n, s] of cases) expect(formatNumber(n), String(n)).toBe(s);
  });
});

describe("serializeJson (json.dumps(sort_keys=True, indent=1, ensure_ascii=False))", () => {
  it("sorts keys by code point, not by UTF-16 unit", () => {
    const text = serializeJson({ "\u{1F600}": 1, "\uFF01": 2, b: 3, a: 4, B: 5 });
    expect(text.split("\n").map((l) => l.trim().split(":")[0])).toEqual([
      "{",
      '"B"',
      '"a"',
      '"b"',
      '"\uFF01"',
      '"\u{1F600}"',
      "}",
    ]);
  });

  it("writes empty containers inline and escapes control characters", () => {
    expect(serializeJson({ a: [], b: {}, c: "\u0001\t\u007f é" })).toBe(
      '{\n "a": [],\n "b": {},\n "c": "\\u0001\\t\u007f é"\n}',
    );
  });

  const venvPy = join(ROOT, ".venv", process.platform === "win32" ? "Scripts/python.exe" : "bin/python");
  it.skipIf(!existsSync(venvPy))("matches Python's json.dumps on random data", () => {
    const key = fc.string({ unit: "binary", maxLength: 6 });
    const leaf = fc.oneof(
      fc.string({ unit: "binary", maxLength: 12 }),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d)),
      fc.boolean(),
      fc.constant(null),
    );
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: "small" }, leaf, tie("arr"), tie("obj")),
      arr: fc.array(tie("tree"), { maxLength: 4 }),
      obj: fc.dictionary(key, tie("tree"), { maxKeys: 4 }),
    }));
    const samples = fc.sample(tree, { numRuns: 300, seed: 42 });
    // Python cannot encode lone surrogates as UTF-8; keep samples it can write.
    const wellFormed = samples.filter(
      (s) =>
        !/[\ud800-\udfff]/.test(JSON.stringify(s).replace(/\\ud[89ab][0-9a-f]{2}\\ud[c-f][0-9a-f]{2}/g, "")),
    );
    const dir = mkdtempSync(join(tmpdir(), "fledge-json-"));
    const input = join(dir, "in.json");
    writeFileSync(input, JSON.stringify(wellFormed));
    const script =
      "import json,sys\n" +
      "items = json.load(open(sys.argv[1], encoding='utf-8'))\n" +
      "out = [json.dumps(x, sort_keys=True, indent=1, ensure_ascii=False) for x in items]\n" +
      "open(sys.argv[2], 'w', encoding='utf-8').write(json.dumps(out))\n";
    const output = join(dir, "out.json");
    const r = spawnSync(venvPy, ["-c", script, input, output], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const expected = JSON.parse(readFileSync(output, "utf8")) as string[];
    expect(expected.length).toBe(wellFormed.length);
    wellFormed.forEach((value, i) => {
      expect(serializeJson(value)).toBe(expected[i]);
    });
  });
});

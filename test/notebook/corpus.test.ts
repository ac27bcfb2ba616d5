/**
 * The shared corpus (read from ../shared, never copied): every valid nbformat-4 notebook written by Jupyter's
 * writer must round-trip byte for byte. A file counts as "written by Jupyter" when its text is what
 * `json.dumps(sort_keys=True, indent=1, ensure_ascii=False)` produces, which this test checks independently of
 * fledge's writer with `JSON.parse`-based layout detection (indent 1, keys sorted).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { parseNotebook } from "../../src/notebook/read.js";
import { validateNotebook } from "../../src/notebook/validate.js";
import { serializeNotebook } from "../../src/notebook/write.js";
import { corpusDir, ROOT } from "../helpers/env.js";

const corpus = corpusDir();

function notebooks(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? notebooks(join(dir, e.name)) : e.name.endsWith(".ipynb") ? [join(dir, e.name)] : [],
  );
}

/** Jupyter's layout: one-space indent and keys sorted at every level (checked without fledge's writer). */
function looksJupyterWritten(text: string): boolean {
  if (!text.startsWith('{\n "') || /\n[ \t]*\n./.test(text)) return false;
  const keys: string[][] = [];
  // keys per indentation level, reset whenever an object at that level starts
  let ok = true;
  for (const line of text.split("\n")) {
    const m = /^( *)"((?:[^"\\]|\\.)*)": /.exec(line);
    const open = /[[{]$/.test(line) || /^ *[[{]$/.test(line);
    if (m) {
      const depth = m[1]!.length;
      if (m[1]!.length === 0) return false;
      if (keys[depth] === undefined) keys[depth] = [];
      const list = keys[depth]!;
      const key = JSON.parse(`"${m[2]}"`) as string;
      if (list.length > 0 && list[list.length - 1]! >= key) ok = false;
      list.push(key);
      keys.length = depth + 1;
    } else if (open) {
      keys.length = line.length - line.trimStart().length + 1;
    }
    if (open) keys[line.length - line.trimStart().length + 1] = [];
  }
  return ok;
}

describe.skipIf(!corpus)("shared corpus", () => {
  const files = corpus ? notebooks(corpus) : [];

  it("reads every notebook in the corpus or rejects it with a clear input error", () => {
    const failures: string[] = [];
    for (const file of files) {
      try {
        parseNotebook(readFileSync(file, "utf8"), file);
      } catch (err) {
        failures.push(`${relative(corpus!, file)}: ${(err as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("flags nbformat's own invalid test notebooks and accepts its valid ones", () => {
    const dir = join(corpus!, "jupyter__nbformat");
    const check = (name: string) => {
      const file = join(dir, name);
      const { notebook, warnings } = parseNotebook(readFileSync(file, "utf8"), file);
      return { problems: validateNotebook(notebook), warnings };
    };
    const invalid: [string, RegExp][] = [
      ["tests__invalid.ipynb", /cells\[2\]\.cell_type: expected "code", "markdown" or "raw"/],
      ["tests__invalid_cell_id.ipynb", /cells\[0\]\.id: expected 1–64 characters/],
      ["tests__invalid_unique_cell_id.ipynb", /cells\[1\]\.id: cell id "dup" is already used by cells\[0\]/],
      [
        "tests__v4_5_invalid_metadata.ipynb",
        /cells\[0\]\.metadata\.name: expected a string, found the number 12345/,
      ],
      ["tests__v4_5_no_cell_id.ipynb", /cells\[0\]: missing required field 'id'/],
    ];
    for (const [name, expected] of invalid) {
      if (!existsSync(join(dir, name))) continue;
      const { problems } = check(name);
      expect(problems.map((p) => `${p.jsonPath}: ${p.message}`).join("\n"), name).toMatch(expected);
    }
    for (const name of [
      "tests__test4.ipynb",
      "tests__test4.5.ipynb",
      "tests__test2.ipynb",
      "tests__test3.ipynb",
    ]) {
      if (!existsSync(join(dir, name))) continue;
      expect(check(name).problems, name).toEqual([]);
    }
    if (existsSync(join(dir, "tests__invalid.ipynb"))) {
      expect(check("tests__invalid.ipynb").warnings.map((w) => w.jsonPath)).toContain("cells[0].source");
    }
  });

  it("every valid nbformat-4 notebook written by Jupyter round-trips byte for byte", () => {
    let checked = 0;
    const mismatches: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      const { notebook, origin, warnings } = parseNotebook(text, file);
      // valid as it is: nbformat 4, nothing repaired while reading, no problem against the specification
      const valid = origin.nbformat === 4 && warnings.length === 0 && validateNotebook(notebook).length === 0;
      if (!valid || !looksJupyterWritten(text)) continue;
      checked++;
      if (serializeNotebook(notebook) !== text) mismatches.push(relative(corpus!, file));
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBeGreaterThan(files.length / 2);
    console.log(
      `corpus round trip: ${checked} of ${files.length} notebooks are valid nbformat 4 written by Jupyter; all byte-exact`,
    );
  });

  const venvPy = join(ROOT, ".venv", process.platform === "win32" ? "Scripts/python.exe" : "bin/python");
  it.skipIf(!existsSync(venvPy))(
    "round-trips every notebook that nbformat itself writes back unchanged",
    () => {
      // nbformat decides which files are exactly as Jupyter writes them: reads + writes gives the same text.
      const script = [
        "import json, sys, warnings, nbformat",
        "warnings.simplefilter('ignore')",
        "same = []",
        "for f in json.load(sys.stdin):",
        "    t = open(f, encoding='utf-8').read()",
        "    try:",
        "        nb = nbformat.reads(t, as_version=nbformat.NO_CONVERT)",
        "        if nbformat.writes(nb, version=nbformat.NO_CONVERT) + '\\n' == t: same.append(f)",
        "    except Exception:",
        "        pass",
        "print(json.dumps(same))",
      ].join("\n");
      const r = spawnSync(venvPy, ["-c", script], {
        input: JSON.stringify(files),
        encoding: "utf8",
        maxBuffer: 1 << 24,
      });
      expect(r.status, r.stderr).toBe(0);
      // nbformat 2/3 files are upgraded to 4 by design, so only nbformat 4 files must come back unchanged.
      const jupyterWritten = (JSON.parse(r.stdout) as string[]).filter(
        (file) => parseNotebook(readFileSync(file, "utf8"), file).origin.nbformat === 4,
      );
      expect(jupyterWritten.length).toBeGreaterThan(files.length / 2);
      const mismatches = jupyterWritten.filter(
        (file) =>
          serializeNotebook(parseNotebook(readFileSync(file, "utf8"), file).notebook) !==
          readFileSync(file, "utf8"),
      );
      expect(mismatches).toEqual([]);
    },
    120_000,
  );

  it("even notebooks not written by Jupyter are rewritten stably (a second write changes nothing)", () => {
    for (const file of files) {
      const once = serializeNotebook(parseNotebook(readFileSync(file, "utf8"), file).notebook);
      const twice = serializeNotebook(parseNotebook(once, file).notebook);
      expect(twice, relative(corpus!, file)).toBe(once);
    }
  });
});

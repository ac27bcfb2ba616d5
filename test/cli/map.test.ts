/** `fledge map` through the CLI entry: formats, -o, --level, --steps, and clear errors with exit codes. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CliContext } from "../../src/cli/command.js";
import { main } from "../../src/cli/main.js";
import { MAP_FIXTURES } from "../graph/map-fixture.js";

function ctx(cwd = process.cwd()) {
  let out = "";
  let err = "";
  const c: CliContext = {
    cwd,
    env: { ...process.env },
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    stdin: process.stdin,
    color: false,
    signal: new AbortController().signal,
  };
  return { c, out: () => out, err: () => err };
}

const fixture = (name: string) => join(MAP_FIXTURES, `${name}.ipynb`);

describe("fledge map", () => {
  it("prints the steps as text: name, cells, inputs → outputs, parameters", async () => {
    const { c, out } = ctx();
    expect(await main(["map", fixture("inplace-mutation")], c)).toBe(0);
    const text = out();
    expect(text).toContain("inplace-mutation.ipynb: 4 steps (from level-2 headings)");
    expect(text).toContain("2. clean_data  (cells 5; clean)");
    expect(text).toContain("   df → df");
    expect(text).toContain('param sensors_path = "data/sensors.csv"');
  });

  it("writes mermaid, dot, json, svg and html with -o (format from the extension or --format)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fledge-map-"));
    const cases: [string[], string, RegExp][] = [
      [["-o", "m.mmd"], "m.mmd", /^flowchart TD/],
      [["--format", "dot", "-o", "g.txt"], "g.txt", /^digraph workflow \{/],
      [["-o", "m.json"], "m.json", /"version": 1/],
      [["-o", "m.svg"], "m.svg", /<svg[\s>]/],
      [["-o", "m.html"], "m.html", /^<!doctype html>/],
    ];
    for (const [args, file, pattern] of cases) {
      const { c, out } = ctx(dir);
      expect(await main(["map", fixture("no-headings"), ...args], c)).toBe(0);
      expect(out()).toBe("");
      expect(readFileSync(join(dir, file), "utf8")).toMatch(pattern);
    }
  });

  it("--level cells draws the cell graph", async () => {
    const { c, out } = ctx();
    expect(await main(["map", fixture("redefined"), "--level", "cells", "--format", "mermaid"], c)).toBe(0);
    expect(out()).toContain('c2 -->|"df"| c4');
  });

  it("--steps takes boundaries and names from a YAML file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fledge-map-"));
    writeFileSync(
      join(dir, "steps.yaml"),
      "steps:\n  - name: ingest\n    start: 1\n  - name: prepare\n    start: 5\n  - name: fit_and_score\n    start: 9\n",
    );
    const { c, out } = ctx(dir);
    expect(await main(["map", fixture("no-headings"), "--steps", "steps.yaml", "--format", "json"], c)).toBe(
      0,
    );
    const doc = JSON.parse(out());
    expect(doc.strategy).toEqual({ kind: "user" });
    expect(doc.steps.map((s: { name: string }) => s.name)).toEqual(["ingest", "prepare", "fit_and_score"]);
    // Cells 5–8 (indices 4–7), plus the import cell: `numpy` is first used in this step, so its import joins it.
    expect(doc.steps[1].cells).toEqual([0, 4, 5, 6, 7]);
  });

  it("--steps rename keeps the detected boundaries", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fledge-map-"));
    writeFileSync(join(dir, "s.yaml"), "rename:\n  save_model: persist_model\n");
    const { c, out } = ctx(dir);
    expect(await main(["map", fixture("no-headings"), "--steps", "s.yaml"], c)).toBe(0);
    expect(out()).toContain("5. persist_model");
  });

  it("rejects a bad steps file with its location and a hint (exit 2)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fledge-map-"));
    const bad: [string, RegExp][] = [
      ["steps:\n  - name: Load Data\n    start: 1\n", /is not a snake_case Python identifier/],
      ["steps:\n  - name: a\n    start: 3\n", /cell 3 is a markdown cell, not code/],
      ["steps:\n  - name: a\n    start: 99\n", /the notebook has no cell 99/],
      [
        "steps:\n  - name: a\n    start: 6\n  - name: b\n    start: 4\n",
        /starts before or at the previous step 'a'/,
      ],
      ["stepz: []\n", /unknown key 'stepz'/],
      ["steps: [unclosed\n", /not valid YAML/],
      ["rename:\n  trian_model: fit\n", /rename: no detected step named 'trian_model'/],
    ];
    for (const [yaml, message] of bad) {
      writeFileSync(join(dir, "bad.yaml"), yaml);
      const { c, err } = ctx(dir);
      expect(await main(["map", fixture("h1-h3-only"), "--steps", "bad.yaml"], c)).toBe(2);
      expect(err()).toMatch(/^fledge: error: bad\.yaml: /);
      expect(err()).toMatch(message);
      expect(err()).toContain("hint:");
    }
  });

  it("usage errors exit 2 with the valid choices", async () => {
    const a = ctx();
    expect(await main(["map", fixture("redefined"), "--format", "png"], a.c)).toBe(2);
    expect(a.err()).toContain("Choose one of: text, mermaid, dot, svg, json, html");
    const b = ctx();
    expect(await main(["map"], b.c)).toBe(2);
    const d = ctx();
    expect(await main(["map", join(MAP_FIXTURES, "missing.ipynb")], d.c)).toBe(2);
    expect(d.err()).toContain("missing.ipynb");
  });

  it("warns about unresolved inputs on stderr when the output is not text", async () => {
    const { c, err } = ctx();
    expect(await main(["map", fixture("unresolved"), "--format", "mermaid"], c)).toBe(0);
    expect(err()).toContain(
      "cell 5, line 1: enrich_data: 'lookup' is read but no cell of the notebook defines it",
    );
  });

  it("--help documents the steps file with an example", async () => {
    const { c, out } = ctx();
    expect(await main(["map", "--help"], c)).toBe(0);
    expect(out()).toContain("--steps FILE");
    expect(out()).toContain("rename:");
    expect(out()).toContain("fledge map analysis.ipynb -o map.html");
  });
});

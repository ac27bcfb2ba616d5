/** `fledge inspect`: for a person, for a machine, and clean errors for bad input; every corpus notebook. */
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CliContext } from "../../src/cli/command.js";
import { main } from "../../src/cli/main.js";
import type { NotebookAnalysis } from "../../src/python/types.js";
import { corpusDir, ROOT, venvPython } from "../helpers/env.js";

const FIXTURES = join(ROOT, "test", "python", "fixtures");

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const ctx: CliContext = {
    cwd: ROOT,
    env: {},
    stdout: {
      write: (s: string) => {
        out += s;
        return true;
      },
    },
    stderr: {
      write: (s: string) => {
        err += s;
        return true;
      },
    },
    stdin: process.stdin,
    color: false,
    signal: new AbortController().signal,
  };
  const code = await main(args, ctx);
  return { code, out, err };
}

describe("fledge inspect", () => {
  it("prints defines, reads, modifications with confidence, imports, functions, magics and diagnostics", async () => {
    const r = await run(["inspect", join(FIXTURES, "churn.ipynb")]);
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    expect(r.out).toContain("5 code cells (Python 3.10)");
    expect(r.out).toContain("cell 2 (c1)");
    expect(r.out).toContain("  defines:   pd, plt, DATA");
    expect(r.out).toContain("  magic:     %matplotlib inline (line 1)");
    expect(r.out).toContain("    raw (certain: subscript assignment, line 1)");
    expect(r.out).toContain("    df (possible: subscript assignment (via alias raw), line 1)");
    expect(r.out).toContain("  function clean: reads calls, scale; writes calls");
    expect(r.out).toContain("  magic:     !ls data → files (line 1)");
    expect(r.out).toMatch(/error: line 4, column 1: invalid syntax/);
  });

  it("prints the NotebookAnalysis as JSON, optionally for one cell", async () => {
    const r = await run(["inspect", join(FIXTURES, "churn.ipynb"), "--json"]);
    expect(r.code).toBe(0);
    const a = JSON.parse(r.out) as NotebookAnalysis;
    expect(a.cells).toHaveLength(5);
    expect(a.cells[0]!.defines).toEqual(["pd", "plt", "DATA"]);
    const one = JSON.parse(
      (await run(["inspect", join(FIXTURES, "churn.ipynb"), "--json", "--cell", "3"])).out,
    );
    expect(one.cells.map((c: { cellIndex: number }) => c.cellIndex)).toEqual([2]);
  });

  it("gives clean errors (exit 2) for a non-Python notebook, a missing file and bad usage", async () => {
    const r = await run(["inspect", join(FIXTURES, "r-kernel.ipynb")]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^fledge: error: .*r-kernel\.ipynb: this notebook is written in r/);
    const missing = await run(["inspect", join(FIXTURES, "nope.ipynb")]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/nope\.ipynb/);
    expect(missing.err).not.toMatch(/at .*\.ts:\d+/);
    expect((await run(["inspect"])).code).toBe(2);
    expect((await run(["inspect", join(FIXTURES, "churn.ipynb"), "--cell", "1"])).err).toMatch(
      /not a code cell/,
    );
  });

  const corpus = corpusDir();
  it.skipIf(!corpus)(
    "works on every corpus notebook without crashing",
    async () => {
      const files: string[] = [];
      const walk = (d: string) => {
        for (const f of readdirSync(d)) {
          const p = join(d, f);
          if (statSync(p).isDirectory()) walk(p);
          else if (p.endsWith(".ipynb")) files.push(p);
        }
      };
      walk(corpus!);
      expect(files.length).toBeGreaterThan(50);
      for (const f of files) {
        const r = await run(["inspect", f, "--json"]);
        // 0, or a clean input error (2) with a message and no internal error.
        expect([0, 2], f).toContain(r.code);
        expect(r.err, f).not.toMatch(/internal error/);
        if (r.code === 0) expect(() => JSON.parse(r.out), f).not.toThrow();
        else expect(r.err, f).toMatch(/^fledge: error: /);
      }
    },
    120_000,
  );
});

describe("builtins", () => {
  it("match dir(builtins) of the project's Python", async () => {
    const { builtinNames } = await import("../../src/python/builtins.js");
    const res = spawnSync(
      venvPython(),
      ["-c", "import builtins, sys; print(sys.version_info[1]); print(' '.join(dir(builtins)))"],
      {
        encoding: "utf8",
      },
    );
    const [minor, names] = res.stdout.trim().split("\n");
    expect([...builtinNames(`3.${minor}`)].sort()).toEqual(names!.split(" ").sort());
  });
});

import { spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkNotebook } from "../../src/analysis/index.js";
import type { CliContext } from "../../src/cli/command.js";
import { main } from "../../src/cli/main.js";
import { readNotebookFile } from "../../src/notebook/index.js";
import { initPython } from "../../src/python/index.js";
import { runCli } from "../helpers/cli.js";
import { ROOT, venvPython } from "../helpers/env.js";

const FIX = join(ROOT, "test", "fixtures", "notebooks", "check");
let tmp: string;

async function run(args: string[], cwd = ROOT) {
  let stdout = "";
  let stderr = "";
  const ctx: CliContext = {
    cwd,
    env: {},
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: process.stdin,
    color: false,
    signal: new AbortController().signal,
  };
  const code = await main(["check", ...args], ctx);
  return { code, stdout, stderr };
}

beforeAll(async () => {
  await initPython();
  tmp = mkdtempSync(join(tmpdir(), "fledge-check-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("fledge check (pretty)", () => {
  it("shows a use before definition with a code frame and caret, and exits 1", async () => {
    const r = await run([join(FIX, "FL104-positive.ipynb")]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      "error[FL104] `total` is used before it is defined: cell 3 [1] defines it below",
    );
    expect(r.stdout).toContain("cell 2, line 1, column 7");
    expect(r.stdout).toMatch(/1 \| print\(total\)\n\s+\| {7}\^{5}/);
    expect(r.stdout).toMatch(/Found \d+ findings? \(1 error/);
  });

  it("exits 0 when nothing reaches --fail-on", async () => {
    const warnOnly = await run([join(FIX, "FL101-positive.ipynb"), "--select", "FL101"]);
    expect(warnOnly.code).toBe(1);
    const failOnError = await run([
      join(FIX, "FL101-positive.ipynb"),
      "--select",
      "FL101",
      "--fail-on",
      "error",
    ]);
    expect(failOnError.code).toBe(0);
    expect(failOnError.stdout).toContain("warning[FL101]");
  });

  it("--select and --ignore take codes, prefixes and names", async () => {
    const file = join(FIX, "FL108-positive.ipynb");
    const all = await run([file, "--format", "json"]);
    const codes = (out: string) => JSON.parse(out).files[0].findings.map((f: { code: string }) => f.code);
    expect(codes(all.stdout)).toEqual(expect.arrayContaining(["FL104", "FL108"]));
    expect(codes((await run([file, "--format", "json", "--ignore", "FL1"])).stdout)).not.toContain("FL104");
    expect(codes((await run([file, "--format", "json", "--select", "hidden-state-cycle"])).stdout)).toEqual([
      "FL108",
    ]);
    const bad = await run([file, "--select", "FL999"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown rule 'FL999'");
  });

  it("--explain documents a rule with an example", async () => {
    const r = await run(["--explain", "FL104"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("FL104 use-before-definition (error, order)");
    expect(r.stdout).toContain("Example:");
    expect(r.stdout).toContain("# fledge: ignore[FL104]");
    expect((await run(["--explain", "use-before-definition"])).stdout).toContain("FL104");
    const bad = await run(["--explain", "nope"]);
    expect(bad.code).toBe(2);
  });
});

describe("fledge check (machine formats)", () => {
  it("json: findings with code, severity, cell, line, column, end and fix", async () => {
    const r = await run([join(FIX, "FL104-positive.ipynb"), "--format", "json"]);
    const doc = JSON.parse(r.stdout);
    expect(doc.tool).toBe("fledge");
    const f = doc.files[0].findings.find((x: { code: string }) => x.code === "FL104");
    expect(f).toMatchObject({
      code: "FL104",
      name: "use-before-definition",
      severity: "error",
      cell: 1,
      cellId: "c001",
      line: 1,
      column: 7,
      endLine: 1,
      endColumn: 12,
      fix: { kind: "reorder", safe: true },
    });
    expect(doc.summary.bySeverity.error).toBe(1);
  });

  it("sarif 2.1.0: rules, results and regions on the notebook file's own lines", async () => {
    const file = join(FIX, "FL104-positive.ipynb");
    const r = await run([file, "--format", "sarif"]);
    const sarif = JSON.parse(r.stdout);
    expect(sarif.version).toBe("2.1.0");
    const runObj = sarif.runs[0];
    expect(runObj.tool.driver.name).toBe("fledge");
    const ids = runObj.tool.driver.rules.map((x: { id: string }) => x.id);
    expect(ids).toContain("FL104");
    const res = runObj.results.find((x: { ruleId: string }) => x.ruleId === "FL104");
    expect(res.level).toBe("error");
    expect(ids[res.ruleIndex]).toBe("FL104");
    const region = res.locations[0].physicalLocation.region;
    const fileLine = readFileSync(file, "utf8").split("\n")[region.startLine - 1];
    expect(fileLine).toContain("print(total)");
    expect(res.locations[0].physicalLocation.artifactLocation.uri).toMatch(/FL104-positive\.ipynb$/);
  });

  it("github: one workflow annotation per finding, on the file line", async () => {
    const file = join(FIX, "FL104-positive.ipynb");
    const r = await run([file, "--format", "github", "--select", "FL104"]);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const m = /^::error file=([^,]+),line=(\d+),endLine=\d+,title=FL104 use-before-definition::(.*)$/.exec(
      lines[0]!,
    );
    expect(m).not.toBeNull();
    expect(readFileSync(file, "utf8").split("\n")[Number(m![2]) - 1]).toContain("print(total)");
    expect(m![3]).toContain("cell 2, line 1, column 7");
  });
});

describe("fledge check on folders", () => {
  it("searches recursively, honours .gitignore, and reports broken notebooks without crashing", async () => {
    const dir = join(tmp, "folder");
    mkdirSync(join(dir, "sub"), { recursive: true });
    mkdirSync(join(dir, "ignored"), { recursive: true });
    mkdirSync(join(dir, ".ipynb_checkpoints"), { recursive: true });
    copyFileSync(join(FIX, "FL104-positive.ipynb"), join(dir, "sub", "a.ipynb"));
    copyFileSync(join(FIX, "FL104-positive.ipynb"), join(dir, "ignored", "b.ipynb"));
    copyFileSync(join(FIX, "FL104-positive.ipynb"), join(dir, ".ipynb_checkpoints", "a-checkpoint.ipynb"));
    writeFileSync(join(dir, ".gitignore"), "ignored/\n");
    writeFileSync(join(dir, "broken.ipynb"), '{"cells": [');
    const r = await run([dir, "--format", "json"]);
    const doc = JSON.parse(r.stdout);
    const paths = doc.files.map((f: { path: string }) => f.path.split("\\").join("/")).sort();
    expect(paths).toEqual([expect.stringMatching(/broken\.ipynb$/), expect.stringMatching(/sub\/a\.ipynb$/)]);
    const broken = doc.files.find((f: { path: string }) => f.path.endsWith("broken.ipynb"));
    expect(broken.error.message).toMatch(/truncated|JSON/);
    expect(r.code).toBe(2);
    const pretty = await run([dir]);
    expect(pretty.stdout).toContain("broken.ipynb");
    expect(pretty.stdout).toMatch(/code\s+rule\s+severity\s+count/);
  });

  it("skips notebooks in another language found in a folder, without failing", async () => {
    const dir = join(tmp, "mixed");
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(FIX, "FL104-negative.ipynb"), join(dir, "py.ipynb"));
    const r = JSON.parse(readFileSync(join(FIX, "FL104-negative.ipynb"), "utf8"));
    r.metadata = {
      kernelspec: { name: "ir", language: "R", display_name: "R" },
      language_info: { name: "R" },
    };
    writeFileSync(join(dir, "r.ipynb"), JSON.stringify(r));
    const res = await run([dir, "--select", "FL104"]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/skipped: .*r\.ipynb: this notebook is written in r/);
    expect(res.stdout).toContain("1 skipped (not Python)");
  });

  it("--stats prints the corpus table", async () => {
    const r = await run(["--stats", FIX]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/execution counts out of order\s+\d+ of \d+/);
    expect(r.stdout).toMatch(/secrets in code or outputs\s+[1-9]\d* of/);
  });
});

describe("fledge check --fix", () => {
  it("writes <name>.fixed.ipynb that runs top to bottom, leaving the original alone", async () => {
    const file = join(tmp, "fixable.ipynb");
    copyFileSync(join(FIX, "fixable.ipynb"), file);
    const before = readFileSync(file, "utf8");
    const r = await run([file, "--fix"]);
    expect(r.stdout).toContain("fixed: ");
    expect(r.stdout).toContain("so that every name is defined before it is read");
    expect(r.stdout).toContain("moved 1 import to the first code cell");
    expect(readFileSync(file, "utf8")).toBe(before);
    const out = join(tmp, "fixable.fixed.ipynb");
    const fixed = (await readNotebookFile(out)).notebook;
    const findings = checkNotebook(fixed);
    expect(findings.filter((f) => f.code === "FL104" || f.code === "FL105" || f.code === "FL301")).toEqual(
      [],
    );
    const code = fixed.cells.filter((c) => c.cell_type === "code").map((c) => c.source);
    expect(code[0]).toBe("import pandas as pd\nimport numpy as np");
    expect(code.indexOf("df = pd.DataFrame({'a': [1, 2, 3]})")).toBeLessThan(
      code.findIndex((s) => s.startsWith("summary")),
    );
    // The markdown cells are all still there.
    expect(fixed.cells.filter((c) => c.cell_type === "markdown")).toHaveLength(2);
    // A second run does not overwrite the fixed file.
    const again = await run([file, "--fix"]);
    expect(again.stdout).toContain("already exists: not overwritten");
  });

  it("--in-place rewrites the notebook and keeps a backup", async () => {
    const file = join(tmp, "inplace.ipynb");
    copyFileSync(join(FIX, "fixable.ipynb"), file);
    const before = readFileSync(file, "utf8");
    await run([file, "--fix", "--in-place"]);
    expect(readFileSync(`${file}.bak`, "utf8")).toBe(before);
    const after = (await readNotebookFile(file)).notebook;
    expect(checkNotebook(after).some((f) => f.code === "FL104")).toBe(false);
    expect((await run([file, "--in-place"])).code).toBe(2);
  });

  it("clears stale outputs", async () => {
    const file = join(tmp, "stale.ipynb");
    copyFileSync(join(FIX, "FL106-positive.ipynb"), file);
    await run([file, "--fix"]);
    const fixed = (await readNotebookFile(join(tmp, "stale.fixed.ipynb"))).notebook;
    const cell = fixed.cells[2]!;
    expect(cell.cell_type).toBe("code");
    expect(cell.outputs).toEqual([]);
    expect(cell.execution_count).toBeNull();
    expect(checkNotebook(fixed).some((f) => f.code === "FL106")).toBe(false);
  });

  it("only suggests a reorder it cannot prove (a cycle)", async () => {
    const file = join(tmp, "cycle.ipynb");
    copyFileSync(join(FIX, "FL108-positive.ipynb"), file);
    const r = await run([file, "--fix"]);
    expect(r.stdout).toContain("not fixed: ");
    expect(r.stdout).toContain("depend on each other in a cycle");
    expect(existsSync(join(tmp, "cycle.fixed.ipynb"))).toBe(false);
  });
});

describe("[tool.fledge] settings", () => {
  it("applies ignore and fail-on from the nearest pyproject.toml, flags adding to them", async () => {
    const dir = join(tmp, "proj", "notebooks");
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(tmp, "proj", "pyproject.toml"),
      '[project]\nname = "x"\n\n[tool.fledge]\nignore = ["FL104"]\nfail-on = "error"\n',
    );
    copyFileSync(join(FIX, "FL108-positive.ipynb"), join(dir, "nb.ipynb"));
    const r = await run([join(dir, "nb.ipynb"), "--format", "json"]);
    const codes = JSON.parse(r.stdout).files[0].findings.map((f: { code: string }) => f.code);
    expect(codes).not.toContain("FL104");
    expect(codes).toContain("FL108");
    expect(r.code).toBe(1);
    const r2 = await run([join(dir, "nb.ipynb"), "--ignore", "FL108,FL101"]);
    expect(r2.stdout).not.toContain("FL108");
  });

  it("reports a bad setting as a usage error naming the file", async () => {
    const dir = join(tmp, "badcfg");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "pyproject.toml"), '[tool.fledge]\nselekt = ["FL1"]\n');
    copyFileSync(join(FIX, "FL101-positive.ipynb"), join(dir, "nb.ipynb"));
    const r = await run([join(dir, "nb.ipynb")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown key "selekt"');
    expect(r.stderr).toContain("pyproject.toml");
  });
});

describe("fledge check --execute", () => {
  it("runs the notebook in a fresh kernel and confirms the predicted NameError", async () => {
    const r = await run([
      join(FIX, "FL104-positive.ipynb"),
      "--execute",
      "--python",
      venvPython(),
      "--format",
      "json",
    ]);
    const doc = JSON.parse(r.stdout);
    const f = doc.files[0].findings.find((x: { code: string }) => x.code === "FL104");
    expect(f.execution).toEqual({ verdict: "confirmed", detail: "NameError: name 'total' is not defined" });
    expect(doc.files[0].execution).toContain("1 confirmed, 0 refuted");
    expect(r.stderr).toContain("running the code of");
  }, 120_000);

  it("refutes nothing on a notebook that runs", async () => {
    const r = await run([join(FIX, "FL104-negative.ipynb"), "--execute", "--python", venvPython()]);
    expect(r.stdout).toContain("ran to the end without error; predicted failures: 0 confirmed");
  }, 120_000);

  it("needs --execute for --python", async () => {
    const r = await run([join(FIX, "FL104-negative.ipynb"), "--python", "python3"]);
    expect(r.code).toBe(2);
  });
});

describe("fledge check: the per-cell analysis cache", () => {
  const cacheFiles = (dir: string) =>
    existsSync(join(dir, "v1")) ? readdirSync(join(dir, "v1")).filter((n) => n.endsWith(".cells")) : [];

  it("gives byte-identical JSON on every fixture notebook: empty cache, warm cache, --no-cache", async () => {
    const cache = join(tmp, "identity-cache");
    const cold = await run([FIX, "--format", "json", "--cache-dir", cache]);
    expect(cacheFiles(cache).length).toBeGreaterThanOrEqual(readdirSync(FIX).length - 1);
    const warm = await run([FIX, "--format", "json", "--cache-dir", cache]);
    const none = await run([FIX, "--format", "json", "--no-cache"]);
    expect(JSON.parse(none.stdout).files.length).toBeGreaterThan(40);
    expect(cold.stdout).toBe(none.stdout);
    expect(warm.stdout).toBe(none.stdout);
    expect([cold.code, warm.code]).toEqual([none.code, none.code]);
    // … and each notebook on its own, in the pretty format, warm.
    for (const name of ["FL104-positive.ipynb", "FL401-positive.ipynb", "suppressed.ipynb"]) {
      const a = await run([join(FIX, name), "--cache-dir", cache]);
      const b = await run([join(FIX, name), "--no-cache"]);
      expect(a.stdout).toBe(b.stdout);
      expect(a.code).toBe(b.code);
    }
  });

  it("--stats and --fix give the same output with a warm cache as without", async () => {
    const cache = join(tmp, "fix-cache");
    await run(["--stats", FIX, "--select", "FL1", "--cache-dir", cache]);
    const stats = await run(["--stats", FIX, "--select", "FL1", "--cache-dir", cache]);
    expect(stats.stdout).toBe((await run(["--stats", FIX, "--select", "FL1", "--no-cache"])).stdout);
    const dir = join(tmp, "fix-cached");
    mkdirSync(dir);
    const file = join(dir, "fixable.ipynb");
    copyFileSync(join(FIX, "fixable.ipynb"), file);
    const outputs: string[] = [];
    for (const flags of [["--cache-dir", cache], ["--cache-dir", cache], ["--no-cache"]]) {
      rmSync(join(dir, "fixable.fixed.ipynb"), { force: true });
      const r = await run([file, "--fix", "--format", "json", ...flags]);
      outputs.push(r.stdout + readFileSync(join(dir, "fixable.fixed.ipynb"), "utf8"));
    }
    expect(outputs[0]).toContain("after the fixes");
    expect(outputs[1]).toBe(outputs[2]);
    expect(outputs[0]).toBe(outputs[2]);
  });

  it("re-analyses an edited cell: the finding follows the edit", async () => {
    const cache = join(tmp, "edit-cache");
    const file = join(tmp, "edited.ipynb");
    copyFileSync(join(FIX, "FL104-positive.ipynb"), file);
    const codes = async () =>
      JSON.parse((await run([file, "--format", "json", "--cache-dir", cache])).stdout).files[0].findings.map(
        (f: { code: string }) => f.code,
      );
    expect(await codes()).toContain("FL104");
    const doc = JSON.parse(readFileSync(file, "utf8"));
    doc.cells[1].source = ["total = 1\n", "print(total)"];
    writeFileSync(file, JSON.stringify(doc));
    expect(await codes()).not.toContain("FL104");
  });

  it("misses when the notebook's Python version changes: a builtin of 3.11 is undefined under 3.10", async () => {
    const cache = join(tmp, "version-cache");
    const file = join(tmp, "version.ipynb");
    const doc = JSON.parse(readFileSync(join(FIX, "FL104-negative.ipynb"), "utf8"));
    doc.cells.push({
      cell_type: "code",
      execution_count: null,
      metadata: {},
      outputs: [],
      source: ["errors = ExceptionGroup('many', [ValueError()])"],
      id: "eg",
    });
    const undefinedNames = async (version: string) => {
      doc.metadata.language_info.version = version;
      writeFileSync(file, JSON.stringify(doc));
      const r = await run([file, "--format", "json", "--select", "FL105", "--cache-dir", cache]);
      return JSON.parse(r.stdout).files[0].findings.map((f: { message: string }) => f.message);
    };
    expect(await undefinedNames("3.11.4")).toEqual([]);
    expect((await undefinedNames("3.10.12")).join()).toContain("ExceptionGroup");
    expect(await undefinedNames("3.11.4")).toEqual([]);
  });

  it("ignores and replaces a corrupt cache file", async () => {
    const cache = join(tmp, "corrupt-cache");
    const file = join(FIX, "FL201-positive.ipynb");
    const first = await run([file, "--format", "json", "--cache-dir", cache]);
    const [name] = cacheFiles(cache);
    const path = join(cache, "v1", name!);
    const good = readFileSync(path, "utf8");
    writeFileSync(path, good.slice(0, good.length / 2).replace(/"reads":\[/g, '"reads":[{"name":"x"},'));
    const again = await run([file, "--format", "json", "--cache-dir", cache]);
    expect(again.stdout).toBe(first.stdout);
    expect(again.code).toBe(first.code);
    expect(again.stderr).toBe("");
    expect(readFileSync(path, "utf8")).toBe(good);
  });

  it("is kept in .fledge_cache in the project root, marked with .gitignore and CACHEDIR.TAG", async () => {
    const project = join(tmp, "cached-project");
    mkdirSync(join(project, "notebooks"), { recursive: true });
    writeFileSync(join(project, "pyproject.toml"), '[project]\nname = "x"\n');
    copyFileSync(join(FIX, "FL104-positive.ipynb"), join(project, "notebooks", "a.ipynb"));
    await run([join(project, "notebooks")], project);
    const cache = join(project, ".fledge_cache");
    expect(cacheFiles(cache)).toHaveLength(1);
    expect(readFileSync(join(cache, ".gitignore"), "utf8")).toMatch(/^\*$/m);
    expect(readFileSync(join(cache, "CACHEDIR.TAG"), "utf8")).toMatch(
      /^Signature: 8a477f597d28d172789f06886806bc55/,
    );
    // A folder check does not search the cache.
    expect(JSON.parse((await run([project, "--format", "json"], project)).stdout).files).toHaveLength(1);
  });

  it("[tool.fledge] cache-dir moves it, relative to the pyproject.toml", async () => {
    const project = join(tmp, "configured-cache");
    mkdirSync(project);
    writeFileSync(join(project, "pyproject.toml"), '[tool.fledge]\ncache-dir = "build/fledge"\n');
    copyFileSync(join(FIX, "FL104-positive.ipynb"), join(project, "a.ipynb"));
    await run([join(project, "a.ipynb")], tmp);
    expect(cacheFiles(join(project, "build", "fledge"))).toHaveLength(1);
    expect(existsSync(join(project, ".fledge_cache"))).toBe(false);
  });

  it("--no-cache (or FLEDGE_NO_CACHE=1) reads and writes nothing", async () => {
    const project = join(tmp, "uncached-project");
    mkdirSync(project);
    writeFileSync(join(project, "pyproject.toml"), '[project]\nname = "x"\n');
    copyFileSync(join(FIX, "FL104-positive.ipynb"), join(project, "a.ipynb"));
    const r = await run([join(project, "a.ipynb"), "--no-cache"], project);
    expect(r.code).toBe(1);
    expect(readdirSync(project).sort()).toEqual(["a.ipynb", "pyproject.toml"]);
    const env = await runCli(["check", join(project, "a.ipynb")], {
      cwd: project,
      env: { FLEDGE_NO_CACHE: "1" },
    });
    expect(env.code).toBe(1);
    expect(readdirSync(project).sort()).toEqual(["a.ipynb", "pyproject.toml"]);
    const both = await run([join(project, "a.ipynb"), "--no-cache", "--cache-dir", tmp]);
    expect(both.code).toBe(2);
    expect((await run([join(project, "a.ipynb"), "--cache-dir", ""])).code).toBe(2);
  });

  it("a cache that cannot be written gives one note and the same result and exit status", async () => {
    const blocker = join(tmp, "plain-file");
    writeFileSync(blocker, "");
    const r = await run([FIX, "--format", "json", "--cache-dir", join(blocker, "cache")]);
    const none = await run([FIX, "--format", "json", "--no-cache"]);
    expect(r.stdout).toBe(none.stdout);
    expect(r.code).toBe(none.code);
    expect(r.stderr.match(/cannot write the analysis cache/g)).toHaveLength(1);
    expect(r.stderr).toContain("a part of the path is a file, not a folder");
  });

  it.skipIf(process.platform === "win32" || process.getuid?.() === 0)(
    "… also when the cache folder is read-only",
    async () => {
      const cache = join(tmp, "read-only-cache");
      mkdirSync(cache);
      chmodSync(cache, 0o555);
      try {
        const r = await run([join(FIX, "FL104-positive.ipynb"), "--cache-dir", cache]);
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(/cannot write the analysis cache .*permission denied/);
      } finally {
        chmodSync(cache, 0o755);
      }
    },
  );

  it("loads the Python grammar only when a cell misses (a fresh process each time)", () => {
    const cache = join(tmp, "grammar-cache");
    const file = join(tmp, "grammar.ipynb");
    copyFileSync(join(FIX, "FL104-positive.ipynb"), file);
    // scripts/check-cache-identity.ts --child runs `fledge …` in its process and says whether initPython ran.
    const fresh = (...flags: string[]) => {
      const r = spawnSync(
        process.execPath,
        [
          "--import",
          "tsx",
          join(ROOT, "scripts", "check-cache-identity.ts"),
          "--child",
          "check",
          file,
          ...flags,
        ],
        { cwd: ROOT, encoding: "utf8" },
      );
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { code: number; grammarLoaded: boolean };
    };
    expect(fresh("--cache-dir", cache)).toEqual({ code: 1, out: expect.any(String), grammarLoaded: true });
    expect(fresh("--cache-dir", cache).grammarLoaded).toBe(false);
    expect(fresh("--no-cache").grammarLoaded).toBe(true);
    const doc = JSON.parse(readFileSync(file, "utf8"));
    doc.cells[2].source = ["total = 40 + 3"];
    writeFileSync(file, JSON.stringify(doc));
    expect(fresh("--cache-dir", cache).grammarLoaded).toBe(true);
  }, 60_000);

  it("--help documents the cache flags", async () => {
    const r = await run(["--help"]);
    expect(r.stdout).toContain("--no-cache");
    expect(r.stdout).toContain("--cache-dir DIR");
  });
});

import { copyFileSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hasNoStackTrace, runCli } from "../helpers/cli.js";
import { ROOT } from "../helpers/env.js";

const IO = join(ROOT, "test", "fixtures", "notebooks", "io");

function tempCopy(name: string): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), "fledge-strip-"));
  const path = join(dir, name);
  copyFileSync(join(IO, name), path);
  return { dir, path };
}

describe("fledge strip", () => {
  it("prints the stripped notebook and leaves the file alone", async () => {
    const { path } = tempCopy("jupyter45.ipynb");
    const before = readFileSync(path, "utf8");
    const r = await runCli(["strip", path]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).not.toContain("ZeroDivisionError");
    expect(r.stdout).toContain('"execution_count": null');
    expect(r.stdout).toContain("loaded 3 rows"); // the keep_output cell
    expect(readFileSync(path, "utf8")).toBe(before);
  });

  it("--in-place rewrites atomically and says what it did; a second run changes nothing", async () => {
    const { dir, path } = tempCopy("jupyter45.ipynb");
    const r = await runCli(["strip", "jupyter45.ipynb", "--in-place"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      "stripped jupyter45.ipynb: outputs of 2 cells, 2 execution counts, 2 volatile metadata keys\n",
    );
    const once = readFileSync(path, "utf8");
    const mtime = statSync(path).mtimeMs;
    const again = await runCli(["strip", "-i", path]);
    expect(again.stderr).toBe(`${path}: already stripped\n`);
    expect(readFileSync(path, "utf8")).toBe(once);
    expect(statSync(path).mtimeMs).toBe(mtime);
  });

  it("reads stdin and writes stdout with -, as a git clean filter does, idempotently", async () => {
    const input = readFileSync(join(IO, "jupyter45.ipynb"), "utf8");
    const r = await runCli(["strip", "-", "--keep-output", "none"], { stdin: input });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("loaded 3 rows");
    const again = await runCli(["strip", "-", "--keep-output", "none"], { stdin: r.stdout });
    expect(again.stdout).toBe(r.stdout);
    const empty = await runCli(["strip", "-"], { stdin: "" });
    expect([empty.code, empty.stdout]).toEqual([0, ""]);
  });

  it("--check exits 1 for notebooks with outputs and 0 for stripped ones", async () => {
    const { path } = tempCopy("jupyter45.ipynb");
    const r = await runCli(["strip", "--check", path]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not stripped \(outputs of 2 cells/);
    await runCli(["strip", "-i", path]);
    expect((await runCli(["strip", "--check", path])).code).toBe(0);
  });

  it("--drop, --keep, --keep-count and --keep-all-outputs", async () => {
    const { path } = tempCopy("jupyter45.ipynb");
    const r = await runCli([
      "strip",
      path,
      "--drop",
      "metadata.language_info.version",
      "--keep",
      "cell.metadata.scrolled",
      "--keep-count",
      "--keep-all-outputs",
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('"version": "3.11.4"');
    expect(r.stdout).toContain('"scrolled": true');
    expect(r.stdout).toContain("ZeroDivisionError");
    expect(r.stdout).not.toContain("ExecuteTime");
  });

  it("bad input: clear message, exit 2, no stack trace", async () => {
    const cases: [string[], RegExp][] = [
      [["strip"], /give a notebook to strip/],
      [["strip", join(IO, "missing.ipynb")], /missing\.ipynb: no such file/],
      [["strip", IO], /is a directory/],
      [["strip", join(IO, "not-json.ipynb")], /not-json\.ipynb, line 5, column 4: not valid JSON/],
      [["strip", join(IO, "truncated.ipynb")], /looks truncated/],
      [["strip", join(IO, "nbformat5.ipynb")], /nbformat 5 is not supported/],
      [["strip", "a.ipynb", "b.ipynb"], /only be stripped with --in-place/],
      [["strip", "analysis.py"], /percent-format script: it has no outputs/],
      [["strip", "x.ipynb", "--drop", "outputs"], /not a metadata path/],
      [["strip", "x.ipynb", "--bogus"], /Unknown option '--bogus'/],
    ];
    for (const [argv, message] of cases) {
      const r = await runCli(argv);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.stderr, argv.join(" ")).toMatch(message);
      expect(r.stderr.startsWith("fledge: error: ")).toBe(true);
      expect(hasNoStackTrace(r)).toBe(true);
    }
    const stdin = await runCli(["strip", "-"], { stdin: "{not json" });
    expect(stdin.code).toBe(2);
    expect(stdin.stderr).toMatch(/<stdin>, line 1, column 2: not valid JSON/);
  });

  it("shows read repairs as warnings and says when it upgrades an old notebook", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fledge-strip-"));
    for (const name of ["missing-fields.ipynb", "v3.ipynb"]) copyFileSync(join(IO, name), join(dir, name));
    const r = await runCli(["strip", "-i", "missing-fields.ipynb", "v3.ipynb"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      "fledge: warning: missing-fields.ipynb, at cells[0].outputs: code cell has no outputs list; using []\n",
    );
    expect(r.stderr).toMatch(/stripped v3\.ipynb: upgraded from nbformat 3 to 4, outputs of 1 cell/);
    expect(readFileSync(join(dir, "v3.ipynb"), "utf8")).toContain('"nbformat": 4,');
  });

  it("works on a non-Python notebook (format commands do not need Python)", async () => {
    const { path } = tempCopy("r-kernel.ipynb");
    const r = await runCli(["strip", path]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"language": "R"');
  });

  it("has help with an example", async () => {
    const r = await runCli(["strip", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: fledge strip/);
    expect(r.stdout).toMatch(/Examples:\n {2}fledge strip/);
  });
});

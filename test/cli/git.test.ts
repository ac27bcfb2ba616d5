/**
 * `fledge git setup` in a real temporary repository: git add stores stripped notebooks through the clean filter,
 * git diff uses the cell-level driver, git show uses the textconv view. Git starts fledge as
 * `node <root>/bin/fledge.js`, which needs the build output (dist/); it is built here only if missing.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseNotebook } from "../../src/notebook/read.js";
import { serializeNotebook } from "../../src/notebook/write.js";
import { hasNoStackTrace, runCli } from "../helpers/cli.js";
import { ROOT } from "../helpers/env.js";

const IO = join(ROOT, "test", "fixtures", "notebooks", "io");
const hasGit = spawnSync("git", ["--version"]).status === 0;

function git(repo: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd: repo,
    encoding: "utf8",
    env: { ...process.env, GIT_PAGER: "cat", NO_COLOR: "1" },
  });
}

function newRepo(): string {
  const repo = mkdtempSync(join(tmpdir(), "fledge-git-"));
  git(repo, "init", "-q");
  git(repo, "config", "user.email", "test@example.com");
  git(repo, "config", "user.name", "Test");
  git(repo, "config", "commit.gpgsign", "false");
  return repo;
}

describe.skipIf(!hasGit)("fledge git setup", () => {
  beforeAll(() => {
    if (
      !existsSync(join(ROOT, "dist", "notebook", "strip.js")) ||
      !existsSync(join(ROOT, "dist", "cli", "commands", "git.js"))
    ) {
      execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "ignore" });
    }
  }, 300_000);

  it("writes .gitattributes and the repository config, explains it, and is idempotent", async () => {
    const repo = newRepo();
    const first = await runCli(["git", "setup"], { cwd: repo });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('.gitattributes: added "*.ipynb filter=fledge diff=fledge"');
    expect(first.stdout).toMatch(/git config filter\.fledge\.clean: set to .*bin\/fledge\.js strip -/);
    expect(first.stdout).toMatch(/git config diff\.fledge\.command: set to .* diff --git/);
    expect(first.stdout).toMatch(/git config diff\.fledge\.textconv: set to .* diff --textconv/);
    expect(first.stdout).toContain("What this does:");
    expect(readFileSync(join(repo, ".gitattributes"), "utf8")).toContain(
      "*.ipynb filter=fledge diff=fledge\n",
    );
    expect(git(repo, "config", "--get", "filter.fledge.clean")).toMatch(/bin\/fledge\.js strip -\n$/);
    const attributes = readFileSync(join(repo, ".gitattributes"), "utf8");

    const second = await runCli(["git", "setup"], { cwd: repo });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(".gitattributes: already has");
    expect(second.stdout.match(/already set/g)).toHaveLength(3);
    expect(readFileSync(join(repo, ".gitattributes"), "utf8")).toBe(attributes);
  });

  it("--dry-run changes nothing", async () => {
    const repo = newRepo();
    const r = await runCli(["git", "setup", "--dry-run"], { cwd: repo });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("(dry run: nothing changed)");
    expect(r.stdout).toContain('.gitattributes: would add "*.ipynb filter=fledge diff=fledge"');
    expect(existsSync(join(repo, ".gitattributes"))).toBe(false);
    expect(spawnSync("git", ["config", "--get", "filter.fledge.clean"], { cwd: repo }).status).toBe(1);
  });

  it("git add stores the notebook stripped, git diff and git show use fledge", async () => {
    const repo = newRepo();
    expect((await runCli(["git", "setup"], { cwd: repo })).code).toBe(0);
    const nbPath = join(repo, "analysis.ipynb");
    copyFileSync(join(IO, "jupyter45.ipynb"), nbPath);
    const working = readFileSync(nbPath, "utf8");

    git(repo, "add", ".gitattributes", "analysis.ipynb");
    const stored = git(repo, "show", ":analysis.ipynb");
    expect(stored).not.toContain("ZeroDivisionError");
    expect(stored).not.toContain('"execution_count": 3');
    expect(stored).toContain("loaded 3 rows"); // the keep_output cell keeps its output
    expect(readFileSync(nbPath, "utf8")).toBe(working); // the working copy keeps its outputs
    expect(git(repo, "status", "--porcelain")).toBe("A  .gitattributes\nA  analysis.ipynb\n");
    git(repo, "commit", "-q", "-m", "notebook");

    // edit a cell in the working copy
    const { notebook } = parseNotebook(working);
    notebook.cells[1]!.source = notebook.cells[1]!.source.replace("data.csv", "sales.csv");
    writeFileSync(nbPath, serializeNotebook(notebook));
    const diff = git(repo, "diff");
    expect(diff).toContain("fledge diff a/analysis.ipynb b/analysis.ipynb");
    expect(diff).toContain("## cell 2 (code, id cell-1) modified");
    expect(diff).toContain("-df = pd.read_csv('data.csv')\n+df = pd.read_csv('sales.csv')");
    expect(diff).not.toContain('"cell_type"');

    git(repo, "commit", "-q", "-am", "edit");
    const show = git(repo, "show", "HEAD", "--", "analysis.ipynb");
    expect(show).toContain("# %% [code] id=cell-1 tags=keep_output,parameters [1]");
    expect(show).toContain("+df = pd.read_csv('sales.csv')");
  }, 120_000);

  it("outside a repository: a clear error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fledge-nogit-"));
    const r = await runCli(["git", "setup"], {
      cwd: dir,
      env: { ...process.env, GIT_CEILING_DIRECTORIES: tmpdir() },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not inside a git repository/);
    expect(r.stderr).toMatch(/hint: .*git init/);
    expect(hasNoStackTrace(r)).toBe(true);
  });

  it("usage errors", async () => {
    for (const [argv, message] of [
      [["git"], /missing subcommand/],
      [["git", "install"], /unknown subcommand 'install'/],
      [["git", "setup", "extra"], /unexpected argument 'extra'/],
    ] as [string[], RegExp][]) {
      const r = await runCli(argv);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});

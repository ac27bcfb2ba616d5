import { describe, expect, it } from "vitest";
import {
  fledgeCommandLine,
  gitConfigEntries,
  shellQuote,
  updateGitattributes,
} from "../../src/notebook/gitconfig.js";

describe("updateGitattributes", () => {
  it("creates the file content when there is none", () => {
    const u = updateGitattributes(undefined);
    expect(u.changed).toBe(true);
    expect(u.text).toBe(
      "# fledge: strip notebook outputs on commit and show cell-level diffs (fledge git setup)\n*.ipynb filter=fledge diff=fledge\n",
    );
    expect(u.action).toBe('added "*.ipynb filter=fledge diff=fledge"');
  });

  it("is idempotent", () => {
    const once = updateGitattributes("*.py text eol=lf\n").text;
    const twice = updateGitattributes(once);
    expect(twice.changed).toBe(false);
    expect(twice.text).toBe(once);
    expect(twice.action).toMatch(/^already has/);
  });

  it("updates an existing *.ipynb line, replacing another filter and keeping other attributes", () => {
    const u = updateGitattributes("*.csv -diff\r\n*.ipynb filter=nbstripout merge=union\r\n");
    expect(u.text).toBe("*.csv -diff\r\n*.ipynb merge=union filter=fledge diff=fledge\r\n");
    expect(u.action).toMatch(/replaced filter=nbstripout/);
  });

  it("appends after content without a final newline, ignoring commented lines", () => {
    const u = updateGitattributes("# *.ipynb filter=old\n*.txt text");
    expect(u.text).toBe(
      "# *.ipynb filter=old\n*.txt text\n# fledge: strip notebook outputs on commit and show cell-level diffs (fledge git setup)\n*.ipynb filter=fledge diff=fledge\n",
    );
  });

  it("--diff-only installs only the diff attribute", () => {
    expect(updateGitattributes(undefined, { filter: false }).text).toContain("*.ipynb diff=fledge\n");
    expect(gitConfigEntries("fledge", { filter: false }).map((e) => e.key)).toEqual([
      "diff.fledge.command",
      "diff.fledge.textconv",
    ]);
  });
});

describe("command lines", () => {
  it("quotes for the shell git uses", () => {
    expect(shellQuote("/usr/bin/node")).toBe("/usr/bin/node");
    expect(shellQuote("/home/me/my tools/it's")).toBe("'/home/me/my tools/it'\\''s'");
    expect(fledgeCommandLine("C:\\Program Files\\node.exe", "C:\\x\\bin\\fledge.js")).toBe(
      "'C:/Program Files/node.exe' C:/x/bin/fledge.js",
    );
    expect(gitConfigEntries("fledge").map((e) => `${e.key}=${e.value}`)).toEqual([
      "filter.fledge.clean=fledge strip -",
      "diff.fledge.command=fledge diff --git",
      "diff.fledge.textconv=fledge diff --textconv",
    ]);
  });
});

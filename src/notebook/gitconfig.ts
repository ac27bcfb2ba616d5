/**
 * What `fledge git setup` installs, as pure functions: the `.gitattributes` line that routes notebooks through
 * fledge, and the repository config for the clean filter and the diff driver. The command (cli/commands/git.ts)
 * runs git and writes the files.
 *
 * - `filter.fledge.clean = <fledge> strip -`: `git add` stores notebooks stripped; the working copy keeps outputs.
 * - `diff.fledge.command = <fledge> diff --git`: `git diff` shows a cell-level diff (external diff driver).
 * - `diff.fledge.textconv = <fledge> diff --textconv`: `git log -p`, `git show` and `git diff --no-ext-diff` compare
 *   a readable text view of each notebook.
 */

export const ATTRIBUTE_PATTERN = "*.ipynb";
export const FLEDGE_ATTRIBUTES = ["filter=fledge", "diff=fledge"] as const;

/** Quote one word for the POSIX shell git runs filter and diff commands with (also git's sh on Windows). */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The command line git should run for fledge: node and the launcher script, quoted. */
export function fledgeCommandLine(nodePath: string, binScript: string): string {
  return `${shellQuote(nodePath.replace(/\\/g, "/"))} ${shellQuote(binScript.replace(/\\/g, "/"))}`;
}

export interface GitConfigEntry {
  key: string;
  value: string;
  /** What it is for, in the setup report. */
  purpose: string;
}

export function gitConfigEntries(fledge: string, options: { filter?: boolean } = {}): GitConfigEntry[] {
  const entries: GitConfigEntry[] = [];
  if (options.filter !== false) {
    entries.push({
      key: "filter.fledge.clean",
      value: `${fledge} strip -`,
      purpose: "git add stores notebooks without outputs, execution counts and volatile metadata",
    });
  }
  entries.push(
    {
      key: "diff.fledge.command",
      value: `${fledge} diff --git`,
      purpose: "git diff shows cell-level notebook diffs",
    },
    {
      key: "diff.fledge.textconv",
      value: `${fledge} diff --textconv`,
      purpose: "git log -p, git show and git diff --no-ext-diff compare a readable text view",
    },
  );
  return entries;
}

export interface AttributesUpdate {
  text: string;
  changed: boolean;
  /** One line for the report. */
  action: string;
  /** The same, for a dry run. */
  wouldAction: string;
}

/**
 * Make `.gitattributes` route `*.ipynb` through fledge: add `filter=fledge diff=fledge` to an existing `*.ipynb`
 * line (replacing another filter or diff driver there, keeping its other attributes) or append a new line.
 */
export function updateGitattributes(
  existing: string | undefined,
  options: { filter?: boolean } = {},
): AttributesUpdate {
  const wanted = options.filter === false ? ["diff=fledge"] : [...FLEDGE_ATTRIBUTES];
  const text = existing ?? "";
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const lines = text === "" ? [] : text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  const index = lines.findIndex((l) => {
    const t = l.trim();
    return !t.startsWith("#") && t.split(/\s+/)[0] === ATTRIBUTE_PATTERN;
  });
  if (index === -1) {
    const added = `${ATTRIBUTE_PATTERN} ${wanted.join(" ")}`;
    lines.push(
      "# fledge: strip notebook outputs on commit and show cell-level diffs (fledge git setup)",
      added,
    );
    return {
      text: lines.join(eol) + eol,
      changed: true,
      action: `added "${added}"`,
      wouldAction: `would add "${added}"`,
    };
  }
  const tokens = lines[index]!.trim().split(/\s+/);
  const replaced: string[] = [];
  const kept = tokens.slice(1).filter((tok) => {
    const name = tok.replace(/^[-!]/, "").split("=")[0];
    const ours = wanted.some((w) => w.split("=")[0] === name);
    if (ours && !wanted.includes(tok)) replaced.push(tok);
    return !ours;
  });
  const line = [ATTRIBUTE_PATTERN, ...kept, ...wanted].join(" ");
  if (tokens.slice(1).filter((t) => wanted.includes(t)).length === wanted.length && replaced.length === 0) {
    const action = `already has "${lines[index]!.trim()}"`;
    return { text, changed: false, action, wouldAction: action };
  }
  lines[index] = line;
  const how = replaced.length > 0 ? ` (replaced ${replaced.join(", ")})` : "";
  return {
    text: lines.join(eol) + eol,
    changed: true,
    action: `updated the ${ATTRIBUTE_PATTERN} line to "${line}"${how}`,
    wouldAction: `would update the ${ATTRIBUTE_PATTERN} line to "${line}"${how}`,
  };
}

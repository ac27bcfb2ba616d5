import { spawnSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { FledgeError } from "../../errors.js";
import { writeFileAtomic } from "../../notebook/fs.js";
import { fledgeCommandLine, gitConfigEntries, updateGitattributes } from "../../notebook/gitconfig.js";
import type { CliContext, Command, ParsedArgs } from "../command.js";

function git(args: string[], cwd: string): { status: number; stdout: string; stderr: string } {
  const r = spawnSync("git", args, { cwd, encoding: "utf8" });
  if (r.error) {
    const missing = (r.error as NodeJS.ErrnoException).code === "ENOENT";
    throw new FledgeError(
      "E_USAGE",
      missing ? "git is not installed (or not on PATH)" : `cannot run git: ${r.error.message}`,
    );
  }
  return { status: r.status ?? 1, stdout: r.stdout.trim(), stderr: r.stderr.trim() };
}

/** How git should start this fledge: node plus the launcher that started us (works without a global install). */
function defaultCommand(): string {
  const bin = fileURLToPath(new URL("../../../bin/fledge.js", import.meta.url));
  return fledgeCommandLine(process.execPath, bin);
}

async function setup(args: ParsedArgs, ctx: CliContext): Promise<0> {
  const top = git(["rev-parse", "--show-toplevel"], ctx.cwd);
  if (top.status !== 0) {
    throw new FledgeError("E_USAGE", `not inside a git repository (${ctx.cwd})`, {
      hint: "Run it from your repository, or create one with `git init`.",
    });
  }
  const root = top.stdout;
  const dryRun = args.values["dry-run"] === true;
  const filter = args.values["diff-only"] !== true;
  const fledge = typeof args.values.command === "string" ? args.values.command : defaultCommand();
  const out: string[] = [`fledge git setup in ${root}${dryRun ? " (dry run: nothing changed)" : ""}`];

  // .gitattributes (committed: everyone who clones gets the attribute; each clone needs `fledge git setup` once)
  const attributesPath = join(root, ".gitattributes");
  let existing: string | undefined;
  try {
    existing = await readFile(attributesPath, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  const update = updateGitattributes(existing, { filter });
  if (update.changed && !dryRun) await writeFileAtomic(attributesPath, update.text);
  out.push(`  .gitattributes: ${dryRun ? update.wouldAction : update.action}`);

  // repository config (.git/config: local to this clone)
  for (const entry of gitConfigEntries(fledge, { filter })) {
    const current = git(["config", "--local", "--get", entry.key], root);
    if (current.status === 0 && current.stdout === entry.value) {
      out.push(`  git config ${entry.key}: already set`);
      continue;
    }
    if (!dryRun) {
      const set = git(["config", "--local", entry.key, entry.value], root);
      if (set.status !== 0) throw new FledgeError("E_USAGE", `git config ${entry.key} failed: ${set.stderr}`);
    }
    const was = current.status === 0 ? ` (was: ${current.stdout})` : "";
    out.push(`  git config ${entry.key}: ${dryRun ? "would be " : ""}set to ${entry.value}${was}`);
  }

  out.push(
    "",
    "What this does:",
    ...gitConfigEntries(fledge, { filter }).map((e) => `  - ${e.purpose}`),
    ...(filter ? ["  - your working copy keeps its outputs; only what git stores is stripped"] : []),
    "Next steps:",
    "  - commit .gitattributes so the attributes travel with the repository (each clone runs `fledge git setup` once)",
    ...(filter
      ? ["  - notebooks committed before: `git add --renormalize '*.ipynb'` stores them stripped"]
      : []),
    "  - undo: remove the *.ipynb line from .gitattributes, then",
    "    `git config --remove-section filter.fledge; git config --remove-section diff.fledge`",
  );
  ctx.stdout.write(`${out.join("\n")}\n`);
  return 0;
}

async function run(args: ParsedArgs, ctx: CliContext): Promise<0> {
  const [sub, ...rest] = args.positionals;
  if (sub !== "setup") {
    throw new FledgeError(
      "E_USAGE",
      sub === undefined
        ? "missing subcommand: the only one is `fledge git setup`"
        : `unknown subcommand '${sub}': the only one is \`fledge git setup\``,
    );
  }
  if (rest.length > 0)
    throw new FledgeError("E_USAGE", `unexpected argument '${rest[0]}' after \`fledge git setup\``);
  return setup(args, ctx);
}

export const command: Command = {
  name: "git",
  summary: "git integration: `fledge git setup` installs the filter and diff driver",
  usage: "git setup [options]",
  help: [
    ["--dry-run", "say what would change without changing anything"],
    ["--diff-only", "install only the diff driver (keep outputs in commits)"],
    [
      "--command <cmd>",
      "how git should start fledge (default: this node and fledge, by absolute path), e.g. 'npx fledge'",
    ],
  ],
  examples: [
    "fledge git setup",
    "fledge git setup --dry-run",
    "fledge git setup --command fledge   # fledge on PATH",
  ],
  options: {
    "dry-run": { type: "boolean" },
    "diff-only": { type: "boolean" },
    command: { type: "string" },
  },
  run,
};

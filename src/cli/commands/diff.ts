import { resolve } from "node:path";
import { createTwoFilesPatch } from "diff";
import type { ExitCode } from "../../errors.js";
import { FledgeError } from "../../errors.js";
import { diffNotebooks } from "../../notebook/diff.js";
import { renderDiff, renderNotebookText } from "../../notebook/diff-render.js";
import { readTextFile } from "../../notebook/fs.js";
import { readNotebookFile } from "../../notebook/load.js";
import type { Notebook } from "../../notebook/types.js";
import type { CliContext, Command, ParsedArgs } from "../command.js";
import { asTyped } from "./strip.js";

const EMPTY: Notebook = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] };
const NULL_FILE = /^(\/dev\/null|nul)$/i;

async function load(file: string, ctx: CliContext): Promise<Notebook> {
  if (NULL_FILE.test(file)) return EMPTY;
  try {
    return (await readNotebookFile(resolve(ctx.cwd, file))).notebook;
  } catch (err) {
    throw asTyped(err, file);
  }
}

function useColor(args: ParsedArgs, ctx: CliContext): boolean {
  const mode = args.values.color ?? "auto";
  if (mode === "always") return true;
  if (mode === "never") return false;
  if (mode !== "auto")
    throw new FledgeError("E_USAGE", `--color must be auto, always or never, not '${String(mode)}'`);
  return ctx.color;
}

function contextLines(args: ParsedArgs): number {
  const raw = args.values.context;
  if (raw === undefined) return 3;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw new FledgeError("E_USAGE", `--context must be a whole number, not '${String(raw)}'`);
  return n;
}

/** git's external diff driver: `path old-file old-hex old-mode new-file new-hex new-mode [new-path info]`. */
async function gitDriver(args: ParsedArgs, ctx: CliContext): Promise<ExitCode> {
  const p = args.positionals;
  if (p.length !== 7 && p.length !== 9) {
    throw new FledgeError(
      "E_USAGE",
      `--git expects the 7 (or 9) arguments git passes to a diff driver, got ${p.length}`,
      {
        hint: "Set it up with `fledge git setup`; to compare two files run `fledge diff a.ipynb b.ipynb`.",
      },
    );
  }
  const path = p[0]!;
  const newPath = p.length === 9 ? p[7]! : path;
  const aName = NULL_FILE.test(p[1]!) ? "/dev/null" : `a/${path}`;
  const bName = NULL_FILE.test(p[4]!) ? "/dev/null" : `b/${newPath}`;
  const color = useColor(args, ctx);
  try {
    const diff = diffNotebooks(await load(p[1]!, ctx), await load(p[4]!, ctx), {
      context: contextLines(args),
    });
    ctx.stdout.write(
      `fledge diff ${aName} ${bName}\n${renderDiff(diff, { aName, bName, color }) || "(same cells and metadata: only the file layout differs)\n"}`,
    );
  } catch (err) {
    if (!(err instanceof FledgeError) || err.code !== "E_INPUT") throw err;
    // Not a readable notebook (e.g. a conflicted or broken file): show a plain text diff instead of failing,
    // because git stops the whole `git diff` when a driver fails.
    ctx.stdout.write(
      `fledge diff: ${path} is not a readable notebook (${err.message}); plain text diff follows\n`,
    );
    const read = async (f: string) =>
      NULL_FILE.test(f) ? "" : readTextFile(resolve(ctx.cwd, f)).catch(() => "");
    ctx.stdout.write(
      createTwoFilesPatch(aName, bName, await read(p[1]!), await read(p[4]!), "", "", { context: 3 }),
    );
  }
  // git aborts the whole diff when a driver exits non-zero.
  return 0;
}

async function run(args: ParsedArgs, ctx: CliContext): Promise<ExitCode> {
  if (args.values.textconv === true) {
    if (args.positionals.length !== 1) {
      throw new FledgeError(
        "E_USAGE",
        "--textconv takes one notebook and prints it as text (git runs it per file)",
      );
    }
    ctx.stdout.write(renderNotebookText(await load(args.positionals[0]!, ctx)));
    return 0;
  }
  if (args.values.git === true) return gitDriver(args, ctx);
  if (args.positionals.length !== 2) {
    throw new FledgeError("E_USAGE", `give two notebooks to compare (got ${args.positionals.length})`, {
      hint: "Example: fledge diff before.ipynb after.ipynb",
    });
  }
  const [aFile, bFile] = args.positionals as [string, string];
  const diff = diffNotebooks(await load(aFile, ctx), await load(bFile, ctx), { context: contextLines(args) });
  if (args.values.json === true) {
    ctx.stdout.write(`${JSON.stringify(diff, null, 2)}\n`);
  } else {
    ctx.stdout.write(renderDiff(diff, { aName: aFile, bName: bFile, color: useColor(args, ctx) }));
  }
  return diff.identical ? 0 : 1;
}

export const command: Command = {
  name: "diff",
  summary: "cell-level diff of two notebooks (git diff driver)",
  usage: "diff <a.ipynb> <b.ipynb> [options]",
  help: [
    ["-U, --context <n>", "lines of context around source changes (default 3)"],
    ["--color <when>", "auto (on a terminal, unless NO_COLOR), always or never"],
    ["--json", "print the differences as JSON"],
    [
      "--textconv <nb>",
      "print one notebook as readable text (git `diff.fledge.textconv`, used by git log -p / show)",
    ],
    ["--git <7 args>", "run as git's external diff driver (`diff.fledge.command`, used by git diff)"],
  ],
  examples: [
    "fledge diff before.ipynb after.ipynb",
    "fledge diff analysis.ipynb analysis.py      # a notebook against its percent-format twin",
    "fledge git setup                            # makes `git diff` use fledge for *.ipynb",
  ],
  options: {
    context: { type: "string", short: "U" },
    color: { type: "string" },
    json: { type: "boolean" },
    textconv: { type: "boolean" },
    git: { type: "boolean" },
  },
  run,
};

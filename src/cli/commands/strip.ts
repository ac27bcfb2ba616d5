import { resolve } from "node:path";
import { FledgeError } from "../../errors.js";
import { readTextFile, writeFileAtomic } from "../../notebook/fs.js";
import { isPercentPath } from "../../notebook/load.js";
import { parseNotebook } from "../../notebook/read.js";
import {
  checkKeyPath,
  DEFAULT_KEEP_OUTPUT_TAGS,
  DEFAULT_VOLATILE_KEYS,
  type StripOptions,
  stripNotebook,
} from "../../notebook/strip.js";
import { serializeNotebook } from "../../notebook/write.js";
import type { CliContext, Command, ParsedArgs } from "../command.js";

/** Read all of stdin as UTF-8 text. */
export async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

/** The same error, naming the file as the user typed it. */
export function asTyped(err: unknown, typed: string): unknown {
  if (!(err instanceof FledgeError) || err.location?.file === undefined) return err;
  return new FledgeError(err.code, err.message, {
    location: { ...err.location, file: typed },
    ...(err.hint === undefined ? {} : { hint: err.hint }),
    cause: err,
  });
}

function list(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

function optionsFrom(args: ParsedArgs): StripOptions {
  const drop = list(args.values.drop);
  const keep = list(args.values.keep);
  for (const path of [...drop, ...keep]) {
    const problem = checkKeyPath(path);
    if (problem) throw new FledgeError("E_USAGE", problem, { hint: "Example: --drop cell.metadata.vscode" });
  }
  const tags = list(args.values["keep-output"]);
  return {
    keepOutputTags: tags.length > 0 ? tags : [...DEFAULT_KEEP_OUTPUT_TAGS],
    keepAllOutputs: args.values["keep-all-outputs"] === true,
    keepCount: args.values["keep-count"] === true,
    dropKeys: [...DEFAULT_VOLATILE_KEYS, ...drop],
    keepKeys: keep,
  };
}

/** Strip one notebook's text; read warnings (repairs, upgrades) go to stderr under the name the user typed. */
function strip(
  text: string,
  file: string,
  shown: string,
  options: StripOptions,
  ctx: CliContext,
): { text: string; summary: string } {
  const parsed = parseNotebook(text, file);
  for (const w of parsed.warnings) {
    ctx.stderr.write(`fledge: warning: ${shown}${w.jsonPath ? `, at ${w.jsonPath}` : ""}: ${w.message}\n`);
  }
  const { notebook, stats } = stripNotebook(parsed.notebook, options);
  const parts: string[] = [];
  if (parsed.origin.nbformat < 4) parts.push(`upgraded from nbformat ${parsed.origin.nbformat} to 4`);
  if (stats.outputs) parts.push(`outputs of ${stats.outputs} cell${stats.outputs === 1 ? "" : "s"}`);
  if (stats.counts) parts.push(`${stats.counts} execution count${stats.counts === 1 ? "" : "s"}`);
  if (stats.metadata) parts.push(`${stats.metadata} volatile metadata key${stats.metadata === 1 ? "" : "s"}`);
  return { text: serializeNotebook(notebook), summary: parts.join(", ") };
}

async function run(args: ParsedArgs, ctx: CliContext): Promise<0 | 1> {
  const files = args.positionals;
  const inPlace = args.values["in-place"] === true;
  const check = args.values.check === true;
  if (files.length === 0) {
    throw new FledgeError("E_USAGE", "give a notebook to strip, or - to read one from stdin", {
      hint: "Example: fledge strip analysis.ipynb --in-place",
    });
  }
  if (files.length > 1 && !inPlace && !check) {
    throw new FledgeError(
      "E_USAGE",
      "several notebooks can only be stripped with --in-place (or checked with --check)",
    );
  }
  if (inPlace && check) throw new FledgeError("E_USAGE", "--in-place and --check do not go together");
  const options = optionsFrom(args);

  if (files.includes("-")) {
    if (files.length > 1 || inPlace) {
      throw new FledgeError(
        "E_USAGE",
        "- (stdin) is read alone and written to stdout; it cannot be used with --in-place",
      );
    }
    const input = await readStdin(ctx.stdin);
    // As a git clean filter, an empty file passes through unchanged.
    if (input.trim() === "") {
      if (!check) ctx.stdout.write(input);
      return 0;
    }
    const { text } = strip(input, "<stdin>", "<stdin>", options, ctx);
    if (check) return text === input ? 0 : 1;
    ctx.stdout.write(text);
    return 0;
  }

  let changed = 0;
  for (const file of files) {
    if (isPercentPath(file)) {
      throw new FledgeError("E_USAGE", `${file} is a percent-format script: it has no outputs to strip`, {
        hint: "Strip the paired .ipynb instead.",
      });
    }
    const abs = resolve(ctx.cwd, file);
    let original: string;
    let result: { text: string; summary: string };
    try {
      original = await readTextFile(abs);
      result = strip(original, abs, file, options, ctx);
    } catch (err) {
      throw asTyped(err, file);
    }
    const differs = result.text !== original;
    if (differs) changed++;
    if (check) {
      if (differs) ctx.stderr.write(`${file}: not stripped (${result.summary || "layout differs"})\n`);
    } else if (inPlace) {
      if (differs) {
        try {
          await writeFileAtomic(abs, result.text);
        } catch (err) {
          throw asTyped(err, file);
        }
        ctx.stderr.write(`stripped ${file}: ${result.summary || "rewritten in Jupyter's layout"}\n`);
      } else {
        ctx.stderr.write(`${file}: already stripped\n`);
      }
    } else {
      ctx.stdout.write(result.text);
    }
  }
  return check && changed > 0 ? 1 : 0;
}

export const command: Command = {
  name: "strip",
  summary: "remove outputs and volatile metadata (git clean filter)",
  usage: "strip <notebook.ipynb>… | - [options]",
  help: [
    [
      "-i, --in-place",
      "rewrite the notebook file(s) instead of printing (atomic; unchanged files are not touched)",
    ],
    ["--check", "change nothing; exit 1 if a notebook is not stripped (for CI and pre-commit)"],
    [
      "--keep-output <tag>",
      `cells with this tag keep outputs and execution count (repeatable; default: ${DEFAULT_KEEP_OUTPUT_TAGS.join(", ")})`,
    ],
    ["--keep-all-outputs", "keep every cell's outputs; strip only volatile metadata"],
    ["--keep-count", "keep execution counts"],
    [
      "--drop <path>",
      "also remove this metadata, e.g. metadata.language_info.version or cell.metadata.vscode",
    ],
    ["--keep <path>", `keep one of the default volatile keys: ${DEFAULT_VOLATILE_KEYS.join(", ")}`],
    ["-", "read the notebook from stdin and write the result to stdout (the git clean filter)"],
  ],
  examples: [
    "fledge strip analysis.ipynb > clean.ipynb",
    "fledge strip --in-place notebooks/*.ipynb",
    "fledge strip - < analysis.ipynb      # as `git config filter.fledge.clean 'fledge strip -'`",
  ],
  options: {
    "in-place": { type: "boolean", short: "i" },
    check: { type: "boolean" },
    "keep-output": { type: "string", multiple: true },
    "keep-all-outputs": { type: "boolean" },
    "keep-count": { type: "boolean" },
    drop: { type: "string", multiple: true },
    keep: { type: "string", multiple: true },
  },
  run,
};

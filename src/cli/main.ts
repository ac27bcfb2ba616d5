import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { type ExitCode, FledgeError, formatLocation } from "../errors.js";
import type { CliContext, Command } from "./command.js";
import { COMMANDS } from "./commands/index.js";

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

function topHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = [
    "fledge — from a Jupyter notebook to a tested, production Python project.",
    "",
    "Usage: fledge <command> [options]",
    "",
    "Commands:",
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `fledge <command> --help` for a command's options and an example.",
    "Exit codes: 0 ok, 1 findings or differences, 2 usage or input error, 3 user code failed or no usable kernel.",
  ];
  return `${lines.join("\n")}\n`;
}

export function commandHelp(cmd: Command): string {
  const width = Math.max(0, ...cmd.help.map(([flag]) => flag.length));
  const lines = [`Usage: fledge ${cmd.usage}`, "", cmd.summary];
  if (cmd.help.length > 0) {
    lines.push("", "Options:", ...cmd.help.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`));
  }
  if (cmd.examples.length > 0) lines.push("", "Examples:", ...cmd.examples.map((e) => `  ${e}`));
  return `${lines.join("\n")}\n`;
}

export function defaultContext(): CliContext {
  const controller = new AbortController();
  const onSigint = () => controller.abort(new FledgeError("E_USER_CODE", "interrupted (Ctrl-C)"));
  process.once("SIGINT", onSigint);
  process.once("SIGTERM", onSigint);
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    signal: controller.signal,
  };
}

/** Entry point: parses argv, runs the command, and turns every error into a message and an exit code. */
export async function main(argv: string[], ctx: CliContext = defaultContext()): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    ctx.stdout.write(topHelp());
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-V") {
    ctx.stdout.write(`fledge ${version()}\n`);
    return 0;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    ctx.stderr.write(
      `fledge: unknown command '${name}'. Choose one of: ${Object.keys(COMMANDS).join(", ")}.\n`,
    );
    return 2;
  }
  try {
    const cmd = await entry.load();
    if (rest.includes("--help") || rest.includes("-h")) {
      ctx.stdout.write(commandHelp(cmd));
      return 0;
    }
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({ args: rest, options: cmd.options, allowPositionals: true, strict: true });
    } catch (err) {
      throw new FledgeError("E_USAGE", (err as Error).message, { hint: `See \`fledge ${name} --help\`.` });
    }
    return await cmd.run({ values: parsed.values, positionals: parsed.positionals }, ctx);
  } catch (err) {
    return reportError(err, ctx);
  }
}

export function reportError(err: unknown, ctx: CliContext): ExitCode {
  if (err instanceof FledgeError) {
    const where = formatLocation(err.location);
    ctx.stderr.write(`fledge: error: ${where ? `${where}: ` : ""}${err.message}\n`);
    if (err.hint) ctx.stderr.write(`  hint: ${err.hint}\n`);
    return err.exitCode;
  }
  // A bug in fledge, not the user's fault: say so plainly, without a stack trace unless asked.
  const e = err as Error;
  ctx.stderr.write(`fledge: internal error: ${e?.message ?? String(err)}\n`);
  if (ctx.env.FLEDGE_DEBUG) ctx.stderr.write(`${e?.stack ?? ""}\n`);
  else ctx.stderr.write("  This is a bug in fledge. Re-run with FLEDGE_DEBUG=1 for details and report it.\n");
  return 2;
}

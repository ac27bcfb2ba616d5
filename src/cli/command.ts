import type { ParseArgsConfig } from "node:util";
import type { ExitCode } from "../errors.js";

/** Where a command writes. Only cli/ touches process streams; tests pass their own. */
export interface CliContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: { write(chunk: string): unknown; isTTY?: boolean };
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
  stdin: NodeJS.ReadableStream;
  /** Colour allowed on stdout (TTY and no NO_COLOR). */
  color: boolean;
  /** An AbortSignal fired on Ctrl-C, so commands that run kernels can clean up. */
  signal: AbortSignal;
}

export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

export interface ParsedArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

export interface Command {
  name: string;
  /** One line, shown in `fledge --help`. */
  summary: string;
  /** Usage line(s) after `fledge `, e.g. `check <notebook or folder>… [options]`. */
  usage: string;
  /** Option descriptions for --help, in order: [flag text, description]. */
  help: [string, string][];
  /** At least one example, shown in --help. */
  examples: string[];
  options: OptionSpec;
  run(args: ParsedArgs, ctx: CliContext): Promise<ExitCode>;
}

/**
 * Run the CLI in-process with a fake context and capture what it prints.
 *
 *   const r = await runCli(["strip", "nb.ipynb"]);
 *   expect(r.code).toBe(0);
 *   expect(r.stdout).toContain(...);
 *
 * Options: `cwd`, `env`, `stdin` (text or bytes fed to the command), `tty` (pretend stdout is a terminal, which
 * also turns colour on unless NO_COLOR is set), `signal`.
 */
import { Readable } from "node:stream";
import type { CliContext } from "../../src/cli/command.js";
import { main } from "../../src/cli/main.js";
import type { ExitCode } from "../../src/errors.js";

export interface CliRunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  stdin?: string | Uint8Array;
  tty?: boolean;
  signal?: AbortSignal;
}

export interface CliRun {
  code: ExitCode;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved in the order they were written. */
  output: string;
}

/** A context whose streams write into strings; `result()` reads them. */
export function fakeContext(options: CliRunOptions = {}): {
  ctx: CliContext;
  result: () => Omit<CliRun, "code">;
} {
  let stdout = "";
  let stderr = "";
  let output = "";
  const tty = options.tty ?? false;
  const env = options.env ?? { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined };
  const input = options.stdin ?? "";
  const ctx: CliContext = {
    cwd: options.cwd ?? process.cwd(),
    env,
    stdout: {
      isTTY: tty,
      write(chunk: string) {
        stdout += chunk;
        output += chunk;
        return true;
      },
    },
    stderr: {
      isTTY: tty,
      write(chunk: string) {
        stderr += chunk;
        output += chunk;
        return true;
      },
    },
    stdin: Readable.from(typeof input === "string" ? [Buffer.from(input, "utf8")] : [Buffer.from(input)]),
    color: tty && !env.NO_COLOR,
    signal: options.signal ?? new AbortController().signal,
  };
  return { ctx, result: () => ({ stdout, stderr, output }) };
}

/** Run `fledge <argv…>` in-process. */
export async function runCli(argv: string[], options: CliRunOptions = {}): Promise<CliRun> {
  const { ctx, result } = fakeContext(options);
  const code = await main(argv, ctx);
  return { code, ...result() };
}

/** A failed run must explain itself on stderr without a stack trace. */
export function hasNoStackTrace(run: CliRun): boolean {
  return !/\n\s+at .+:\d+:\d+\)?/.test(run.output) && !run.output.includes("internal error");
}

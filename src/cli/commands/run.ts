/**
 * `fledge run`: execute a notebook top to bottom in a fresh Jupyter kernel and write the executed copy.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import { FledgeError } from "../../errors.js";
import { resolveKernel } from "../../kernel/kernelspec.js";
import { stripAnsi } from "../../kernel/outputs.js";
import { injectParameters, type Parameter, parseParameter } from "../../kernel/parameters.js";
import {
  cellsToRun,
  kernelRequestFor,
  type ProgressEvent,
  type RunResult,
  runNotebook,
} from "../../kernel/runner.js";
import { readNotebookFile, serializeNotebook, writeFileAtomic } from "../../notebook/index.js";
import { cloneJson } from "../../notebook/memo.js";
import type { CliContext, Command, ParsedArgs } from "../command.js";

function list(v: ParsedArgs["values"][string]): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

function seconds(v: ParsedArgs["values"][string], flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== "string" || !Number.isFinite(n) || n <= 0) {
    throw new FledgeError("E_USAGE", `${flag} needs a number of seconds greater than 0, not '${String(v)}'`);
  }
  return n * 1000;
}

/** `nb.ipynb` → `nb.executed.ipynb` (a `.py` notebook gives `nb.executed.ipynb` too). */
export function defaultOutputPath(input: string): string {
  const ext = extname(input);
  return join(dirname(input), `${basename(input, ext)}.executed.ipynb`);
}

/** An existing output file that fledge run wrote itself may be replaced; anything else needs --force. */
function writtenByFledgeRun(path: string): boolean {
  try {
    const nb = JSON.parse(readFileSync(path, "utf8")) as {
      metadata?: { fledge?: { executed_from?: unknown } };
    };
    return typeof nb.metadata?.fledge?.executed_from === "string";
  } catch {
    return false;
  }
}

function fmt(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

/** Progress on stderr: one redrawn line on a TTY, plain lines (slow cells only) otherwise. */
class Progress {
  private timer: NodeJS.Timeout | undefined;
  private line = "";
  private cellStarted = 0;
  private current: { ordinal: number; total: number; cell: number } | undefined;
  private readonly started = Date.now();
  private lastPlain = 0;

  constructor(private readonly ctx: CliContext) {}

  private get tty(): boolean {
    return Boolean(this.ctx.stderr.isTTY);
  }

  private draw(): void {
    const c = this.current;
    if (!c) return;
    const text = `  [${c.ordinal + 1}/${c.total}] cell ${c.cell + 1} running ${fmt(Date.now() - this.cellStarted)} (total ${fmt(Date.now() - this.started)})`;
    if (this.tty) {
      this.ctx.stderr.write(`\r\x1b[K${text}`);
      this.line = text;
    } else if (Date.now() - this.lastPlain >= 30_000 && Date.now() - this.cellStarted >= 30_000) {
      this.lastPlain = Date.now();
      this.ctx.stderr.write(`${text.trim()}\n`);
    }
  }

  clear(): void {
    if (this.tty && this.line) this.ctx.stderr.write("\r\x1b[K");
    this.line = "";
  }

  on(e: ProgressEvent): void {
    if (e.type === "kernel-starting") {
      if (this.tty) this.ctx.stderr.write("  starting the kernel…");
      this.line = "starting";
    } else if (e.type === "kernel-ready") {
      this.clear();
    } else if (e.type === "cell-start") {
      this.current = { ordinal: e.ordinal, total: e.total, cell: e.cell };
      this.cellStarted = Date.now();
      this.lastPlain = Date.now();
      this.draw();
      if (!this.timer) {
        this.timer = setInterval(() => this.draw(), this.tty ? 200 : 1000);
        this.timer.unref();
      }
    } else if (e.type === "cell-end") {
      const took = Date.now() - this.cellStarted;
      this.current = undefined;
      if (!this.tty && took >= 2000) {
        this.ctx.stderr.write(
          `  [${e.ordinal + 1}/${e.total}] cell ${e.cell + 1} finished in ${fmt(took)}\n`,
        );
      }
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.clear();
  }
}

function describeFailure(r: RunResult, input: string, cellTimeoutMs: number | undefined): string {
  const cell = r.failedCell !== undefined ? `cell ${r.failedCell + 1}` : "a cell";
  const f = r.failure;
  switch (r.status) {
    case "error":
      return `${input}, ${cell} raised ${f?.error ? `${f.error.ename}: ${f.error.evalue}` : "an error"}`;
    case "timeout":
      return r.runTimedOut
        ? `${input}: the run's time limit (--timeout) was reached while ${cell} was running`
        : `${input}, ${cell} ran longer than the cell time limit (--cell-timeout ${(cellTimeoutMs ?? 0) / 1000} s)`;
    case "died":
      return `${input}: the kernel died while ${cell} was running (${f?.death?.reason ?? "unknown reason"})`;
    case "interrupted":
      return `${input}: interrupted (Ctrl-C) while ${cell} was running`;
    default:
      return `${input}: the run did not complete`;
  }
}

export const command: Command = {
  name: "run",
  summary: "execute a notebook top to bottom in a fresh kernel",
  usage: "run <notebook> [-o OUT] [-p name=value]… [--cwd DIR] [--timeout S] [--cell-timeout S] [options]",
  help: [
    [
      "-o, --output FILE",
      "where to write the executed notebook (default: <name>.executed.ipynb beside it; - for stdout)",
    ],
    [
      "-p, --parameter name=value",
      "set a parameter; the value is a Python literal (42, 0.1, 'text', [1, 2], True)",
    ],
    ["-r, --raw-parameter name=value", "set a parameter to a string, taken as is"],
    ["--cwd DIR", "working directory of the kernel (default: the notebook's folder)"],
    ["--timeout S", "stop the whole run after S seconds (kernel start included)"],
    ["--cell-timeout S", "stop when one cell runs longer than S seconds"],
    ["--allow-errors", "keep running after a cell raises; exit 0 if the run completes"],
    ["--in-place", "write the executed notebook over the input"],
    ["--json", "print a summary as JSON on stdout (status, output file, failing cell, timings, interpreter)"],
    ["--force", "replace an existing output file that fledge run did not write"],
    ["--python PATH", "run with this Python (must have ipykernel) instead of the notebook's kernelspec;"],
    ["", "default: $FLEDGE_PYTHON if set, else the notebook's kernelspec as Jupyter finds it"],
  ],
  examples: [
    "fledge run analysis.ipynb",
    "fledge run train.ipynb -p learning_rate=0.05 -p data_path='\"data/2024.csv\"' -o runs/train-0.05.ipynb",
    "fledge run report.ipynb --python .venv/bin/python --cell-timeout 600",
  ],
  options: {
    output: { type: "string", short: "o" },
    parameter: { type: "string", short: "p", multiple: true },
    "raw-parameter": { type: "string", short: "r", multiple: true },
    cwd: { type: "string" },
    timeout: { type: "string" },
    "cell-timeout": { type: "string" },
    "allow-errors": { type: "boolean" },
    "in-place": { type: "boolean" },
    json: { type: "boolean" },
    force: { type: "boolean" },
    python: { type: "string" },
  },
  async run(args, ctx) {
    const [file, ...extra] = args.positionals;
    if (!file || extra.length > 0) {
      throw new FledgeError(
        "E_USAGE",
        file ? "give exactly one notebook to run" : "which notebook should run?",
        {
          hint: "fledge run analysis.ipynb",
        },
      );
    }
    const input = resolve(ctx.cwd, file);
    const v = args.values;
    const inPlace = v["in-place"] === true;
    if (inPlace && typeof v.output === "string") {
      throw new FledgeError("E_USAGE", "--in-place and --output cannot be used together");
    }
    const params: Parameter[] = [
      ...list(v.parameter).map((p) => parseParameter(p, false)),
      ...list(v["raw-parameter"]).map((p) => parseParameter(p, true)),
    ];
    const cellTimeoutMs = seconds(v["cell-timeout"], "--cell-timeout");
    const timeoutMs = seconds(v.timeout, "--timeout");
    const toStdout = v.output === "-";
    if (toStdout && v.json === true) {
      throw new FledgeError("E_USAGE", "--json and -o - both write to stdout; choose one");
    }
    const output = inPlace
      ? input
      : toStdout
        ? "-"
        : resolve(ctx.cwd, (v.output as string) ?? defaultOutputPath(input));
    if (!inPlace && !toStdout && output === input) {
      throw new FledgeError("E_EXISTS", `refusing to write the executed notebook over its input ${file}`, {
        hint: "Pass --in-place to replace the input, or choose another -o file.",
      });
    }
    if (!inPlace && !toStdout && existsSync(output) && v.force !== true && !writtenByFledgeRun(output)) {
      throw new FledgeError(
        "E_EXISTS",
        `${output} exists and was not written by fledge run; not replacing it`,
        {
          hint: "Pass --force to replace it, or choose another -o file.",
        },
      );
    }
    if (!toStdout && !inPlace) {
      try {
        mkdirSync(dirname(output), { recursive: true });
      } catch (err) {
        throw new FledgeError(
          "E_USAGE",
          `cannot create the output folder ${dirname(output)}: ${(err as Error).message}`,
        );
      }
    }
    const cwd = typeof v.cwd === "string" ? resolve(ctx.cwd, v.cwd) : dirname(input);
    if (!existsSync(cwd)) throw new FledgeError("E_USAGE", `--cwd ${v.cwd}: no such folder`);

    const loaded = await readNotebookFile(input);
    const nb = cloneJson(loaded.notebook);
    const injection = injectParameters(nb, params);
    const spec = resolveKernel({
      ...kernelRequestFor(nb),
      python: typeof v.python === "string" ? v.python : undefined,
      env: ctx.env,
      cwd: ctx.cwd,
    });
    const total = cellsToRun(nb).length;
    ctx.stderr.write(
      `fledge run: executing the code of ${file} (${total} code cell${total === 1 ? "" : "s"}) in a fresh kernel\n` +
        (spec.interpreter
          ? `  interpreter: ${spec.interpreter} (${spec.source === "native" ? "the active environment's Python" : `from ${spec.source}`})\n`
          : `  kernel: ${spec.displayName}: ${spec.argv.join(" ")} (from ${spec.source})\n`),
    );
    for (const w of injection.warnings) ctx.stderr.write(`  warning: ${w}\n`);
    if (injection.index >= 0) ctx.stderr.write(`  parameters injected as cell ${injection.index + 1}\n`);

    const progress = new Progress(ctx);
    let result: RunResult;
    try {
      result = await runNotebook(nb, {
        kernelSpec: spec,
        cwd,
        env: ctx.env,
        cellTimeoutMs,
        timeoutMs,
        allowErrors: v["allow-errors"] === true,
        signal: ctx.signal,
        onProgress: (e) => progress.on(e),
      });
    } finally {
      progress.stop();
    }

    const executed = result.notebook;
    executed.metadata = {
      ...executed.metadata,
      fledge: {
        executed_from: basename(input),
        ...(params.length > 0
          ? { parameters: Object.fromEntries(params.map((p) => [p.name, p.value])) }
          : {}),
      },
    };
    const text = serializeNotebook(executed);
    if (toStdout) ctx.stdout.write(text);
    else await writeFileAtomic(output, text);
    const where = toStdout ? "stdout" : output;
    if (v.json === true) {
      const f = result.failure;
      const summary = {
        status: result.status,
        output: toStdout ? null : output,
        cellsRun: result.cells.length,
        failedCell: result.failedCell === undefined ? null : result.failedCell + 1,
        error: f?.error ? { ename: f.error.ename, evalue: f.error.evalue } : null,
        death: f?.death
          ? { reason: f.death.reason, exitCode: f.death.exitCode, signal: f.death.signal }
          : null,
        allowedErrors: result.allowedErrors.map((i) => i + 1),
        durationMs: result.durationMs,
        kernelStartMs: result.kernelStartMs,
        interpreter: result.interpreter ?? null,
        kernel: result.kernelSource,
        parameters: Object.fromEntries(params.map((p) => [p.name, p.value])),
      };
      ctx.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    }

    if (result.status === "ok") {
      const errors = result.allowedErrors.length;
      ctx.stderr.write(
        `fledge run: ${result.cells.length} cell${result.cells.length === 1 ? "" : "s"} ran in ${fmt(result.durationMs)} ` +
          `(kernel start ${fmt(result.kernelStartMs)})` +
          (errors > 0
            ? `; ${errors} raised (allowed): cell ${result.allowedErrors.map((i) => i + 1).join(", ")}`
            : "") +
          `\n  wrote ${where}\n`,
      );
      return 0;
    }
    const color = Boolean(ctx.stderr.isTTY) && !ctx.env.NO_COLOR;
    ctx.stderr.write(`fledge run: error: ${describeFailure(result, file, cellTimeoutMs)}\n`);
    const tb = result.failure?.error?.traceback ?? [];
    if (result.status === "error" && tb.length > 0) {
      const text = tb.join("\n");
      ctx.stderr.write(`${color ? text : stripAnsi(text)}\n`);
    }
    if (result.failure?.inputRequests.length) {
      ctx.stderr.write(
        "  hint: the cell called input(); fledge run answers with end-of-file. Use a parameter instead.\n",
      );
    }
    if (result.status === "died" && result.failure?.death?.log) {
      ctx.stderr.write(`  kernel log:\n${result.failure.death.log.replace(/^/gm, "    ")}\n`);
    }
    if (result.status === "timeout") {
      ctx.stderr.write("  hint: raise the limit with --cell-timeout/--timeout, or make the cell faster.\n");
    }
    ctx.stderr.write(`  wrote the partial notebook to ${where}\n`);
    return 3;
  },
};

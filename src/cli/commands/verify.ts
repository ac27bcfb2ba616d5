import { resolve } from "node:path";
import { type ExitCode, FledgeError } from "../../errors.js";
import type { StepVerdict, VerifyProgress, VerifyReport } from "../../verify/verify.js";
import type { CliContext, Command, ParsedArgs } from "../command.js";

function seconds(v: ParsedArgs["values"][string], flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== "string" || !Number.isFinite(n) || n <= 0) {
    throw new FledgeError("E_USAGE", `${flag} needs a number of seconds greater than 0, not '${String(v)}'`);
  }
  return n * 1000;
}

function positive(v: ParsedArgs["values"][string], flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== "string" || !Number.isFinite(n) || n < 0) {
    throw new FledgeError("E_USAGE", `${flag} needs a number ≥ 0, not '${String(v)}'`);
  }
  return n;
}

const fmt = (ms: number) =>
  ms < 60_000
    ? `${(ms / 1000).toFixed(1)} s`
    : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;

/** One progress line on stderr (rewritten in place on a terminal, a line per phase otherwise). */
class Progress {
  private shown = "";
  private lastPhase = "";
  private readonly started = Date.now();
  constructor(private readonly ctx: CliContext) {}

  on(p: VerifyProgress): void {
    const what =
      p.phase === "notebook"
        ? p.cell >= 0
          ? `running the notebook: cell ${p.cell + 1} (${p.done + 1}/${p.total})`
          : "running the notebook: done"
        : p.step
          ? `running the pipeline: ${p.step} (${p.done + 1}/${p.total})`
          : "running the pipeline: done";
    const text = `  ${what}  ${fmt(Date.now() - this.started)}`;
    if (this.ctx.stderr.isTTY) {
      this.ctx.stderr.write(`\r\x1b[K${text}`);
      this.shown = text;
    } else if (p.phase !== this.lastPhase) {
      this.ctx.stderr.write(`fledge: running the ${p.phase}…\n`);
    }
    this.lastPhase = p.phase;
  }

  clear(): void {
    if (this.shown) this.ctx.stderr.write("\r\x1b[K");
    this.shown = "";
  }
}

function mark(v: StepVerdict, color: boolean): string {
  const paint = (code: number, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  switch (v.status) {
    case "equal":
      return paint(32, "✓ equal");
    case "different":
      return paint(31, "✗ different");
    case "failed":
      return paint(31, "✗ failed");
    case "not-run":
      return paint(2, "· not run");
    default:
      return paint(33, "~ not comparable");
  }
}

function detail(v: StepVerdict): string {
  if (v.status === "different" && v.difference) {
    const d = v.difference;
    const diff = d.maxAbsDiff !== undefined ? ` (largest difference ${d.maxAbsDiff.toPrecision(3)})` : "";
    return `${d.path}: ${d.kind} — ${d.detail}${diff}`;
  }
  if (v.why) return v.why;
  if (v.notCompared?.length) return `not compared: ${v.notCompared.join("; ")}`;
  return "";
}

export function renderReport(r: VerifyReport, color: boolean): string {
  const rows = r.steps.map((v) => [v.step, v.outputs.join(", ") || "—", mark(v, color), detail(v)]);
  const w0 = Math.max(4, ...rows.map((x) => (x[0] as string).length));
  const w1 = Math.min(40, Math.max(7, ...rows.map((x) => (x[1] as string).length)));
  const cut = (s: string, w: number) => (s.length > w ? `${s.slice(0, w - 1)}…` : s);
  const lines = [`${"step".padEnd(w0)}  ${"outputs".padEnd(w1)}  result`];
  for (const [step, outs, m, d] of rows) {
    lines.push(
      `${(step as string).padEnd(w0)}  ${cut(outs as string, w1).padEnd(w1)}  ${m}${d ? `  ${d}` : ""}`,
    );
  }
  if (r.notebookFailure) {
    const f = r.notebookFailure;
    lines.push("", `The notebook failed in cell ${f.cell + 1}: ${f.ename}: ${f.evalue}`);
  }
  if (r.pipelineFailure)
    lines.push("", `The pipeline failed in ${r.pipelineFailure.step}: ${r.pipelineFailure.error}`);
  for (const n of r.notes) lines.push(`note: ${n}`);
  const count = (s: StepVerdict["status"]) => r.steps.filter((v) => v.status === s).length;
  lines.push(
    "",
    `${count("equal")} equal, ${count("different")} different, ${count("not-comparable")} not comparable` +
      (count("failed") ? `, ${count("failed")} failed` : "") +
      ` — notebook ${fmt(r.notebookMs)}, pipeline ${fmt(r.pipelineMs)}`,
  );
  return `${lines.join("\n")}\n`;
}

export function exitCodeOf(r: VerifyReport): ExitCode {
  if (r.notebookFailure || r.pipelineFailure) return 3;
  return r.steps.some((v) => v.status === "different") ? 1 : 0;
}

export const command: Command = {
  name: "verify",
  summary: "run notebook and extracted pipeline, compare step by step",
  usage: "verify <project> [--python PATH] [--timeout S] [--cell-timeout S] [--rtol X] [--json]",
  help: [
    ["--python PATH", "run both sides with this interpreter (default: the notebook's kernelspec)"],
    ["--timeout S", "stop after S seconds in all (both runs, kernel starts included)"],
    ["--cell-timeout S", "stop when one notebook cell or pipeline step runs longer than S seconds"],
    ["--rtol X", "relative tolerance for floating-point values (default 1e-7)"],
    ["--atol X", "absolute tolerance for floating-point values (default 1e-12)"],
    ["--json", "print the report as JSON"],
  ],
  examples: ["fledge verify churn/", "fledge verify churn/ --python .venv/bin/python --timeout 600"],
  options: {
    python: { type: "string" },
    timeout: { type: "string" },
    "cell-timeout": { type: "string" },
    rtol: { type: "string" },
    atol: { type: "string" },
    json: { type: "boolean" },
  },
  async run(args, ctx) {
    const [project, ...extra] = args.positionals;
    if (project === undefined)
      throw new FledgeError("E_USAGE", "verify needs the project folder: fledge verify <project>");
    if (extra.length > 0)
      throw new FledgeError("E_USAGE", `verify takes one project folder, not ${args.positionals.length}`);
    const v = args.values;
    const timeoutMs = seconds(v.timeout, "--timeout");
    const cellTimeoutMs = seconds(v["cell-timeout"], "--cell-timeout");
    const rtol = positive(v.rtol, "--rtol") ?? 1e-7;
    const atol = positive(v.atol, "--atol") ?? 1e-12;
    const signals = [ctx.signal];
    // Not AbortSignal.timeout: Node 20 lets a timeout signal that only AbortSignal.any refers to be garbage
    // collected before it fires (it then never aborts, and --timeout is ignored). This controller is kept alive
    // by its own timer, which is unref'd so that it never holds the process open.
    if (timeoutMs !== undefined) {
      const limit = new AbortController();
      setTimeout(
        () => limit.abort(new DOMException("the time limit was reached", "TimeoutError")),
        timeoutMs,
      ).unref();
      signals.push(limit.signal);
    }
    const signal = AbortSignal.any(signals);
    const { verifyProject } = await import("../../verify/verify.js");
    const progress = new Progress(ctx);
    let report: VerifyReport;
    try {
      report = await verifyProject({
        projectDir: resolve(ctx.cwd, project),
        kernel: typeof v.python === "string" ? { python: v.python, cwd: ctx.cwd } : undefined,
        cellTimeoutMs,
        signal,
        onProgress: (p) => progress.on(p),
        tolerance: { rtol, atol },
      });
    } catch (err) {
      progress.clear();
      if (signal.aborted && !ctx.signal.aborted && timeoutMs !== undefined) {
        throw new FledgeError(
          "E_USER_CODE",
          `verify stopped: the time limit (--timeout ${timeoutMs / 1000} s) was reached`,
          {
            hint: "raise --timeout, or find the slow step with --cell-timeout",
          },
        );
      }
      throw err;
    }
    progress.clear();
    if (v.json) ctx.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else ctx.stdout.write(renderReport(report, ctx.color));
    if (timeoutMs !== undefined && signal.aborted && !ctx.signal.aborted) {
      ctx.stderr.write(`fledge: the time limit (--timeout ${timeoutMs / 1000} s) was reached\n`);
      return 3;
    }
    return exitCodeOf(report);
  },
};

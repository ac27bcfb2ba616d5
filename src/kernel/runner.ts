/**
 * Running a whole notebook top to bottom in one kernel, as `jupyter nbconvert --execute` does:
 * outputs and execution counts replaced, stop at the first error (unless allowed), per-cell and
 * per-run timeouts, and the kernel always shut down when the runner started it.
 *
 * Cells tagged `skip-execution` are not run; cells tagged `raises-exception` may fail without stopping
 * the run (both as in nbclient). Empty code cells are not sent to the kernel.
 */
import { cloneJson } from "../notebook/memo.js";
import type { CodeCell, Notebook } from "../notebook/types.js";
import { type ExecuteResult, type Kernel, type StartOptions, startKernel } from "./kernel.js";
import type { KernelRequest, ResolvedKernel } from "./kernelspec.js";

export type RunStatus = "ok" | "error" | "timeout" | "died" | "interrupted";

export type ProgressEvent =
  | { type: "kernel-starting" }
  | { type: "kernel-ready"; kernel: Kernel; ms: number }
  | { type: "cell-start"; cell: number; ordinal: number; total: number }
  | { type: "cell-end"; cell: number; ordinal: number; total: number; result: ExecuteResult };

export interface RunOptions {
  /** Run in this kernel (the caller starts and shuts it down); otherwise a fresh one is started. */
  kernel?: Kernel;
  /** Which kernel to start (ignored with `kernel`). Default: the notebook's kernelspec. */
  kernelSpec?: ResolvedKernel | KernelRequest;
  /** Working directory of a kernel the runner starts. */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Limit for each cell. */
  cellTimeoutMs?: number;
  /** Limit for the whole run, kernel start included. */
  timeoutMs?: number;
  /** Keep going after a cell raises (as nbconvert's --allow-errors). */
  allowErrors?: boolean;
  /** Fired on Ctrl-C: the running cell is interrupted, the run stops with status "interrupted". */
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
}

export interface CellRun {
  /** Index in `notebook.cells`. */
  cell: number;
  result: ExecuteResult;
}

export interface RunResult {
  /** The executed notebook (a copy; the input is untouched). Cells after a failure have no outputs. */
  notebook: Notebook;
  status: RunStatus;
  /** The cell that failed, timed out, was running when the kernel died, or was interrupted. */
  failedCell: number | undefined;
  failure: ExecuteResult | undefined;
  /** Set when the run's overall time limit (not a cell's) ended it. */
  runTimedOut: boolean;
  cells: CellRun[];
  /** Cells that raised while errors were allowed. */
  allowedErrors: number[];
  durationMs: number;
  kernelStartMs: number;
  interpreter: string | undefined;
  kernelName: string;
  kernelSource: string;
}

function tags(cell: { metadata: Record<string, unknown> }): string[] {
  const t = (cell.metadata as { tags?: unknown }).tags;
  return Array.isArray(t) ? t.map(String) : [];
}

/** The code cells the runner will send to the kernel, in order. */
export function cellsToRun(nb: Notebook): number[] {
  const out: number[] = [];
  nb.cells.forEach((c, i) => {
    if (c.cell_type === "code" && c.source.trim() !== "" && !tags(c).includes("skip-execution")) out.push(i);
  });
  return out;
}

/** The kernel a notebook asks for: its kernelspec name and language. */
export function kernelRequestFor(nb: Notebook): KernelRequest {
  const ks = nb.metadata?.kernelspec;
  const lang = nb.metadata?.language_info?.name ?? ks?.language;
  return {
    name: typeof ks?.name === "string" ? ks.name : undefined,
    language: typeof lang === "string" ? lang : undefined,
  };
}

/** Runs every code cell of `input` in order and returns the executed copy. Never throws for user-code failures. */
export async function runNotebook(input: Notebook, opts: RunOptions = {}): Promise<RunResult> {
  const started = Date.now();
  const deadline = opts.timeoutMs !== undefined ? started + opts.timeoutMs : Number.POSITIVE_INFINITY;
  const nb = cloneJson(input);
  for (const cell of nb.cells) {
    if (cell.cell_type === "code") {
      cell.outputs = [];
      cell.execution_count = null;
    }
  }
  const order = cellsToRun(nb);
  let kernel = opts.kernel;
  const owned = !kernel;
  let kernelStartMs = 0;
  if (!kernel) {
    opts.onProgress?.({ type: "kernel-starting" });
    const startOpts: StartOptions = { cwd: opts.cwd, env: opts.env, signal: opts.signal };
    if (Number.isFinite(deadline)) startOpts.startTimeoutMs = Math.max(1000, deadline - Date.now());
    kernel = await startKernel(opts.kernelSpec ?? kernelRequestFor(input), startOpts);
    kernelStartMs = Date.now() - started;
    opts.onProgress?.({ type: "kernel-ready", kernel, ms: kernelStartMs });
  }
  if (kernel.info.language_info) nb.metadata = { ...nb.metadata, language_info: kernel.info.language_info };

  const result: RunResult = {
    notebook: nb,
    status: "ok",
    failedCell: undefined,
    failure: undefined,
    runTimedOut: false,
    cells: [],
    allowedErrors: [],
    durationMs: 0,
    kernelStartMs,
    interpreter: kernel.interpreter,
    kernelName: kernel.spec.displayName,
    kernelSource: kernel.spec.source,
  };
  try {
    for (const [ordinal, index] of order.entries()) {
      const cell = nb.cells[index] as CodeCell;
      const remaining = deadline - Date.now();
      const cellLimit = Math.min(opts.cellTimeoutMs ?? Number.POSITIVE_INFINITY, remaining);
      if (remaining <= 0) {
        Object.assign(result, { status: "timeout", runTimedOut: true, failedCell: index });
        break;
      }
      opts.onProgress?.({ type: "cell-start", cell: index, ordinal, total: order.length });
      const r = await kernel.execute(cell.source, {
        timeoutMs: Number.isFinite(cellLimit) ? cellLimit : undefined,
        signal: opts.signal,
      });
      raisedInside(r);
      cell.outputs = r.outputs;
      cell.execution_count = r.executionCount;
      result.cells.push({ cell: index, result: r });
      opts.onProgress?.({ type: "cell-end", cell: index, ordinal, total: order.length, result: r });
      if (r.status === "ok") continue;
      if (r.status === "error" && (opts.allowErrors || tags(cell).includes("raises-exception"))) {
        result.allowedErrors.push(index);
        continue;
      }
      result.status = r.status === "aborted" ? "error" : r.status;
      if (r.status === "timeout" && remaining < (opts.cellTimeoutMs ?? Number.POSITIVE_INFINITY)) {
        result.runTimedOut = true;
      }
      result.failedCell = index;
      result.failure = r;
      break;
    }
  } finally {
    if (owned) await kernel.shutdown();
    result.durationMs = Date.now() - started;
  }
  return result;
}

/**
 * A cell whose code raised inside a cell magic that runs it (`%%capture`) gets an "ok" reply from the kernel,
 * with the exception only among its outputs. The user's code failed all the same: the result says so, with the
 * exception taken from that output.
 */
function raisedInside(r: ExecuteResult): void {
  if (r.status !== "ok") return;
  const raised = r.outputs.find((o) => o.output_type === "error");
  if (!raised) return;
  r.status = "error";
  r.error = {
    ename: String(raised.ename ?? "Error"),
    evalue: String(raised.evalue ?? ""),
    traceback: Array.isArray(raised.traceback) ? raised.traceback.map(String) : [],
  };
}

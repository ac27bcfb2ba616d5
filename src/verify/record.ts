/**
 * Recording: run a notebook in a kernel following a RecordingPlan and fingerprint each step's inputs and
 * outputs at its boundaries (see plan.ts for where and why). Optionally saves samples of each step's
 * inputs as test fixtures (fixtures.ts finishes them once the project's code exists).
 */
import { join } from "node:path";
import { FledgeError } from "../errors.js";
import type { WorkflowMap } from "../graph/types.js";
import type { ExecuteResult, Kernel } from "../kernel/index.js";
import { decodePythonStr } from "../kernel/index.js";
import { callExpression, installCode } from "./helper.js";
import type { RecordingPlan } from "./plan.js";
import type { Fingerprint } from "./types.js";

/** What the kernel said about a value's type (python/fledge_record.py `type_of`). */
export interface RecordedType {
  type: string;
  items?: string[];
  keys?: string[];
  values?: string[];
  length?: number;
}

export interface StepRecording {
  step: string;
  inputs: Record<string, Fingerprint>;
  /** The step's outputs and every other (non-function) name it defines, as the notebook left them. */
  outputs: Record<string, Fingerprint>;
  types: Record<string, RecordedType>;
  /** Text the step's cells printed (stdout streams of its chunks). */
  printed: string;
}

export interface CellFailure {
  cell: number;
  ename: string;
  evalue: string;
  traceback: string[];
  status: ExecuteResult["status"];
}

export interface Recording {
  steps: StepRecording[];
  /** Everything the notebook printed to stdout, in order. */
  stdout: string;
  /** The first cell that failed; recording stops there. */
  failure?: CellFailure;
  durationMs: number;
  /** Time spent in fledge's helper calls (fingerprints, samples), included in durationMs. */
  helperMs: number;
  notes: string[];
  /** Fixture samples written (when asked), by step; `notes`: what synthetic rows could not follow. */
  fixtures: Record<string, { bytes: number; redacted: string[]; missing: string[]; notes: string[] }>;
}

export interface FixtureOptions {
  /** Folder receiving `<step>/` sub-folders (the project's tests/fixtures, or a staging folder). */
  dir: string;
  /** Rows generated from the recorded schema (python/fledge_synth.py) instead of real rows. */
  synthetic: boolean;
  /** Seed of the synthetic rows (default SYNTHETIC_SEED). */
  seed?: number;
  maxRows: number;
  /** Total budget in bytes for all steps' input samples. */
  budgetBytes: number;
  secretPatterns?: string[];
}

export interface RecordOptions {
  /** Per-chunk timeout. */
  cellTimeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, cell: number) => void;
  fixtures?: FixtureOptions;
  /** Run without fingerprinting (for measuring the recording overhead). */
  plain?: boolean;
}

/** The seed of synthetic fixtures when none is given (written in the project's tests/fixtures/README.md). */
export const SYNTHETIC_SEED = 0;

/** Install fledge's helper modules in the kernel; binds no name in the user's namespace. */
export async function installHelper(kernel: Kernel, secretPatterns?: string[]): Promise<void> {
  const r = await kernel.execute(installCode(), { silent: true, storeHistory: false, timeoutMs: 60_000 });
  if (r.status !== "ok") {
    throw new FledgeError(
      "E_KERNEL",
      `could not install fledge's recording helper in the kernel (${r.status})`,
      {
        hint: r.error ? `${r.error.ename}: ${r.error.evalue}` : undefined,
      },
    );
  }
  if (secretPatterns) await helperCall(kernel, "configure", [secretPatterns]);
}

/** Call a helper function in the kernel and return its JSON result. */
export async function helperCall<T>(
  kernel: Kernel,
  fn: string,
  args: unknown[] = [],
  kwargs: Record<string, unknown> = {},
  module = "_fledge_record",
  timeoutMs = 300_000,
): Promise<T> {
  const data = await kernel.evaluate(callExpression(fn, args, kwargs, module), { timeoutMs });
  const text = data["text/plain"];
  if (typeof text !== "string") throw new FledgeError("E_KERNEL", `the kernel returned no value for ${fn}`);
  const reply = JSON.parse(decodePythonStr(text)) as { ok: boolean; result?: T; error?: string };
  if (!reply.ok)
    throw new FledgeError("E_USER_CODE", `fledge's helper ${fn} failed in the kernel: ${reply.error}`);
  return reply.result as T;
}

function streamText(r: ExecuteResult): string {
  return r.outputs
    .filter((o) => o.output_type === "stream" && (o as { name?: string }).name === "stdout")
    .map((o) => String((o as { text?: unknown }).text ?? ""))
    .join("");
}

/**
 * Runs the plan's chunks in order in `kernel` (already started in the notebook's folder, helper installed)
 * and records fingerprints at the planned points. Stops at the first failing chunk (reported, not thrown).
 */
export async function recordRun(
  kernel: Kernel,
  map: WorkflowMap,
  plan: RecordingPlan,
  opts: RecordOptions = {},
): Promise<Recording> {
  const started = Date.now();
  let helperMs = 0;
  const steps: StepRecording[] = map.steps.map((s) => ({
    step: s.name,
    inputs: {},
    outputs: {},
    types: {},
    printed: "",
  }));
  const fixtures: Recording["fixtures"] = {};
  const fx = opts.fixtures;
  const stepsWithInputs = map.steps.filter((s) => s.inputs.length > 0).length || 1;
  const budgetPerStep = fx ? Math.floor(fx.budgetBytes / stepsWithInputs) : 0;
  let stdout = "";
  let failure: CellFailure | undefined;

  const record = async (names: string[]) => {
    const t = Date.now();
    const fps = await helperCall<Record<string, Fingerprint>>(kernel, "fingerprint_names", [names]);
    const types = await helperCall<Record<string, RecordedType>>(kernel, "types_of", [names]);
    helperMs += Date.now() - t;
    return { fps, types };
  };

  for (const [i, chunk] of plan.chunks.entries()) {
    if (opts.signal?.aborted) throw new FledgeError("E_USER_CODE", "interrupted (Ctrl-C)");
    opts.onProgress?.(i, plan.chunks.length, chunk.cell);
    if (!opts.plain) {
      for (const b of chunk.before) {
        const s = steps[b.step] as StepRecording;
        const { fps, types } = await record(b.names);
        Object.assign(s.inputs, fps);
        Object.assign(s.types, types);
        if (fx) {
          const t = Date.now();
          const saved = await helperCall<{
            bytes: number;
            manifest: { redacted: string[]; missing: string[]; schema_notes?: string[] };
          }>(
            kernel,
            "save_inputs",
            [join(fx.dir, s.step), b.names],
            {
              max_rows: fx.maxRows,
              budget: budgetPerStep,
              synthetic: fx.synthetic,
              seed: fx.seed ?? SYNTHETIC_SEED,
              append: true,
            },
            "_fledge_fixtures",
          );
          helperMs += Date.now() - t;
          const prev = fixtures[s.step];
          fixtures[s.step] = {
            bytes: (prev?.bytes ?? 0) + saved.bytes,
            redacted: saved.manifest.redacted,
            missing: saved.manifest.missing,
            notes: saved.manifest.schema_notes ?? [],
          };
        }
      }
    }
    const r = await kernel.execute(chunk.code, { timeoutMs: opts.cellTimeoutMs, signal: opts.signal });
    const text = streamText(r);
    stdout += text;
    for (const si of chunk.steps) (steps[si] as StepRecording).printed += text;
    if (r.status !== "ok") {
      failure = {
        cell: chunk.cell,
        ename: r.error?.ename ?? r.status,
        evalue: r.error?.evalue ?? (r.death?.reason || r.status),
        traceback: r.error?.traceback ?? [],
        status: r.status,
      };
      break;
    }
    if (!opts.plain) {
      for (const a of chunk.after) {
        const s = steps[a.step] as StepRecording;
        const { fps, types } = await record(a.names);
        Object.assign(s.outputs, fps);
        Object.assign(s.types, types);
      }
    }
  }
  opts.onProgress?.(plan.chunks.length, plan.chunks.length, -1);
  const out: Recording = {
    steps,
    stdout,
    durationMs: Date.now() - started,
    helperMs,
    notes: plan.notes,
    fixtures,
  };
  if (failure) out.failure = failure;
  return out;
}

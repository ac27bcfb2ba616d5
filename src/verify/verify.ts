/**
 * verifyProject: run the original notebook and the extracted pipeline, each in a fresh kernel, with the same
 * parameter values (the notebook's literals), and compare what each step produced. No printing: the CLI
 * renders the report.
 *
 * Notebook side: the recording plan (plan.ts) in a kernel started in the notebook's folder.
 * Pipeline side: a kernel started in the project folder imports the package from src/ and calls the step
 * functions one by one (python/fledge_pipeline.py), values passed between steps in a private dict, outputs
 * written to a temporary folder. When a step's output differs, the step is called again on deep copies of
 * the same inputs: if the two calls disagree it is random (not comparable, with the check finding that
 * explains it), and the steps fed by it are not comparable either.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { FledgeError } from "../errors.js";
import { defaultParams } from "../generate/emit/pipeline.js";
import { planProject } from "../generate/plan.js";
import { initGenerate } from "../generate/project.js";
import { readManifest } from "../generate/writer.js";
import { buildDataflow } from "../graph/dataflow.js";
import { buildWorkflowMap } from "../graph/steps.js";
import type { DataflowGraph, WorkflowMap } from "../graph/types.js";
import { type Kernel, type KernelRequest, startKernel } from "../kernel/index.js";
import { readNotebookFile } from "../notebook/index.js";
import type { Notebook } from "../notebook/types.js";
import { analyzeNotebook, initPython } from "../python/index.js";
import { compareFingerprints, comparePrinted } from "./compare.js";
import { buildRecordingPlan } from "./plan.js";
import { floatParams, STEPS_FILE, type StepsFile, stepsFileOf, type VerifyStep } from "./project.js";
import { type CellFailure, helperCall, installHelper, type Recording, recordRun } from "./record.js";
import { DEFAULT_TOLERANCE, type Difference, type Fingerprint, type Tolerance } from "./types.js";

export type StepStatus = "equal" | "different" | "not-comparable" | "failed" | "not-run";

export interface StepVerdict {
  step: string;
  /** Names the step returns. */
  outputs: string[];
  status: StepStatus;
  /** For "different": the first differing output and how. */
  difference?: Difference & { name: string };
  /** For "not-comparable", "failed", "not-run": why. */
  why?: string;
  /** Outputs that were not compared (opaque values, not recorded in the notebook's run). */
  notCompared?: string[];
}

export interface VerifyReport {
  project: string;
  notebook: string;
  steps: StepVerdict[];
  notebookFailure?: CellFailure;
  pipelineFailure?: { step: string; error: string };
  notebookMs: number;
  pipelineMs: number;
  notes: string[];
}

export type VerifyProgress =
  | { phase: "notebook"; done: number; total: number; cell: number }
  | { phase: "pipeline"; done: number; total: number; step: string };

export interface VerifyOptions {
  projectDir: string;
  kernel?: Omit<KernelRequest, "name" | "language">;
  cellTimeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (p: VerifyProgress) => void;
  tolerance?: Tolerance;
  /**
   * Reuse the notebook side between calls (benchmarks, mutation testing): filled on the first call, used by
   * the next ones. The notebook and its data must not change in between.
   */
  cache?: { notebook?: Recording };
}

interface ProjectContext {
  projectDir: string;
  notebookPath: string;
  nb: Notebook;
  map: WorkflowMap;
  packageName: string;
  steps: VerifyStep[];
  /** Parameter values the notebook used. */
  params: Record<string, unknown>;
  /** Parameters that are Python floats although their value is a whole number. */
  floats: string[];
  dataDir: string;
  recordingPlan: ReturnType<typeof buildRecordingPlan>;
  flow: DataflowGraph;
}

export async function loadProject(projectDir: string): Promise<ProjectContext> {
  const dir = resolve(projectDir);
  const manifest = await readManifest(dir);
  if (!manifest) {
    throw new FledgeError(
      "E_INPUT",
      `${projectDir} is not a project fledge extracted (no .fledge/manifest.json)`,
      {
        hint: "Run `fledge extract <notebook> -o <folder>` first, then `fledge verify <folder>`.",
      },
    );
  }
  const notebookPath = resolve(dir, manifest.notebook);
  if (!existsSync(notebookPath)) {
    throw new FledgeError(
      "E_INPUT",
      `the notebook this project was extracted from is gone: ${notebookPath}`,
      {
        location: { file: join(dir, ".fledge", "manifest.json") },
        hint: "verify runs the original notebook beside the pipeline; restore it or re-extract.",
      },
    );
  }
  const nb = (await readNotebookFile(notebookPath)).notebook;
  await initPython();
  await initGenerate();
  const analysis = analyzeNotebook(nb, { shapes: true });
  const flow = buildDataflow(analysis);
  const map = buildWorkflowMap(nb, analysis, flow);
  const saved = readStepsFile(dir);
  let steps: VerifyStep[];
  let params: Record<string, unknown>;
  let floats: string[] = [];
  if (saved) {
    steps = saved.steps;
    params = saved.params;
    floats = saved.floats ?? [];
  } else {
    // Older projects: derive the steps again from the notebook, as extraction did.
    const notebookDir = dirname(notebookPath);
    const model = planProject({
      notebook: nb,
      analysis,
      map,
      notebookRelPath: manifest.notebook,
      dataDir: manifest.dataDir,
      options: { packageName: manifest.package, fileExists: (p) => existsSync(resolve(notebookDir, p)) },
    });
    steps = stepsFileOf(model).steps;
    params = defaultParams(model);
    floats = floatParams(model);
  }
  return {
    projectDir: dir,
    notebookPath,
    nb,
    map,
    packageName: manifest.package,
    steps,
    params,
    floats,
    dataDir: resolve(dir, manifest.dataDir),
    recordingPlan: buildRecordingPlan(nb, analysis, map),
    flow,
  };
}

/**
 * What to tell the user when the notebook reads names before the cells that define them: it only ran in the
 * order its author ran it, so a top-to-bottom run fails (verify runs it top to bottom, in the order the
 * pipeline runs its steps). The fix is `fledge check --fix`, which reorders the cells, then a new extract.
 */
export function outOfOrderNote(flow: DataflowGraph, failure: CellFailure | undefined): string | undefined {
  const reads = flow.forwardReads.filter((r) => r.via === undefined);
  if (reads.length === 0) return undefined;
  const first = reads.find((r) => r.cell === failure?.cell) ?? (reads[0] as (typeof reads)[number]);
  const definedIn = first.definedIn.map((c) => c + 1).join(", ");
  const failed =
    failure && failure.cell === first.cell ? `; run top to bottom it fails there (${failure.ename})` : "";
  return (
    `the notebook runs out of order: cell ${first.cell + 1} reads \`${first.name}\` before cell ${definedIn} defines it${failed}. ` +
    "verify runs the notebook top to bottom, as the pipeline runs its steps. Run `fledge check --fix --in-place <notebook>` " +
    "(it reorders the cells), then extract again"
  );
}

function readStepsFile(dir: string): StepsFile | undefined {
  const file = join(dir, ...STEPS_FILE.split("/"));
  if (!existsSync(file)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as StepsFile;
    if (parsed.format !== 1 || !Array.isArray(parsed.steps)) throw new Error("unknown format");
    return parsed;
  } catch (err) {
    throw new FledgeError("E_INPUT", `${STEPS_FILE} is not valid: ${(err as Error).message}`, {
      location: { file },
      hint: "Restore it from version control, or re-extract the project.",
    });
  }
}

/** Keys whose params.yaml value differs from the notebook's literal (verify uses the notebook's). */
function paramNotes(ctx: ProjectContext, defaults: Record<string, unknown>): string[] {
  const file = join(ctx.projectDir, "params.yaml");
  if (!existsSync(file)) return [];
  let loaded: unknown;
  try {
    loaded = parseYaml(readFileSync(file, "utf8"));
  } catch {
    return ["params.yaml could not be read; verify uses the notebook's values"];
  }
  if (!loaded || typeof loaded !== "object") return [];
  const notes: string[] = [];
  for (const [k, v] of Object.entries(loaded as Record<string, unknown>)) {
    if (k === "data_dir" || k === "outputs_dir" || !(k in defaults)) continue;
    if (JSON.stringify(v) !== JSON.stringify(defaults[k])) {
      notes.push(
        `params.yaml sets ${k}=${JSON.stringify(v)}; the notebook uses ${JSON.stringify(defaults[k])} — both sides run with the notebook's value`,
      );
    }
  }
  return notes;
}

/** Unseeded-randomness findings of `check`, by cell. */
async function randomnessFindings(nb: Notebook, file: string): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  try {
    // Imported on first use; a literal path, so the CLI bundle includes it.
    const mod = (await import("../analysis/index.js")) as {
      checkNotebook?: (nb: unknown, o?: unknown) => unknown;
    };
    if (typeof mod.checkNotebook !== "function") return out;
    const raw = mod.checkNotebook(nb, { file });
    const list = (Array.isArray(raw) ? raw : ((raw as { findings?: unknown[] })?.findings ?? [])) as Record<
      string,
      unknown
    >[];
    for (const f of list) {
      const label = `${f.code ?? ""} ${f.name ?? ""}`;
      if (typeof f.cell === "number" && /random|seed/i.test(label)) {
        out.set(f.cell, `check ${String(f.code)} (cell ${f.cell + 1}): ${String(f.message)}`);
      }
    }
  } catch {
    // No check stage in this build: the dynamic evidence (two calls disagree) still stands.
  }
  return out;
}

/** `[label, path relative to the outputs folder]` of the files a step writes (its output-path parameters). */
function filesOf(step: VerifyStep, defaults: Record<string, unknown>): [string, string][] {
  const out: [string, string][] = [];
  for (const a of step.args) {
    if (a.source.kind !== "param" || a.source.role !== "output") continue;
    const v = defaults[a.source.param];
    if (typeof v === "string") out.push([`file ${v}`, v]);
  }
  return out;
}

/**
 * Where the notebook itself wrote a file the pipeline writes as `rel` under its outputs folder. Extraction
 * strips a leading `outputs/` from output paths (they are relative to outputs_dir in the project), so the
 * notebook's own literal — a path parameter of the same step ending in `rel` — is the one to read.
 */
export function notebookWritePath(map: WorkflowMap, step: string, rel: string): string {
  const want = rel.replace(/\\/g, "/");
  for (const p of map.steps.find((s) => s.name === step)?.parameters ?? []) {
    if (typeof p.value !== "string") continue;
    const v = p.value.replace(/\\/g, "/");
    if (v === want || v.endsWith(`/${want}`)) return p.value;
  }
  return rel;
}

async function runNotebookSide(
  ctx: ProjectContext,
  opts: VerifyOptions,
  files: Map<string, [string, string][]>,
): Promise<Recording> {
  const request: KernelRequest = {
    ...opts.kernel,
    name: ctx.nb.metadata.kernelspec?.name,
    language: ctx.nb.metadata.kernelspec?.language,
  };
  const kernel = await startKernel(request, { cwd: dirname(ctx.notebookPath), signal: opts.signal });
  try {
    await installHelper(kernel);
    const rec = await recordRun(kernel, ctx.map, ctx.recordingPlan, {
      cellTimeoutMs: opts.cellTimeoutMs,
      signal: opts.signal,
      onProgress: (done, total, cell) => opts.onProgress?.({ phase: "notebook", done, total, cell }),
    });
    // The files the notebook wrote, as it left them (relative paths resolve against its folder).
    for (const [step, list] of files) {
      const target = rec.steps.find((s) => s.step === step);
      for (const [label, rel] of list) {
        const fp = await helperCall<Fingerprint>(kernel, "fingerprint_file", [
          resolve(dirname(ctx.notebookPath), notebookWritePath(ctx.map, step, rel)),
        ]);
        if (target) target.outputs[label] = fp;
      }
    }
    return rec;
  } finally {
    await kernel.shutdown();
  }
}

/** True when some output of `a` really differs from `b` (values not comparable do not count). */
function anyDifference(
  a: Record<string, Fingerprint>,
  b: Record<string, Fingerprint>,
  tol: Tolerance,
): boolean {
  return Object.keys(a).some((k) => {
    const x = a[k];
    const y = b[k];
    if (x === undefined || y === undefined) return true;
    const c = compareFingerprints(x, y, tol);
    return c.comparable && !c.equal;
  });
}

/** A step call is one helper expression: --cell-timeout bounds it; an abort interrupts the kernel. */
async function callStep(
  kernel: Kernel,
  fn: string,
  args: unknown[],
  timeoutMs: number | undefined,
): Promise<Record<string, Fingerprint>> {
  return helperCall<Record<string, Fingerprint>>(
    kernel,
    fn,
    args,
    {},
    "_fledge_pipeline",
    timeoutMs ?? 24 * 3600_000,
  );
}

export async function verifyProject(opts: VerifyOptions): Promise<VerifyReport> {
  const ctx = await loadProject(opts.projectDir);
  const tol = opts.tolerance ?? DEFAULT_TOLERANCE;
  const defaults = ctx.params;
  const report: VerifyReport = {
    project: ctx.projectDir,
    notebook: ctx.notebookPath,
    steps: [],
    notebookMs: 0,
    pipelineMs: 0,
    notes: [...paramNotes(ctx, defaults), ...ctx.recordingPlan.notes],
  };
  const t0 = Date.now();
  const files = new Map(ctx.steps.map((s) => [s.name, filesOf(s, defaults)] as const));
  const rec = opts.cache?.notebook ?? (await runNotebookSide(ctx, opts, files));
  if (opts.cache) opts.cache.notebook = rec;
  report.notebookMs = Date.now() - t0;
  if (rec.failure) report.notebookFailure = rec.failure;
  const order = outOfOrderNote(ctx.flow, rec.failure);
  if (order) report.notes.push(order);
  const random = await randomnessFindings(ctx.nb, ctx.notebookPath);

  const t1 = Date.now();
  const outputsDir = await mkdtemp(join(tmpdir(), "fledge-verify-out-"));
  const request: KernelRequest = { ...opts.kernel, name: ctx.nb.metadata.kernelspec?.name };
  const kernel = await startKernel(request, { cwd: ctx.projectDir, signal: opts.signal });
  const onAbort = () => void kernel.interrupt().catch(() => {});
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    await installHelper(kernel);
    await helperCall(
      kernel,
      "start",
      [join(ctx.projectDir, "src"), defaults, ctx.dataDir, outputsDir],
      { floats: ctx.floats },
      "_fledge_pipeline",
    );
    /** Output name → the not-comparable step it came from. */
    const tainted = new Map<string, string>();
    const steps = ctx.steps;
    for (const [i, step] of steps.entries()) {
      opts.onProgress?.({ phase: "pipeline", done: i, total: steps.length, step: step.name });
      const stepFiles = files.get(step.name) ?? [];
      const returns = step.returns.map((r) => r.name);
      const outputs = [...returns, ...stepFiles.map(([label]) => label)];
      const verdict: StepVerdict = { step: step.name, outputs, status: "equal" };
      report.steps.push(verdict);
      if (report.pipelineFailure) {
        Object.assign(verdict, {
          status: "not-run",
          why: `the pipeline stopped at ${report.pipelineFailure.step}`,
        });
        continue;
      }
      const nbStep = rec.steps.find((s) => s.step === step.name);
      let got: Record<string, Fingerprint>;
      try {
        got = await callStep(
          kernel,
          "run_step",
          [i, `${ctx.packageName}.steps.${step.module}`, step.name, step.args, returns, stepFiles],
          opts.cellTimeoutMs,
        );
      } catch (err) {
        if (!(err instanceof FledgeError) || err.code !== "E_USER_CODE") throw err;
        report.pipelineFailure = {
          step: step.name,
          error: err.message.replace(/^fledge's helper run_step failed in the kernel: /, ""),
        };
        Object.assign(verdict, { status: "failed", why: report.pipelineFailure.error });
        continue;
      }
      const printed = await helperCall<string>(kernel, "printed", [i], {}, "_fledge_pipeline");
      await judgeStep(verdict, step, got, nbStep?.outputs, {
        printed,
        nbPrinted: nbStep?.printed ?? "",
        kernel,
        index: i,
        ctx,
        tol,
        tainted,
        random,
        notebookFailed: rec.failure,
        returns,
        files: stepFiles,
        timeoutMs: opts.cellTimeoutMs,
      });
    }
    opts.onProgress?.({ phase: "pipeline", done: steps.length, total: steps.length, step: "" });
  } finally {
    opts.signal?.removeEventListener("abort", onAbort);
    await kernel.shutdown();
    await rm(outputsDir, { recursive: true, force: true });
  }
  report.pipelineMs = Date.now() - t1;
  return report;
}

interface JudgeContext {
  /** What the step printed or logged in the pipeline, and what its cells printed in the notebook. */
  printed: string;
  nbPrinted: string;
  kernel: Kernel;
  index: number;
  ctx: ProjectContext;
  tol: Tolerance;
  tainted: Map<string, string>;
  random: Map<number, string>;
  notebookFailed: CellFailure | undefined;
  returns: string[];
  files: [string, string][];
  timeoutMs: number | undefined;
}

async function judgeStep(
  verdict: StepVerdict,
  step: VerifyStep,
  got: Record<string, Fingerprint>,
  recorded: Record<string, Fingerprint> | undefined,
  j: JudgeContext,
): Promise<void> {
  const notCompared: string[] = [];
  let first: (Difference & { name: string }) | undefined;
  let compared = 0;
  for (const name of verdict.outputs) {
    const a = recorded?.[name];
    const b = got[name];
    if (!a || !b) {
      notCompared.push(`${name} (not recorded in the notebook's run)`);
      continue;
    }
    const c = compareFingerprints(a, b, j.tol, name);
    if (!c.comparable) {
      notCompared.push(`${name} (${c.why})`);
      continue;
    }
    compared++;
    if (c.notCompared) notCompared.push(...c.notCompared);
    if (!c.equal && !first && c.firstDifference) first = { name, ...c.firstDifference };
  }
  // What the step printed (metrics it does not return): matched lines compared number by number.
  const printed = comparePrinted(j.nbPrinted, j.printed, j.tol);
  if (printed.compared > 0) {
    verdict.outputs.push("printed");
    compared++;
    if (!first && printed.difference) first = { name: "printed", ...printed.difference };
  }
  if (notCompared.length) verdict.notCompared = notCompared;
  const upstream = step.args.map((a) => j.tainted.get(a.name)).find((s) => s !== undefined);
  if (first) {
    const again = await callStep(
      j.kernel,
      "rerun_step",
      [j.index, `${j.ctx.packageName}.steps.${step.module}`, step.name, j.returns, j.files],
      j.timeoutMs,
    );
    const printedAgain =
      first.name === "printed"
        ? await helperCall<string>(j.kernel, "printed", [j.index, true], {}, "_fledge_pipeline")
        : j.printed;
    if (anyDifference(got, again, j.tol) || printedAgain !== j.printed) {
      const finding = step.cells.map((c) => j.random.get(c)).find((f) => f !== undefined);
      verdict.status = "not-comparable";
      verdict.difference = first;
      verdict.why = `random: two calls on the same inputs gave different ${first.name}${finding ? ` — ${finding}` : " (no seed pins it)"}`;
      for (const o of verdict.outputs) j.tainted.set(o, step.name);
      return;
    }
    if (upstream) {
      verdict.status = "not-comparable";
      verdict.why = `its inputs come from ${upstream}, which is random`;
      for (const o of verdict.outputs) j.tainted.set(o, upstream);
      return;
    }
    verdict.status = "different";
    verdict.difference = first;
    return;
  }
  if (compared === 0) {
    verdict.status = "not-comparable";
    verdict.why = j.notebookFailed
      ? `the notebook failed in cell ${j.notebookFailed.cell + 1} before this step's values were recorded`
      : verdict.outputs.length === 0
        ? "the step returns nothing"
        : `nothing comparable: ${notCompared.join("; ")}`;
    return;
  }
  verdict.status = "equal";
}

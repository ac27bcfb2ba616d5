/**
 * The recording session `fledge extract --record` drives:
 *
 *   const session = await startRecording({ notebookPath, nb, analysis, map });   // runs the notebook
 *   session.recording.failure   // the cell that failed, if any (then: no recorded tests)
 *   session.hints()             // recorded types → annotations, per step and name
 *   const done = await session.finish(model, files);  // calls the steps on their samples in the kernel
 *   done.files                  // generated files with recorded tests merged in (+ tests/conftest.py,
 *                               // tests/fixtures/README.md: real or synthetic samples, with the seed)
 *   done.fixtures               // binary fixture files to copy: { path: "tests/fixtures/...", source }
 *   await session.close();      // always (finally): shuts the kernel down, removes the staging folder
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { ProjectModel } from "../generate/model.js";
import type { GeneratedFile } from "../generate/project.js";
import type { WorkflowMap } from "../graph/types.js";
import { type Kernel, type KernelRequest, startKernel } from "../kernel/index.js";
import type { Notebook } from "../notebook/types.js";
import type { NotebookAnalysis } from "../python/types.js";
import { fixtureFiles, recordStepFixtures, withRecordedTests } from "./fixtures.js";
import type { FixtureMode } from "./fixtures-readme.js";
import { type Annotation, type HintAliases, recordedHints } from "./hints.js";
import { buildRecordingPlan } from "./plan.js";
import { renderStepsFile, STEPS_FILE } from "./project.js";
import { type FixtureOptions, installHelper, type Recording, recordRun, SYNTHETIC_SEED } from "./record.js";
import type { StepFixture } from "./tests-emitter.js";
import { writtenTables } from "./written.js";

export interface RecordingOptions {
  notebookPath: string;
  nb: Notebook;
  analysis: NotebookAnalysis;
  map: WorkflowMap;
  /** How to find the kernel (default: the notebook's kernelspec). */
  kernel?: KernelRequest;
  /** Samples for recorded tests; false: fingerprints only. */
  fixtures?: false | { synthetic?: boolean; seed?: number; budgetBytes?: number; maxRows?: number };
  cellTimeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, cell: number) => void;
  /** Secret patterns (Python regular expressions) whose matches are never written to fixtures. */
  secretPatterns?: string[];
}

export const DEFAULT_FIXTURE_BUDGET = 5 * 1024 * 1024;
export const DEFAULT_FIXTURE_ROWS = 40;

export class RecordSession {
  constructor(
    readonly kernel: Kernel,
    readonly recording: Recording,
    /** Staging folder holding tests/fixtures/<step>/ until the project is written. */
    readonly fixturesDir: string | undefined,
    private readonly staging: string | undefined,
    /** Real samples or synthetic rows (and their seed). */
    readonly fixtureMode: FixtureMode = { synthetic: false, seed: SYNTHETIC_SEED },
    /** The workflow the recording followed (to find the files the notebook wrote). */
    readonly map?: WorkflowMap,
  ) {}

  hints(aliases: HintAliases = {}): Map<string, Map<string, Annotation>> {
    return recordedHints(this.recording, aliases);
  }

  /**
   * Calls each generated step on its recorded sample inside the kernel and returns the files with the
   * recorded tests merged in, plus the fixture files to copy under the project's tests/fixtures/.
   */
  async finish(
    model: ProjectModel,
    files: GeneratedFile[],
  ): Promise<{ files: GeneratedFile[]; steps: StepFixture[]; fixtures: { path: string; source: string }[] }> {
    const withSteps = [...files.filter((f) => f.path !== STEPS_FILE), renderStepsFile(model)];
    if (!this.fixturesDir || this.recording.failure) return { files: withSteps, steps: [], fixtures: [] };
    // Before the steps run again in this kernel: the files as the notebook wrote them.
    const written = this.map ? await writtenTables(this.kernel, model, this.map) : {};
    const steps = await recordStepFixtures(this.kernel, model, withSteps, this.fixturesDir, this.recording);
    const merged = withRecordedTests(model, withSteps, steps, this.recording, this.fixtureMode, written);
    const used = new Set(steps.filter((s) => !s.skipped).map((s) => s.step));
    const fixtures = (await fixtureFiles(this.fixturesDir))
      .filter((rel) => used.has(rel.split("/")[0] as string))
      .map((rel) => ({
        path: `tests/fixtures/${rel}`,
        source: join(this.fixturesDir as string, ...rel.split("/")),
      }));
    return { files: merged, steps, fixtures };
  }

  async close(): Promise<void> {
    await this.kernel.shutdown();
    if (this.staging) await rm(this.staging, { recursive: true, force: true });
  }
}

/** Start a fresh kernel in the notebook's folder and run the notebook top to bottom, recording each step. */
export async function startRecording(opts: RecordingOptions): Promise<RecordSession> {
  const notebookDir = dirname(resolve(opts.notebookPath));
  const request: KernelRequest = opts.kernel ?? {
    name: opts.nb.metadata.kernelspec?.name,
    language: opts.nb.metadata.kernelspec?.language ?? opts.nb.metadata.language_info?.name,
  };
  const kernel = await startKernel(request, { cwd: notebookDir, signal: opts.signal });
  let staging: string | undefined;
  try {
    await installHelper(kernel, opts.secretPatterns);
    const plan = buildRecordingPlan(opts.nb, opts.analysis, opts.map);
    let fixtures: FixtureOptions | undefined;
    if (opts.fixtures !== false) {
      staging = await mkdtemp(join(tmpdir(), "fledge-fixtures-"));
      fixtures = {
        dir: staging,
        synthetic: opts.fixtures?.synthetic ?? false,
        seed: opts.fixtures?.seed ?? SYNTHETIC_SEED,
        maxRows: opts.fixtures?.maxRows ?? DEFAULT_FIXTURE_ROWS,
        budgetBytes: opts.fixtures?.budgetBytes ?? DEFAULT_FIXTURE_BUDGET,
      };
    }
    const recording = await recordRun(kernel, opts.map, plan, {
      cellTimeoutMs: opts.cellTimeoutMs,
      signal: opts.signal,
      onProgress: opts.onProgress,
      fixtures,
    });
    return new RecordSession(
      kernel,
      recording,
      staging,
      staging,
      { synthetic: fixtures?.synthetic ?? false, seed: fixtures?.seed ?? SYNTHETIC_SEED },
      opts.map,
    );
  } catch (err) {
    await kernel.shutdown();
    if (staging) await rm(staging, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Finishing the recorded tests once the project's code exists (in memory): the generated package is staged
 * in a temporary folder, each step function is called INSIDE the recording kernel on the input sample saved
 * during the run (twice, to tell deterministic steps from random ones), its outputs are saved as the
 * expected values, and the test files are rendered (tests-emitter.ts).
 */

import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { FledgeError } from "../errors.js";
import { defaultParams } from "../generate/emit/pipeline.js";
import type { ProjectModel, StepModel } from "../generate/model.js";
import type { GeneratedFile } from "../generate/project.js";
import { ruffFile, ruffSettings } from "../generate/ruff.js";
import type { Kernel } from "../kernel/index.js";
import {
  addToModuleDocstring,
  FIXTURES_README,
  type FixtureMode,
  renderFixturesReadme,
  syntheticNote,
} from "./fixtures-readme.js";
import { helperCall, type Recording } from "./record.js";
import { stepReports } from "./report-lines.js";
import {
  mergeTestBlock,
  printedMetrics,
  renderConftest,
  renderRecordedPipelineTest,
  renderRecordedStepTest,
  type StepFixture,
} from "./tests-emitter.js";
import type { Fingerprint } from "./types.js";

interface CallStepReply {
  outputs: Record<string, { file: string; format: string; type: string }>;
  written?: Record<string, { file: string; format: string; type: string }>;
  deterministic: boolean;
  fingerprints: Record<string, Fingerprint>;
  arguments: string[];
}

/** Why a step gets no sample test, if so. */
function skipReason(step: StepModel, fixturesDir: string): string | undefined {
  if (step.args.some((a) => a.source.kind === "param" && a.source.role === "data")) {
    return "it reads the notebook's data files";
  }
  if (!step.args.some((a) => a.source.kind === "input")) return "it takes no value from an earlier step";
  if (!existsSync(join(fixturesDir, step.name, "manifest.json")))
    return "no sample of its inputs was recorded";
  const writes = step.args.some((a) => a.source.kind === "param" && a.source.role === "output");
  if (step.returns.length === 0 && !writes) return "it returns nothing and writes no file";
  return undefined;
}

/** Call every step on its recorded sample inside `kernel`; the expected outputs land in fixturesDir/<step>/. */
export async function recordStepFixtures(
  kernel: Kernel,
  model: ProjectModel,
  files: GeneratedFile[],
  fixturesDir: string,
  recording: Recording,
): Promise<StepFixture[]> {
  const stage = await mkdtemp(join(tmpdir(), "fledge-stage-"));
  try {
    for (const f of files) {
      if (!f.path.startsWith("src/") || !f.path.endsWith(".py")) continue;
      const target = join(stage, ...f.path.split("/"));
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, f.content, "utf8");
    }
    const outputsDir = join(stage, "outputs");
    const defaults = defaultParams(model);
    const out: StepFixture[] = [];
    for (const step of model.steps) {
      const base = {
        step: step.name,
        deterministic: true,
        rows: 0,
        synthetic: false,
        outputs: {},
        fingerprints: {},
        arguments: [],
        redacted: recording.fixtures[step.name]?.redacted ?? [],
      };
      const skipped = model.stubs ? "the project has stubs only" : skipReason(step, fixturesDir);
      if (skipped) {
        out.push({ ...base, skipped });
        continue;
      }
      const manifest = await readManifest(join(fixturesDir, step.name));
      const sample = manifest.synthetic ? "synthetic sample" : "recorded sample";
      const params: Record<string, unknown> = {};
      for (const a of step.args) {
        if (a.source.kind !== "param") continue;
        const v = defaults[a.source.param];
        if (a.source.role === "output" && typeof v === "string") {
          // The step writes where the pipeline would: make the folder, as the pipeline's outputs_dir exists.
          params[a.name] = join(outputsDir, v);
          await mkdir(dirname(params[a.name] as string), { recursive: true });
        } else params[a.name] = v;
      }
      try {
        const reply = await helperCall<CallStepReply>(
          kernel,
          "call_step",
          [
            join(fixturesDir, step.name),
            `${model.packageName}.steps.${step.module}`,
            step.name,
            params,
            step.returns.map((r) => r.name),
          ],
          {
            src_dir: join(stage, "src"),
            // The files it writes: tables among them become expected values too.
            written: step.args
              .filter((a) => a.source.kind === "param" && a.source.role === "output" && a.name in params)
              .map((a) => [a.name, params[a.name]]),
          },
          "_fledge_fixtures",
        );
        out.push({
          ...base,
          ...reply,
          rows: manifest.rows,
          synthetic: manifest.synthetic,
          ...(manifest.synthetic
            ? { seed: manifest.seed ?? 0, schemaNotes: manifest.schema_notes ?? [] }
            : {}),
        });
      } catch (err) {
        if (!(err instanceof FledgeError)) throw err;
        out.push({
          ...base,
          synthetic: manifest.synthetic,
          skipped: `calling it on the ${sample} failed (${shortError(err.message)})`,
        });
      }
    }
    return out;
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

/** The kernel's error on one line, at most ~160 characters (KeyErrors list whole indexes). */
function shortError(message: string): string {
  const text = message
    .replace(/^.*?: /, "")
    .replace(/\\n|\s+/g, " ")
    .trim();
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

interface SampleManifest {
  rows: number;
  synthetic: boolean;
  seed?: number;
  schema_notes?: string[];
}

async function readManifest(folder: string): Promise<SampleManifest> {
  return JSON.parse(await readFile(join(folder, "manifest.json"), "utf8")) as SampleManifest;
}

/** Whether a step body may change `name` in place (item assignment, `inplace=True`, a mutating method). */
export function mayMutate(body: string, name: string): boolean {
  const n = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(
    `\\b${n}(\\.(loc|iloc|at|iat))?\\[[^\\n]*\\]\\s*(=(?!=)|[-+*/]=)|\\b${n}\\.\\w+\\([^\\n]*inplace\\s*=\\s*True|\\b${n}\\.(append|extend|update|insert|pop|remove|clear|sort|fit|partial_fit|set_params)\\(`,
  ).test(body);
}

/**
 * The final value of every name `pipeline.run` returns, as the notebook's run left it. A name a later step
 * may change in place without returning it is left out: only its value before that step was recorded.
 */
export function finalValues(model: ProjectModel, recording: Recording): Record<string, Fingerprint> {
  const out: Record<string, Fingerprint> = {};
  for (const [i, s] of model.steps.entries()) {
    const rec = recording.steps.find((r) => r.step === s.name);
    for (const r of s.returns) {
      const fp = rec?.outputs[r.name];
      const later = model.steps.slice(i + 1);
      const changed = later.some(
        (t) =>
          t.args.some((a) => a.name === r.name && a.source.kind === "input") &&
          !t.returns.some((x) => x.name === r.name) &&
          mayMutate(t.body, r.name),
      );
      if (fp && !changed) out[r.name] = fp;
      else if (changed) delete out[r.name];
    }
  }
  return out;
}

/**
 * The generated files with the recorded tests merged in (tests/test_<step>.py, tests/test_pipeline.py) and
 * tests/conftest.py and tests/fixtures/README.md added (real or synthetic fixtures, with the seed); every
 * changed Python file is formatted and linted by ruff as the generator does.
 */
export function withRecordedTests(
  model: ProjectModel,
  files: GeneratedFile[],
  fixtures: StepFixture[],
  recording: Recording,
  mode: FixtureMode = { synthetic: false, seed: 0 },
  /** The tables the notebook wrote, by output-path parameter (checked by the pipeline test). */
  written: Record<string, Fingerprint> = {},
): GeneratedFile[] {
  const settings = ruffSettings(model.packageName, model.pythonVersion);
  const byPath = new Map(files.map((f) => [f.path, f]));
  const update = (path: string, content: string) => {
    byPath.set(path, { path, content: ruffFile(path, content, settings).code });
  };
  for (const fx of fixtures) {
    const step = model.steps.find((s) => s.name === fx.step);
    const path = `tests/test_${step?.module ?? fx.step}.py`;
    const file = byPath.get(path);
    if (!step || !file) continue;
    const merged = mergeTestBlock(file.content, renderRecordedStepTest(step, model, fx));
    const note = syntheticNote(fx, model.notebookName);
    update(path, note ? addToModuleDocstring(merged, note) : merged);
  }
  const pipeline = byPath.get("tests/test_pipeline.py");
  if (pipeline && !model.stubs) {
    const block = renderRecordedPipelineTest(
      model,
      finalValues(model, recording),
      printedMetrics(recording.stdout),
      written,
      stepReports(model, files, recording, fixtures),
    );
    update("tests/test_pipeline.py", mergeTestBlock(pipeline.content, block));
  }
  if (fixtures.some((f) => !f.skipped)) update("tests/conftest.py", renderConftest());
  // Written whenever steps were sampled: it says what the fixtures are (real or synthetic) and why a step has none.
  if (fixtures.length > 0 && !model.stubs)
    byPath.set(FIXTURES_README, {
      path: FIXTURES_README,
      content: renderFixturesReadme(model, fixtures, mode),
    });
  return [...byPath.values()];
}

/** Fixture files (relative to fixturesDir, / separators) to copy into the project's tests/fixtures/. */
export async function fixtureFiles(fixturesDir: string): Promise<string[]> {
  const out: string[] = [];
  if (!existsSync(fixturesDir)) return out;
  for (const step of await readdir(fixturesDir, { withFileTypes: true })) {
    if (!step.isDirectory()) continue;
    for (const f of await readdir(join(fixturesDir, step.name))) {
      if (!f.endsWith(".tmp")) out.push(`${step.name}/${f}`);
    }
  }
  return out.sort();
}

/**
 * Sample files a previous extraction left under `<project>/tests/fixtures/` that the new one does not write
 * (paths relative to the project, / separators). After `--fixtures synthetic` they would be real rows left
 * behind, so extract removes them.
 */
export async function staleFixtureFiles(projectDir: string, keep: string[]): Promise<string[]> {
  const root = join(projectDir, "tests", "fixtures");
  const kept = new Set(keep);
  const out: string[] = [];
  if (!existsSync(root)) return out;
  for (const step of await readdir(root, { withFileTypes: true })) {
    if (!step.isDirectory()) continue;
    for (const f of await readdir(join(root, step.name))) {
      const rel = `tests/fixtures/${step.name}/${f}`;
      if (/^(in_|out_)|^manifest\.json$/.test(f) && !kept.has(rel)) out.push(rel);
    }
  }
  return out.sort();
}

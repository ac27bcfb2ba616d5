/**
 * Extract a notebook with recording into a folder, the way `fledge extract` does (recording session, project
 * generation, recorded tests, one write through the generator's writer, fixtures copied). The notebook and
 * its data are first copied to a scratch folder, so the files the notebook writes stay out of the repository.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative } from "node:path";
import { generateProject, initGenerate } from "../../src/generate/project.js";
import { applyWrites, planWrites } from "../../src/generate/writer.js";
import { buildDataflow } from "../../src/graph/dataflow.js";
import { buildWorkflowMap } from "../../src/graph/steps.js";
import { readNotebookFile } from "../../src/notebook/index.js";
import { analyzeNotebook, initPython } from "../../src/python/index.js";
import { startRecording } from "../../src/verify/session.js";
import type { StepFixture } from "../../src/verify/tests-emitter.js";
import { venvPython } from "../helpers/env.js";

export interface Extracted {
  root: string;
  notebook: string;
  project: string;
  steps: StepFixture[];
}

/** Copies every file of the notebook's folder (not sub-folders) to `<root>/nb/`, extracts to `<root>/project`. */
export async function extractWithRecording(notebookPath: string): Promise<Extracted> {
  const root = mkdtempSync(join(tmpdir(), "fledge-verify-"));
  const nbDir = join(root, "nb");
  mkdirSync(nbDir);
  for (const f of readdirSync(dirname(notebookPath), { withFileTypes: true })) {
    if (f.isFile()) copyFileSync(join(dirname(notebookPath), f.name), join(nbDir, f.name));
  }
  const notebook = join(nbDir, basename(notebookPath));
  const project = join(root, "project");
  const nb = (await readNotebookFile(notebook)).notebook;
  await initPython();
  await initGenerate();
  const analysis = analyzeNotebook(nb);
  const map = buildWorkflowMap(nb, analysis, buildDataflow(analysis));
  const session = await startRecording({
    notebookPath: notebook,
    nb,
    analysis,
    map,
    kernel: { python: venvPython() },
  });
  try {
    if (session.recording.failure)
      throw new Error(`the notebook failed: ${JSON.stringify(session.recording.failure)}`);
    const rel = relative(project, nbDir).split("\\").join("/");
    const nbRel = `${rel}/${basename(notebook)}`;
    const gen = generateProject({
      notebook: nb,
      analysis,
      map,
      notebookRelPath: nbRel,
      dataDir: rel,
      options: {},
    });
    const done = await session.finish(gen.model, gen.files);
    const plan = await planWrites(
      project,
      done.files,
      [],
      {
        fledgeVersion: "test",
        package: gen.model.packageName,
        notebook: nbRel,
        dataDir: rel,
        outputsDir: gen.model.outputsDir,
      },
      { notebookDir: nbDir },
    );
    await applyWrites(plan, nbDir);
    for (const f of done.fixtures) {
      mkdirSync(dirname(join(project, f.path)), { recursive: true });
      copyFileSync(f.source, join(project, f.path));
    }
    return { root, notebook, project, steps: done.steps };
  } finally {
    await session.close();
  }
}

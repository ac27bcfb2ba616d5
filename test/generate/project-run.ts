/**
 * Shared by the extract end-to-end tests: extract a fixture notebook into a temporary folder laid out the
 * same way every time (so golden files are stable), and run commands in a fresh virtualenv made with uv.
 */
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { threadId } from "node:worker_threads";
import { applyFixes, runChecks } from "../../src/analysis/index.js";
import type { Extraction } from "../../src/generate/index.js";
import { applyWrites, extractProject, initExtract, planWrites } from "../../src/generate/index.js";
import { readNotebookFile } from "../../src/notebook/index.js";
import type { Notebook } from "../../src/notebook/types.js";
import { ROOT, venvPython } from "../helpers/env.js";

/** `fledge check --fix` on a notebook: the out-of-order fixture is extracted after it. */
export function fixOrder(nb: Notebook): Notebook {
  return applyFixes(nb, runChecks(nb)).notebook;
}

export const FIXTURES = join(ROOT, "test", "fixtures", "notebooks", "extract");
export const GOLDEN = join(ROOT, "test", "golden", "extract");

export function fixtureNames(): string[] {
  return readdirSync(FIXTURES, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(FIXTURES, d.name, `${d.name}.ipynb`)))
    .map((d) => d.name)
    .sort();
}

export interface Extracted {
  root: string;
  notebookPath: string;
  project: string;
  extraction: Extraction;
}

/** Copy the fixture to <tmp>/nb/<name>/ and extract it to <tmp>/proj/<name>/ (no kernel: reproducible output). */
export async function extractFixture(
  name: string,
  options: { stubs?: boolean; transform?: (nb: Notebook) => Notebook } = {},
): Promise<Extracted> {
  await initExtract();
  const root = mkdtempSync(join(tmpdir(), "fledge-extract-"));
  const nbDir = join(root, "nb", name);
  cpSync(join(FIXTURES, name), nbDir, { recursive: true });
  const notebookPath = join(nbDir, `${name}.ipynb`);
  const project = join(root, "proj", name);
  let nb = (await readNotebookFile(notebookPath)).notebook;
  if (options.transform) nb = options.transform(nb);
  const extraction = extractProject(nb, { notebookPath, outDir: project, stubs: options.stubs ?? false });
  await writeExtraction(extraction, project, nbDir);
  return { root, notebookPath, project, extraction };
}

/** Write an extraction to `project` as `fledge extract` does (files, data copies, .fledge/manifest.json). */
export async function writeExtraction(extraction: Extraction, project: string, nbDir: string): Promise<void> {
  const plan = await planWrites(
    project,
    extraction.files,
    extraction.copies,
    {
      fledgeVersion: "test",
      package: extraction.model.packageName,
      notebook: extraction.model.notebookRelPath,
      dataDir: extraction.model.dataDir,
      outputsDir: extraction.model.outputsDir,
    },
    { notebookDir: nbDir },
  );
  await applyWrites(plan, nbDir);
}

export interface Run {
  status: number | null;
  output: string;
}

export function sh(
  cmd: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
  timeout = 240_000,
): Run {
  const r = spawnSync(cmd, args, { cwd, env, encoding: "utf8", timeout });
  return {
    status: r.status,
    output: `$ ${cmd} ${args.join(" ")}\n${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? String(r.error) : ""}`,
  };
}

export function uvPath(): string | undefined {
  const uv = join(dirname(venvPython()), process.platform === "win32" ? "uv.exe" : "uv");
  return existsSync(uv) ? uv : undefined;
}

/**
 * The path for a fresh virtualenv: `<dir>/venv`, or, under vitest (test/helpers/python-bytecode.ts sets
 * FLEDGE_TEST_VENV_HOME), one path per worker (process and thread), the previous virtualenv there deleted
 * first. A worker runs its files one at a time, and the bytecode Python caches for the packages (pandas,
 * scikit-learn, pytest…) is keyed by path: every fresh virtualenv after the first reuses it instead of
 * compiling them again. The virtualenv is as fresh as before: only what the caller installs is in it.
 */
export function freshVenvPath(dir: string): string {
  const home = process.env.FLEDGE_TEST_VENV_HOME;
  if (!home) return join(dir, "venv");
  const path = join(home, `worker-${process.pid}-${threadId}`, "venv");
  rmSync(path, { recursive: true, force: true });
  return path;
}

/** A fresh virtualenv (uv, same Python as the project venv), with the project installed from its own pyproject. */
export function freshVenv(
  dir: string,
  project: string,
): { python: string; bin: string; env: NodeJS.ProcessEnv; install: Run } {
  const uv = uvPath();
  if (!uv) throw new Error("uv not found in the project venv: run `npm run setup`");
  const venv = freshVenvPath(dir);
  const made = sh(uv, ["venv", "-q", venv, "--python", venvPython()], dir);
  if (made.status !== 0) throw new Error(made.output);
  const bin = join(venv, process.platform === "win32" ? "Scripts" : "bin");
  const python = join(bin, process.platform === "win32" ? "python.exe" : "python");
  const install = sh(uv, ["pip", "install", "-q", "--python", python, "-e", `${project}[dev]`], dir);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${bin}${process.platform === "win32" ? ";" : ":"}${process.env.PATH ?? ""}`,
    VIRTUAL_ENV: venv,
    MPLBACKEND: "Agg",
  };
  delete env.PYTHONPATH;
  return { python, bin, env, install };
}

/** Compare the generated files with test/golden/extract/<name>/ (UPDATE_SNAPSHOTS=1 rewrites them). */
export function compareGolden(name: string, project: string, paths: string[]): string[] {
  const dir = join(GOLDEN, name);
  const problems: string[] = [];
  if (process.env.UPDATE_SNAPSHOTS) {
    for (const p of paths) {
      const target = join(dir, p);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, readFileSync(join(project, p)));
    }
    writeFileSync(join(dir, "FILES.txt"), `${paths.join("\n")}\n`);
    return problems;
  }
  if (!existsSync(join(dir, "FILES.txt")))
    return [`no golden files for ${name}: run with UPDATE_SNAPSHOTS=1`];
  const expectedList = readFileSync(join(dir, "FILES.txt"), "utf8").trim().split("\n");
  if (expectedList.join("\n") !== paths.join("\n")) problems.push(`file list differs:\n${paths.join("\n")}`);
  for (const p of paths) {
    const golden = join(dir, p);
    if (!existsSync(golden)) continue;
    if (readFileSync(golden, "utf8") !== readFileSync(join(project, p), "utf8"))
      problems.push(`${p} differs from ${relative(ROOT, golden)}`);
  }
  return problems;
}

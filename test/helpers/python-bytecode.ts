/**
 * Vitest global setup: let the Python processes the tests start keep their compiled bytecode.
 *
 * The project venv is installed by uv, which writes no .pyc files, and this machine (like CI) exports
 * PYTHONDONTWRITEBYTECODE=1, so every `python` the tests start — kernels, `python -m <pkg>`, pytest, the
 * oracle — compiled pandas, scikit-learn, mlflow… from source again (measured: `import pandas, numpy` 2.0 s
 * against 0.7 s with a bytecode cache). The tests' children inherit this process's environment, so here the
 * variable is dropped and the bytecode goes to one cache folder (PYTHONPYCACHEPREFIX) instead of
 * __pycache__ folders beside the sources: generated projects and fixtures stay as the product wrote them.
 * What the tests assert is unchanged; Python checks every cached file against its source before using it
 * (mtime in whole seconds and size, as with __pycache__ on any machine without that variable): a test that
 * edits a module and runs it again must not rewrite it with the same size within the second it was compiled.
 * The tests' edits today change the size, or come seconds after the module was written.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, parse } from "node:path";
import { ROOT } from "./env.js";

const CACHE = join(ROOT, "node_modules", ".cache", "fledge-pycache");

/** The cache mirrors source paths: the part under the temp folder (fresh venvs, generated projects). */
function tempPart(): string {
  const tmp = tmpdir();
  return join(CACHE, tmp.slice(parse(tmp).root.length));
}

export function setup(): void {
  if (process.env.FLEDGE_TEST_KEEP_PYTHON_ENV) return;
  delete process.env.PYTHONDONTWRITEBYTECODE;
  process.env.PYTHONPYCACHEPREFIX = CACHE;
  // This run's folder for the tests' fresh virtualenvs (test/generate/project-run.ts freshVenvPath): one
  // path per worker process, so the cached bytecode of their packages serves every fresh venv after the first.
  process.env.FLEDGE_TEST_VENV_HOME = mkdtempSync(join(tmpdir(), "fledge-test-venvs-"));
}

export function teardown(): void {
  if (process.env.FLEDGE_TEST_KEEP_PYTHON_ENV) return;
  const venvs = process.env.FLEDGE_TEST_VENV_HOME;
  if (venvs) rmSync(venvs, { recursive: true, force: true });
  // The project venv's bytecode is kept for the next run; that of deleted temp folders would only pile up.
  rmSync(tempPart(), { recursive: true, force: true });
}

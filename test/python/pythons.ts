/** Finding CPython interpreters of a given minor version (3.12 samples need a 3.12 oracle). */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { venvPython } from "../helpers/env.js";

function minorOf(python: string): number | undefined {
  const res = spawnSync(python, ["-c", "import sys; print(sys.version_info[0], sys.version_info[1])"], {
    encoding: "utf8",
  });
  if (res.status !== 0) return undefined;
  const [major, minor] = res.stdout.trim().split(" ").map(Number);
  return major === 3 ? minor : undefined;
}

const cache = new Map<number, string | null>();

/**
 * A Python 3.`minor` interpreter: $FLEDGE_PYTHON3<minor>, the project venv, `python3.<minor>` on PATH,
 * or a pyenv installation. Undefined when none is found.
 */
export function pythonFor(minor: number): string | undefined {
  if (cache.has(minor)) return cache.get(minor) ?? undefined;
  const candidates: string[] = [];
  const fromEnv = process.env[`FLEDGE_PYTHON3${minor}`];
  if (fromEnv) candidates.push(fromEnv);
  try {
    candidates.push(venvPython());
  } catch {
    // no venv: other candidates
  }
  candidates.push(`python3.${minor}`);
  const pyenv = join(process.env.PYENV_ROOT ?? join(homedir(), ".pyenv"), "versions");
  if (existsSync(pyenv)) {
    for (const v of readdirSync(pyenv)) {
      if (v.startsWith(`3.${minor}.`)) candidates.push(join(pyenv, v, "bin", `python3.${minor}`));
    }
  }
  const found = candidates.find((c) => minorOf(c) === minor);
  cache.set(minor, found ?? null);
  return found;
}

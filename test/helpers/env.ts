/** Locations tests share: the project's Python virtualenv and the optional shared corpus. */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The virtualenv created by `npm run setup` (the README's install step). Tests that execute Python need it. */
export function venvPython(): string {
  const venv = process.env.FLEDGE_VENV ?? join(ROOT, ".venv");
  const python =
    process.platform === "win32" ? join(venv, "Scripts", "python.exe") : join(venv, "bin", "python");
  if (!existsSync(python)) {
    throw new Error(
      `No Python virtualenv at ${venv}: run \`npm run setup\` (the README's install step) first.`,
    );
  }
  return python;
}

/** `../shared/corpus/notebooks` when present; tests that read it skip cleanly without it. */
export function corpusDir(): string | undefined {
  const dir = process.env.FLEDGE_CORPUS ?? resolve(ROOT, "..", "shared", "corpus", "notebooks");
  return existsSync(dir) ? dir : undefined;
}

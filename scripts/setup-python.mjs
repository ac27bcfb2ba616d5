#!/usr/bin/env node
// Creates (or refreshes) the project's Python virtualenv in .venv with python/requirements-dev.txt.
// Uses uv (installed into the venv from PyPI) for speed; wheels come from uv's cache on later runs.
// Idempotent: does nothing when the requirements have not changed since the last successful run.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const venv = process.env.FLEDGE_VENV ?? join(root, ".venv");
const isWin = process.platform === "win32";
const bin = (name) => join(venv, isWin ? "Scripts" : "bin", isWin ? `${name}.exe` : name);
const reqFile = join(root, "python", "requirements-dev.txt");
const stamp = join(venv, ".fledge-requirements.sha256");
const wanted = createHash("sha256").update(readFileSync(reqFile)).digest("hex");

function run(cmd, args, opts = {}) {
  process.stderr.write(`$ ${cmd} ${args.join(" ")}\n`);
  execFileSync(cmd, args, { stdio: ["ignore", "inherit", "inherit"], ...opts });
}

function findPython() {
  for (const candidate of [process.env.FLEDGE_BOOTSTRAP_PYTHON, "python3", "python"].filter(Boolean)) {
    try {
      const out = execFileSync(candidate, ["-c", "import sys; print(sys.version_info >= (3, 9))"], {
        encoding: "utf8",
      });
      if (out.trim() === "True") return candidate;
    } catch {
      // try the next one
    }
  }
  process.stderr.write(
    "setup: no Python 3.9+ found on PATH (tried python3, python). Install Python and re-run.\n",
  );
  process.exit(3);
}

if (existsSync(stamp) && readFileSync(stamp, "utf8").trim() === wanted && existsSync(bin("python"))) {
  process.stderr.write(`setup: ${venv} is up to date\n`);
  process.exit(0);
}
if (!existsSync(bin("python"))) run(findPython(), ["-m", "venv", venv]);
if (!existsSync(bin("uv")))
  run(bin("python"), ["-m", "pip", "install", "--disable-pip-version-check", "-q", "uv"]);
run(bin("uv"), ["pip", "install", "--python", bin("python"), "-r", reqFile]);
writeFileSync(stamp, `${wanted}\n`);
process.stderr.write(`setup: Python environment ready in ${venv}\n`);

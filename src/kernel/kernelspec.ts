/**
 * Finding the kernel to run a notebook with, the way `jupyter kernelspec list` does, plus fledge's
 * direct-interpreter mode.
 *
 * Order of precedence:
 *  1. an explicit interpreter (`--python PATH`), then the `FLEDGE_PYTHON` environment variable:
 *     launched as `PATH -m ipykernel_launcher -f <connection file>`, no kernelspec involved;
 *  2. the notebook's `kernelspec.name` in the kernelspec folders: `$JUPYTER_PATH` entries, the
 *     environments in use (`$VIRTUAL_ENV`, `$CONDA_PREFIX`, the `python3`/`python` on `PATH`:
 *     `<prefix>/share/jupyter`), the user's data folder and the system folders;
 *  3. for a Python notebook with no matching kernelspec, the "native" kernel: the Python of the active
 *     environment (or on `PATH`) when ipykernel is installed there, as Jupyter itself does.
 * A kernelspec whose argv starts with a bare `python` runs the interpreter of the environment the
 * kernelspec belongs to (or, for user and system kernelspecs, the Python found in step 3).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { basename, delimiter, dirname, isAbsolute, join, resolve } from "node:path";
import { FledgeError } from "../errors.js";

export interface KernelRequest {
  /** The notebook's `metadata.kernelspec.name`; `python3` when absent. */
  name?: string;
  /** The notebook's language (`metadata.kernelspec.language` or `language_info.name`), for messages. */
  language?: string;
  /** Run this Python interpreter directly (`--python`); overrides FLEDGE_PYTHON and kernelspecs. */
  python?: string;
  /** Environment used for the lookup and given to the kernel; defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Folder relative interpreter paths are resolved against; defaults to `process.cwd()`. */
  cwd?: string;
}

export interface ResolvedKernel {
  name: string;
  displayName: string;
  /** Command line; `{connection_file}` is replaced at launch. */
  argv: string[];
  /** Extra environment variables from kernel.json. */
  env: Record<string, string>;
  interruptMode: "signal" | "message";
  language: string;
  /** The kernelspec folder, when one was used. */
  resourceDir: string | undefined;
  /** The Python interpreter that will run the code, when known. */
  interpreter: string | undefined;
  /** Where the kernel came from, for messages: "--python", "FLEDGE_PYTHON", "kernelspec <dir>", "native". */
  source: string;
}

interface KernelJson {
  argv?: unknown;
  display_name?: unknown;
  language?: unknown;
  env?: unknown;
  interrupt_mode?: unknown;
}

const IS_WIN = process.platform === "win32";
const BARE_PYTHON = /^python(\d+(\.\d+)?)?(\.exe)?$/i;

/** The interpreter inside an environment prefix (venv, conda env, or a Python installation). */
export function pythonInPrefix(prefix: string): string | undefined {
  const candidates = IS_WIN
    ? [join(prefix, "python.exe"), join(prefix, "Scripts", "python.exe")]
    : [join(prefix, "bin", "python"), join(prefix, "bin", "python3")];
  return candidates.find((c) => existsSync(c));
}

/** `sys.prefix` of an interpreter, inferred from its path without running it. */
export function prefixOfPython(python: string): string {
  const dir = dirname(python);
  const parent = IS_WIN && basename(dir).toLowerCase() !== "scripts" ? dir : dirname(dir);
  if (existsSync(join(parent, "pyvenv.cfg")) || existsSync(join(parent, "conda-meta"))) return parent;
  try {
    const real = realpathSync(python);
    const realDir = dirname(real);
    return IS_WIN ? realDir : dirname(realDir);
  } catch {
    return parent;
  }
}

/** First match of `command` on PATH. */
export function onPath(command: string, env: NodeJS.ProcessEnv): string | undefined {
  const exts = IS_WIN ? (env.PATHEXT ?? ".EXE").split(";") : [""];
  for (const dir of (env.PATH ?? env.Path ?? "").split(delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const p = join(dir, command + ext);
      try {
        if (statSync(p).isFile()) return p;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** Environment prefixes in use: active venv, active conda env, the Pythons on PATH. */
export function activePrefixes(env: NodeJS.ProcessEnv): string[] {
  const prefixes: string[] = [];
  if (env.VIRTUAL_ENV) prefixes.push(env.VIRTUAL_ENV);
  if (env.CONDA_PREFIX) prefixes.push(env.CONDA_PREFIX);
  for (const cmd of ["python3", "python"]) {
    const p = onPath(cmd, env);
    if (p) prefixes.push(prefixOfPython(p));
  }
  return [...new Set(prefixes.map((p) => resolve(p)))];
}

function userDataDir(env: NodeJS.ProcessEnv): string {
  if (env.JUPYTER_DATA_DIR) return env.JUPYTER_DATA_DIR;
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  if (process.platform === "darwin") return join(home, "Library", "Jupyter");
  if (IS_WIN) return join(env.APPDATA ?? join(home, "AppData", "Roaming"), "jupyter");
  return join(env.XDG_DATA_HOME || join(home, ".local", "share"), "jupyter");
}

function systemDataDirs(env: NodeJS.ProcessEnv): string[] {
  if (IS_WIN) return [join(env.PROGRAMDATA ?? "C:\\ProgramData", "jupyter")];
  return ["/usr/local/share/jupyter", "/usr/share/jupyter"];
}

export interface SearchFolder {
  dir: string;
  kind: "JUPYTER_PATH" | "environment" | "user" | "system";
  /** For environment folders: the environment's prefix. */
  prefix?: string;
}

/** The kernelspec folders (`…/kernels`), in Jupyter's order of precedence. */
export function kernelSearchPath(env: NodeJS.ProcessEnv, extraPrefixes: string[] = []): SearchFolder[] {
  const folders: SearchFolder[] = [];
  for (const p of (env.JUPYTER_PATH ?? "").split(delimiter)) {
    if (p) folders.push({ dir: join(p, "kernels"), kind: "JUPYTER_PATH" });
  }
  const envFolders: SearchFolder[] = [...extraPrefixes.map((p) => resolve(p)), ...activePrefixes(env)].map(
    (prefix) => ({ dir: join(prefix, "share", "jupyter", "kernels"), kind: "environment", prefix }),
  );
  const user: SearchFolder = { dir: join(userDataDir(env), "kernels"), kind: "user" };
  // Like jupyter_core ≥ 5: inside an environment, its kernels win over the user's.
  const inEnv = Boolean(env.VIRTUAL_ENV || (env.CONDA_PREFIX && env.CONDA_DEFAULT_ENV !== "base"));
  if (env.JUPYTER_PREFER_ENV_PATH === "0" || (!inEnv && env.JUPYTER_PREFER_ENV_PATH === undefined)) {
    folders.push(user, ...envFolders);
  } else {
    folders.push(...envFolders, user);
  }
  for (const d of systemDataDirs(env)) folders.push({ dir: join(d, "kernels"), kind: "system" });
  const seen = new Set<string>();
  return folders.filter((f) => {
    if (seen.has(f.dir)) return false;
    seen.add(f.dir);
    return true;
  });
}

export interface FoundSpec {
  name: string;
  dir: string;
  folder: SearchFolder;
  json: KernelJson;
}

/** All kernelspecs in the search path, first occurrence of each name wins (names compared case-insensitively). */
export function listKernelSpecs(env: NodeJS.ProcessEnv, extraPrefixes: string[] = []): FoundSpec[] {
  const found = new Map<string, FoundSpec>();
  for (const folder of kernelSearchPath(env, extraPrefixes)) {
    let entries: string[];
    try {
      entries = readdirSync(folder.dir);
    } catch {
      continue;
    }
    for (const entry of entries.sort()) {
      const key = entry.toLowerCase();
      if (found.has(key)) continue;
      const file = join(folder.dir, entry, "kernel.json");
      try {
        const json = JSON.parse(readFileSync(file, "utf8")) as KernelJson;
        found.set(key, { name: entry, dir: join(folder.dir, entry), folder, json });
      } catch {
        // Not a kernelspec (or unreadable): skipped as Jupyter does.
      }
    }
  }
  return [...found.values()];
}

/** Whether ipykernel looks installed in an environment (checked on disk, without starting Python). */
export function hasIpykernel(prefix: string): boolean {
  const libs = IS_WIN ? [join(prefix, "Lib")] : [join(prefix, "lib"), join(prefix, "lib64")];
  for (const lib of libs) {
    if (IS_WIN) {
      if (existsSync(join(lib, "site-packages", "ipykernel"))) return true;
      continue;
    }
    let versions: string[];
    try {
      versions = readdirSync(lib).filter((d) => d.startsWith("python"));
    } catch {
      continue;
    }
    for (const v of versions) {
      for (const sub of ["site-packages", "dist-packages"]) {
        if (existsSync(join(lib, v, sub, "ipykernel"))) return true;
      }
    }
  }
  return existsSync(join(prefix, "lib", "python3", "dist-packages", "ipykernel"));
}

function resolveInterpreter(python: string, cwd: string, env: NodeJS.ProcessEnv, from: string): string {
  const looksLikePath = python.includes("/") || python.includes("\\") || isAbsolute(python);
  const path = looksLikePath ? resolve(cwd, python) : onPath(python, env);
  if (!path || !existsSync(path)) {
    throw new FledgeError("E_KERNEL", `the Python interpreter ${python} (from ${from}) does not exist`, {
      hint: "Give the path of a Python with ipykernel installed, e.g. --python .venv/bin/python.",
    });
  }
  return path;
}

function directKernel(python: string, source: string): ResolvedKernel {
  return {
    name: "python3",
    displayName: "Python (ipykernel)",
    argv: [python, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
    env: {},
    interruptMode: "signal",
    language: "python",
    resourceDir: undefined,
    interpreter: python,
    source,
  };
}

/** The Python a bare `python` in a user or system kernelspec (or the native kernel) means. */
function nativePython(env: NodeJS.ProcessEnv, extraPrefixes: string[] = []): string | undefined {
  for (const prefix of [...extraPrefixes, ...activePrefixes(env)]) {
    const py = pythonInPrefix(prefix);
    if (py && hasIpykernel(prefix)) return py;
  }
  return undefined;
}

/**
 * Decides which kernel runs a notebook. Throws `FledgeError` E_KERNEL (exit 3) when none is usable,
 * naming the folders searched and how to install ipykernel.
 */
export function resolveKernel(req: KernelRequest = {}): ResolvedKernel {
  const env = req.env ?? process.env;
  const cwd = req.cwd ?? process.cwd();
  if (req.python) return directKernel(resolveInterpreter(req.python, cwd, env, "--python"), "--python");
  if (env.FLEDGE_PYTHON) {
    return directKernel(resolveInterpreter(env.FLEDGE_PYTHON, cwd, env, "FLEDGE_PYTHON"), "FLEDGE_PYTHON");
  }
  const name = req.name?.trim() || "python3";
  const found = lookup(name, env, []);
  if (found) return found;
  // Version-manager shims (pyenv, asdf) hide the real environment: ask those Pythons for sys.prefix.
  const probed = probePrefixes(env);
  const again = probed.length > 0 ? lookup(name, env, probed) : undefined;
  if (again) return again;
  const searched = kernelSearchPath(env, probed).map((f) => `    ${f.dir} (${f.kind})`);
  const available = listKernelSpecs(env, probed).map((s) => s.name);
  throw new FledgeError(
    "E_KERNEL",
    `no Jupyter kernel named '${name}' was found. Looked in:\n${searched.join("\n")}` +
      (available.length > 0
        ? `\n  Kernels found: ${available.join(", ")}.`
        : "\n  No kernelspecs found at all."),
    {
      hint:
        "Install ipykernel in the environment that has the notebook's packages (`python -m pip install ipykernel`), " +
        "then either register it (`python -m ipykernel install --user --name " +
        `${name}\`) or point fledge at it with --python PATH or FLEDGE_PYTHON=PATH.`,
    },
  );
}

function lookup(name: string, env: NodeJS.ProcessEnv, extraPrefixes: string[]): ResolvedKernel | undefined {
  const spec = listKernelSpecs(env, extraPrefixes).find((s) => s.name.toLowerCase() === name.toLowerCase());
  if (spec) return fromSpec(spec, env, extraPrefixes);
  if (/^python\d?$/i.test(name)) {
    const py = nativePython(env, extraPrefixes);
    if (py) return directKernel(py, "native");
  }
  return undefined;
}

/** `sys.prefix` of the `python3`/`python` on PATH, by asking them (only when the cheap lookup failed). */
function probePrefixes(env: NodeJS.ProcessEnv): string[] {
  const out: string[] = [];
  for (const cmd of ["python3", "python"]) {
    const exe = onPath(cmd, env);
    if (!exe) continue;
    const r = spawnSync(exe, ["-c", "import sys; print(sys.prefix)"], {
      env,
      encoding: "utf8",
      timeout: 5000,
    });
    const prefix = r.status === 0 ? r.stdout.trim() : "";
    if (prefix && !out.includes(prefix) && !activePrefixes(env).includes(resolve(prefix))) out.push(prefix);
  }
  return out;
}

function fromSpec(spec: FoundSpec, env: NodeJS.ProcessEnv, extraPrefixes: string[] = []): ResolvedKernel {
  const json = spec.json;
  const argv = Array.isArray(json.argv) ? json.argv.map(String) : [];
  if (argv.length === 0) {
    throw new FledgeError("E_KERNEL", `the kernelspec ${join(spec.dir, "kernel.json")} has no argv`, {
      hint: "Reinstall the kernel (e.g. `python -m ipykernel install --user`).",
    });
  }
  let interpreter: string | undefined;
  const first = argv[0]!;
  if (BARE_PYTHON.test(first)) {
    // A bare `python`: the environment the kernelspec lives in, else the active/native Python.
    const own = spec.folder.prefix ? pythonInPrefix(spec.folder.prefix) : undefined;
    interpreter = own ?? nativePython(env, extraPrefixes) ?? onPath(first, env);
    if (!interpreter) {
      throw new FledgeError(
        "E_KERNEL",
        `the kernelspec ${spec.dir} runs a bare '${first}', and no Python with ipykernel was found for it`,
        { hint: "Activate the notebook's environment, or pass --python PATH (or set FLEDGE_PYTHON)." },
      );
    }
    argv[0] = interpreter;
  } else if (/python[\d.]*(\.exe)?$/i.test(basename(first))) {
    interpreter = first;
  }
  const extraEnv: Record<string, string> = {};
  if (json.env && typeof json.env === "object") {
    for (const [k, v] of Object.entries(json.env as Record<string, unknown>)) extraEnv[k] = String(v);
  }
  return {
    name: spec.name,
    displayName: typeof json.display_name === "string" ? json.display_name : spec.name,
    argv,
    env: extraEnv,
    interruptMode: json.interrupt_mode === "message" ? "message" : "signal",
    language: typeof json.language === "string" ? json.language : "unknown",
    resourceDir: spec.dir,
    interpreter,
    source: `kernelspec ${spec.dir}`,
  };
}

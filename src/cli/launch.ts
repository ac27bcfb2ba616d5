/**
 * How bin/fledge.js starts the CLI: the bundled CLI (dist/cli.cjs, made by scripts/build-cli.mjs) compiled
 * through V8's code cache, else (no bundle, or one older than dist/cli/main.js) the compiled ES modules.
 *
 * Node 20 has no compile cache for ES modules (Node 22's `module.enableCompileCache` is what this does for one
 * script). A `vm.Script` accepts the bytecode V8 produced for the same source in an earlier run
 * (`cachedData`): the functions that run already have bytecode, so the process skips parsing and compiling
 * them. What a cache holds is what that run compiled, so there is one cache per command (`check` and `map` run
 * different code), made by the first run of that command and kept while the bundle and Node stay the same.
 *
 * The cache lives in the user's cache folder (`$XDG_CACHE_HOME/fledge/v8`, `~/Library/Caches/fledge/v8`,
 * `%LOCALAPPDATA%\fledge\Cache\v8`), or in `FLEDGE_COMPILE_CACHE_DIR`; `FLEDGE_NO_COMPILE_CACHE=1` turns it off.
 * It is an optimisation only: a cache is named by the bundle's content hash, V8 checks that it matches its own
 * version, flags and the source and ignores one that does not (it is then replaced), and a cache that cannot be
 * read or written changes nothing but speed, so it is never reported.
 */
import { isAscii } from "node:buffer";
import { createHash } from "node:crypto";
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import type { ExitCode } from "../errors.js";

export interface LaunchedCli {
  main(argv: string[]): Promise<ExitCode>;
  /** Where the code came from: the bundle through a cache (`cached`), the bundle compiled afresh, or dist/. */
  readonly source: "cached" | "compiled" | "modules";
  /**
   * Stores the code cache when this run made one worth keeping: none was used, and the command did its work
   * (exit 0 or 1, not `--help`). A cache holds what its run compiled and is kept while valid, so a usage error
   * or a help text must not be the run that makes it. Never throws.
   */
  finish(exitCode?: number, argv?: readonly string[]): void;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The folder of compile caches, or undefined when caching is off or no cache folder is known. */
export function compileCacheDir(
  env: Env = process.env,
  platform: string = process.platform,
): string | undefined {
  if (env.FLEDGE_NO_COMPILE_CACHE && env.FLEDGE_NO_COMPILE_CACHE !== "0") return undefined;
  if (env.FLEDGE_COMPILE_CACHE_DIR) return env.FLEDGE_COMPILE_CACHE_DIR;
  let home: string;
  try {
    home = env.HOME || env.USERPROFILE || homedir();
  } catch {
    return undefined;
  }
  if (platform === "win32") {
    const local = env.LOCALAPPDATA || (home ? join(home, "AppData", "Local") : "");
    return local ? join(local, "fledge", "Cache", "v8") : undefined;
  }
  if (platform === "darwin") return home ? join(home, "Library", "Caches", "fledge", "v8") : undefined;
  const xdg = env.XDG_CACHE_HOME;
  if (xdg) return join(xdg, "fledge", "v8");
  return home ? join(home, ".cache", "fledge", "v8") : undefined;
}

/** The command's name as it may appear in a file name (anything else shares one cache). */
function cacheKind(command: string | undefined): string {
  return command && /^[a-z][a-z-]{0,30}$/u.test(command) ? command : "other";
}

export interface LaunchOptions {
  /** The bundle (default: dist/cli.cjs beside this module's folder). */
  bundle?: string;
  /** The cache folder (default: `compileCacheDir()`); null: no cache. */
  cacheDir?: string | null;
}

/** Loads the CLI for a run of `command` (the first word of argv). */
export async function launchCli(
  command: string | undefined,
  options: LaunchOptions = {},
): Promise<LaunchedCli> {
  const bundle = options.bundle ?? fileURLToPath(new URL("../cli.cjs", import.meta.url));
  let bytes: Buffer | undefined;
  try {
    // A bundle older than the compiled modules beside it (tsc was run again, not the whole build) would run
    // stale code: the modules are then used.
    const modules = statOrUndefined(join(dirname(bundle), "cli", "main.js"));
    if (!modules || modules.mtimeMs <= statSync(bundle).mtimeMs) bytes = readFileSync(bundle);
  } catch {
    bytes = undefined;
  }
  if (!bytes) {
    // No bundle (a build by tsc alone), or a stale one: the ES modules.
    const { main } = await import("./main.js");
    return { main, source: "modules", finish() {} };
  }
  // The build writes the bundle in ASCII where it can (scripts/build-cli.mjs); ASCII needs no UTF-8 decoding.
  const source = isAscii(bytes) ? bytes.toString("latin1") : bytes.toString("utf8");

  const dir = options.cacheDir === undefined ? compileCacheDir() : (options.cacheDir ?? undefined);
  const kind = cacheKind(command);
  // V8 checks that a cache was made by its own version with the same flags for a source of the same length, and
  // trusts the caller for the rest: the cache is keyed by the bundle's content (1 ms to hash), not by its time.
  const digest = createHash("sha256").update(bytes).digest("hex").slice(0, 20);
  const name = `${process.version}-${process.platform}-${process.arch}-${digest}-${kind}.bin`;
  const file = dir ? join(dir, name) : undefined;
  let cachedData: Buffer | undefined;
  if (file) {
    try {
      cachedData = readFileSync(file);
    } catch {
      cachedData = undefined;
    }
  }

  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new vm.Script(wrapped, {
    filename: bundle,
    ...(cachedData ? { cachedData } : {}),
  });
  const fn = script.runInThisContext() as (
    exports: object,
    require: NodeJS.Require,
    module: { exports: object },
    filename: string,
    dirname: string,
  ) => void;
  const mod = { exports: {} as { main?: LaunchedCli["main"] } };
  fn.call(mod.exports, mod.exports, createRequire(bundle), mod, bundle, dirname(bundle));
  const main = mod.exports.main;
  if (typeof main !== "function") throw new Error(`${bundle} does not export main()`);
  const accepted = cachedData !== undefined && !script.cachedDataRejected;
  return {
    main,
    source: accepted ? "cached" : "compiled",
    finish(exitCode = 0, argv = []) {
      if (!file || !dir || accepted) return;
      if ((exitCode !== 0 && exitCode !== 1) || argv.includes("--help") || argv.includes("-h")) return;
      try {
        writeCache(dir, file, kind, script.createCachedData());
      } catch {
        // A cache folder that cannot be written only costs speed.
      }
    },
  };
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** Atomically writes the cache, then removes this command's caches of other builds (same Node, same platform). */
function writeCache(dir: string, file: string, kind: string, data: Buffer): void {
  mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
  const prefix = `${process.version}-${process.platform}-${process.arch}-`;
  const suffix = `-${kind}.bin`;
  const own = file.slice(dir.length + 1);
  for (const entry of readdirSync(dir)) {
    if (entry !== own && entry.startsWith(prefix) && entry.endsWith(suffix))
      rmSync(join(dir, entry), { force: true });
  }
}

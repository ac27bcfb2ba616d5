import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, extname, join, relative, resolve } from "node:path";
import type { Ignore } from "ignore";
import { AnalysisCache, CACHE_DIR_NAME, defaultCacheDir } from "../../analysis/cache.js";
import {
  aggregateStats,
  applyFixes,
  type CheckEnvironment,
  compareWithRun,
  countStats,
  explainRule,
  type FileReport,
  type FledgeConfig,
  findRule,
  formatStats,
  loadConfig,
  loadEnvironment,
  type NotebookStats,
  notebookStats,
  RULES,
  runChecks,
  SEVERITY_RANK,
  type Severity,
  sourceLineMap,
  summarize,
  toGithub,
  toJson,
  toPretty,
  toSarif,
  unknownSelectors,
} from "../../analysis/index.js";
import { compareNames } from "../../compare.js";
import { FledgeError } from "../../errors.js";
import { writeFileAtomic } from "../../notebook/fs.js";
import { readNotebookFile, requirePythonKernel } from "../../notebook/load.js";
import type { Notebook } from "../../notebook/types.js";
import { serializeNotebook } from "../../notebook/write.js";
import { analyzeNotebook, initPython } from "../../python/index.js";
import type { NotebookAnalysis } from "../../python/types.js";
import type { CliContext, Command, ParsedArgs } from "../command.js";
import { version } from "../main.js";
import { CheckTimings } from "../timings.js";

const FORMATS = ["pretty", "json", "sarif", "github"] as const;
type Format = (typeof FORMATS)[number];
const SEVERITIES: Severity[] = ["error", "warning", "info"];

/** Folders never searched: tool caches and environments, whatever .gitignore says. */
const ALWAYS_SKIPPED = new Set([
  ".git",
  ".ipynb_checkpoints",
  "node_modules",
  ".venv",
  "venv",
  "__pycache__",
  ".tox",
  ".mypy_cache",
  CACHE_DIR_NAME,
]);

function list(v: ParsedArgs["values"][string]): string[] {
  const items = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return items
    .flatMap((x) => String(x).split(","))
    .map((s) => s.trim())
    .filter(Boolean);
}

/** `ignore` loads when a folder is searched (checking one notebook does not need it). */
let ignoreFactory: (() => Ignore) | undefined;
function ignore(): Ignore {
  if (!ignoreFactory) {
    const mod = createRequire(import.meta.url)("ignore") as { default?: () => Ignore } & (() => Ignore);
    ignoreFactory = mod.default ?? mod;
  }
  return ignoreFactory();
}

/** Notebooks under a folder, recursively, honouring each folder's .gitignore and the config's exclude patterns. */
export function findNotebooks(root: string, exclude: string[] = []): string[] {
  const out: string[] = [];
  const walk = (dir: string, rules: { base: string; ig: Ignore }[]) => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const gitignore = join(dir, ".gitignore");
    const here = [...rules];
    if (existsSync(gitignore)) {
      try {
        here.push({ base: dir, ig: ignore().add(readFileSync(gitignore, "utf8")) });
      } catch {
        // An unreadable .gitignore ignores nothing.
      }
    }
    entries.sort((a, b) => compareNames(a.name, b.name));
    for (const e of entries) {
      const full = join(dir, e.name);
      const isDir = e.isDirectory();
      if (isDir && ALWAYS_SKIPPED.has(e.name)) continue;
      const ignored = here.some(({ base, ig }) => {
        const rel = relative(base, full).split("\\").join("/");
        return rel !== "" && !rel.startsWith("..") && ig.ignores(isDir ? `${rel}/` : rel);
      });
      if (ignored) continue;
      if (isDir) walk(full, here);
      else if (e.isFile() && extname(e.name).toLowerCase() === ".ipynb") out.push(full);
    }
  };
  walk(root, exclude.length > 0 ? [{ base: root, ig: ignore().add(exclude) }] : []);
  return out;
}

interface Settings {
  select?: string[];
  ignore: string[];
  failOn: Severity;
}

function settingsFor(config: FledgeConfig, args: ParsedArgs): Settings {
  const select = list(args.values.select);
  const failOn = (args.values["fail-on"] as string | undefined) ?? config.failOn ?? "warning";
  const s: Settings = {
    ignore: [...(config.ignore ?? []), ...list(args.values.ignore)],
    failOn: failOn as Severity,
  };
  if (select.length > 0) s.select = select;
  else if (config.select) s.select = config.select;
  return s;
}

function backupPath(file: string): string {
  let candidate = `${file}.bak`;
  for (let k = 1; existsSync(candidate); k++) candidate = `${file}.bak${k}`;
  return candidate;
}

function fixedPath(file: string): string {
  const ext = extname(file);
  return join(dirname(file), `${basename(file, ext)}.fixed${ext}`);
}

export const command: Command = {
  name: "check",
  summary: "find hidden state and reproducibility problems (static)",
  usage:
    "check <notebook or folder>… [--format pretty|json|sarif|github] [--select CODES] [--ignore CODES] [--fail-on LEVEL] [--fix [--in-place]] [--stats] [--explain CODE] [--no-cache | --cache-dir DIR]",
  help: [
    [
      "--format FORMAT",
      "pretty (default), json, sarif (GitHub code scanning) or github (workflow annotations)",
    ],
    [
      "--select CODES",
      "report only these rules: codes (FL104), prefixes (FL1), names or categories; comma-separated",
    ],
    ["--ignore CODES", "leave these rules out (same forms as --select)"],
    ["--fail-on LEVEL", "exit 1 when a finding is at or above error, warning (default) or info"],
    [
      "--fix",
      "apply the safe fixes (reorder cells, move imports to the top, clear stale outputs) to <name>.fixed.ipynb",
    ],
    ["--in-place", "with --fix: rewrite the notebook itself, keeping a backup <name>.ipynb.bak"],
    ["--stats", "print statistics over the notebooks (out-of-order counts, predicted failures, secrets, …)"],
    ["--explain CODE", "document a rule, with an example"],
    [
      "--execute",
      "also RUN the notebook top to bottom in a fresh kernel and confirm or refute each predicted",
    ],
    ["", "failure (use before definition, undefined name); this runs your code"],
    [
      "--python PATH",
      "with --execute: the Python (with ipykernel) to run; default $FLEDGE_PYTHON or the kernelspec",
    ],
    ["--cell-timeout SECONDS", "with --execute: limit for each cell (default 600)"],
    ["--no-cache", "analyse every cell afresh; read and write no cache (also: FLEDGE_NO_CACHE=1)"],
    [
      "--cache-dir DIR",
      "keep the per-cell analysis cache in DIR (also: FLEDGE_CACHE_DIR); default: .fledge_cache in",
    ],
    ["", "the project root (nearest folder with pyproject.toml or .git), else the current folder"],
    ["--timings FILE", "write how long each notebook took to check, by phase, as JSON to FILE"],
    [
      "",
      "Settings: [tool.fledge] in the nearest pyproject.toml (select, ignore, fail-on, exclude, cache-dir).",
    ],
    ["", "Suppress: `# fledge: ignore[FL104]` on a line, or the cell tag `fledge:ignore[FL104]`."],
    ["", "Folders are searched recursively for .ipynb files, honouring .gitignore."],
  ],
  examples: [
    "fledge check analysis.ipynb",
    "fledge check notebooks/ --format github --fail-on error",
    "fledge check analysis.ipynb --fix",
    "fledge check --explain FL104",
    "fledge check --stats notebooks/",
    "fledge check analysis.ipynb --execute --python .venv/bin/python",
  ],
  options: {
    format: { type: "string" },
    select: { type: "string", multiple: true },
    ignore: { type: "string", multiple: true },
    "fail-on": { type: "string" },
    fix: { type: "boolean" },
    "in-place": { type: "boolean" },
    stats: { type: "boolean" },
    explain: { type: "string" },
    execute: { type: "boolean" },
    python: { type: "string" },
    "cell-timeout": { type: "string" },
    "no-cache": { type: "boolean" },
    "cache-dir": { type: "string" },
    timings: { type: "string" },
  },
  async run(args, ctx) {
    const explain = args.values.explain as string | undefined;
    if (explain !== undefined) {
      const info = findRule(explain);
      if (!info) {
        throw new FledgeError("E_USAGE", `unknown rule '${explain}'`, {
          hint: `Rules: ${RULES.map((r) => r.code).join(", ")}.`,
        });
      }
      ctx.stdout.write(explainRule(info));
      return 0;
    }
    const format = (args.values.format as string | undefined) ?? "pretty";
    if (!(FORMATS as readonly string[]).includes(format)) {
      throw new FledgeError("E_USAGE", `unknown format '${format}'`, {
        hint: `Choose one of: ${FORMATS.join(", ")}.`,
      });
    }
    const failOnFlag = args.values["fail-on"] as string | undefined;
    if (failOnFlag !== undefined && !SEVERITIES.includes(failOnFlag as Severity)) {
      throw new FledgeError(
        "E_USAGE",
        `--fail-on must be one of ${SEVERITIES.join(", ")}, not '${failOnFlag}'`,
      );
    }
    const unknown = unknownSelectors([...list(args.values.select), ...list(args.values.ignore)]);
    if (unknown.length > 0) {
      throw new FledgeError("E_USAGE", `unknown rule ${unknown.map((u) => `'${u}'`).join(", ")}`, {
        hint: "Use codes (FL104), prefixes (FL1), rule names or categories; see `fledge check --explain CODE`.",
      });
    }
    if (args.values["in-place"] && !args.values.fix) {
      throw new FledgeError("E_USAGE", "--in-place only makes sense with --fix");
    }
    if (
      (args.values.python !== undefined || args.values["cell-timeout"] !== undefined) &&
      !args.values.execute
    ) {
      throw new FledgeError("E_USAGE", "--python and --cell-timeout only make sense with --execute");
    }
    if (args.values.execute && (args.values.fix || args.values.stats)) {
      throw new FledgeError("E_USAGE", "--execute cannot be combined with --fix or --stats");
    }
    if (args.values["no-cache"] && args.values["cache-dir"] !== undefined) {
      throw new FledgeError("E_USAGE", "--cache-dir makes no sense with --no-cache");
    }
    if (args.values["cache-dir"] === "") throw new FledgeError("E_USAGE", "--cache-dir needs a folder");
    if (args.values.timings === "") throw new FledgeError("E_USAGE", "--timings needs a file name");
    if (args.positionals.length === 0) {
      throw new FledgeError("E_USAGE", "no notebook given", {
        hint: "Usage: fledge check <notebook or folder>…",
      });
    }
    return runCheck(args, ctx, format as Format);
  },
};

async function runCheck(args: ParsedArgs, ctx: CliContext, format: Format): Promise<0 | 1 | 2> {
  // Expand the arguments: files as given, folders searched.
  const targets: { file: string; explicit: boolean }[] = [];
  for (const p of args.positionals) {
    const full = resolve(ctx.cwd, p);
    let isDir = false;
    try {
      isDir = statSync(full).isDirectory();
    } catch {
      throw new FledgeError("E_INPUT", "no such file or folder", {
        location: { file: p },
        hint: "Check the path.",
      });
    }
    if (isDir) {
      const config = loadConfig(full);
      for (const f of findNotebooks(full, config.exclude)) targets.push({ file: f, explicit: false });
    } else targets.push({ file: full, explicit: true });
  }
  const single = targets.length === 1 && targets[0]!.explicit;
  const timingsFile = args.values.timings as string | undefined;
  const timer = timingsFile === undefined ? undefined : new CheckTimings();
  const analyze = analyzer(args, ctx, timer);

  const configs = new Map<string, FledgeConfig>();
  const envs = new Map<string, CheckEnvironment>();
  const reports: FileReport[] = [];
  const stats: NotebookStats[] = [];
  let unreadable = 0;
  let countsOnly = 0;
  let failing = false;
  const progress = ctx.stderr.isTTY === true && targets.length > 1;
  const started = Date.now();
  const display = (file: string) => {
    const rel = relative(ctx.cwd, file);
    return rel === "" || rel.startsWith("..") ? file : rel;
  };

  for (const [k, target] of targets.entries()) {
    if (progress && Date.now() - started > 300) {
      ctx.stderr.write(
        `\rchecking ${k + 1}/${targets.length}: ${display(target.file).slice(-50).padEnd(50)}`,
      );
    }
    const dir = dirname(target.file);
    let config = configs.get(dir);
    if (!config) {
      config = loadConfig(dir);
      configs.set(dir, config);
    }
    const settings = settingsFor(config, args);
    const report: FileReport = { path: display(target.file), findings: [] };
    reports.push(report);
    timer?.begin(report.path);
    let nb: Awaited<ReturnType<typeof readNotebookFile>>["notebook"] | undefined;
    try {
      nb = (await readNotebookFile(target.file)).notebook;
      requirePythonKernel(nb, report.path);
    } catch (err) {
      if (args.values.stats && nb && err instanceof FledgeError && err.code === "E_NOT_PYTHON") {
        stats.push(countStats(nb));
        countsOnly++;
        continue;
      }
      if (!(err instanceof FledgeError)) throw err;
      if (single) throw err;
      if (err.code === "E_NOT_PYTHON") {
        // Found while searching: another language's notebook is not an error, just not ours to check.
        report.skipped = err.message;
        continue;
      }
      const loc = err.location;
      report.error = {
        message: err.message,
        ...(err.hint ? { hint: err.hint } : {}),
        ...(loc?.line !== undefined ? { line: loc.line } : {}),
        ...(loc?.column !== undefined ? { column: loc.column } : {}),
      };
      unreadable++;
      continue;
    }
    let env = envs.get(dir);
    if (!env) {
      env = loadEnvironment(target.file, ctx.cwd);
      envs.set(dir, env);
    }
    timer?.lap("read");
    const analysis = await analyze(target.file, nb, config);
    timer?.lap("analysis");
    const result = runChecks(nb, {
      analysis,
      environment: env,
      ...(settings.select ? { select: settings.select } : {}),
      ignore: settings.ignore,
    });
    timer?.lap("checks");
    report.findings = result.findings;
    report.sources = nb.cells.map((c) => c.source);
    if (args.values.stats) {
      // Statistics count every rule, whatever --select says.
      stats.push(
        notebookStats(
          settings.select || settings.ignore.length > 0
            ? runChecks(nb, { environment: env, analysis: await analyze(target.file, nb, config) })
            : result,
        ),
      );
      continue;
    }
    if ((format === "sarif" || format === "github") && extname(target.file).toLowerCase() === ".ipynb") {
      try {
        report.lines = sourceLineMap(readFileSync(target.file, "utf8"));
      } catch {
        // Positions fall back to line 1 of the file.
      }
    }
    if (result.findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[settings.failOn]))
      failing = true;
    if (args.values.execute) {
      report.execution = await executeOne(target.file, nb, result.findings, args, ctx, display);
    }
    if (args.values.fix) {
      // The fixed notebook's cells mostly hit the original's entries; it is not the file's content: not stored.
      const analyzeFixed = (fixed: Notebook) => analyze(target.file, fixed, config, false);
      report.fixes = await fixOne(
        target.file,
        nb,
        result,
        Boolean(args.values["in-place"]),
        display,
        env,
        analyzeFixed,
      );
    }
  }
  if (progress) ctx.stderr.write(`\r${" ".repeat(70)}\r`);
  const cacheNote = analyze.writeError();
  if (cacheNote) ctx.stderr.write(`${cacheNote}\n`);
  analyze.prune();
  if (timer && timingsFile !== undefined) {
    await writeFileAtomic(resolve(ctx.cwd, timingsFile), `${JSON.stringify(timer.report(), null, 1)}\n`);
  }

  if (args.values.stats) {
    ctx.stdout.write(formatStats(aggregateStats(stats, unreadable, countsOnly)));
    return 0;
  }
  if (format === "json") ctx.stdout.write(toJson(reports, version()));
  else if (format === "sarif") ctx.stdout.write(toSarif(reports, version()));
  else if (format === "github") {
    ctx.stdout.write(toGithub(reports));
    const s = summarize(reports);
    ctx.stderr.write(`fledge check: ${s.findings} findings in ${s.files} notebooks\n`);
  } else ctx.stdout.write(toPretty(reports, { color: ctx.color, table: targets.length > 1 }));
  if (unreadable > 0) return 2;
  return failing ? 1 : 0;
}

type Analyze = ((
  file: string,
  nb: Notebook,
  config: FledgeConfig,
  store?: boolean,
) => Promise<NotebookAnalysis>) & {
  /** The one note to print when the cache could not be written (the check itself went on). */
  writeError(): string | undefined;
  /** Housekeeping of the cache folders this run used (analysis/cache.ts `prune`: at most daily). */
  prune(): void;
};

/**
 * The analysis of each notebook, through the per-cell cache (analysis/cache.ts) unless --no-cache or
 * FLEDGE_NO_CACHE. The grammar loads only when some cell is not in the cache.
 */
function analyzer(args: ParsedArgs, ctx: CliContext, timer?: CheckTimings): Analyze {
  const off = ctx.env.FLEDGE_NO_CACHE;
  const disabled = Boolean(args.values["no-cache"]) || (off !== undefined && !/^(?:|0|false|no)$/i.test(off));
  const flagDir = (args.values["cache-dir"] as string | undefined) ?? (ctx.env.FLEDGE_CACHE_DIR || undefined);
  const fixedDir = flagDir === undefined ? undefined : resolve(ctx.cwd, flagDir);
  const cache = disabled ? undefined : new AnalysisCache();
  const dirs = new Map<string, string>();
  const used = new Set<string>();
  let ready: Promise<void> | undefined;
  const python = () => {
    ready ??= timer ? timer.timeGrammar(initPython) : initPython();
    return ready;
  };
  const analyze = async (file: string, nb: Notebook, config: FledgeConfig, store = true) => {
    if (!cache) {
      await python();
      return analyzeNotebook(nb);
    }
    let dir = fixedDir ?? config.cacheDir ?? dirs.get(dirname(file));
    if (dir === undefined) {
      dir = defaultCacheDir(file, ctx.cwd);
      dirs.set(dirname(file), dir);
    }
    used.add(dir);
    const found = cache.lookup(dir, file, nb, { store });
    if (found.misses > 0) await python();
    return found.finish();
  };
  return Object.assign(analyze, {
    writeError: () => {
      const e = cache?.writeError;
      if (!e) return undefined;
      return `fledge check: note: cannot write the analysis cache in ${e.dir} (${e.message}); checked without storing it (--no-cache turns the cache off, --cache-dir moves it)`;
    },
    prune: () => {
      if (cache && !cache.writeError) for (const dir of used) cache.prune(dir);
    },
  });
}

/** Run the notebook top to bottom in a fresh kernel and mark each predicted failure confirmed/refuted. */
async function executeOne(
  file: string,
  nb: Parameters<typeof applyFixes>[0],
  findings: Parameters<typeof compareWithRun>[0],
  args: ParsedArgs,
  ctx: CliContext,
  display: (f: string) => string,
): Promise<string> {
  const raw = args.values["cell-timeout"];
  const seconds = raw === undefined ? 600 : Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new FledgeError("E_USAGE", `--cell-timeout must be a positive number of seconds, not '${raw}'`);
  }
  // Loaded only here: plain `check` never starts a process or loads ZeroMQ.
  const { kernelRequestFor, runNotebook } = await import("../../kernel/runner.js");
  const { resolveKernel } = await import("../../kernel/kernelspec.js");
  const spec = resolveKernel({
    ...kernelRequestFor(nb),
    python: typeof args.values.python === "string" ? args.values.python : undefined,
    env: ctx.env,
    cwd: ctx.cwd,
  });
  ctx.stderr.write(
    `fledge check --execute: running the code of ${display(file)} top to bottom in a fresh kernel ` +
      `(${spec.interpreter ?? spec.displayName})\n`,
  );
  const run = await runNotebook(nb, {
    kernelSpec: spec,
    cwd: dirname(file),
    env: ctx.env,
    cellTimeoutMs: seconds * 1000,
    signal: ctx.signal,
  });
  const s = compareWithRun(findings, {
    status: run.status,
    failedCell: run.failedCell,
    error: run.failure?.error,
    completed: run.cells.filter((c) => c.result.status === "ok").map((c) => c.cell),
  });
  const err = run.failure?.error;
  const how =
    run.status === "ok"
      ? "ran to the end without error"
      : `stopped at cell ${(run.failedCell ?? 0) + 1}: ${err ? `${err.ename}: ${err.evalue}` : run.status}`;
  const missed = s.missed ? `; its NameError for \`${s.missed.name}\` was not predicted` : "";
  return `${how}; predicted failures: ${s.confirmed} confirmed, ${s.refuted} refuted, ${s.notReached} not reached${missed}`;
}

async function fixOne(
  file: string,
  nb: Parameters<typeof applyFixes>[0],
  result: Parameters<typeof applyFixes>[1],
  inPlace: boolean,
  display: (f: string) => string,
  env: CheckEnvironment,
  analyze: (nb: Notebook) => Promise<NotebookAnalysis>,
): Promise<NonNullable<FileReport["fixes"]>> {
  const fixed = applyFixes(nb, result);
  const out: NonNullable<FileReport["fixes"]> = { applied: fixed.applied, suggested: fixed.suggested };
  if (!fixed.changed) return out;
  if (extname(file).toLowerCase() !== ".ipynb") {
    out.suggested.push("fixes are only written for .ipynb files; convert with `fledge sync` first");
    out.applied = [];
    return out;
  }
  const target = inPlace ? file : fixedPath(file);
  if (!inPlace && existsSync(target)) {
    out.suggested.push(`${display(target)} already exists: not overwritten (delete it, or use --in-place)`);
    out.applied = [];
    return out;
  }
  if (inPlace) {
    const backup = backupPath(file);
    await writeFileAtomic(backup, readFileSync(file));
    out.applied.push(`kept the original as ${display(backup)}`);
  }
  await writeFileAtomic(target, serializeNotebook(fixed.notebook));
  out.written = display(target);
  // Say what is left, from the file as written.
  const after = runChecks(fixed.notebook, {
    environment: env,
    analysis: await analyze(fixed.notebook),
  }).findings;
  const errors = after.filter((f) => f.severity === "error").length;
  out.applied.push(`after the fixes ${after.length} findings remain (${errors} errors)`);
  return out;
}

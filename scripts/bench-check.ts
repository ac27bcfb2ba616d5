/**
 * Benchmark of `fledge check` over a folder of notebooks (default: the shared corpus).
 *
 *   npm run bench:check -- [folder] [--processes N] [--dist | --dist-dir DIR] [--json] [--cache]
 *
 * By default the TypeScript sources run (through tsx); --dist runs the built library (dist/, what users run),
 * --dist-dir another build (to compare two versions on the same machine in the same minute).
 *
 * What a user sees: `fledge check <folder>` starts one Node process and checks the notebooks one after the other,
 * each once. So each measured run is a FRESH process (N of them, default 3) that:
 * - loads the Python grammar (initPython, timed on its own: a one-off cost of the process);
 * - checks every notebook once, in folder order, exactly as the CLI does (read the file and, once per folder, the
 *   environment; analyse, dataflow graph, rules — the CLI runs the same three phases inside runChecks) — the
 *   "single pass" figures. The JIT and WebAssembly
 *   tiers are cold for the first notebooks, and that cost is in these figures, not hidden by a warm-up;
 * - then checks every notebook a second time in the same process — the "warm" figures (what notebooks late in a
 *   long folder run cost, and what the code costs once compiled).
 * Per notebook and phase, the median over the N processes is taken; p50/p99/max are over notebooks. The target is
 * p99 < 30 ms per notebook for the single pass.
 *
 * Three clocks, because the machine is shared: wall time; the main thread's own CPU time (see threadCpu: what
 * the check itself costs, without the time the thread waited for a core on a loaded machine and without the
 * background compiler/GC threads — close to the wall time on an idle machine with a spare core); and the whole
 * process's CPU time (process.cpuUsage, which adds those background threads: all the work done, the JIT
 * compiling our code and WebAssembly included). The load average is printed.
 *
 * --cache: what `fledge check` costs with a warm per-cell analysis cache (src/analysis/cache.ts; pre-commit, CI
 * with a restored cache, a re-run after editing one cell). A priming process first checks the folder through
 * the cache (an empty cache in a temporary folder: every cell misses and is stored; its figures are printed as
 * one line), then the N measured fresh processes check it through the now warm cache exactly as the CLI does:
 * the "analysis" phase is the cache lookup plus the analysis of any cell that missed, and the grammar is loaded
 * (initPython, timed inside the first notebook that needs it) only when some cell misses — the report says in
 * how many processes that happened.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type * as CacheLib from "../src/analysis/cache.js";
import type * as AnalysisLib from "../src/analysis/index.js";
import type * as CheckCommand from "../src/cli/commands/check.js";
import type * as GraphLib from "../src/graph/dataflow.js";
import type * as NotebookLib from "../src/notebook/index.js";
import type * as PythonLib from "../src/python/index.js";
import { corpusDir, ROOT } from "../test/helpers/env.js";

const PHASES = ["read", "analysis", "graph", "rules"] as const;
type Phase = (typeof PHASES)[number];
/** One notebook in one pass: per phase [wall ms, main-thread CPU ms, process CPU ms]. */
type Timing = Record<Phase, [number, number, number]>;

interface WorkerResult {
  files: string[];
  /** --cache: cells found in the cache and analysed afresh (the single pass), and whether the grammar loaded. */
  cache?: { hits: number; misses: number; grammarLoaded: boolean };
  skipped: number;
  /** initPython: wall and main-thread CPU. */
  init: [number, number];
  single: (Timing | null)[];
  warm: (Timing | null)[];
  findings: number;
}

const TASKS = `/proc/self/task`;
let hasProc = process.platform === "linux";
/**
 * CPU time of the main thread in ms: the process's CPU time (precise) minus that of its other threads (V8's
 * compiler and GC helpers, libuv's pool), read from /proc/self/task/<tid>/schedstat. A helper thread's counter is
 * brought up to date whenever it sleeps, which such threads do after each short job; the main thread's own
 * counter would only be as fine as the scheduler tick (4 ms), hence the subtraction. Elsewhere than Linux: the
 * process's CPU time.
 */
function threadCpu(): number {
  const total = processCpu();
  if (!hasProc) return total;
  try {
    let others = 0;
    for (const tid of readdirSync(TASKS)) {
      if (tid === String(process.pid)) continue;
      try {
        others += Number(readFileSync(`${TASKS}/${tid}/schedstat`, "latin1").split(" ", 1)[0]) / 1e6;
      } catch {
        // The thread ended between the listing and the read: its time is no longer counted by the process either.
      }
    }
    return total - others;
  } catch {
    hasProc = false;
    return total;
  }
}
function processCpu(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}

async function worker(folder: string, dist: string | undefined, cacheDir?: string): Promise<void> {
  const lib = async <T>(path: string): Promise<T> =>
    (await import(
      dist ? pathToFileURL(join(dist, `${path}.js`)).href : new URL(`../src/${path}.js`, import.meta.url).href
    )) as T;
  const { checkNotebook, loadEnvironment } = await lib<typeof AnalysisLib>("analysis/index");
  const { buildDataflow } = await lib<typeof GraphLib>("graph/dataflow");
  const { readNotebookFile, requirePythonKernel } = await lib<typeof NotebookLib>("notebook/index");
  const { analyzeNotebook, initPython } = await lib<typeof PythonLib>("python/index");

  // The CLI's own walk, so the notebooks come in the order `fledge check <folder>` checks them (its order decides
  // which notebooks meet the cold JIT and WebAssembly tiers).
  const { findNotebooks } = await lib<typeof CheckCommand>("cli/commands/check");
  const files = findNotebooks(resolve(folder));
  const cacheLib = cacheDir ? await lib<typeof CacheLib>("analysis/cache") : undefined;
  const cache = cacheLib ? new cacheLib.AnalysisCache() : undefined;
  const cacheCount = { hits: 0, misses: 0, grammarLoaded: false };
  let init: [number, number] = [0, 0];
  const loadGrammar = async () => {
    const w = performance.now();
    const t = threadCpu();
    await initPython();
    init = [performance.now() - w, threadCpu() - t];
  };
  if (!cache) await loadGrammar();

  let skipped = 0;
  let findings = 0;
  const pass = async (): Promise<(Timing | null)[]> => {
    const out: (Timing | null)[] = [];
    const environments = new Map<string, ReturnType<typeof loadEnvironment>>();
    findings = 0;
    skipped = 0;
    for (const file of files) {
      const timing = {} as Timing;
      const clock = () => [performance.now(), threadCpu(), processCpu()] as const;
      const lap = (phase: Phase, since: readonly [number, number, number]) => {
        const now = clock();
        timing[phase] = [now[0] - since[0], now[1] - since[1], now[2] - since[2]];
        return now;
      };
      let at = clock();
      let nb: Awaited<ReturnType<typeof readNotebookFile>>["notebook"];
      try {
        nb = (await readNotebookFile(file)).notebook;
        requirePythonKernel(nb);
      } catch {
        skipped++;
        out.push(null);
        continue;
      }
      // As the CLI does: the folder's environment (requirement files, local modules) is read once per folder.
      let environment = environments.get(dirname(file));
      if (!environment) {
        environment = loadEnvironment(file);
        environments.set(dirname(file), environment);
      }
      at = lap("read", at);
      let analysis: ReturnType<typeof analyzeNotebook>;
      if (cache && cacheDir) {
        // As the CLI does with its cache: look the cells up; load the grammar only when one misses.
        const found = cache.lookup(cacheDir, file, nb);
        cacheCount.hits += found.hits;
        cacheCount.misses += found.misses;
        if (found.misses > 0 && !cacheCount.grammarLoaded) {
          cacheCount.grammarLoaded = true;
          await loadGrammar();
        }
        analysis = found.finish();
      } else analysis = analyzeNotebook(nb);
      at = lap("analysis", at);
      const graph = buildDataflow(analysis);
      at = lap("graph", at);
      findings += checkNotebook(nb, { analysis, graph, environment }).length;
      lap("rules", at);
      out.push(timing);
    }
    return out;
  };
  const single = await pass();
  const singleCache = { ...cacheCount };
  const warm = await pass();
  const result: WorkerResult = {
    ...(cache ? { cache: singleCache } : {}),
    files: files.map((f) => relative(resolve(folder), f)),
    skipped,
    init,
    single,
    warm,
    findings,
  };
  process.stdout.write(JSON.stringify(result));
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? 0;
};

type Clock = 0 | 1 | 2;
const CLOCKS: [Clock, string][] = [
  [0, "wall"],
  [1, "main-thread CPU"],
  [2, "process CPU"],
];

/** Per notebook, the median over processes of one phase (or the sum of the check phases) on one clock. */
function perNotebook(runs: WorkerResult[], which: "single" | "warm", phase: Phase | "check", clock: Clock) {
  const n = runs[0]!.files.length;
  const out: { file: string; ms: number }[] = [];
  for (let i = 0; i < n; i++) {
    const xs: number[] = [];
    for (const r of runs) {
      const t = r[which][i];
      if (!t) continue;
      xs.push(phase === "check" ? t.analysis[clock] + t.graph[clock] + t.rules[clock] : t[phase][clock]);
    }
    if (xs.length > 0) out.push({ file: runs[0]!.files[i]!, ms: median(xs) });
  }
  return out;
}

/** The sum over notebooks of one process's single-pass check time (analysis + graph + rules) on one clock. */
function sumCheck(r: WorkerResult, clock: Clock): number {
  return r.single.reduce((s, t) => s + (t ? t.analysis[clock] + t.graph[clock] + t.rules[clock] : 0), 0);
}

async function main() {
  const args = process.argv.slice(2);
  const flagValue = (flag: string) => {
    const at = args.indexOf(flag);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const folder =
    args.find(
      (a, i) =>
        !a.startsWith("--") &&
        args[i - 1] !== "--processes" &&
        args[i - 1] !== "--dist-dir" &&
        args[i - 1] !== "--cache-dir",
    ) ?? corpusDir();
  if (!folder) {
    console.error("No folder given and no shared corpus found: npm run bench:check -- <folder>");
    process.exit(2);
  }
  const distDir = flagValue("--dist-dir");
  const dist = distDir ? resolve(distDir) : args.includes("--dist") ? join(ROOT, "dist") : undefined;
  if (args.includes("--worker")) return worker(folder, dist, flagValue("--cache-dir"));
  const processes = Number(flagValue("--processes") ?? 3);
  const cacheDir = args.includes("--cache") ? mkdtempSync(join(tmpdir(), "fledge-bench-cache-")) : undefined;
  const loadBefore = loadavg();
  const self = fileURLToPath(import.meta.url);
  const spawnWorker = (): WorkerResult => {
    const res = spawnSync(
      process.execPath,
      [
        ...process.execArgv,
        self,
        folder,
        "--worker",
        ...(dist ? ["--dist-dir", dist] : []),
        ...(cacheDir ? ["--cache-dir", cacheDir] : []),
      ],
      { encoding: "utf8", maxBuffer: 1 << 28 },
    );
    if (res.status !== 0) throw new Error(`worker failed: ${res.stderr}`);
    return JSON.parse(res.stdout) as WorkerResult;
  };
  // --cache: one priming process fills the empty cache; the measured processes then find it warm.
  const priming = cacheDir ? spawnWorker() : undefined;
  const runs: WorkerResult[] = [];
  try {
    for (let k = 0; k < processes; k++) runs.push(spawnWorker());
  } finally {
    if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
  }
  const loadAfter = loadavg();
  const r0 = runs[0]!;
  const checked = r0.single.filter(Boolean).length;

  const summary = {
    processes,
    code: dist ? relative(ROOT, dist) || dist : "src/ (tsx)",
    notebooks: checked,
    skipped: r0.skipped,
    findings: r0.findings,
    loadAverage: { before: loadBefore.map((x) => +x.toFixed(2)), after: loadAfter.map((x) => +x.toFixed(2)) },
    initMs: { wall: median(runs.map((r) => r.init[0])), thread: median(runs.map((r) => r.init[1])) },
    passes: {} as Record<
      string,
      Record<string, Record<string, { p50: number; p99: number; max: number; sum: number }>>
    >,
    slowest: {} as Record<string, { file: string; ms: number }[]>,
    firstNotebook: {} as Record<string, number>,
    ...(priming
      ? {
          cache: {
            priming: {
              ...priming.cache!,
              checkMs: { wall: sumCheck(priming, 0), thread: sumCheck(priming, 1) },
            },
            measured: runs.map((r) => r.cache!),
          },
        }
      : {}),
  };
  for (const which of ["single", "warm"] as const) {
    const byPhase: (typeof summary.passes)[string] = {};
    for (const phase of [...PHASES, "check"] as const) {
      byPhase[phase] = {};
      for (const [clock, name] of CLOCKS) {
        const xs = perNotebook(runs, which, phase, clock).map((x) => x.ms);
        byPhase[phase]![name] = {
          p50: median(xs),
          p99: pct(xs, 99),
          max: Math.max(...xs),
          sum: xs.reduce((s, x) => s + x, 0),
        };
      }
    }
    summary.passes[which] = byPhase;
    summary.slowest[which] = perNotebook(runs, which, "check", 1)
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 5);
  }
  for (const [clock, name] of CLOCKS)
    summary.firstNotebook[name] = perNotebook(runs, "single", "check", clock)[0]!.ms;

  if (args.includes("--json")) {
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }
  const f = (x: number) => x.toFixed(2).padStart(7);
  const grammarLine = summary.cache
    ? `grammar load (initPython): needed in ${summary.cache.measured.filter((c) => c.grammarLoaded).length} of ${processes} measured processes` +
      ` (cells from the cache in the single pass: ${summary.cache.measured.map((c) => `${c.hits} hits, ${c.misses} misses`).join("; ")})`
    : `grammar load (initPython, once per process): wall ${summary.initMs.wall.toFixed(1)} ms, main-thread CPU ${summary.initMs.thread.toFixed(1)} ms`;
  const out: string[] = [
    `fledge check benchmark: ${checked} notebooks (${summary.skipped} skipped: unreadable or not Python), ${summary.findings} findings; ` +
      `${processes} fresh processes, ${summary.code}; per notebook the median over the processes`,
    `load average before ${summary.loadAverage.before.join(" ")}, after ${summary.loadAverage.after.join(" ")} (2 cores: under load wall time is inflated most; CPU times too, less)`,
    grammarLine,
  ];
  if (summary.cache) {
    const p = summary.cache.priming;
    out.splice(
      2,
      0,
      `--cache: a priming process filled an empty cache (${p.hits} hits, ${p.misses} misses, grammar loaded: ${p.grammarLoaded}; ` +
        `its single pass: check sum wall ${p.checkMs.wall.toFixed(0)} ms, main-thread CPU ${p.checkMs.thread.toFixed(0)} ms, storing included); ` +
        "below, the measured processes with the warm cache (analysis = cache lookup + analysis of any miss)",
    );
  }
  for (const [which, title] of [
    ["single", "single pass (what `fledge check <folder>` does: each notebook once, in a fresh process)"],
    ["warm", "warm (the same notebooks again, same process)"],
  ] as const) {
    out.push(`${title}:`);
    for (const [, clock] of CLOCKS) {
      out.push(`  ${clock}:`);
      for (const phase of [...PHASES, "check"] as const) {
        const s = summary.passes[which]![phase]![clock]!;
        const label = phase === "check" ? "check = analysis+graph+rules" : phase;
        out.push(
          `    ${label.padEnd(30)} p50 ${f(s.p50)} ms   p99 ${f(s.p99)} ms   max ${f(s.max)} ms   sum ${s.sum.toFixed(0).padStart(6)} ms`,
        );
      }
    }
    out.push("  slowest (check, main-thread CPU):");
    for (const s of summary.slowest[which]!) out.push(`    ${s.ms.toFixed(1).padStart(7)} ms  ${s.file}`);
  }
  out.push(
    `first notebook of the single pass (${r0.files[0]}): check wall ${summary.firstNotebook.wall!.toFixed(1)} ms, ` +
      `main-thread CPU ${summary.firstNotebook["main-thread CPU"]!.toFixed(1)} ms`,
  );
  for (const [, clock] of CLOCKS.slice(0, 2)) {
    const p99 = summary.passes.single!.check![clock]!.p99;
    out.push(
      `single pass p99 (${clock}): ${p99.toFixed(1)} ms — ${p99 < 30 ? "under" : "OVER"} the 30 ms target`,
    );
  }
  console.log(out.join("\n"));
}

main().catch((err) => {
  process.stderr.write(`bench:check failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});

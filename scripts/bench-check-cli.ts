/**
 * `fledge check <folder>` measured as users run it: `node bin/fledge.js check --no-cache --timings FILE <folder>`
 * in fresh processes — the bundled CLI, its V8 code cache, the command's own loop — with the per-notebook phase
 * times the CLI itself records (src/cli/timings.ts). Where bench:check replays the CLI's loop in a worker (and
 * adds a warm second pass and main-thread CPU), this one has nothing of its own in the measured process.
 *
 *   npm run bench:check-cli -- [folder] [--processes N] [--variants cached,compiled,modules] [--json]
 *                              [--node-flags "--flag …"]   (V8/Node flags for the measured processes, to try some)
 *                              [--analysis-cache]          (through a warm per-cell analysis cache, as a re-check
 *                                                           is: a priming run fills it; default --no-cache)
 *
 * Variants, run in turn in each round so that they share the machine's load:
 * - cached: bin/fledge.js with a code cache made by an earlier run (what every run after the first one gets);
 * - compiled: bin/fledge.js with FLEDGE_NO_COMPILE_CACHE=1 (the bundle compiled afresh: a first run);
 * - modules: dist/cli/main.js imported as ES modules (how the CLI ran before the bundle).
 *
 * Per notebook, "check" is analysis + checks (dataflow graph and rules): the notebook's own cost once the
 * process and the grammar are loaded; "read+check" adds reading the file (JSON parse and validation, the folder's
 * configuration and environment on its first notebook). The grammar's one-off load (inside the first notebook's analysis) is
 * taken out of it and reported apart, as bench:check does. Per notebook the median over processes is taken;
 * p50/p99/max are over notebooks (p99 of 122 notebooks is the second largest). Two clocks: wall, and the
 * process's CPU time (every thread: the JIT and GC helpers included, so it is above main-thread CPU).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import type { CheckTimingsReport } from "../src/cli/timings.js";
import { corpusDir, ROOT } from "../test/helpers/env.js";

type Variant = "cached" | "compiled" | "modules";
const VARIANTS: Variant[] = ["cached", "compiled", "modules"];

interface Run {
  /** Whole process, from spawn to exit (ms). */
  processMs: number;
  report: CheckTimingsReport;
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

function runOnce(
  variant: Variant,
  folder: string,
  work: string,
  compileCache: string,
  nodeFlags: string[],
  analysisCache: string | undefined,
): Run {
  const timings = join(work, `timings-${variant}.json`);
  const cacheArgs = analysisCache ? ["--cache-dir", analysisCache] : ["--no-cache"];
  const args = ["check", ...cacheArgs, "--format", "json", "--timings", timings, folder];
  const main = pathToFileURL(join(ROOT, "dist", "cli", "main.js")).href;
  const argv =
    variant === "modules"
      ? [
          "--input-type=module",
          "-e",
          `import { main } from ${JSON.stringify(main)}; process.exitCode = await main(process.argv.slice(1));`,
          ...args,
        ]
      : [join(ROOT, "bin", "fledge.js"), ...args];
  const env = {
    ...process.env,
    FLEDGE_COMPILE_CACHE_DIR: compileCache,
    ...(variant === "compiled" ? { FLEDGE_NO_COMPILE_CACHE: "1" } : {}),
  };
  const started = performance.now();
  const res = spawnSync(process.execPath, [...nodeFlags, ...argv], {
    env,
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  const processMs = performance.now() - started;
  if (res.status !== 0 && res.status !== 1)
    throw new Error(`fledge check failed (${res.status}): ${res.stderr}`);
  return { processMs, report: JSON.parse(readFileSync(timings, "utf8")) as CheckTimingsReport };
}

/**
 * Per notebook, the median over runs of analysis + checks (minus the grammar's load) on one clock; with `read`,
 * the file's read too (all the notebook costs the CLI).
 */
function perNotebook(runs: Run[], clock: "wallMs" | "cpuMs", read = false): { path: string; ms: number }[] {
  const byPath = new Map<string, number[]>();
  for (const { report } of runs) {
    for (const n of report.notebooks) {
      if (!n.analysis || !n.checks) continue;
      let ms = n.analysis[clock] + n.checks[clock] + (read && n.read ? n.read[clock] : 0);
      if (report.grammar && report.grammar.path === n.path) ms -= report.grammar[clock];
      const xs = byPath.get(n.path) ?? [];
      xs.push(ms);
      byPath.set(n.path, xs);
    }
  }
  return [...byPath].map(([path, xs]) => ({ path, ms: median(xs) }));
}

function main(): void {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const folder = args.find((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--")) ?? corpusDir();
  if (!folder) {
    console.error("No folder given and no shared corpus found: npm run bench:check-cli -- <folder>");
    process.exit(2);
  }
  const processes = Number(flag("--processes") ?? 3);
  const nodeFlags = flag("--node-flags")?.split(" ").filter(Boolean) ?? [];
  const withCache = args.includes("--analysis-cache");
  const variants = (flag("--variants")?.split(",") ?? VARIANTS) as Variant[];
  for (const v of variants) if (!VARIANTS.includes(v)) throw new Error(`unknown variant ${v}`);

  const work = mkdtempSync(join(tmpdir(), "fledge-bench-cli-"));
  const compileCache = join(work, "v8");
  const analysisCache = withCache ? join(work, "analysis") : undefined;
  const loadBefore = loadavg();
  const runs = new Map<Variant, Run[]>(variants.map((v) => [v, []]));
  try {
    // Makes the code cache the "cached" runs find (a first run writes it), and fills the analysis cache.
    if (variants.includes("cached") || analysisCache) {
      runOnce("cached", folder, work, compileCache, nodeFlags, analysisCache);
    }
    for (let k = 0; k < processes; k++) {
      for (const v of variants)
        runs.get(v)!.push(runOnce(v, folder, work, compileCache, nodeFlags, analysisCache));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const loadAfter = loadavg();

  const summary: Record<string, unknown> = {
    folder,
    processes,
    nodeFlags,
    analysisCache: withCache,
    loadAverage: { before: loadBefore.map((x) => +x.toFixed(2)), after: loadAfter.map((x) => +x.toFixed(2)) },
  };
  const lines: string[] = [];
  for (const v of variants) {
    const rs = runs.get(v)!;
    const out: Record<string, unknown> = {
      processMs: median(rs.map((r) => r.processMs)),
      grammar: {
        wallMs: median(rs.map((r) => r.report.grammar?.wallMs ?? 0)),
        cpuMs: median(rs.map((r) => r.report.grammar?.cpuMs ?? 0)),
      },
    };
    lines.push(
      `${v}: whole process ${(out.processMs as number).toFixed(0)} ms (median of ${rs.length}); grammar load ${(out.grammar as { wallMs: number }).wallMs.toFixed(1)} ms wall`,
    );
    for (const [what, read] of [
      ["check", false],
      ["read+check", true],
    ] as const) {
      for (const clock of ["wallMs", "cpuMs"] as const) {
        const per = perNotebook(rs, clock, read);
        const xs = per.map((p) => p.ms);
        const first = per[0];
        const stats = {
          notebooks: xs.length,
          p50: median(xs),
          p99: pct(xs, 99),
          max: Math.max(...xs),
          sum: xs.reduce((s, x) => s + x, 0),
          first: first ? { path: first.path, ms: first.ms } : undefined,
          slowest: [...per].sort((a, b) => b.ms - a.ms).slice(0, 3),
        };
        out[`${what} ${clock}`] = stats;
        const name = clock === "wallMs" ? "wall" : "process CPU";
        lines.push(
          `  ${what.padEnd(10)} per notebook, ${name.padEnd(11)} p50 ${stats.p50.toFixed(2).padStart(6)} ms  p99 ${stats.p99.toFixed(2).padStart(6)} ms  max ${stats.max.toFixed(2).padStart(6)} ms  sum ${stats.sum.toFixed(0).padStart(5)} ms  first ${first ? first.ms.toFixed(1) : "-"} ms`,
        );
        for (const s of stats.slowest)
          lines.push(`      ${s.ms.toFixed(1).padStart(6)} ms  ${relative(folder, s.path) || s.path}`);
      }
    }
    summary[v] = out;
  }
  if (args.includes("--json")) {
    process.stdout.write(`${JSON.stringify(summary, null, 1)}\n`);
    return;
  }
  console.log(
    `fledge check ${withCache ? "with a warm analysis cache" : "--no-cache"} over ${folder}: ${processes} fresh processes per variant; load average ${loadBefore[0]!.toFixed(2)} -> ${loadAfter[0]!.toFixed(2)}`,
  );
  for (const l of lines) console.log(l);
}

main();

/**
 * npm run bench:map -- <dir> [--runs N] [--no-svg]
 *
 * Maps every notebook under <dir> (read → analyse → dataflow → steps → text), N runs (default 3), and prints
 * the median total time; then renders each notebook's SVG and prints p50/p99 per notebook. It also checks the
 * map invariants (checkWorkflowMap) on every notebook and lists the violations. Targets (issue 5): the whole
 * corpus mapped in under 3 s; SVG under 200 ms per notebook.
 */
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { performance } from "node:perf_hooks";
import { FledgeError } from "../src/errors.js";
import { buildDataflow } from "../src/graph/dataflow.js";
import { buildWorkflowMap, checkWorkflowMap } from "../src/graph/steps.js";
import { readNotebookFile, requirePythonKernel } from "../src/notebook/index.js";
import type { Notebook } from "../src/notebook/types.js";
import { analyzeNotebook, initPython } from "../src/python/index.js";
import { dotToSvg, renderSvg } from "../src/render/svg.js";
import { renderText } from "../src/render/text.js";

function notebooks(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...notebooks(p));
    else if (name.endsWith(".ipynb")) out.push(p);
  }
  return out;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
};
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

async function main() {
  const args = process.argv.slice(2);
  const dir = args.find((a) => !a.startsWith("--"));
  if (!dir) {
    console.error("usage: npm run bench:map -- <dir> [--runs N] [--no-svg]");
    process.exit(2);
  }
  const runsAt = args.indexOf("--runs");
  const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 3;
  const files = notebooks(dir);
  const t0 = performance.now();
  await initPython();
  const initMs = performance.now() - t0;

  // Read once up front for the skip list; the timed runs read the files again.
  const usable: { file: string; nb: Notebook }[] = [];
  const skipped: string[] = [];
  for (const file of files) {
    try {
      const nb = (await readNotebookFile(file)).notebook;
      requirePythonKernel(nb, file);
      usable.push({ file, nb });
    } catch (err) {
      if (!(err instanceof FledgeError)) throw err;
      skipped.push(`${relative(dir, file)}: ${err.code} ${err.message.split("\n")[0]}`);
    }
  }

  // Invariants and counts, outside the timed runs.
  let steps = 0;
  const violations: string[] = [];
  const strategies = new Map<string, number>();
  for (const { file, nb } of usable) {
    const analysis = analyzeNotebook(nb, { shapes: true });
    const map = buildWorkflowMap(nb, analysis, buildDataflow(analysis));
    steps += map.steps.length;
    strategies.set(map.strategy.kind, (strategies.get(map.strategy.kind) ?? 0) + 1);
    for (const p of checkWorkflowMap(nb, analysis, map)) violations.push(`${relative(dir, file)}: ${p}`);
  }

  // Timed runs: read → analyse → dataflow → steps → text, per stage.
  const totals: number[] = [];
  // CPU time (user + system) of this single-threaded process: the wall time on a loaded machine overstates it.
  const cpuTotals: number[] = [];
  const stages = {
    read: [] as number[],
    analyze: [] as number[],
    dataflow: [] as number[],
    steps: [] as number[],
    text: [] as number[],
  };
  for (let r = 0; r < runs; r++) {
    const t = { read: 0, analyze: 0, dataflow: 0, steps: 0, text: 0 };
    const start = performance.now();
    const cpu0 = process.cpuUsage();
    for (const { file } of usable) {
      // Stage times are CPU times (user + system), so they do not depend on the machine's load.
      const cpuNow = () => {
        const u = process.cpuUsage();
        return (u.user + u.system) / 1000;
      };
      let mark = cpuNow();
      const lap = (k: keyof typeof t) => {
        const now = cpuNow();
        t[k] += now - mark;
        mark = now;
      };
      const nb = (await readNotebookFile(file)).notebook;
      lap("read");
      const analysis = analyzeNotebook(nb, { shapes: true });
      lap("analyze");
      const graph = buildDataflow(analysis);
      lap("dataflow");
      const map = buildWorkflowMap(nb, analysis, graph);
      lap("steps");
      renderText({ title: file, nb, analysis, map });
      lap("text");
    }
    totals.push(performance.now() - start);
    const cpu = process.cpuUsage(cpu0);
    cpuTotals.push((cpu.user + cpu.system) / 1000);
    for (const k of Object.keys(t) as (keyof typeof t)[]) stages[k].push(t[k]);
  }
  console.log(
    `notebooks: ${files.length} found, ${usable.length} mapped, ${skipped.length} skipped (unreadable or not Python)`,
  );
  for (const s of skipped) console.log(`  skipped ${s}`);
  console.log(`initPython: ${initMs.toFixed(0)} ms (once per process)`);
  console.log(
    `map (text), whole folder: median ${median(totals).toFixed(0)} ms wall, ${median(cpuTotals).toFixed(0)} ms CPU over ${runs} runs [wall ${totals.map((t) => t.toFixed(0)).join(", ")}] — target < 3000 ms`,
  );
  console.log(
    `  by stage (CPU, medians): ${Object.entries(stages)
      .map(([k, v]) => `${k} ${median(v).toFixed(0)} ms`)
      .join(", ")}`,
  );
  console.log(
    `steps: ${steps} total, ${(steps / Math.max(1, usable.length)).toFixed(1)} per notebook; strategies ${JSON.stringify(Object.fromEntries(strategies))}`,
  );
  console.log(`invariant violations: ${violations.length}`);
  for (const v of violations.slice(0, 40)) console.log(`  ${v}`);

  if (!args.includes("--no-svg")) {
    const l0 = performance.now();
    await dotToSvg("digraph { a -> b }");
    const loadMs = performance.now() - l0;
    const per: number[] = [];
    const perBig: number[] = [];
    const perCpu: number[] = [];
    for (const { nb } of usable) {
      const analysis = analyzeNotebook(nb, { shapes: true });
      const map = buildWorkflowMap(nb, analysis, buildDataflow(analysis));
      const times: number[] = [];
      const cpuTimes: number[] = [];
      for (let r = 0; r < runs; r++) {
        const s = performance.now();
        const c0 = process.cpuUsage();
        await renderSvg({ title: "bench", nb, analysis, map });
        const c = process.cpuUsage(c0);
        times.push(performance.now() - s);
        cpuTimes.push((c.user + c.system) / 1000);
      }
      perCpu.push(median(cpuTimes));
      per.push(median(times));
      if (map.steps.length >= 3) perBig.push(median(times));
    }
    console.log(`graphviz wasm load (once per process): ${loadMs.toFixed(0)} ms`);
    console.log(
      `svg per notebook (median of ${runs} each): p50 ${pct(per, 50).toFixed(1)} ms, p99 ${pct(per, 99).toFixed(1)} ms, max ${Math.max(...per).toFixed(1)} ms over ${per.length}; notebooks with ≥ 3 steps (${perBig.length}): p50 ${pct(perBig, 50).toFixed(1)} ms, p99 ${pct(perBig, 99).toFixed(1)} ms — target < 200 ms`,
    );
    console.log(
      `svg per notebook, CPU time: p50 ${pct(perCpu, 50).toFixed(1)} ms, p99 ${pct(perCpu, 99).toFixed(1)} ms, max ${Math.max(...perCpu).toFixed(1)} ms`,
    );
  }
}

await main();

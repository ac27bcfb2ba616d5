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
import { renderSvg } from "../src/render/svg.js";
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

  const totals: number[] = [];
  let steps = 0;
  let violations: string[] = [];
  const strategies = new Map<string, number>();
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    const v: string[] = [];
    steps = 0;
    strategies.clear();
    for (const { file } of usable) {
      const nb = (await readNotebookFile(file)).notebook;
      const analysis = analyzeNotebook(nb);
      const graph = buildDataflow(analysis);
      const map = buildWorkflowMap(nb, analysis, graph);
      renderText({ title: file, nb, analysis, map });
      steps += map.steps.length;
      strategies.set(map.strategy.kind, (strategies.get(map.strategy.kind) ?? 0) + 1);
      if (r === 0)
        for (const p of checkWorkflowMap(nb, analysis, map)) v.push(`${relative(dir, file)}: ${p}`);
    }
    totals.push(performance.now() - start);
    if (r === 0) violations = v;
  }
  console.log(
    `notebooks: ${files.length} found, ${usable.length} mapped, ${skipped.length} skipped (unreadable or not Python)`,
  );
  for (const s of skipped) console.log(`  skipped ${s}`);
  console.log(`initPython: ${initMs.toFixed(0)} ms (once per process)`);
  console.log(
    `map (text), whole folder: median ${median(totals).toFixed(0)} ms over ${runs} runs [${totals.map((t) => t.toFixed(0)).join(", ")}] — target < 3000 ms`,
  );
  console.log(
    `steps: ${steps} total, ${(steps / Math.max(1, usable.length)).toFixed(1)} per notebook; strategies ${JSON.stringify(Object.fromEntries(strategies))}`,
  );
  console.log(`invariant violations: ${violations.length}`);
  for (const v of violations.slice(0, 40)) console.log(`  ${v}`);

  if (!args.includes("--no-svg")) {
    const per: number[] = [];
    for (const { nb } of usable) {
      const analysis = analyzeNotebook(nb);
      const map = buildWorkflowMap(nb, analysis, buildDataflow(analysis));
      const times: number[] = [];
      for (let r = 0; r < runs; r++) {
        const s = performance.now();
        await renderSvg({ title: "bench", nb, analysis, map });
        times.push(performance.now() - s);
      }
      per.push(median(times));
    }
    console.log(
      `svg per notebook (median of ${runs} each): p50 ${pct(per, 50).toFixed(1)} ms, p99 ${pct(per, 99).toFixed(1)} ms, max ${Math.max(...per).toFixed(1)} ms — target < 200 ms (first render includes loading Graphviz)`,
    );
  }
}

await main();

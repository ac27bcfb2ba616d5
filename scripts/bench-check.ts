/**
 * Benchmark of `fledge check` over a folder of notebooks (default: the shared corpus).
 *
 *   npm run bench:check -- [folder] [--runs N]
 *
 * Per notebook it times, after one warm-up pass, the median of N runs of: the Python analysis
 * (analyzeNotebook), the dataflow graph, and the rules (checkNotebook given both) — and their sum, which is what
 * `check` spends on a notebook once it is read. Reading the file is timed separately. Prints p50/p99/max and
 * totals; the target is p99 < 30 ms per notebook. CPU time (user + system of this process) is printed too: on a
 * shared, loaded machine it is the steadier measure.
 */
import { readdirSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { checkNotebook, loadEnvironment } from "../src/analysis/index.js";
import { buildDataflow } from "../src/graph/dataflow.js";
import { readNotebookFile, requirePythonKernel } from "../src/notebook/index.js";
import { analyzeNotebook, initPython } from "../src/python/index.js";
import { corpusDir } from "../test/helpers/env.js";

function notebooks(root: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(root, { withFileTypes: true })) {
    if (e.isDirectory() && e.name !== ".ipynb_checkpoints") out.push(...notebooks(join(root, e.name)));
    else if (e.name.endsWith(".ipynb")) out.push(join(root, e.name));
  }
  return out.sort();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

async function main() {
  const args = process.argv.slice(2);
  const runsAt = args.indexOf("--runs");
  const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 3;
  const folder = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--runs") ?? corpusDir();
  if (!folder) {
    console.error("No folder given and no shared corpus found: npm run bench:check -- <folder>");
    process.exit(2);
  }
  await initPython();
  const files = notebooks(resolve(folder));
  const rows: {
    cpu: number;
    file: string;
    read: number;
    analyze: number;
    graph: number;
    rules: number;
    total: number;
    findings: number;
  }[] = [];
  let skipped = 0;
  const t0 = performance.now();
  for (const file of files) {
    let t = performance.now();
    let nb: Awaited<ReturnType<typeof readNotebookFile>>["notebook"];
    try {
      nb = (await readNotebookFile(file)).notebook;
      requirePythonKernel(nb);
    } catch {
      skipped++;
      continue;
    }
    const read = performance.now() - t;
    const environment = loadEnvironment(file);
    const a: number[] = [];
    const g: number[] = [];
    const r: number[] = [];
    const all: number[] = [];
    let findings = 0;
    const cpu: number[] = [];
    for (let k = 0; k <= runs; k++) {
      const u = process.cpuUsage();
      t = performance.now();
      const analysis = analyzeNotebook(nb);
      const ta = performance.now() - t;
      t = performance.now();
      const graph = buildDataflow(analysis);
      const tg = performance.now() - t;
      t = performance.now();
      findings = checkNotebook(nb, { analysis, graph, environment }).length;
      const tr = performance.now() - t;
      const used = process.cpuUsage(u);
      if (k === 0) continue; // warm-up
      cpu.push((used.user + used.system) / 1000);
      a.push(ta);
      g.push(tg);
      r.push(tr);
      all.push(ta + tg + tr);
    }
    rows.push({
      cpu: median(cpu),
      file: relative(resolve(folder), file),
      read,
      analyze: median(a),
      graph: median(g),
      rules: median(r),
      total: median(all),
      findings,
    });
  }
  const wall = performance.now() - t0;
  const col = (k: "read" | "analyze" | "graph" | "rules" | "total" | "cpu") => rows.map((x) => x[k]);
  const line = (name: string, xs: number[]) =>
    `  ${name.padEnd(22)} p50 ${median(xs).toFixed(2).padStart(7)} ms   p99 ${pct(xs, 99).toFixed(2).padStart(7)} ms   max ${Math.max(
      ...xs,
    )
      .toFixed(2)
      .padStart(7)} ms   sum ${xs
      .reduce((s, x) => s + x, 0)
      .toFixed(0)
      .padStart(6)} ms`;
  console.log(
    `fledge check benchmark: ${rows.length} notebooks (${skipped} skipped: unreadable or not Python), median of ${runs} runs after a warm-up`,
  );
  console.log(line("read file", col("read")));
  console.log(line("python analysis", col("analyze")));
  console.log(line("dataflow graph", col("graph")));
  console.log(line("rules", col("rules")));
  console.log(line("check (all three)", col("total")));
  console.log(line("  as CPU time", col("cpu")));
  console.log(
    `  findings: ${rows.reduce((s, x) => s + x.findings, 0)}; wall time for the whole run: ${(wall / 1000).toFixed(1)} s`,
  );
  const slow = [...rows].sort((x, y) => y.total - x.total).slice(0, 5);
  console.log("  slowest:");
  for (const s of slow) {
    console.log(
      `    ${s.total.toFixed(1).padStart(7)} ms (analysis ${s.analyze.toFixed(1)}, graph ${s.graph.toFixed(1)}, rules ${s.rules.toFixed(1)})  ${s.file}`,
    );
  }
  const p99 = pct(col("total"), 99);
  console.log(
    p99 < 30
      ? `  p99 ${p99.toFixed(1)} ms: under the 30 ms target`
      : `  p99 ${p99.toFixed(1)} ms: OVER the 30 ms target`,
  );
}

await main();

/**
 * npm run bench:analyze -- <dir> [--runs 5] [--dist] [--json]
 *
 * Speed of the Python understanding layer:
 * - every notebook under <dir> analysed with analyzeNotebook, in a fresh Node process per run, so the total
 *   includes loading WebAssembly (web-tree-sitter + the Python grammar);
 * - in the same run, a Python process doing ast.parse + symtable.symtable on the same cells (IPython syntax
 *   masked the same way, since CPython cannot parse magics), timed inside Python and as a whole process;
 * - p50/p99 of the per-notebook analysis time;
 * - a synthetic 5,000-cell notebook (corpus cells repeated), its time and the process's peak memory;
 * - what bounds the cold figure: a second (warm) pass over the corpus in the same process, where the JIT and the
 *   WebAssembly tiers are warm, and, in a separate process, tree-sitter's parse alone (cold, trees not copied).
 * Each figure is the median over the runs. Reading files is not timed.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Parser } from "web-tree-sitter";
import { readNotebookFile, requirePythonKernel } from "../src/notebook/index.js";
import type { Notebook } from "../src/notebook/types.js";
import * as fromSource from "../src/python/index.js";
import { maskIPython } from "../src/python/index.js";
import { ROOT, venvPython } from "../test/helpers/env.js";

const SYNTHETIC_CELLS = 5000;

function* notebookFiles(dir: string): Generator<string> {
  for (const f of readdirSync(dir).sort()) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) yield* notebookFiles(p);
    else if (p.endsWith(".ipynb")) yield p;
  }
}

async function loadAll(dir: string): Promise<Notebook[]> {
  const out: Notebook[] = [];
  for (const file of notebookFiles(dir)) {
    try {
      const nb = (await readNotebookFile(file)).notebook;
      requirePythonKernel(nb, file);
      out.push(nb);
    } catch {
      // unreadable or not Python: not part of the benchmark
    }
  }
  return out;
}

function synthetic(notebooks: Notebook[]): Notebook {
  const sources = notebooks.flatMap((nb) =>
    nb.cells.filter((c) => c.cell_type === "code").map((c) => c.source),
  );
  const cells = Array.from({ length: SYNTHETIC_CELLS }, (_, i) => ({
    cell_type: "code" as const,
    source: sources[i % Math.max(1, sources.length)] ?? "x = 1",
    metadata: {},
    execution_count: null,
    outputs: [],
  }));
  return { nbformat: 4, nbformat_minor: 5, metadata: {}, cells };
}

interface WorkerResult {
  /** CPU time (user + system) of init + analysis: stable on a loaded machine, unlike wall time. */
  cpuMs: number;
  initMs: number;
  analyzeMs: number;
  totalMs: number;
  perNotebookMs: number[];
  syntheticMs: number;
  syntheticCpuMs: number;
  peakRssMb: number;
  cells: number;
  /** Second pass over the corpus in the same process: CPU time and per-notebook wall times. */
  warmCpuMs: number;
  warmPerNotebookMs: number[];
}

const cpuNow = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

/**
 * One measured run (in its own process, so WebAssembly loading is cold). With `--dist`, the built library
 * (dist/, what users run) instead of the TypeScript sources through tsx.
 */
async function worker(dir: string, dist: boolean): Promise<void> {
  const lib: typeof fromSource = dist
    ? ((await import(pathToFileURL(join(ROOT, "dist", "python", "index.js")).href)) as typeof fromSource)
    : fromSource;
  const { analyzeNotebook, initPython } = lib;
  const notebooks = await loadAll(dir);
  const syn = synthetic(notebooks);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await initPython();
  const t1 = performance.now();
  const perNotebookMs: number[] = [];
  let cells = 0;
  for (const nb of notebooks) {
    const s = performance.now();
    cells += analyzeNotebook(nb).cells.length;
    perNotebookMs.push(performance.now() - s);
  }
  const t2 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const s = performance.now();
  const sc = cpuNow();
  analyzeNotebook(syn);
  const syntheticMs = performance.now() - s;
  const syntheticCpuMs = cpuNow() - sc;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const warmPerNotebookMs: number[] = [];
  const wc = cpuNow();
  for (const nb of notebooks) {
    const w = performance.now();
    analyzeNotebook(nb);
    warmPerNotebookMs.push(performance.now() - w);
  }
  const warmCpuMs = cpuNow() - wc;
  const result: WorkerResult = {
    cpuMs: (cpu.user + cpu.system) / 1000,
    initMs: t1 - t0,
    analyzeMs: t2 - t1,
    totalMs: t2 - t0,
    perNotebookMs,
    syntheticMs,
    syntheticCpuMs,
    peakRssMb,
    cells,
    warmCpuMs,
    warmPerNotebookMs,
  };
  process.stdout.write(JSON.stringify(result));
}

/**
 * The floor of the cold figure: WebAssembly start plus tree-sitter's parse of every (masked) code cell, each tree
 * deleted without being copied or analysed. CPU time, in its own process so that the WebAssembly tiers are cold.
 */
async function parseWorker(dir: string, dist: boolean): Promise<void> {
  const base = dist
    ? pathToFileURL(join(ROOT, "dist", "python")).href
    : new URL("../src/python", import.meta.url).href;
  const lib = (await import(`${base}/index.js`)) as typeof fromSource;
  const parserModule = (await import(`${base}/parser.js`)) as typeof import("../src/python/parser.js");
  const notebooks = await loadAll(dir);
  const masked = notebooks.flatMap((nb) =>
    nb.cells.filter((c) => c.cell_type === "code").map((c) => lib.maskIPython(c.source).masked),
  );
  const c0 = cpuNow();
  await lib.initPython();
  const parser = new Parser();
  parser.setLanguage(parserModule.parserLanguage()!);
  for (const src of masked) parser.parse(src)?.delete();
  process.stdout.write(JSON.stringify({ cpuMs: cpuNow() - c0 }));
}

const PYTHON_BENCH = `
import ast, json, symtable, sys, time
notebooks = json.load(sys.stdin)
t0 = time.perf_counter()
c0 = time.process_time()
for cells in notebooks:
    for src in cells:
        try:
            ast.parse(src)
            symtable.symtable(src, "<cell>", "exec")
        except SyntaxError:
            pass
print(json.dumps({"ms": (time.perf_counter() - t0) * 1000, "cpu": (time.process_time() - c0) * 1000}))
`;

function pythonRun(
  python: string,
  payload: string,
): { inProcessMs: number; cpuMs: number; processMs: number } {
  const t0 = performance.now();
  const res = spawnSync(python, ["-c", PYTHON_BENCH], {
    input: payload,
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  const processMs = performance.now() - t0;
  if (res.status !== 0) throw new Error(`python benchmark failed: ${res.stderr}`);
  const out = JSON.parse(res.stdout) as { ms: number; cpu: number };
  return { inProcessMs: out.ms, cpuMs: out.cpu, processMs };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? 0;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const dir = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--runs");
  if (!dir) {
    process.stderr.write("usage: npm run bench:analyze -- <dir with notebooks> [--runs N] [--json]\n");
    process.exit(2);
  }
  const dist = args.includes("--dist");
  if (args.includes("--worker")) return worker(dir, dist);
  if (args.includes("--parse-worker")) return parseWorker(dir, dist);
  const runsAt = args.indexOf("--runs");
  const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 5;
  const notebooks = await loadAll(dir);
  const payload = JSON.stringify(
    notebooks.map((nb) =>
      nb.cells.filter((c) => c.cell_type === "code").map((c) => maskIPython(c.source).masked),
    ),
  );
  const python = venvPython();
  const self = fileURLToPath(import.meta.url);
  const node: WorkerResult[] = [];
  const py: { inProcessMs: number; cpuMs: number; processMs: number }[] = [];
  const parseOnly: number[] = [];
  for (let r = 0; r < runs; r++) {
    const res = spawnSync(
      process.execPath,
      [...process.execArgv, self, dir, "--worker", ...(dist ? ["--dist"] : [])],
      {
        encoding: "utf8",
        maxBuffer: 1 << 26,
      },
    );
    if (res.status !== 0) throw new Error(`worker failed: ${res.stderr}`);
    node.push(JSON.parse(res.stdout) as WorkerResult);
    py.push(pythonRun(python, payload));
    const parse = spawnSync(
      process.execPath,
      [...process.execArgv, self, dir, "--parse-worker", ...(dist ? ["--dist"] : [])],
      { encoding: "utf8", maxBuffer: 1 << 26 },
    );
    if (parse.status !== 0) throw new Error(`parse worker failed: ${parse.stderr}`);
    parseOnly.push((JSON.parse(parse.stdout) as { cpuMs: number }).cpuMs);
  }
  const m = (f: (w: WorkerResult) => number) => median(node.map(f));
  const summary = {
    runs,
    notebooks: notebooks.length,
    codeCells: node[0]!.cells,
    fledge: {
      wasmInitMs: m((w) => w.initMs),
      analyzeMs: m((w) => w.analyzeMs),
      totalMs: m((w) => w.totalMs),
      cpuMs: m((w) => w.cpuMs),
      p50NotebookMs: m((w) => percentile(w.perNotebookMs, 50)),
      p99NotebookMs: m((w) => percentile(w.perNotebookMs, 99)),
      maxNotebookMs: m((w) => Math.max(...w.perNotebookMs)),
      warmCpuMs: m((w) => w.warmCpuMs),
      warmP50NotebookMs: m((w) => percentile(w.warmPerNotebookMs, 50)),
      warmP99NotebookMs: m((w) => percentile(w.warmPerNotebookMs, 99)),
      parseOnlyCpuMs: median(parseOnly),
    },
    python: {
      astSymtableMs: median(py.map((p) => p.inProcessMs)),
      cpuMs: median(py.map((p) => p.cpuMs)),
      processMs: median(py.map((p) => p.processMs)),
    },
    synthetic: {
      cells: SYNTHETIC_CELLS,
      ms: m((w) => w.syntheticMs),
      cpuMs: m((w) => w.syntheticCpuMs),
      peakRssMb: m((w) => w.peakRssMb),
    },
  };
  if (args.includes("--json")) {
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }
  const f = (x: number) => x.toFixed(1);
  const ratio = summary.fledge.totalMs / summary.python.astSymtableMs;
  process.stdout.write(
    [
      `bench:analyze — ${summary.notebooks} notebooks, ${summary.codeCells} code cells, median of ${runs} runs (${dist ? "dist/" : "src/ via tsx"})`,
      `fledge total (incl. WebAssembly start): ${f(summary.fledge.totalMs)} ms  (wasm init ${f(summary.fledge.wasmInitMs)} ms + analysis ${f(summary.fledge.analyzeMs)} ms)`,
      `python ast.parse + symtable, same cells: ${f(summary.python.astSymtableMs)} ms in-process (${f(summary.python.processMs)} ms as a process)`,
      `ratio fledge/python (in-process):       ${ratio.toFixed(2)}`,
      `CPU time (stable under load): fledge ${f(summary.fledge.cpuMs)} ms (incl. wasm start) vs python ${f(summary.python.cpuMs)} ms, ratio ${(summary.fledge.cpuMs / summary.python.cpuMs).toFixed(2)}`,
      `per notebook: p50 ${f(summary.fledge.p50NotebookMs)} ms, p99 ${f(summary.fledge.p99NotebookMs)} ms, max ${f(summary.fledge.maxNotebookMs)} ms`,
      `synthetic ${SYNTHETIC_CELLS}-cell notebook: ${f(summary.synthetic.ms)} ms (CPU ${f(summary.synthetic.cpuMs)} ms), peak RSS ${f(summary.synthetic.peakRssMb)} MB`,
      `bounds: tree-sitter parse alone, cold (WebAssembly start + parse, no copy/analysis): ${f(summary.fledge.parseOnlyCpuMs)} ms CPU, ratio to python ${(summary.fledge.parseOnlyCpuMs / summary.python.cpuMs).toFixed(2)}`,
      `        second (warm) pass over the corpus: ${f(summary.fledge.warmCpuMs)} ms CPU, ratio to python ${(summary.fledge.warmCpuMs / summary.python.cpuMs).toFixed(2)}; per notebook p50 ${f(summary.fledge.warmP50NotebookMs)} ms, p99 ${f(summary.fledge.warmP99NotebookMs)} ms`,
    ].join("\n") + "\n",
  );
}

main().catch((err) => {
  process.stderr.write(`bench:analyze failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});

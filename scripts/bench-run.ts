/**
 * npm run bench:run -- [--runs N] [--example-runs N] [--python PATH] [--cells N] [--json]
 *
 * Runs the same notebooks with `fledge run`, `jupyter nbconvert --to notebook --execute` and `papermill`
 * (all with the project's .venv Python and ipykernel), side by side in one run, interleaved so each tool
 * sees the same machine load: (a) the bundled example examples/churn/churn.ipynb (skipped with a message
 * when absent), (b) a synthetic notebook of light cells (100 by default). Each measurement is the wall time
 * of the whole command, process start and kernel start included. Prints medians and ratios.
 * Runs: 7 per tool on the synthetic notebook (--runs), 3 on the example (--example-runs; it takes ~10 s a run).
 * Target (issue 6): fledge ≤ half of nbconvert's wall time on the synthetic notebook.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const runs = Number(arg("--runs") ?? 7);
const exampleRuns = Number(arg("--example-runs") ?? 3);
const cellCount = Number(arg("--cells") ?? 100);
const python = resolve(arg("--python") ?? join(ROOT, ".venv", "bin", "python"));
const bin = dirname(python);
const asJson = process.argv.includes("--json");

/** A notebook of light cells: assignments, prints, expressions with results, and some markdown. */
function syntheticNotebook(n: number): string {
  const cells: object[] = [];
  for (let i = 0; i < n; i++) {
    const kind = i % 4;
    const source =
      i === 0
        ? "import math\nvalues = []"
        : kind === 0
          ? `x${i} = ${i} * 2\nvalues.append(x${i})`
          : kind === 1
            ? `print(f"cell ${i}: {len(values)} values, sqrt {math.sqrt(${i}):.3f}")`
            : kind === 2
              ? `sum(values) + ${i}`
              : `d${i} = {"k": ${i}, "s": "text ${i}"}\nd${i}["k"]`;
    cells.push({ cell_type: "code", execution_count: null, id: `c${i}`, metadata: {}, outputs: [], source });
    if (i % 10 === 9)
      cells.push({ cell_type: "markdown", id: `m${i}`, metadata: {}, source: `## Part ${i}` });
  }
  const nb = {
    cells,
    metadata: {
      kernelspec: { display_name: "Python 3 (ipykernel)", language: "python", name: "python3" },
      language_info: { name: "python" },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  return `${JSON.stringify(nb, null, 1)}\n`;
}

let fledgeHow = "";

/**
 * fledge as users run it: the compiled JavaScript (`tsc -p tsconfig.build.json`, as `npm run build`), built
 * fresh from the current sources into .cache/bench-run-dist so a stale dist/ cannot skew the figures.
 */
function fledgeCommand(): string[] {
  const out = join(ROOT, ".cache", "bench-run-dist");
  rmSync(out, { recursive: true, force: true });
  const tsc = spawnSync(
    process.execPath,
    [
      join(ROOT, "node_modules", "typescript", "bin", "tsc"),
      "-p",
      "tsconfig.build.json",
      "--outDir",
      out,
      "--sourceMap",
      "false",
      "--declaration",
      "false",
    ],
    { cwd: ROOT, encoding: "utf8" },
  );
  const entry = join(out, "fledge-bench-entry.js");
  if (!existsSync(join(out, "cli", "main.js"))) {
    throw new Error(`could not compile fledge for the benchmark:\n${tsc.stdout}${tsc.stderr}`);
  }
  writeFileSync(
    entry,
    'import { main } from "./cli/main.js";\nprocess.exitCode = await main(process.argv.slice(2));\n',
  );
  fledgeHow = `node ${relative(ROOT, entry)} (compiled with tsc from the current sources)`;
  return [process.execPath, entry];
}

interface Tool {
  name: string;
  argv: (nb: string, out: string) => string[];
}

function tools(): Tool[] {
  const fledge = fledgeCommand();
  return [
    {
      name: "fledge",
      argv: (nb, out) => [...fledge, "run", nb, "-o", out, "--force", "--python", python],
    },
    {
      name: "nbconvert",
      argv: (nb, out) => [
        join(bin, "jupyter"),
        "nbconvert",
        "--to",
        "notebook",
        "--execute",
        nb,
        "--output-dir",
        dirname(out),
        "--output",
        out.slice(dirname(out).length + 1),
      ],
    },
    {
      name: "papermill",
      argv: (nb, out) => [
        join(bin, "papermill"),
        nb,
        out,
        "-k",
        "python3",
        "--cwd",
        dirname(nb),
        "--no-progress-bar",
      ],
    },
  ];
}

function codeCellsWithCounts(path: string): number {
  const nb = JSON.parse(readFileSync(path, "utf8")) as {
    cells: { cell_type: string; execution_count?: unknown }[];
  };
  return nb.cells.filter((c) => c.cell_type === "code" && typeof c.execution_count === "number").length;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

interface Case {
  name: string;
  notebook: string;
  times: Record<string, number[]>;
  executed: Record<string, number>;
}

function bench(name: string, notebook: string, list: Tool[], runs: number): Case {
  const outDir = join(dirname(notebook), "bench-out");
  mkdirSync(outDir, { recursive: true });
  const times: Record<string, number[]> = {};
  const executed: Record<string, number> = {};
  for (let r = 0; r < runs; r++) {
    // Rotate the order each round so no tool always runs first (warm caches, load spikes).
    const order = list.map((_, i) => list[(i + r) % list.length]!);
    for (const tool of order) {
      const out = join(outDir, `${tool.name}.ipynb`);
      rmSync(out, { force: true });
      const argv = tool.argv(notebook, out);
      const t0 = performance.now();
      const p = spawnSync(argv[0]!, argv.slice(1), {
        cwd: dirname(notebook),
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
        encoding: "utf8",
      });
      const ms = performance.now() - t0;
      if (p.status !== 0) {
        throw new Error(`${tool.name} failed on ${name} (exit ${p.status}):\n${p.stderr.slice(-2000)}`);
      }
      times[tool.name] = [...(times[tool.name] ?? []), ms];
      executed[tool.name] = codeCellsWithCounts(out);
    }
  }
  return { name, notebook, times, executed };
}

function main(): void {
  if (!existsSync(python)) {
    console.error(`No Python at ${python}: run \`npm run setup\` first (or pass --python).`);
    process.exit(2);
  }
  const work = mkdtempSync(join(tmpdir(), "fledge-bench-run-"));
  const list = tools();
  const cases: Case[] = [];
  const load0 = loadavg();
  const example = join(ROOT, "examples", "churn");
  if (existsSync(join(example, "churn.ipynb"))) {
    const dest = join(work, "churn");
    cpSync(example, dest, { recursive: true, filter: (s) => !s.includes(join("churn", "outputs")) });
    cases.push(bench("examples/churn/churn.ipynb", join(dest, "churn.ipynb"), list, exampleRuns));
  } else if (!asJson) {
    console.log("(skipping the bundled example: examples/churn/churn.ipynb is absent)");
  }
  const synth = join(work, "synthetic", `synthetic-${cellCount}.ipynb`);
  mkdirSync(dirname(synth), { recursive: true });
  writeFileSync(synth, syntheticNotebook(cellCount));
  cases.push(bench(`synthetic (${cellCount} light code cells)`, synth, list, runs));
  const load1 = loadavg();
  rmSync(work, { recursive: true, force: true });

  const summary = cases.map((c) => {
    const med = Object.fromEntries(Object.entries(c.times).map(([k, v]) => [k, median(v)]));
    return {
      notebook: c.name,
      runs: c.times.fledge?.length ?? 0,
      medianMs: med,
      allMs: c.times,
      executedCodeCells: c.executed,
      fledgeOverNbconvert: med.fledge! / med.nbconvert!,
      fledgeOverPapermill: med.fledge! / med.papermill!,
    };
  });
  if (asJson) {
    console.log(
      JSON.stringify({ fledge: fledgeHow, python, loadavg: { start: load0, end: load1 }, summary }, null, 2),
    );
    return;
  }
  console.log(`fledge started as: ${fledgeHow}`);
  console.log(`Python: ${python}; runs per tool interleaved; wall time of the whole command.`);
  console.log(
    `Load average at start ${load0.map((x) => x.toFixed(1)).join(" ")}, at end ${load1.map((x) => x.toFixed(1)).join(" ")} (shared machine).`,
  );
  for (const s of summary) {
    console.log(`\n${s.notebook} (${s.runs} runs each)`);
    for (const [tool, ms] of Object.entries(s.medianMs)) {
      const all = s.allMs[tool]!.map((x) => (x / 1000).toFixed(2)).join(" ");
      console.log(
        `  ${tool.padEnd(10)} median ${(ms / 1000).toFixed(2)} s   (runs: ${all})   code cells executed: ${s.executedCodeCells[tool]}`,
      );
    }
    console.log(
      `  fledge / nbconvert = ${s.fledgeOverNbconvert.toFixed(2)}   fledge / papermill = ${s.fledgeOverPapermill.toFixed(2)}`,
    );
  }
  const synthetic = summary.at(-1)!;
  const ok = synthetic.fledgeOverNbconvert <= 0.5;
  console.log(
    `\nTarget (fledge ≤ 0.5 × nbconvert on the synthetic notebook): ${ok ? "met" : "NOT met"} (${synthetic.fledgeOverNbconvert.toFixed(2)}).`,
  );
}

main();

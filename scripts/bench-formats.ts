/**
 * bench:formats — notebooks to percent-format .py and back, fledge against Jupytext, in the same run.
 *
 *   npm run bench:formats -- <dir> [--runs N]
 *
 * Whole batch, process start included: every notebook of <dir> (recursively) is copied to a fresh temporary
 * folder per run (the corpus folder is never written), then
 *   - fledge:   `node bin/fledge.js sync --quiet <all .ipynb>`   (writes every .py, each one read back and checked)
 *   - back:     `node bin/fledge.js sync --quiet <all .py>` after removing the notebooks (py → new .ipynb)
 *   - Jupytext: `.venv/bin/jupytext --to py:percent <all .ipynb>` (when installed)
 * interleaved, N runs (default 5), medians. Then, in this process (once started): per notebook, ipynb text →
 * notebook → .py text → notebook → merged with the pair → ipynb text; median of 5 passes per notebook, p50/p99.
 * Needs a current build (`npm run build`): the CLI runs from dist/.
 */
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { basename, join, relative, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parsePercent, writePercent } from "../src/notebook/percent.js";
import { parseNotebook } from "../src/notebook/read.js";
import { mergePyIntoNotebook } from "../src/notebook/sync.js";
import { validateNotebook } from "../src/notebook/validate.js";
import { serializeNotebook } from "../src/notebook/write.js";

const ROOT = resolve(fileURLToPath(import.meta.url), "..", "..");

function usage(message: string): never {
  process.stderr.write(`bench:formats: ${message}\nUsage: npm run bench:formats -- <dir> [--runs N]\n`);
  process.exit(2);
}

function listNotebooks(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listNotebooks(path));
    else if (name.endsWith(".ipynb")) out.push(path);
  }
  return out;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
};
const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 0)} ms`;

const TIME = "/usr/bin/time";
const haveTime = process.platform !== "win32" && existsSync(TIME);

/** Wall-clock ms, and CPU ms (user + system) when /usr/bin/time is there (a fairer figure on a loaded machine). */
function timed(cmd: string, args: string[], cwd: string): { wall: number; cpu: number } {
  const cpuFile = join(cwd, ".cpu-time");
  const [exe, argv] = haveTime ? [TIME, ["-f", "%U %S", "-o", cpuFile, cmd, ...args]] : [cmd, args];
  const t0 = performance.now();
  const r = spawnSync(exe, argv, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const wall = performance.now() - t0;
  if (r.status !== 0) {
    throw new Error(
      `${basename(cmd)} ${args[0]} failed (exit ${r.status}): ${(r.stderr || r.stdout).slice(0, 2000)}`,
    );
  }
  let cpu = Number.NaN;
  if (haveTime) {
    const [user, sys] = readFileSync(cpuFile, "utf8").trim().split(/\s+/).slice(-2).map(Number);
    cpu = ((user ?? 0) + (sys ?? 0)) * 1000;
    rmSync(cpuFile);
  }
  return { wall, cpu };
}

function main(): void {
  const argv = process.argv.slice(2);
  let runs = 5;
  const dirs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--runs") runs = Number(argv[++i]);
    else if (argv[i]!.startsWith("-")) usage(`unknown option ${argv[i]}`);
    else dirs.push(argv[i]!);
  }
  if (dirs.length !== 1) usage("give one folder of notebooks");
  if (!Number.isInteger(runs) || runs < 1) usage("--runs takes a positive integer");
  const dir = resolve(dirs[0]!);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) usage(`${dir} is not a folder`);

  const dist = join(ROOT, "dist", "notebook", "percent.js");
  const src = join(ROOT, "src", "notebook", "percent.ts");
  if (!existsSync(dist) || statSync(dist).mtimeMs < statSync(src).mtimeMs) {
    usage("dist/ is missing or older than src/: run `npm run build` first (the CLI runs from dist/)");
  }

  // Notebooks both tools read as they are: no repair needed (the invalid test files are left out, and said so).
  const selected: { path: string; text: string }[] = [];
  const skipped: string[] = [];
  for (const path of listNotebooks(dir)) {
    const text = readFileSync(path, "utf8");
    try {
      const parsed = parseNotebook(text, path);
      const ok =
        parsed.warnings.length === 0 &&
        parsed.origin.nbformat === 4 &&
        validateNotebook(parsed.notebook).length === 0;
      if (ok) selected.push({ path, text });
      else skipped.push(relative(dir, path));
    } catch {
      skipped.push(relative(dir, path));
    }
  }
  if (selected.length === 0) usage(`no readable notebooks under ${dir}`);
  const bytes = selected.reduce((n, s) => n + Buffer.byteLength(s.text), 0);
  process.stdout.write(
    `bench:formats — ${selected.length} notebooks (${(bytes / 1e6).toFixed(1)} MB) from ${dir}` +
      `${skipped.length ? `; ${skipped.length} left out (need repair or upgrade, or fail nbformat validation): ${skipped.join(", ")}` : ""}\n`,
  );

  const node = process.execPath;
  const fledge = join(ROOT, "bin", "fledge.js");
  const jupytext = join(
    ROOT,
    ".venv",
    process.platform === "win32" ? "Scripts/jupytext.exe" : "bin/jupytext",
  );
  const haveJupytext = existsSync(jupytext);
  const names = selected.map((s, i) => `${String(i).padStart(3, "0")}_${basename(s.path)}`);
  const tmp = mkdtempSync(join(tmpdir(), "fledge-bench-formats-"));
  const fresh = (label: string): string => {
    const d = join(tmp, label);
    rmSync(d, { recursive: true, force: true });
    mkdirSync(d);
    selected.forEach((s, i) => {
      copyFileSync(s.path, join(d, names[i]!));
    });
    return d;
  };

  type Run = { wall: number; cpu: number };
  const times = {
    fledge: [] as Run[],
    back: [] as Run[],
    jupytext: [] as Run[],
    floor: [] as Run[],
    startup: [] as Run[],
  };
  const loadBefore = loadavg();
  // The floor: a Node process that only reads and JSON.parses the same files (no conversion at all).
  const floorScript =
    "import{readFileSync as r}from'node:fs';for(const f of process.argv.slice(1))JSON.parse(r(f,'utf8'));";
  try {
    for (let r = 0; r < runs; r++) {
      const d = fresh("fledge");
      times.fledge.push(timed(node, [fledge, "sync", "--quiet", ...names], d));
      times.floor.push(timed(node, ["--input-type=module", "-e", floorScript, ...names], d));
      times.startup.push(timed(node, [fledge, "--version"], d));
      for (const n of names) rmSync(join(d, n));
      times.back.push(
        timed(node, [fledge, "sync", "--quiet", ...names.map((n) => n.replace(/\.ipynb$/, ".py"))], d),
      );
      if (haveJupytext) {
        const j = fresh("jupytext");
        times.jupytext.push(timed(jupytext, ["--to", "py:percent", ...names], j));
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  // Once started: per-notebook conversion time in this process.
  const passes = 5;
  const perNotebook: number[][] = selected.map(() => []);
  const percentOnly: number[][] = selected.map(() => []);
  for (let pass = -1; pass < passes; pass++) {
    selected.forEach((s, i) => {
      const t0 = performance.now();
      const nb = parseNotebook(s.text, s.path).notebook;
      const t1 = performance.now();
      const py = writePercent(nb);
      const back = parsePercent(py).notebook;
      const merged = mergePyIntoNotebook(nb, back).notebook;
      const t2 = performance.now();
      const out = serializeNotebook(merged);
      const t3 = performance.now();
      if (out.length === 0) throw new Error("empty output");
      if (pass >= 0) {
        perNotebook[i]!.push(t3 - t0);
        percentOnly[i]!.push(t2 - t1);
      }
    });
  }
  const each = perNotebook.map(median);
  const eachPercent = percentOnly.map(median);

  const med = (rs: Run[], k: keyof Run) => median(rs.map((r) => r[k]));
  const cell = (rs: Run[]) =>
    `${ms(med(rs, "wall")).padStart(10)} wall${haveTime ? `  ${ms(med(rs, "cpu")).padStart(9)} CPU` : ""}`;
  const lines = [
    "",
    `whole batch, process start included (median of ${runs} runs; CPU = user + system of the process):`,
    `  fledge   ipynb → py  ${cell(times.fledge)}   (node bin/fledge.js sync: one process, atomic fsync'ed writes, every .py read back and checked)`,
    `  fledge   py → ipynb  ${cell(times.back)}   (node bin/fledge.js sync on the .py files, notebooks removed)`,
  ];
  if (haveJupytext) {
    const ratio = (k: keyof Run) => (med(times.jupytext, k) / med(times.fledge, k)).toFixed(1);
    lines.push(
      `  Jupytext ipynb → py  ${cell(times.jupytext)}   (jupytext --to py:percent, one process)`,
      `  ratio Jupytext / fledge, ipynb → py: ${ratio("wall")}× wall${haveTime ? `, ${ratio("cpu")}× CPU` : ""}   (target ≥ 10×)`,
    );
  } else lines.push(`  Jupytext: not installed at ${jupytext}; no comparison`);
  lines.push(
    `  floor    read + JSON.parse only ${cell(times.floor)}   (a Node process that converts nothing: fledge cannot go below this)` +
      (haveJupytext
        ? `; Jupytext / floor: ${(med(times.jupytext, "cpu") / med(times.floor, "cpu")).toFixed(1)}× CPU`
        : ""),
  );
  lines.push(
    `  startup  node bin/fledge.js --version ${cell(times.startup)}   (process start and the CLI's own modules)`,
  );
  const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(" ");
  lines.push(
    `  load average (1, 5, 15 min) before: ${load(loadBefore)}; after: ${load(loadavg())} (on ${availableParallelism()} cores)`,
  );
  const list = (rs: Run[]) => rs.map((r) => r.wall.toFixed(0)).join(", ");
  lines.push(
    "",
    `once started, per notebook (median of ${passes} passes each):`,
    `  ipynb → py → ipynb, reading and writing the .ipynb included: p50 ${ms(quantile(each, 0.5))}   p99 ${ms(quantile(each, 0.99))}   max ${ms(Math.max(...each))}   (target < 5 ms)`,
    `  the percent part only (write .py, read it, merge with the pair): p50 ${ms(quantile(eachPercent, 0.5))}   p99 ${ms(quantile(eachPercent, 0.99))}`,
    `  wall per run (ms): fledge ${list(times.fledge)}; back ${list(times.back)}${haveJupytext ? `; Jupytext ${list(times.jupytext)}` : ""}`,
  );
  const slowest = each
    .map((t, i) => ({ t, name: relative(dir, selected[i]!.path) }))
    .sort((x, y) => y.t - x.t)
    .slice(0, 3);
  lines.push(`  slowest: ${slowest.map((s) => `${s.name} ${ms(s.t)}`).join("; ")}`);
  process.stdout.write(`${lines.join("\n")}\n`);
}

main();

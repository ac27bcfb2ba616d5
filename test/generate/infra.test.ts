/**
 * The Dockerfile and the CI workflow of a generated project, checked without Docker or GitHub: the Dockerfile
 * is parsed (slim base matching the notebook's Python, non-root user, dependencies installed before the code
 * is copied, `python -m <pkg>` entry point) and its COPY/RUN/ENTRYPOINT replayed in a fresh virtualenv; the
 * workflow's test-job commands are run in the project. `pip install` runs through `uv pip install` (same
 * arguments, same resolver semantics for these commands) so the test takes seconds, not minutes.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { venvPython } from "../helpers/env.js";
import { type Extracted, extractFixture, freshVenvPath, sh, uvPath } from "./project-run.js";

const uv = uvPath();
let e: Extracted;
beforeAll(async () => {
  e = await extractFixture("sales_report");
}, 60_000);
afterAll(() => {
  if (e) rmSync(e.root, { recursive: true, force: true });
});

interface Instruction {
  op: string;
  args: string;
}

function parseDockerfile(text: string): Instruction[] {
  const joined = text.replace(/\\\n/g, " ");
  return joined
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"))
    .map((l) => {
      const [op = "", ...rest] = l.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(" ") };
    });
}

function venv(dir: string): { python: string; bin: string; env: NodeJS.ProcessEnv } {
  mkdirSync(dir, { recursive: true });
  const path = freshVenvPath(dir);
  const made = sh(uv!, ["venv", "-q", path, "--python", venvPython()], dir);
  expect(made.status, made.output).toBe(0);
  const bin = join(path, "bin");
  return {
    python: join(bin, "python"),
    bin,
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, VIRTUAL_ENV: path },
  };
}

/** `pip install …` → `uv pip install --python <venv> …` (dropping pip-only flags). */
function viaUv(cmd: string, python: string): string[] {
  const words = cmd.match(/"[^"]*"|\S+/g)!.map((w) => w.replace(/^"|"$/g, ""));
  const i = words.indexOf("install");
  const rest = words.slice(i + 1).filter((w) => w !== "--no-cache-dir" && w !== "-q");
  return ["pip", "install", "-q", "--python", python, ...rest];
}

describe.skipIf(!uv || process.platform === "win32")("generated Dockerfile and CI workflow", () => {
  it("the Dockerfile is a slim, non-root image with dependencies before code, and its commands work", () => {
    const ins = parseDockerfile(readFileSync(join(e.project, "Dockerfile"), "utf8"));
    const model = e.extraction.model;
    expect(ins[0]).toEqual({ op: "FROM", args: `python:${model.pythonVersion}-slim` });
    const user = ins.find((i) => i.op === "USER");
    expect(user?.args).toBe("app");
    const firstRun = ins.findIndex(
      (i) => i.op === "RUN" && /pip install/.test(i.args) && !/--no-deps/.test(i.args),
    );
    const copySrc = ins.findIndex((i) => i.op === "COPY" && i.args.startsWith("src/"));
    expect(firstRun).toBeGreaterThan(-1);
    expect(firstRun).toBeLessThan(copySrc);
    expect(ins.at(-1)).toEqual({ op: "ENTRYPOINT", args: `["python", "-m", "${model.packageName}"]` });

    // Replay: WORKDIR is a fresh folder, COPY copies from the project, RUN pip goes to a fresh virtualenv.
    const app = join(e.root, "image", "app");
    mkdirSync(app, { recursive: true });
    const v = venv(join(e.root, "image"));
    for (const i of ins) {
      if (i.op === "COPY") {
        const parts = i.args.split(/\s+/);
        const dest = parts.pop()!;
        for (const src of parts) {
          const target = dest.endsWith("/") && !src.endsWith("/") ? join(app, dest, src) : join(app, dest);
          cpSync(join(e.project, src), target, { recursive: true });
        }
      } else if (i.op === "RUN" && /pip install/.test(i.args)) {
        for (const cmd of i.args.split("&&")) {
          const r = sh(uv!, viaUv(cmd.trim(), v.python), app);
          expect(r.status, r.output).toBe(0);
        }
      }
    }
    expect(existsSync(join(app, "tests"))).toBe(false); // the image carries only what it runs
    const data = join(e.root, "nb", "sales_report");
    const run = sh(v.python, ["-m", model.packageName, "--param", `data_dir=${data}`], app, {
      ...v.env,
      PYTHONDONTWRITEBYTECODE: "1",
    });
    expect(run.status, run.output).toBe(0);
    expect(existsSync(join(app, "outputs", "sales_by_region.csv"))).toBe(true);
  }, 240_000);

  it("the CI workflow's test job passes when its commands run in the project", () => {
    const wf = parse(readFileSync(join(e.project, ".github", "workflows", "ci.yml"), "utf8"));
    const steps = wf.jobs.test.steps as { uses?: string; with?: Record<string, string>; run?: string }[];
    expect(steps.find((s) => s.uses?.startsWith("actions/setup-python"))?.with?.["python-version"]).toBe(
      e.extraction.model.pythonVersion,
    );
    expect(wf.jobs.image.steps.some((s: { run?: string }) => s.run?.startsWith("docker build"))).toBe(true);
    const v = venv(join(e.root, "ci"));
    const runs = steps.filter((s) => s.run).map((s) => s.run!);
    expect(runs).toEqual([
      'python -m pip install -e ".[dev]"',
      "ruff check .",
      "ruff format --check .",
      "pytest",
    ]);
    for (const cmd of runs) {
      const r = cmd.includes("pip install")
        ? sh(uv!, viaUv(cmd.replace(/^python -m /, ""), v.python), e.project)
        : sh("sh", ["-c", cmd], e.project, v.env);
      expect(r.status, r.output).toBe(0);
    }
  }, 240_000);
});

describe.skipIf(process.platform === "win32")("generated companion notebook", () => {
  it("runs top to bottom in a kernel, calling the package for the pipeline steps", () => {
    const nb = join(e.project, "notebooks", "sales_report.ipynb");
    const text = readFileSync(nb, "utf8");
    expect(text).toMatch(/from sales_report\.steps\.\w+ import \w+/);
    // The kernel is the project venv's Python with the package's src/ on its path (as `pip install -e .` gives).
    const code = [
      "import nbformat, sys",
      "from nbclient import NotebookClient",
      "nb = nbformat.read(sys.argv[1], as_version=4)",
      "NotebookClient(nb, timeout=120, kernel_name='python3', resources={'metadata': {'path': sys.argv[2]}}).execute()",
      "print('executed', sum(1 for c in nb.cells if c.cell_type == 'code'))",
    ].join("\n");
    const r = sh(venvPython(), ["-c", code, nb, join(e.project, "notebooks")], e.project, {
      ...process.env,
      PYTHONPATH: join(e.project, "src"),
      MPLBACKEND: "Agg",
      JUPYTER_PATH: join(venvPython(), "..", "..", "share", "jupyter"),
    });
    expect(r.status, r.output).toBe(0);
    expect(r.output).toMatch(/executed \d+/);
  }, 180_000);
});

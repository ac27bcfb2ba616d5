/**
 * `fledge extract <notebook> -o <dir>`: write a production Python project from a notebook (issue 7).
 * This file does the I/O around the pure generator (src/generate/): reading the notebook, the kernel that
 * reads the environment's versions (and records a run with --record), writing files, git.
 */
import { execFile } from "node:child_process";
import { stat } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { promisify } from "node:util";
import { type ExitCode, FledgeError } from "../../errors.js";
import type { ExtractFinding } from "../../generate/model.js";
import type { CliContext, Command, ParsedArgs } from "../command.js";
import { version } from "../main.js";

const run = promisify(execFile);

/** Findings `--strict` refuses to extract with. */
const STRICT_CODES = new Set(["unresolved-name", "run-magic", "star-import", "exec", "unparsable-statement"]);
/** Data files larger than this are referenced, not copied, even with --copy-data. */
const COPY_LIMIT = 20 * 1024 * 1024;

export const command: Command = {
  name: "extract",
  summary: "write a production Python project from a notebook",
  usage: "extract <notebook> -o <dir> [options]",
  help: [
    ["-o, --output DIR", "the project folder to write (created; refused if non-empty and not fledge's)"],
    ["--name PKG", "the Python package name (default: from the notebook's file name)"],
    ["--stubs", "function signatures, docstrings and the original cells as comments, to fill in"],
    ["--dry-run", "list the files that would be written, write nothing"],
    ["--force", "write into a non-empty folder fledge did not create (existing files are never overwritten)"],
    ["--copy-data", "copy the notebook's (small) data files into data/ instead of referencing them"],
    ["--strict", "refuse when something cannot be resolved (undefined names, %run, star imports, exec)"],
    ["--no-git", "do not create a git repository with a first commit"],
    [
      "--no-kernel",
      "do not start the notebook's kernel (no version pins, no requirements.lock, no recording)",
    ],
    [
      "--record / --no-record",
      "run the notebook in a fresh kernel to record values for tests and type hints (default: on when a kernel starts)",
    ],
    [
      "--fixtures real|synthetic",
      "inputs of the recorded tests: a small sample of the real data (default), or rows generated from the recorded schema (same columns, dtypes, categories, ranges, missing share; seeded) for data that must not be committed",
    ],
    [
      "--seed N",
      "the seed of --fixtures synthetic (an integer from 0 to 4294967295; default 0): the same seed gives the same rows",
    ],
    ["--python PATH", "the Python of the notebook's environment (default: the notebook's kernelspec)"],
    [
      "--validation plain|pandera|none",
      "checks of the input data run before the pipeline (validation.py): plain pandas checks (default), pandera schemas (pandera becomes a dependency), or none",
    ],
    ["--no-serving", "no FastAPI app (serve.py) even when the notebook has a predict step"],
    ["--no-tracking", "no MLflow tracking module (tracking.py) even when the notebook trains a model"],
  ],
  examples: [
    "fledge extract analysis.ipynb -o churn/",
    "fledge extract analysis.ipynb -o churn/ --stubs --dry-run",
    "fledge extract analysis.ipynb -o churn/ --fixtures synthetic --seed 7",
    "fledge extract analysis.ipynb -o churn/ --validation pandera",
  ],
  options: {
    output: { type: "string", short: "o" },
    name: { type: "string" },
    stubs: { type: "boolean" },
    "dry-run": { type: "boolean" },
    force: { type: "boolean" },
    "copy-data": { type: "boolean" },
    strict: { type: "boolean" },
    "no-git": { type: "boolean" },
    "no-kernel": { type: "boolean" },
    record: { type: "boolean" },
    "no-record": { type: "boolean" },
    python: { type: "string" },
    fixtures: { type: "string" },
    seed: { type: "string" },
    "no-tracking": { type: "boolean" },
    "no-serving": { type: "boolean" },
    validation: { type: "string" },
  },
  run: extract,
};

function describe(f: ExtractFinding): string {
  const where = [
    f.cell !== undefined ? `cell ${f.cell + 1}` : "",
    f.line !== undefined ? `line ${f.line}` : "",
    f.step ? `step ${f.step}` : "",
  ]
    .filter(Boolean)
    .join(", ");
  return `${f.severity}${where ? ` (${where})` : ""}: ${f.message}`;
}

async function insideGitRepo(dir: string): Promise<boolean> {
  let probe = dir;
  // The folder may not exist yet: ask git from its nearest existing parent.
  for (;;) {
    try {
      await stat(probe);
      break;
    } catch {
      const parent = dirname(probe);
      if (parent === probe) return false;
      probe = parent;
    }
  }
  try {
    const { stdout } = await run("git", ["rev-parse", "--is-inside-work-tree"], { cwd: probe });
    return stdout.trim() === "true";
  } catch {
    return false;
  }
}

async function gitInit(dir: string, notebook: string): Promise<string> {
  await run("git", ["init", "-q"], { cwd: dir });
  await run("git", ["add", "-A"], { cwd: dir });
  let identity: string[] = [];
  try {
    await run("git", ["config", "user.email"], { cwd: dir });
  } catch {
    identity = ["-c", "user.name=fledge", "-c", "user.email=fledge@localhost"];
  }
  await run("git", [...identity, "commit", "-q", "-m", `Extract the pipeline of ${notebook} with fledge`], {
    cwd: dir,
  });
  return "created a git repository with a first commit";
}

/** The largest seed: python/fledge_synth.py seeds numpy with the seed's low 32 bits. */
const MAX_SEED = 0xffffffff;

/** `--seed N`: a whole number from 0 to MAX_SEED (undefined when not given: the default seed). */
function parseSeed(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n > MAX_SEED)
    throw new FledgeError(
      "E_USAGE",
      `--seed ${String(value)}: expected a whole number from 0 to ${MAX_SEED}`,
      {
        hint: "--seed 7 generates the same synthetic rows every time it is given",
      },
    );
  return n;
}

async function extract(args: ParsedArgs, ctx: CliContext): Promise<ExitCode> {
  const v = args.values;
  const [notebookArg, ...extra] = args.positionals;
  if (!notebookArg)
    throw new FledgeError("E_USAGE", "missing the notebook to extract", {
      hint: "fledge extract analysis.ipynb -o project/",
    });
  if (extra.length > 0)
    throw new FledgeError("E_USAGE", `one notebook at a time (got also: ${extra.join(", ")})`);
  if (typeof v.output !== "string" || v.output === "")
    throw new FledgeError("E_USAGE", "missing -o/--output: the project folder to write", {
      hint: `fledge extract ${notebookArg} -o my_project/`,
    });
  if (v.record && v["no-record"])
    throw new FledgeError("E_USAGE", "--record and --no-record contradict each other");
  if (v.fixtures !== undefined && v.fixtures !== "real" && v.fixtures !== "synthetic")
    throw new FledgeError("E_USAGE", `--fixtures ${String(v.fixtures)}: choose real or synthetic`, {
      hint: "--fixtures synthetic generates the recorded tests' inputs from the recorded schema instead of copying rows",
    });
  const validation = v.validation ?? "plain";
  if (validation !== "plain" && validation !== "pandera" && validation !== "none")
    throw new FledgeError("E_USAGE", `--validation ${String(validation)}: choose plain, pandera or none`, {
      hint: "plain pandas checks are the default; pandera schemas add pandera to the project's dependencies",
    });
  const synthetic = v.fixtures === "synthetic";
  if (synthetic && (v["no-record"] || v["no-kernel"] || v.stubs))
    throw new FledgeError(
      "E_USAGE",
      `--fixtures synthetic needs a recorded run; it cannot be combined with --${v.stubs ? "stubs" : v["no-kernel"] ? "no-kernel" : "no-record"}`,
    );
  const seed = synthetic ? parseSeed(v.seed) : undefined;
  if (!synthetic && v.seed !== undefined)
    throw new FledgeError("E_USAGE", "--seed applies to synthetic fixtures only", {
      hint: `fledge extract ${notebookArg} -o ${v.output} --fixtures synthetic --seed ${String(v.seed)}`,
    });
  const notebookPath = resolve(ctx.cwd, notebookArg);
  const outDir = resolve(ctx.cwd, v.output);
  const out = (s: string) => ctx.stdout.write(`${s}\n`);
  const err = (s: string) => ctx.stderr.write(`${s}\n`);

  const { readNotebookFile, requirePythonKernel } = await import("../../notebook/index.js");
  const loaded = await readNotebookFile(notebookPath);
  requirePythonKernel(loaded.notebook, notebookPath);
  const gen = await import("../../generate/index.js");
  await gen.initExtract();
  const analysed = gen.analyseForExtract(loaded.notebook);

  // The notebook's environment: versions for pins and the lock (and a recorded run with --record).
  let installed: import("../../generate/lock.js").InstalledDistribution[] | undefined;
  let recordedHints: Map<string, Map<string, { text: string; imports: string[] }>> | undefined;
  let session: import("../../verify/session.js").RecordSession | undefined;
  const kernelRequest = {
    ...(typeof v.python === "string" ? { python: v.python } : {}),
    name: loaded.notebook.metadata.kernelspec?.name,
    language: loaded.notebook.metadata.kernelspec?.language ?? loaded.notebook.metadata.language_info?.name,
    env: ctx.env,
  };
  try {
    // Recording (issue 8) is the default when the notebook's kernel starts; --no-record / --no-kernel skip it.
    const wantRecord = !v["no-record"] && !v["no-kernel"] && !v.stubs;
    if (wantRecord) {
      const { startRecording } = await import("../../verify/session.js");
      err("fledge: running the notebook in a fresh kernel to record values (--no-record to skip)…");
      try {
        session = await startRecording({
          notebookPath,
          nb: loaded.notebook,
          analysis: analysed.analysis,
          map: analysed.map,
          kernel: kernelRequest,
          signal: ctx.signal,
          fixtures: { synthetic, ...(seed !== undefined ? { seed } : {}) },
        });
      } catch (e) {
        // No kernel: without an explicit --record, extract still works (no pins, no recorded tests).
        if (v.record || !(e instanceof FledgeError) || e.code !== "E_KERNEL") throw e;
        err(
          `fledge: warning: no kernel to record with (${e.message.split("\n")[0]}); continuing without recording`,
        );
      }
      if (session) {
        if (session.recording.failure)
          err("fledge: warning: the notebook failed while recording; no recorded tests.");
        recordedHints = session.hints();
        installed = gen.parseInstalled(await session.kernel.evaluateJson(gen.INSTALLED_DISTRIBUTIONS_EXPR));
      }
    } else if (!v["no-kernel"]) {
      installed = await readInstalled(kernelRequest, dirname(notebookPath), ctx, err);
    }

    const extractOptions: import("../../generate/extract.js").ExtractOptions = {
      notebookPath,
      outDir,
      ...(typeof v.name === "string" ? { packageName: v.name } : {}),
      stubs: Boolean(v.stubs),
      copyData: Boolean(v["copy-data"]),
      ...(installed ? { installed } : {}),
      ...(recordedHints ? { recordedHints } : {}),
      mlops: { tracking: !v["no-tracking"], serving: !v["no-serving"] },
    };
    let extraction = gen.extractProject(loaded.notebook, extractOptions, analysed);
    // MLOps (issue 9): profile the input data files for validation.py, then generate with the profiles.
    if (validation !== "none") {
      const mlops = await import("../../generate/mlops/index.js");
      const files = mlops.inputDataFiles(extraction.model).map((f) => ({
        ...f,
        path: resolve(dirname(notebookPath), f.file),
      }));
      const py =
        typeof v.python === "string" ? v.python : process.platform === "win32" ? "python" : "python3";
      const { profiles, problems } = await mlops.profileDataFiles(py, files);
      for (const p of problems) err(`fledge: warning: no data validation for ${p}`);
      if (profiles.length > 0) {
        const panderaVersion = installed?.find((d) => d.name.toLowerCase() === "pandera")?.version;
        extractOptions.mlops = {
          ...extractOptions.mlops,
          validation: { profiles, library: validation, ...(panderaVersion ? { panderaVersion } : {}) },
        };
        extraction = gen.extractProject(loaded.notebook, extractOptions, analysed);
      }
    }
    const blocking = extraction.findings.filter((f) => STRICT_CODES.has(f.code));
    if (v.strict && blocking.length > 0) {
      for (const f of blocking) err(`  ${describe(f)}`);
      throw new FledgeError(
        "E_INPUT",
        `${blocking.length} thing(s) in the notebook cannot be resolved (--strict)`,
        {
          location: { file: notebookPath },
          hint: "Fix them in the notebook, or extract without --strict to get explicit parameters and TODOs.",
        },
      );
    }
    // .fledge/steps.json: how `fledge verify` calls the generated steps (format owned by verify/).
    const { renderStepsFile } = await import("../../verify/project.js");
    let files = [...extraction.files, renderStepsFile(extraction.model)];
    let fixtureCopies: { path: string; source: string }[] = [];
    if (session && !v.stubs) {
      const done = await session.finish(extraction.model, files);
      files = done.files;
      fixtureCopies = done.fixtures;
      if (synthetic && !session.recording.failure) {
        const tested = done.steps.filter((s) => !s.skipped);
        err(
          `fledge: synthetic fixtures (seed ${session.fixtureMode.seed}, no real rows): ${tested.length} step(s) tested on generated rows${tested.length ? ` (${tested.map((s) => s.step).join(", ")})` : ""}`,
        );
        for (const s of done.steps.filter((s) => s.skipped))
          err(`fledge:   no synthetic fixture for step ${s.step}: ${s.skipped}`);
      }
      // The recorded tests read their samples with pandas (parquet → pyarrow) and joblib.
      const need: string[] = [];
      const pin = (dist: string) => {
        const v = installed?.find((d) => d.name.toLowerCase() === dist)?.version;
        return v ? `${dist}==${v}` : dist;
      };
      if (fixtureCopies.some((f) => f.path.endsWith(".parquet"))) need.push(pin("pyarrow"));
      if (fixtureCopies.some((f) => f.path.endsWith(".joblib"))) need.push(pin("joblib"));
      if (need.length > 0) {
        files = files.map((f) =>
          f.path === "pyproject.toml" ? { ...f, content: gen.addDevRequirements(f.content, need) } : f,
        );
      }
    }

    const copies: typeof extraction.copies = [];
    for (const c of extraction.copies) {
      const size = (await stat(resolve(dirname(notebookPath), c.from)).catch(() => undefined))?.size;
      if (size === undefined) err(`fledge: warning: data file ${c.from} not found; not copied`);
      else if (size > COPY_LIMIT)
        err(`fledge: warning: ${c.from} is ${(size / 1e6).toFixed(0)} MB; referenced, not copied`);
      else copies.push(c);
    }
    const model = extraction.model;
    const plan = await gen.planWrites(
      outDir,
      files,
      copies,
      {
        fledgeVersion: version(),
        package: model.packageName,
        notebook: model.notebookRelPath,
        dataDir: model.dataDir,
        outputsDir: model.outputsDir,
      },
      { force: Boolean(v.force), notebookDir: dirname(notebookPath) },
    );
    // An absolute path when the relative one climbs out of the current folder (`../../tmp/x` reads badly).
    const relRaw = relative(ctx.cwd, outDir);
    const climbs = relRaw === ".." || relRaw.startsWith(`..${sep}`) || isAbsolute(relRaw);
    const rel = relRaw === "" ? "." : climbs ? outDir : relRaw;
    out(
      `fledge extract: ${notebookArg} → ${rel}/ (package ${model.packageName}, ${model.steps.length} steps${v.stubs ? ", stubs" : ""})`,
    );
    const verb = v["dry-run"]
      ? {
          create: "would create",
          update: "would update",
          unchanged: "unchanged",
          "kept-edited": "would keep",
        }
      : { create: "created", update: "updated", unchanged: "unchanged", "kept-edited": "kept" };
    for (const w of plan.writes) {
      if (w.action === "unchanged" && !v["dry-run"]) continue;
      const note =
        w.action === "kept-edited" ? ` (edited since fledge wrote it; new version in ${w.path}.new)` : "";
      out(`  ${verb[w.action].padEnd(12)} ${w.path}${note}`);
    }
    for (const c of plan.copies)
      out(
        `  ${(v["dry-run"] ? "would copy" : "copied").padEnd(12)} ${c.to}${c.action === "exists" ? " (already there)" : ""}`,
      );
    for (const f of fixtureCopies)
      out(`  ${(v["dry-run"] ? "would create" : "created").padEnd(12)} ${f.path}`);
    // Synthetic fixtures: samples of real rows an earlier extraction wrote must not stay behind.
    const stale =
      synthetic && session && !session.recording.failure
        ? await (await import("../../verify/fixtures.js")).staleFixtureFiles(
            outDir,
            fixtureCopies.map((f) => f.path),
          )
        : [];
    for (const f of stale)
      out(
        `  ${(v["dry-run"] ? "would remove" : "removed").padEnd(12)} ${f} (an earlier sample, not synthetic)`,
      );
    for (const o of plan.obsolete)
      out(`  ${"obsolete".padEnd(12)} ${o} (no longer generated; left in place)`);
    const shown = extraction.findings.filter((f) => f.severity !== "info" || f.todo);
    if (shown.length > 0) {
      out(`${shown.length} finding(s) (also listed in README.md):`);
      for (const f of shown) out(`  ${describe(f)}`);
    }
    if (!installed && !v["no-kernel"])
      err("fledge: warning: no kernel: dependency versions are lower bounds, no requirements.lock");
    if (v["dry-run"]) return 0;

    await gen.applyWrites(plan, dirname(notebookPath));
    if (fixtureCopies.length > 0) {
      const { copyFile, mkdir } = await import("node:fs/promises");
      for (const f of fixtureCopies) {
        const target = resolve(outDir, ...f.path.split("/"));
        await mkdir(dirname(target), { recursive: true });
        await copyFile(f.source, target);
      }
    }
    if (stale.length > 0) {
      const { rm } = await import("node:fs/promises");
      for (const f of stale) await rm(resolve(outDir, ...f.split("/")), { force: true });
    }
    if (!v["no-git"] && !(await insideGitRepo(outDir))) {
      try {
        out(`  ${await gitInit(outDir, model.notebookName)}`);
      } catch (e) {
        err(
          `fledge: warning: git init failed (${(e as Error).message.split("\n")[0]}); the project is written without a repository`,
        );
      }
    }
    out(`Next: cd ${rel} && pip install -e '.[dev]' && python -m ${model.packageName} && pytest`);
    return 0;
  } finally {
    await session?.close();
  }
}

/** Start the notebook's kernel only to read importlib.metadata; undefined (with a warning) when none starts. */
async function readInstalled(
  request: import("../../kernel/index.js").KernelRequest,
  cwd: string,
  ctx: CliContext,
  err: (s: string) => void,
): Promise<import("../../generate/lock.js").InstalledDistribution[] | undefined> {
  const { startKernel } = await import("../../kernel/index.js");
  const gen = await import("../../generate/index.js");
  let kernel: Awaited<ReturnType<typeof startKernel>> | undefined;
  try {
    kernel = await startKernel(request, { cwd, signal: ctx.signal, startTimeoutMs: 30_000 });
    return gen.parseInstalled(
      await kernel.evaluateJson(gen.INSTALLED_DISTRIBUTIONS_EXPR, { timeoutMs: 30_000 }),
    );
  } catch (e) {
    err(`fledge: warning: could not read the notebook environment's versions: ${(e as Error).message}`);
    return undefined;
  } finally {
    await kernel?.shutdown();
  }
}

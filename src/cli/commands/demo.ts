import { cpSync, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { FledgeError } from "../../errors.js";
import type { CliContext, Command } from "../command.js";

/** The package root (two levels above dist/cli/commands or src/cli/commands). */
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

interface DemoStep {
  title: string;
  argv: (paths: { nb: string; project: string; python?: string }) => string[];
  /** Exit codes that mean the step did its job (check exits 1 when it finds something, which the demo expects). */
  ok: number[];
}

const STEPS: DemoStep[] = [
  {
    title: "Find hidden state and reproducibility problems (static: runs nothing)",
    argv: (p) => ["check", p.nb],
    ok: [0, 1],
  },
  { title: "Map the workflow into steps (static)", argv: (p) => ["map", p.nb], ok: [0] },
  {
    title: "The same map as a Mermaid diagram for a README",
    argv: (p) => ["map", p.nb, "--format", "mermaid"],
    ok: [0],
  },
  {
    title: "Extract a production Python project (runs the notebook in a fresh kernel to record values)",
    argv: (p) => ["extract", p.nb, "-o", p.project, ...(p.python ? ["--python", p.python] : [])],
    ok: [0],
  },
  {
    title: "Prove the project behaves like the notebook (runs both, compares step by step)",
    argv: (p) => ["verify", p.project, ...(p.python ? ["--python", p.python] : [])],
    ok: [0],
  },
];

function projectPython(): string | undefined {
  const venv = join(PACKAGE_ROOT, ".venv");
  const python =
    process.platform === "win32" ? join(venv, "Scripts", "python.exe") : join(venv, "bin", "python");
  return existsSync(python) ? python : undefined;
}

export const command: Command = {
  name: "demo",
  summary:
    "Walk through the whole journey on the bundled example notebook (a churn model), in a temporary folder.",
  usage: "demo [--out DIR]",
  help: [["--out DIR", "where to copy the example and write the project (default: a new temporary folder)"]],
  examples: ["fledge demo", "fledge demo --out ./fledge-demo"],
  options: { out: { type: "string" } },
  async run(args, ctx: CliContext) {
    const example = join(PACKAGE_ROOT, "examples", "churn");
    if (!existsSync(join(example, "churn.ipynb"))) {
      throw new FledgeError("E_INPUT", `the bundled example is missing (${example}); reinstall fledge.`);
    }
    const out =
      typeof args.values.out === "string"
        ? resolve(ctx.cwd, args.values.out)
        : mkdtempSync(join(tmpdir(), "fledge-demo-"));
    const work = join(out, "churn");
    cpSync(example, work, { recursive: true, filter: (src) => !src.includes(`${join("churn", "outputs")}`) });
    const paths = {
      nb: join(work, "churn.ipynb"),
      project: join(out, "churn-project"),
      python: projectPython(),
    };
    ctx.stdout.write(`fledge demo: the example notebook is in ${work}\n`);
    const { main } = await import("../main.js");
    // The steps run from the demo's folder, so whatever they keep beside the current folder (check's analysis
    // cache, .fledge_cache/) stays in the demo's folder instead of the user's.
    const stepCtx: CliContext = { ...ctx, cwd: out };
    let failed = 0;
    for (const [index, step] of STEPS.entries()) {
      const argv = step.argv(paths);
      ctx.stdout.write(`\n── ${index + 1}/${STEPS.length} ${step.title}\n$ fledge ${argv.join(" ")}\n\n`);
      const code = await main(argv, stepCtx);
      if (!step.ok.includes(code)) {
        failed++;
        ctx.stdout.write(`\n(step ${index + 1} ended with exit code ${code})\n`);
      }
      if (ctx.signal.aborted) break;
    }
    ctx.stdout.write(
      failed === 0
        ? `\nDone. The example and the generated project are in ${out}\n`
        : `\n${failed} step(s) did not complete; see the messages above. Files are in ${out}\n`,
    );
    return failed === 0 ? 0 : 1;
  },
};

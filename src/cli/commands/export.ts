/**
 * `fledge export airflow|kubeflow <project>`: an orchestrator pipeline for an extracted project (issue 9).
 * Reads the project's .fledge/steps.json; writes orchestration/<pkg>_dag.py or orchestration/<pkg>_kfp.py.
 */
import { mkdir, readFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { type ExitCode, FledgeError } from "../../errors.js";
import type { CliContext, Command, ParsedArgs } from "../command.js";

export const command: Command = {
  name: "export",
  summary: "an Airflow DAG or Kubeflow pipeline running an extracted project's steps",
  usage: "export airflow|kubeflow <project> [options]",
  help: [
    ["-o, --output FILE", "where to write (default: <project>/orchestration/<pkg>_dag.py or _kfp.py)"],
    [
      "--artifacts LOCATION",
      "where tasks pass values: a folder or fsspec URL (default: <project>/outputs/artifacts)",
    ],
    ["--image IMAGE", "kubeflow: the project's container image (default: <pkg>:latest)"],
    ["--force", "overwrite an existing output file"],
  ],
  examples: [
    "fledge export airflow churn/",
    "fledge export kubeflow churn/ --image registry/churn:1.0 --artifacts gs://b/p",
  ],
  options: {
    output: { type: "string", short: "o" },
    artifacts: { type: "string" },
    image: { type: "string" },
    force: { type: "boolean" },
  },
  run: exportCommand,
};

async function exportCommand(args: ParsedArgs, ctx: CliContext): Promise<ExitCode> {
  const [target, projectArg, ...extra] = args.positionals;
  if (target !== "airflow" && target !== "kubeflow")
    throw new FledgeError(
      "E_USAGE",
      `export what? expected airflow or kubeflow, got ${target ?? "nothing"}`,
      {
        hint: "fledge export airflow <project>",
      },
    );
  if (!projectArg || extra.length > 0)
    throw new FledgeError("E_USAGE", "expected one project folder", {
      hint: `fledge export ${target} churn/`,
    });
  const project = resolve(ctx.cwd, projectArg);
  const stepsPath = join(project, ".fledge", "steps.json");
  let spec: import("../../export/index.js").StepsFile;
  try {
    spec = JSON.parse(await readFile(stepsPath, "utf8"));
  } catch (err) {
    throw new FledgeError("E_INPUT", `cannot read ${stepsPath}: ${(err as Error).message}`, {
      location: { file: stepsPath },
      hint: "Export a project written by `fledge extract` (re-extract it if .fledge/steps.json is missing).",
    });
  }
  if (!spec || !Array.isArray(spec.steps) || typeof spec.package !== "string")
    throw new FledgeError("E_INPUT", `${stepsPath} is not a fledge steps file`, {
      location: { file: stepsPath },
    });
  const exp = await import("../../export/index.js");
  const artifacts =
    typeof args.values.artifacts === "string" ? args.values.artifacts : join(project, "outputs", "artifacts");
  const fileName = target === "airflow" ? `${spec.package}_dag.py` : `${spec.package}_kfp.py`;
  const out =
    typeof args.values.output === "string"
      ? resolve(ctx.cwd, args.values.output)
      : join(project, "orchestration", fileName);
  const code =
    target === "airflow"
      ? exp.renderAirflowDag(spec, { artifacts, paramsFile: join(project, "params.yaml") })
      : exp.renderKubeflowPipeline(spec, {
          artifacts,
          image: typeof args.values.image === "string" ? args.values.image : `${spec.package}:latest`,
        });
  const { ruffFile, ruffSettings } = await import("../../generate/ruff.js");
  const formatted = ruffFile(fileName, code, ruffSettings(spec.package, "3.11")).code;
  const { existsSync } = await import("node:fs");
  if (existsSync(out) && !args.values.force)
    throw new FledgeError("E_EXISTS", `${out} exists`, { hint: "Add --force to overwrite it." });
  await mkdir(resolve(out, ".."), { recursive: true });
  const { writeFileAtomic } = await import("../../notebook/fs.js");
  await writeFileAtomic(out, formatted);
  ctx.stdout.write(`wrote ${relative(ctx.cwd, out) || out} (${spec.steps.length} tasks)\n`);
  return 0;
}

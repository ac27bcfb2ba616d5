/** README.md of the generated project: what it is, the map, how to install, run and test, open TODOs. */
import type { ProjectModel } from "../model.js";

export function renderReadme(model: ProjectModel): string {
  const pkg = model.packageName;
  const out: string[] = [`# ${model.title}`, ""];
  out.push(
    `The workflow of \`${model.notebookRelPath}\` as a Python package: one function per step, a pipeline`,
    "that calls them in order with explicit values, parameters in `params.yaml`, and tests.",
    "Extracted by fledge from the notebook; the project does not depend on fledge.",
    "",
  );
  if (model.description) out.push(model.description.replace(/\\\\/g, "\\"), "");
  if (model.mermaid.trim()) out.push("## Workflow", "", "```mermaid", model.mermaid.trim(), "```", "");
  out.push("## Steps", "", "| # | step | takes | returns |", "|---|---|---|---|");
  model.steps.forEach((s, i) => {
    const takes = s.args.map((a) => `\`${a.name}\``).join(", ") || "—";
    const gives = s.returns.map((r) => `\`${r.name}\``).join(", ") || "—";
    out.push(`| ${i + 1} | [\`${s.name}\`](src/${pkg}/steps/${s.module}.py) | ${takes} | ${gives} |`);
  });
  out.push(
    "",
    "## Install",
    "",
    "```bash",
    "python -m venv .venv && . .venv/bin/activate",
    model.lock ? "pip install -r requirements.lock && pip install -e '.[dev]'" : "pip install -e '.[dev]'",
    "```",
    "",
  );
  if (!model.pinned) {
    out.push(
      "> Dependency versions are lower bounds: fledge extracted this project without running the notebook's",
      "> kernel, so it could not read the versions the notebook used. Pin them once the pipeline runs.",
      "",
    );
  }
  out.push(
    "## Run",
    "",
    "```bash",
    `python -m ${pkg}                        # uses params.yaml`,
    `python -m ${pkg} --param key=value      # override one parameter`,
    `python -m ${pkg} --params other.yaml    # another parameter file`,
    "```",
    "",
    `Data is read from \`data_dir\` (default \`${model.dataDir}\`, where the notebook found it) and results are`,
    `written under \`outputs_dir\` (default \`${model.outputsDir}\`).`,
    "",
  );
  if (model.params.length > 0) {
    out.push("| parameter | value in the notebook | used as |", "|---|---|---|");
    for (const p of model.params) {
      const use =
        p.role === "data"
          ? "path under `data_dir`"
          : p.role === "output"
            ? "path under `outputs_dir`"
            : p.kind;
      out.push(`| \`${p.name}\` | \`${JSON.stringify(p.value)}\` | ${use} |`);
    }
    out.push("");
  }
  if (model.envVars.length > 0) {
    out.push("Environment variables (secrets the notebook had as literals):", "");
    for (const v of model.envVars) out.push(`- \`${v}\``);
    out.push("");
  }
  out.push(
    "From Python:",
    "",
    "```python",
    `from ${pkg}.pipeline import load_params, run`,
    "",
    'results = run(load_params("params.yaml"))',
    "```",
    "",
    "## Test",
    "",
    "```bash",
    "pytest",
    "ruff check . && ruff format --check .",
    "```",
    "",
    `The companion notebook \`notebooks/${model.notebookName}\` keeps the exploration cells and calls the package`,
    "for the pipeline steps.",
    "",
  );
  const todos = model.findings.filter((f) => f.severity !== "info" || f.todo);
  if (todos.length > 0) {
    out.push("## To do after extraction", "");
    for (const f of todos) {
      const where = [f.step ? `step \`${f.step}\`` : "", f.cell !== undefined ? `cell ${f.cell + 1}` : ""]
        .filter(Boolean)
        .join(", ");
      out.push(`- ${f.todo ? "**TODO** " : ""}${where ? `(${where}) ` : ""}${f.message}`);
    }
    out.push("");
  }
  out.push(
    "## How IPython syntax was handled",
    "",
    "| in the notebook | in this project |",
    "|---|---|",
    "| `%matplotlib`, `%load_ext`, `%autoreload`, `%config` | dropped |",
    "| `%%time`, `%%timeit`, `%time`, `%%capture` | the code kept, the timing dropped |",
    "| `!pip install`, `%pip install` | a dependency in pyproject.toml |",
    "| `!cmd`, `x = !cmd` | `subprocess.run(...)` with a comment |",
    "| `%run`, other magics | a TODO comment and a note above |",
    "| `%%bash`, `%%writefile` and other cell magics | not part of the pipeline |",
    "| `display(x)`, a bare expression ending a cell, `obj?` | kept in the companion notebook only |",
    "| `print(...)` in a step | `logger.info(...)` |",
    "",
  );
  return `${out.join("\n")}`;
}

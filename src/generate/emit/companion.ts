/**
 * notebooks/<name>.ipynb: the companion notebook. Markdown and exploration cells are kept as written;
 * the statements that moved into the package are replaced, where the step first appears, by a call
 * into it — so the data scientist keeps exploring on top of the tested code.
 */
import type { WorkflowMap } from "../../graph/types.js";
import type { Cell, Notebook } from "../../notebook/types.js";
import { serializeNotebook } from "../../notebook/write.js";
import type { NotebookAnalysis } from "../../python/types.js";
import type { ProjectModel } from "../model.js";
import { lineStartOffsets, normalizeNewlines, offsetAt } from "../source.js";
import { stepCall } from "./pipeline.js";

export function renderCompanion(
  model: ProjectModel,
  notebook: Notebook,
  analysis: NotebookAnalysis,
  map: WorkflowMap,
): string {
  const pkg = model.packageName;
  const cells: Cell[] = [];
  let n = 0;
  const id = () => `fledge-${++n}`;
  const md = (source: string) => cells.push({ cell_type: "markdown", id: id(), metadata: {}, source });
  const code = (source: string) =>
    cells.push({ cell_type: "code", id: id(), metadata: {}, source, execution_count: null, outputs: [] });

  md(
    `# ${model.title} — companion notebook\n\nThe exploration of \`${model.notebookName}\`, on top of the \`${pkg}\` package: the pipeline cells now call the tested step functions (see \`src/${pkg}/steps/\`); the other cells are as they were.`,
  );
  const usesData = model.steps.some((s) =>
    s.args.some((a) => a.source.kind === "param" && a.source.role === "data"),
  );
  const usesOutputs = model.steps.some((s) =>
    s.args.some((a) => a.source.kind === "param" && a.source.role === "output"),
  );
  code(
    [
      "from pathlib import Path",
      "",
      `from ${pkg}.pipeline import load_params${usesOutputs ? ", output_path" : ""}`,
      "",
      'p = load_params(Path("..") / "params.yaml")',
      ...(usesData ? ['data_dir = Path(p["data_dir"])'] : []),
      ...(usesOutputs ? ['outputs_dir = Path(p["outputs_dir"])'] : []),
    ].join("\n"),
  );

  const owner = new Map<string, string>();
  for (const s of map.steps) for (const r of s.statements) owner.set(`${r.cell}:${r.statement}`, s.name);
  const stepByMapName = new Map(model.steps.map((s) => [s.mapName, s]));
  const emitted = new Set<string>();
  const byCell = new Map(analysis.cells.map((c) => [c.cellIndex, c]));

  notebook.cells.forEach((cell, index) => {
    if (cell.cell_type !== "code") {
      cells.push({ ...cell, id: id() } as Cell);
      return;
    }
    const ca = byCell.get(index);
    const owned = ca ? ca.statements.map((_, i) => owner.get(`${index}:${i}`)) : [];
    if (!ca || owned.every((o) => o === undefined)) {
      code(cell.source);
      return;
    }
    for (const stepName of owned) {
      if (!stepName || emitted.has(stepName)) continue;
      emitted.add(stepName);
      const step = stepByMapName.get(stepName);
      if (!step) continue;
      code(`from ${pkg}.steps.${step.module} import ${step.name}\n\n${stepCall(step)}`);
    }
    // Keep what did not move into the package (exploration, imports, definitions).
    const src = normalizeNewlines(cell.source);
    const starts = lineStartOffsets(src);
    const kept: string[] = [];
    ca.statements.forEach((st, i) => {
      if (owned[i] !== undefined) return;
      const from = offsetAt(starts, src, st.span.line, 1);
      const next = starts[st.span.endLine];
      kept.push(src.slice(from, next !== undefined ? next - 1 : src.length));
    });
    const text = kept.join("\n").trim();
    if (text) code(text);
  });

  const nb: Notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      ...(notebook.metadata.kernelspec ? { kernelspec: notebook.metadata.kernelspec } : {}),
      ...(notebook.metadata.language_info ? { language_info: notebook.metadata.language_info } : {}),
    },
    cells,
  };
  return serializeNotebook(nb);
}

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

  // A statement moved into the package when a step owns it; imports stay (the exploration needs them).
  const byCell = new Map(analysis.cells.map((c) => [c.cellIndex, c]));
  const isImport = (cell: number, i: number) =>
    /^(import_statement|import_from_statement|future_import_statement)$/.test(
      byCell.get(cell)?.statements[i]?.type ?? "",
    );
  const isDef = (cell: number, i: number) => /definition$/.test(byCell.get(cell)?.statements[i]?.type ?? "");
  const owner = new Map<string, string>();
  const anchor = new Map<string, number>(); // step → the cell where its call goes (its first real statement)
  for (const s of map.steps) {
    for (const r of s.statements) {
      if (isImport(r.cell, r.statement)) continue;
      owner.set(`${r.cell}:${r.statement}`, s.name);
      if (!isDef(r.cell, r.statement) && !anchor.has(s.name)) anchor.set(s.name, r.cell);
    }
  }
  const stepByMapName = new Map(model.steps.map((s) => [s.mapName, s]));

  notebook.cells.forEach((cell, index) => {
    if (cell.cell_type !== "code") {
      cells.push({ ...cell, id: id() } as Cell);
      return;
    }
    const ca = byCell.get(index);
    const owned = ca ? ca.statements.map((_, i) => owner.get(`${index}:${i}`)) : [];
    const calls = map.steps.filter((s) => anchor.get(s.name) === index);
    if (!ca || (owned.every((o) => o === undefined) && calls.length === 0)) {
      code(cell.source);
      return;
    }
    for (const s of calls) {
      const step = stepByMapName.get(s.name);
      if (step) code(`from ${pkg}.steps.${step.module} import ${step.name}\n\n${stepCall(step)}`);
    }
    // Keep what did not move into the package (exploration, imports).
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

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

  // Names a kept exploration statement can use: the set-up cell's, the step calls' results, what kept
  // statements define. A statement reading a value that stays inside a step (not returned) is commented out
  // with a note rather than left to fail with a NameError.
  const available = new Set(["Path", "load_params", "output_path", "p", "data_dir", "outputs_dir"]);
  const statementText = (src: string, starts: number[], st: { span: { line: number; endLine: number } }) => {
    const from = offsetAt(starts, src, st.span.line, 1);
    const next = starts[st.span.endLine];
    return src.slice(from, next !== undefined ? next - 1 : src.length);
  };

  notebook.cells.forEach((cell, index) => {
    if (cell.cell_type !== "code") {
      cells.push({ ...cell, id: id() } as Cell);
      return;
    }
    const ca = byCell.get(index);
    if (!ca) {
      code(cell.source);
      return;
    }
    const owned = ca.statements.map((_, i) => owner.get(`${index}:${i}`));
    for (const s of map.steps.filter((st) => anchor.get(st.name) === index)) {
      const step = stepByMapName.get(s.name);
      if (!step) continue;
      code(`from ${pkg}.steps.${step.module} import ${step.name}\n\n${stepCall(step)}`);
      for (const r of step.returns) available.add(r.name);
    }
    const src = normalizeNewlines(cell.source);
    const starts = lineStartOffsets(src);
    let changed = owned.some((o) => o !== undefined);
    const kept: string[] = [];
    ca.statements.forEach((st, i) => {
      if (owned[i] !== undefined) return;
      const missing = st.reads.filter((r) => !available.has(r));
      const text = statementText(src, starts, st);
      if (missing.length > 0) {
        changed = true;
        kept.push(
          `# fledge: ${missing.map((m) => `\`${m}\``).join(", ")} stay${missing.length > 1 ? "" : "s"} inside the package's steps (not returned); recompute to explore:`,
          ...text.split("\n").map((l) => `# ${l}`),
        );
        return;
      }
      for (const d of st.defines) available.add(d);
      kept.push(text);
    });
    if (!changed) code(cell.source);
    else {
      const text = kept.join("\n").trim();
      if (text) code(text);
    }
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

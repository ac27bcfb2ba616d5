/**
 * A step's function body: its statements sliced from the cells by span (magics per the policy), with
 * parameter literals replaced by their argument names, constants taken as parameters, imports and
 * definitions left to module level, display-only statements dropped, secrets moved to the environment and
 * unusable statements marked TODO. Also what the step reads from outside (its inputs), what it produces,
 * the helpers it uses and the type hints known after it.
 */
import type { Step } from "../graph/types.js";
import { isDefinition, isImport } from "./helpers.js";
import { humanize, snakeCase } from "./naming.js";
import type { PlanContext, StepWork } from "./plan-context.js";
import { recordedHintUsable, recordHints } from "./plan-imports.js";
import { paramArg } from "./plan-params.js";
import { cleanMarkdown, notebookSource } from "./plan-text.js";
import { renameIdentifiers, rewriteStatement } from "./rewrite.js";
import {
  lineStartOffsets,
  nonPythonCellMagic,
  normalizeNewlines,
  offsetAt,
  sliceStatement,
} from "./source.js";

/** Plan one step of the map; undefined when nothing of it is left (no statement kept, no helper used). */
export function buildStep(ctx: PlanContext, step: Step): StepWork | undefined {
  const { notebook, helpers, helperArgs, rewriteCtx, renames, constantByParam, constArg } = ctx;
  const name = snakeCase(step.name);
  const work: StepWork = {
    step,
    model: {
      name,
      mapName: step.name,
      module: name,
      role: step.role,
      title: step.heading?.trim() || humanize(name),
      description: cleanMarkdown(step.description, step.heading),
      args: [],
      returns: [],
      body: "",
      originalCode: "",
      imports: [],
      helpers: [],
      sharedHelpers: [],
      globals: [],
      cells: [...step.cells],
      usesLogging: false,
      writes: [],
    },
    produces: new Set(),
    needs: [],
    resultNames: [],
    helpersUsed: new Set(step.helpers.filter((h) => helpers.has(h))),
    usesSubprocess: false,
    usesOs: false,
    usesPartial: false,
    hints: new Map(),
  };
  const defined = new Set<string>();
  const shadowed = new Set<string>();
  const stepParamNames = new Set<string>();
  const originals: string[] = [];
  const bodyParts: string[] = [];
  let lastCell = -1;
  const resultRefs = new Set(step.results.map((r) => `${r.cell}:${r.statement}`));

  for (const ref of step.statements) {
    const cell = ctx.cellsByIndex.get(ref.cell);
    const record = cell?.statements[ref.statement];
    if (!cell || !record) continue;
    if (nonPythonCellMagic(cell)) continue;
    if (isImport(record.type)) continue;
    const src = notebookSource(notebook, ref.cell);
    const constant = [...ctx.constants.entries()].find(([, c]) => c.key === `${ref.cell}:${ref.statement}`);
    if (constant) {
      const [cname, c] = constant;
      const starts = lineStartOffsets(normalizeNewlines(src));
      const norm = normalizeNewlines(src);
      const text = norm.slice(
        offsetAt(starts, norm, record.span.line, 1),
        offsetAt(starts, norm, record.span.endLine + 1, 1),
      );
      const arg = paramArg(ctx, c.param, name, text, false);
      constArg.set(cname, arg);
      originals.push(text.trimEnd());
      continue;
    }
    if (isDefinition(record.type)) {
      for (const d of record.defines) if (helpers.has(d)) work.helpersUsed.add(d);
      originals.push(sliceStatement(src, cell, ref.statement, name).source.raw);
      continue;
    }
    // Parameter literals inside this statement.
    const literalEdits: { from: number; to: number; text: string }[] = [];
    const starts = lineStartOffsets(normalizeNewlines(src));
    const norm = normalizeNewlines(src);
    const stmtFrom = offsetAt(starts, norm, record.span.line, 1);
    const stmtTo = offsetAt(starts, norm, record.span.endLine + 1, 1);
    for (const p of step.parameters) {
      if (p.cell !== ref.cell) continue;
      const from = offsetAt(starts, norm, p.span.line, p.span.column);
      const to = offsetAt(starts, norm, p.span.endLine, p.span.endColumn);
      if (from < stmtFrom || to > stmtTo || to <= from) continue;
      const arg = paramArg(
        ctx,
        p,
        name,
        norm.slice(stmtFrom, stmtTo),
        resultRefs.has(`${ref.cell}:${ref.statement}`),
      );
      if (!work.model.args.some((a) => a.name === arg.name)) work.model.args.push(arg);
      stepParamNames.add(arg.name);
      literalEdits.push({ from, to, text: arg.name });
    }
    const { source, outcome } = sliceStatement(src, cell, ref.statement, name, literalEdits);
    originals.push(source.raw);
    ctx.findings.push(...outcome.findings);
    ctx.requirements.push(...outcome.requirements);
    work.usesSubprocess ||= outcome.usesSubprocess;
    work.usesOs ||= outcome.usesOs;
    // A helper name the step assigns is a local variable from then on, not the helper.
    for (const d of record.defines) if (helpers.has(d)) shadowed.add(d);
    const broken = cell.diagnostics.some(
      (d) => d.severity === "error" && d.span.line >= record.span.line && d.span.line <= record.span.endLine,
    );
    const rw = broken
      ? {
          ...rewriteStatement("", record, rewriteCtx),
          dropped: false,
          code: source.code,
          problems: [{ kind: "syntax" as const, detail: "the statement does not parse as Python 3" }],
        }
      : rewriteStatement(source.code, record, { ...rewriteCtx, shadowed });
    if (rw.dropped) continue;
    let code = renameIdentifiers(rw.code, renames);
    if (stepParamNames.size > 0) {
      const m = code.trim().match(/^([A-Za-z_]\w*)\s*=\s*([A-Za-z_]\w*)$/);
      if (m && m[1] === m[2] && stepParamNames.has(m[1]!)) continue; // `test_size = test_size`
    }
    for (const p of rw.problems) {
      if (p.kind === "secret") {
        ctx.envVars.add(p.detail);
        ctx.findings.push({
          code: "secret",
          severity: "warning",
          message: `a secret literal became os.environ[${JSON.stringify(p.detail)}]; set ${p.detail} in the environment`,
          cell: ref.cell,
          line: record.span.line,
          step: name,
        });
      } else {
        ctx.findings.push({
          code: p.kind === "exec" ? "exec" : "unparsable-statement",
          severity: "warning",
          message: `${p.detail} (cell ${ref.cell + 1}, line ${record.span.line})`,
          cell: ref.cell,
          line: record.span.line,
          step: name,
          todo: true,
        });
        if (p.kind === "syntax") {
          code = `# TODO(fledge): this statement is not valid Python and was left out:\n${code
            .split("\n")
            .map((l) => `# ${l}`)
            .join("\n")}`;
        } else code = `# TODO(fledge): ${p.detail}; replace it with explicit code.\n${code}`;
      }
    }
    work.model.usesLogging ||= rw.usesLogging;
    work.usesOs ||= rw.usesOs;
    work.usesPartial ||= rw.usesPartial;
    // Reads from outside the step (names defined by earlier statements of the step are local).
    const reads = [...record.reads];
    for (const r of record.reads)
      if (!shadowed.has(r)) for (const extra of helperArgs.get(r) ?? []) reads.push(extra);
    for (const read of reads) {
      const r = constantByParam.get(read) ?? read;
      if (helpers.has(r) && !shadowed.has(r)) {
        work.helpersUsed.add(r);
        continue;
      }
      const cArg = constArg.get(r);
      if (cArg) {
        if (!work.model.args.some((a) => a.name === cArg.name)) work.model.args.push(cArg);
        stepParamNames.add(cArg.name);
        continue;
      }
      if (defined.has(r) || ctx.imports.bound.has(r) || stepParamNames.has(r) || work.needs.includes(r))
        continue;
      work.needs.push(r);
    }
    for (const d of [...record.defines, ...record.modifies]) {
      defined.add(d);
      work.produces.add(d);
    }
    if (resultRefs.has(`${ref.cell}:${ref.statement}`)) {
      const m = code.trim().match(/^([A-Za-z_]\w*)\s*=/);
      if (m) work.resultNames.push(m[1]!);
    }
    recordHints(code, ctx.hintCtx);
    if (lastCell !== -1 && lastCell !== ref.cell) bodyParts.push("");
    lastCell = ref.cell;
    bodyParts.push([...source.comments, code].join("\n"));
  }
  if (bodyParts.length === 0 && work.helpersUsed.size === 0) return undefined;
  work.hints = new Map(ctx.hintCtx.known);
  // A type recorded in the real run beats a guess from the code.
  for (const [n, a] of ctx.options.recordedHints?.get(step.name) ?? []) {
    if (recordedHintUsable(ctx.imports, a)) work.hints.set(n, a.text);
  }
  work.model.body = bodyParts.join("\n");
  work.model.originalCode = originals.join("\n\n");
  return work;
}

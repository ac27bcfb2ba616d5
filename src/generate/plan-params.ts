/**
 * The arguments of the step functions: notebook constants and literals the map marked as parameters
 * (params.yaml entries, de-duplicated across steps), and the inputs each step reads, traced to the latest
 * earlier step that produced them (or, when none did, a TODO parameter).
 */
import { isAbsolute, posix } from "node:path";
import type { StepParameter, WorkflowMap } from "../graph/types.js";
import type { Notebook } from "../notebook/types.js";
import type { CellAnalysis, NotebookAnalysis } from "../python/types.js";
import type { HelperDef } from "./helpers.js";
import { hintFor, hintForValue } from "./hints.js";
import type { ArgModel, ParamModel, ParamRole } from "./model.js";
import type { PlanContext, StepWork } from "./plan-context.js";
import { notebookSource } from "./plan-text.js";
import { normalizeNewlines } from "./source.js";

const WRITE_HINT =
  /\.(to_csv|to_parquet|to_excel|to_json|to_pickle|to_feather|to_html|savefig|save|save_model|dump|write|write_text|write_bytes)\(|\b(dump|savefig|save|imwrite|open\([^)]*['"][wa]b?['"])/;

/** A notebook constant that is a parameter: the map's parameter and its statement ("cell:statement"). */
export interface ConstantParam {
  param: StepParameter;
  key: string;
}

/**
 * Constants: a name assigned exactly once in the notebook (`NAME = literal`, the whole statement), whose
 * literal the map made a parameter under another name that the notebook does not use.
 */
export function findConstants(
  notebook: Notebook,
  analysis: NotebookAnalysis,
  map: WorkflowMap,
  cellsByIndex: Map<number, CellAnalysis>,
  helpers: Map<string, HelperDef>,
): Map<string, ConstantParam> {
  const assigned = new Map<string, number>();
  const names = new Set<string>();
  for (const c of analysis.cells) {
    for (const st of c.statements) {
      for (const d of [...st.defines, ...st.modifies]) assigned.set(d, (assigned.get(d) ?? 0) + 1);
      for (const n of [...st.defines, ...st.reads]) names.add(n);
    }
    for (const f of c.functions) for (const g of f.globalWrites) assigned.set(g, (assigned.get(g) ?? 0) + 2);
  }
  const out = new Map<string, ConstantParam>();
  for (const step of map.steps) {
    for (const ref of step.statements) {
      const rec = cellsByIndex.get(ref.cell)?.statements[ref.statement];
      const target = rec?.defines[0];
      if (!rec || !target || rec.defines.length !== 1) continue;
      if (assigned.get(target) !== 1) continue;
      // The whole statement: a list literal may span several lines (`NUMERIC = [...,\n ...]`).
      const line = normalizeNewlines(notebookSource(notebook, ref.cell))
        .split("\n")
        .slice(rec.span.line - 1, rec.span.endLine)
        .join("\n");
      const m = line.match(/^([A-Za-z_]\w*)\s*=\s*([\s\S]+?)\s*(#[^\n]*)?$/);
      if (!m || m[1] !== target) continue;
      const param = step.parameters.find(
        (p) => p.cell === ref.cell && p.span.line === rec.span.line && p.literal.trim() === m[2]!.trim(),
      );
      if (!param || param.name === target || names.has(param.name) || helpers.has(param.name)) continue;
      out.set(target, { param, key: `${ref.cell}:${ref.statement}` });
    }
  }
  return out;
}

/**
 * The argument for a parameter literal of a step, adding its params.yaml entry (one key per name and value
 * across steps; a second value under the same name gets the step's prefix). A path is data unless the
 * statement writes it (or is a result), then it is an output.
 */
export function paramArg(
  ctx: PlanContext,
  p: StepParameter,
  stepName: string,
  stmtText: string,
  isResult: boolean,
): ArgModel {
  let role: ParamRole = "value";
  let value = p.value;
  if (p.kind === "path" && typeof value === "string") {
    // A path the notebook writes is an output even when a previous run left the file on disk.
    role = isResult || WRITE_HINT.test(stmtText) ? "output" : "data";
    if (isAbsolute(value) || /^[A-Za-z]:[\\/]/.test(value)) {
      role = "data";
      ctx.findings.push({
        code: "absolute-path",
        severity: "warning",
        message: `absolute path ${JSON.stringify(value)} became the parameter \`${p.name}\`; point it at the data on the machine that runs the pipeline`,
        cell: p.cell,
        line: p.span.line,
        step: stepName,
      });
    } else value = posix.normalize(value.replace(/\\/g, "/"));
    // Outputs are relative to outputs_dir ("outputs"): `outputs/predictions.csv` must not land in outputs/outputs/.
    if (role === "output" && typeof value === "string" && value.startsWith("outputs/") && value.length > 8)
      value = value.slice("outputs/".length);
  }
  let key = p.name;
  const existing = ctx.params.find((q) => q.name === key);
  if (existing && JSON.stringify(existing.value) !== JSON.stringify(value)) key = `${stepName}_${p.name}`;
  if (!ctx.params.some((q) => q.name === key)) {
    ctx.params.push({
      name: key,
      value,
      role,
      kind: p.kind,
      literal: p.literal,
      comment: `${p.kind} from cell ${p.cell + 1}${role === "data" ? " (relative to data_dir)" : role === "output" ? " (relative to outputs_dir)" : ""}`,
    });
  }
  const hint =
    role !== "value"
      ? "str"
      : Array.isArray(value)
        ? hintForValue(value)
        : (hintFor(p.literal, ctx.hintCtx) ?? hintForValue(value));
  const arg: ArgModel = { name: p.name, source: { kind: "param", param: key, role } };
  if (hint) arg.hint = hint;
  if (role === "value" && !Array.isArray(value) && value !== null) arg.defaultLiteral = p.literal;
  return arg;
}

/** Who uses what: for each step, the names later steps take from it; for "step index:name", the users. */
export interface InputWiring {
  neededLater: Set<string>[];
  consumers: Map<string, string[]>;
}

/**
 * Provenance: each name a step needs comes from the latest earlier step that produced it (an input
 * argument, with that step's hint), else from a star import when the notebook has one, else it becomes an
 * unresolved TODO parameter. Arguments end up as inputs in first-read order, then parameters without
 * defaults, then those with.
 */
export function wireInputs(ctx: PlanContext, works: StepWork[]): InputWiring {
  const starImports = ctx.imports.star;
  const provider = new Map<string, number>();
  const neededLater = works.map(() => new Set<string>());
  const unresolvedParams = new Map<string, ParamModel>();
  const consumers = new Map<string, string[]>();
  works.forEach((w, k) => {
    for (const name of w.needs) {
      const from = provider.get(name);
      if (from !== undefined) {
        neededLater[from]!.add(name);
        const users = consumers.get(`${from}:${name}`) ?? [];
        users.push(w.model.name);
        consumers.set(`${from}:${name}`, users);
        const hint = works[from]!.hints.get(name);
        w.model.args.unshift({
          name,
          ...(hint ? { hint } : {}),
          source: { kind: "input", from: works[from]!.model.name },
        });
      } else if (starImports.length > 0 && !w.step.inputs.includes(name)) {
        ctx.findings.push({
          code: "star-import",
          severity: "warning",
          message: `\`${name}\` is assumed to come from a star import (${starImports.join("; ")})`,
          step: w.model.name,
        });
        for (const s of starImports) if (!w.model.imports.includes(s)) w.model.imports.push(s);
      } else {
        let p = unresolvedParams.get(name);
        if (!p) {
          p = {
            name,
            value: null,
            role: "value",
            kind: "unresolved",
            comment: `TODO: \`${name}\` is defined nowhere in the notebook's pipeline cells; set it`,
          };
          unresolvedParams.set(name, p);
          ctx.params.push(p);
          const later = works.slice(k + 1).find((x) => x.produces.has(name));
          ctx.findings.push({
            code: "unresolved-name",
            severity: "warning",
            message: later
              ? `\`${name}\` is read by step ${w.model.name} but defined only below, in step ${later.model.name}: the notebook runs out of order (\`fledge check --fix\` reorders it); for now it is the parameter \`${name}\` in params.yaml (TODO)`
              : `\`${name}\` is read by step ${w.model.name} but no earlier step defines it; it became the parameter \`${name}\` in params.yaml (TODO: set it)`,
            step: w.model.name,
            todo: true,
          });
        }
        w.model.args.push({ name, source: { kind: "param", param: name, role: "value" } });
      }
    }
    // inputs were unshifted in reverse: restore first-read order
    const inputs = w.model.args.filter((a) => a.source.kind === "input").reverse();
    const rest = w.model.args.filter((a) => a.source.kind !== "input");
    w.model.args = [...inputs, ...sortParams(rest)];
    for (const name of w.produces) provider.set(name, k);
  });
  return { neededLater, consumers };
}

function sortParams(args: ArgModel[]): ArgModel[] {
  const noDefault = args.filter((a) => a.defaultLiteral === undefined);
  const withDefault = args.filter((a) => a.defaultLiteral !== undefined);
  return [...noDefault, ...withDefault];
}

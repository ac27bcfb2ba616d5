/**
 * From a notebook, its cell analysis and its workflow map to the project model (see model.ts).
 *
 * Decisions made here, once:
 * - Each step's statements (sliced from the cells by span, magics per the policy) form its function body;
 *   imports and definitions go to module level; display-only statements are dropped.
 * - Inputs are recomputed from the kept statements' reads (plus the globals of the helpers they call), and
 *   each input is traced to the latest earlier step that defined or modified it; that step returns it.
 *   Running the steps in order with the same variable names in `pipeline.run` then gives every step the
 *   version of a name it used in the notebook (a name redefined in several steps, an object mutated in
 *   place and rebound).
 * - Literals the map marked as parameters become function parameters and params.yaml entries.
 */
import { isAbsolute, posix } from "node:path";
import type { Step, StepParameter, WorkflowMap } from "../graph/types.js";
import type { Notebook } from "../notebook/types.js";
import type { CellAnalysis, NotebookAnalysis, StatementRecord } from "../python/types.js";
import { type HelperDef, helperClosure, indexHelpers, isDefinition, isImport } from "./helpers.js";
import { hintContext, hintFor, hintForValue } from "./hints.js";
import type { InstalledDistribution } from "./lock.js";
import type {
  ArgModel,
  ExtractFinding,
  HelperModel,
  ParamModel,
  ParamRole,
  ProjectModel,
  StepModel,
} from "./model.js";
import { humanize, packageNameFor, projectNameFor, snakeCase } from "./naming.js";
import { cleanMarkdown, firstMarkdown, importsFor } from "./plan-text.js";
import { type RewriteContext, renameIdentifiers, rewriteHelper, rewriteStatement } from "./rewrite.js";
import {
  lineStartOffsets,
  nonPythonCellMagic,
  normalizeNewlines,
  offsetAt,
  rewriteMagicLine,
  sliceStatement,
} from "./source.js";

export interface PlanInput {
  notebook: Notebook;
  analysis: NotebookAnalysis;
  map: WorkflowMap;
  /** The notebook's path relative to the project folder, with / separators ("../analysis/churn.ipynb"). */
  notebookRelPath: string;
  /** The notebook's folder relative to the project ("../analysis", "." when inside it). */
  dataDir: string;
  options: PlanOptions;
}

export interface PlanOptions {
  packageName?: string;
  stubs?: boolean;
  /** Mermaid text of the map for the README. */
  mermaid?: string;
  /** Does a path (relative to the notebook's folder, or absolute) exist? Decides data vs output paths. */
  fileExists?: (path: string) => boolean;
  /** Distributions installed where the notebook ran (from its kernel); lower bounds are used without. */
  installed?: InstalledDistribution[];
  /** Types recorded in a real run: map step name → value name → annotation (text and the imports it needs). */
  recordedHints?: Map<string, Map<string, { text: string; imports: string[] }>>;
}

const WRITE_HINT =
  /\.(to_csv|to_parquet|to_excel|to_json|to_pickle|to_feather|to_html|savefig|save|save_model|dump|write|write_text|write_bytes)\(|\b(dump|savefig|save|imwrite|open\([^)]*['"][wa]b?['"])/;

interface Item {
  cell: number;
  index: number;
  record: StatementRecord;
  code: string;
  comments: string[];
  raw: string;
}

interface StepWork {
  step: Step;
  model: StepModel;
  /** Names defined or modified by the kept statements. */
  produces: Set<string>;
  /** Names read from outside the step, in first-read order. */
  needs: string[];
  /** Names of result statements' simple assignments (metrics): returned even when no step reads them. */
  resultNames: string[];
  items: Item[];
  helpersUsed: Set<string>;
  usesSubprocess: boolean;
  usesOs: boolean;
  usesPartial: boolean;
  /** Type hints known after the step's statements. */
  hints: Map<string, string>;
}

export function planProject(input: PlanInput): ProjectModel {
  const { notebook, analysis, map, options } = input;
  const findings: ExtractFinding[] = [];
  const cellsByIndex = new Map<number, CellAnalysis>(analysis.cells.map((c) => [c.cellIndex, c]));
  const pythonVersion = analysis.pythonVersion || "3.11";

  // --- imports anywhere in the notebook: bound name → statement text (last one wins)
  const importText = new Map<string, string>();
  const importedTops = new Set<string>();
  const starImports: string[] = [];
  for (const cell of analysis.cells) {
    for (const imp of cell.imports) {
      importedTops.add(imp.module.split(".")[0]!);
      if (imp.star) starImports.push(`from ${imp.module} import *`);
    }
    cell.statements.forEach((st, i) => {
      if (!isImport(st.type)) return;
      const text = sliceStatement(notebookSource(notebook, cell.cellIndex), cell, i, undefined).source.code;
      for (const name of st.defines) importText.set(name, text.trim());
    });
  }
  const importBound = new Set(importText.keys());
  // Imports that recorded type hints need and the notebook does not have (`np.ndarray` without numpy imported).
  const hintImportText = new Map<string, string>();

  const nbStem = input.notebookRelPath
    .split("/")
    .pop()!
    .replace(/\.(ipynb|py)$/i, "");
  const packageName = options.packageName
    ? snakeCase(options.packageName)
    : packageNameFor(nbStem, importedTops, pythonVersion);

  // --- helpers
  const helpers = indexHelpers(analysis, importBound, findings);

  // --- notebook constants: `WINDOW = 6`, assigned once, whose literal the map made a parameter, is that
  // parameter wherever it is used (steps and helpers take `window`, not a value handed along by the step
  // that happened to define it).
  const constants = findConstants();
  const renames = new Map([...constants].map(([name, c]) => [name, c.param.name]));
  const constantByParam = new Map([...constants].map(([name, c]) => [c.param.name, name]));
  const constArg = new Map<string, ArgModel>();
  for (const h of helpers.values()) h.params = [...new Set(h.params.map((n) => renames.get(n) ?? n))].sort();
  const helperArgs = new Map<string, string[]>([...helpers.values()].map((h) => [h.name, h.params]));
  const rewriteCtx: RewriteContext = { helperArgs, printToLogging: true };

  // --- parameters: name in params.yaml, de-duplicated across steps
  const params: ParamModel[] = [];
  const paramKey = new Map<StepParameter, string>();
  const hintCtx = hintContext(analysis.cells.flatMap((c) => c.imports));

  const works: StepWork[] = [];
  const envVars = new Set<string>();
  const requirements: string[] = [];
  const dataFiles = new Set<string>();

  for (const step of map.steps) {
    const work = buildStep(step);
    if (work) works.push(work);
  }

  // pip lines anywhere in the notebook are dependencies, whatever step they are in.
  for (const cell of analysis.cells) {
    for (const m of cell.magics) {
      if (
        (m.kind === "shell" && /^pip3?$|^conda$|^uv$/.test(m.name)) ||
        (m.kind === "line-magic" && m.name === "pip")
      ) {
        const r = rewriteMagicLine(m, "", cell.cellIndex, undefined);
        requirements.push(...r.requirements);
      }
    }
    const nonPy = nonPythonCellMagic(cell);
    if (nonPy) {
      findings.push({
        code: "non-python-cell",
        severity: "warning",
        message: `cell magic %%${nonPy.name} is not Python; the cell is not part of the pipeline`,
        cell: cell.cellIndex,
      });
    }
  }

  // --- provenance: each needed name comes from the latest earlier step that produced it
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
        findings.push({
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
          params.push(p);
          const later = works.slice(k + 1).find((x) => x.produces.has(name));
          findings.push({
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

  // --- returns
  works.forEach((w, k) => {
    const names = [...neededLater[k]!];
    for (const n of w.resultNames) if (!names.includes(n) && w.produces.has(n)) names.push(n);
    for (const n of w.step.outputs) if (!names.includes(n) && w.produces.has(n)) names.push(n);
    w.model.returns = names.map((name) => ({
      name,
      ...hintOf(w, name),
      usedBy: consumers.get(`${k}:${name}`) ?? [],
    }));
  });

  const steps = works.map((w) => w.model);

  // --- shared helpers
  const uses = new Map<string, number>();
  for (const w of works)
    for (const h of helperClosure(w.helpersUsed, helpers)) uses.set(h, (uses.get(h) ?? 0) + 1);
  const shared = helperClosure(
    [...uses]
      .filter(([, n]) => n > 1)
      .map(([h]) => h)
      .concat(map.sharedHelpers.filter((h) => uses.has(h))),
    helpers,
  );
  const sharedModels: HelperModel[] = [];
  for (const name of sortByNotebookOrder([...shared], helpers))
    sharedModels.push(helperModel(helpers.get(name)!));
  for (const w of works) {
    const mine = helperClosure(w.helpersUsed, helpers);
    w.model.helpers = sortByNotebookOrder(
      [...mine].filter((h) => !shared.has(h)),
      helpers,
    ).map((h) => helperModel(helpers.get(h)!));
    w.model.sharedHelpers = [...mine].filter((h) => shared.has(h)).sort();
    w.model.globals = [
      ...new Set([...mine].filter((h) => !shared.has(h)).flatMap((h) => helpers.get(h)!.globalWrites)),
    ].filter((g) => !w.model.args.some((a) => a.name === g));
    w.usesPartial ||= w.model.helpers.some((h) => h.code.includes("partial("));
    for (const g of w.model.globals) {
      findings.push({
        code: "global-statement",
        severity: "info",
        message: `a helper assigns the global \`${g}\`; the step function declares it global in its module`,
        step: w.model.name,
      });
    }
  }
  for (const h of sharedModels) {
    const def = helpers.get(h.name)!;
    if (def.globalWrites.length > 0) {
      findings.push({
        code: "global-statement",
        severity: "warning",
        message: `shared helper ${h.name} assigns globals (${def.globalWrites.join(", ")}) of helpers.py, not of the step that calls it; return the value instead`,
        cell: def.cell,
        todo: true,
      });
    }
  }

  // --- module imports: what each module's code uses
  for (const w of works) {
    const code = [
      w.model.body,
      ...w.model.helpers.map((h) => h.code),
      ...w.model.args.map((a) => a.hint ?? ""),
      ...w.model.returns.map((r) => r.hint ?? ""),
    ].join("\n");
    const extra: string[] = [];
    if (w.usesSubprocess) extra.push("import subprocess");
    if (w.usesOs) extra.push("import os");
    if (w.usesPartial) extra.push("from functools import partial");
    if (w.model.usesLogging) extra.push("import logging");
    const imports = importsFor(code, new Map([...hintImportText, ...importText]));
    w.model.imports = [...new Set([...extra, ...imports, ...w.model.imports])];
  }
  const sharedCode = sharedModels.map((h) => h.code).join("\n");
  const sharedHelperImports = importsFor(sharedCode, importText);
  if (sharedModels.some((h) => h.code.includes("partial(")))
    sharedHelperImports.push("from functools import partial");

  // Mark data files the notebook read (for --copy-data and the README).
  for (const p of params)
    if (p.role === "data" && typeof p.value === "string" && !isAbsolute(p.value)) dataFiles.add(p.value);

  const description = firstMarkdown(notebook);
  const title = description.title ?? humanize(packageName);

  const model: ProjectModel = {
    projectName: projectNameFor(packageName),
    packageName,
    pythonVersion,
    notebookName: input.notebookRelPath.split("/").pop()!,
    notebookRelPath: input.notebookRelPath,
    dataDir: input.dataDir,
    outputsDir: "outputs",
    title,
    description: description.text,
    steps,
    sharedHelpers: sharedModels,
    sharedHelperImports,
    params,
    dependencies: [],
    pipRequirements: [...new Set(requirements)],
    envVars: [...envVars].sort(),
    dataFiles: [...dataFiles].sort(),
    findings,
    stubs: options.stubs ?? false,
    pinned: options.installed !== undefined,
    mermaid: options.mermaid ?? "",
  };
  return model;

  // ---------------------------------------------------------------------------------------------

  function buildStep(step: Step): StepWork | undefined {
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
      items: [],
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
      const cell = cellsByIndex.get(ref.cell);
      const record = cell?.statements[ref.statement];
      if (!cell || !record) continue;
      if (nonPythonCellMagic(cell)) continue;
      if (isImport(record.type)) continue;
      const src = notebookSource(notebook, ref.cell);
      const constant = [...constants.entries()].find(([, c]) => c.key === `${ref.cell}:${ref.statement}`);
      if (constant) {
        const [cname, c] = constant;
        const starts = lineStartOffsets(normalizeNewlines(src));
        const norm = normalizeNewlines(src);
        const text = norm.slice(
          offsetAt(starts, norm, record.span.line, 1),
          offsetAt(starts, norm, record.span.endLine + 1, 1),
        );
        const arg = paramArg(step, c.param, name, text, false);
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
          step,
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
      findings.push(...outcome.findings);
      requirements.push(...outcome.requirements);
      work.usesSubprocess ||= outcome.usesSubprocess;
      work.usesOs ||= outcome.usesOs;
      // A helper name the step assigns is a local variable from then on, not the helper.
      for (const d of record.defines) if (helpers.has(d)) shadowed.add(d);
      const broken = cell.diagnostics.some(
        (d) =>
          d.severity === "error" && d.span.line >= record.span.line && d.span.line <= record.span.endLine,
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
          envVars.add(p.detail);
          findings.push({
            code: "secret",
            severity: "warning",
            message: `a secret literal became os.environ[${JSON.stringify(p.detail)}]; set ${p.detail} in the environment`,
            cell: ref.cell,
            line: record.span.line,
            step: name,
          });
        } else {
          findings.push({
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
        if (defined.has(r) || importBound.has(r) || stepParamNames.has(r) || work.needs.includes(r)) continue;
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
      recordHints(code);
      if (lastCell !== -1 && lastCell !== ref.cell) bodyParts.push("");
      lastCell = ref.cell;
      bodyParts.push([...source.comments, code].join("\n"));
    }
    if (bodyParts.length === 0 && work.helpersUsed.size === 0) return undefined;
    work.hints = new Map(hintCtx.known);
    // A type recorded in the real run beats a guess from the code.
    for (const [n, a] of options.recordedHints?.get(step.name) ?? []) {
      if (recordedHintUsable(a)) work.hints.set(n, a.text);
    }
    work.model.body = bodyParts.join("\n");
    work.model.originalCode = originals.join("\n\n");
    return work;
  }

  function findConstants(): Map<string, { param: StepParameter; key: string }> {
    const assigned = new Map<string, number>();
    const names = new Set<string>();
    for (const c of analysis.cells) {
      for (const st of c.statements) {
        for (const d of [...st.defines, ...st.modifies]) assigned.set(d, (assigned.get(d) ?? 0) + 1);
        for (const n of [...st.defines, ...st.reads]) names.add(n);
      }
      for (const f of c.functions)
        for (const g of f.globalWrites) assigned.set(g, (assigned.get(g) ?? 0) + 2);
    }
    const out = new Map<string, { param: StepParameter; key: string }>();
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

  function paramArg(
    step: Step,
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
        findings.push({
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
    // One key per (name, value) across steps; a second value under the same name gets the step's prefix.
    let key = p.name;
    const existing = params.find((q) => q.name === key);
    if (existing && JSON.stringify(existing.value) !== JSON.stringify(value)) key = `${stepName}_${p.name}`;
    if (!params.some((q) => q.name === key)) {
      params.push({
        name: key,
        value,
        role,
        kind: p.kind,
        literal: p.literal,
        comment: `${p.kind} from cell ${p.cell + 1}${role === "data" ? " (relative to data_dir)" : role === "output" ? " (relative to outputs_dir)" : ""}`,
      });
    }
    paramKey.set(p, key);
    const hint =
      role !== "value"
        ? "str"
        : Array.isArray(value)
          ? hintForValue(value)
          : (hintFor(p.literal, hintCtx) ?? hintForValue(value));
    const arg: ArgModel = { name: p.name, source: { kind: "param", param: key, role } };
    if (hint) arg.hint = hint;
    if (role === "value" && !Array.isArray(value) && value !== null) arg.defaultLiteral = p.literal;
    void step;
    return arg;
  }

  function recordHints(code: string): void {
    const simple = code.match(/^([A-Za-z_]\w*)\s*=\s*([\s\S]+)$/);
    if (simple && !simple[2]!.trimStart().startsWith("=")) {
      const h = hintFor(simple[2]!, hintCtx);
      if (h) hintCtx.known.set(simple[1]!, h);
      else hintCtx.known.delete(simple[1]!);
      return;
    }
    const split = code.match(/^([\w\s,]+)=\s*(?:\w+\.)?train_test_split\(([^)]*)\)/);
    if (split) {
      const targets = split[1]!
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      const args = split[2]!
        .split(",")
        .map((s) => s.trim())
        .filter((s) => /^[A-Za-z_]\w*$/.test(s));
      targets.forEach((t, i) => {
        const h = hintCtx.known.get(args[Math.floor(i / 2)] ?? "");
        if (h) hintCtx.known.set(t, h);
      });
    }
  }

  function helperModel(def: HelperDef): HelperModel {
    const cell = cellsByIndex.get(def.cell)!;
    const { source } = sliceStatement(notebookSource(notebook, def.cell), cell, def.statement, undefined);
    const code = renameIdentifiers([...source.comments, source.code].join("\n"), renames);
    const rw = rewriteHelper(code, def.kind === "function" ? def.params : [], rewriteCtx);
    return { name: def.name, kind: def.kind, code: rw.code, addedParams: def.params };
  }

  /**
   * A recorded annotation is used when each name it needs is unbound in the notebook or bound by the same
   * import (`pd` must be pandas); the imports it adds are remembered for the module import pass.
   */
  function recordedHintUsable(a: { text: string; imports: string[] }): boolean {
    const bound = a.imports.map((line) => [boundName(line), line] as const);
    if (bound.some(([n]) => n === undefined)) return false;
    for (const [n, line] of bound) {
      const existing = importText.get(n!) ?? hintImportText.get(n!);
      if (existing !== undefined && existing !== line && !sameBinding(existing, line)) return false;
    }
    for (const [n, line] of bound) if (!importText.has(n!)) hintImportText.set(n!, line);
    return true;
  }

  function hintOf(w: StepWork, name: string): { hint?: string } {
    const h = w.hints.get(name);
    return h ? { hint: h } : {};
  }
}

/** The name an import line binds: `import pandas as pd` → pd, `from sklearn.svm import SVC` → SVC. */
function boundName(line: string): string | undefined {
  const m =
    /^import\s+([\w.]+)(?:\s+as\s+(\w+))?\s*$/.exec(line) ??
    /^from\s+[\w.]+\s+import\s+(\w+)(?:\s+as\s+(\w+))?\s*$/.exec(line);
  if (!m) return undefined;
  return m[2] ?? (m[1] as string).split(".")[0];
}

/** Two import lines that bind the same name to the same object (`import pandas as pd` in a longer statement). */
function sameBinding(existing: string, line: string): boolean {
  const m = /^import\s+([\w.]+)\s+as\s+(\w+)$/.exec(line) ?? /^from\s+([\w.]+)\s+import\s+(\w+)$/.exec(line);
  if (!m) return false;
  const [, mod, name] = m;
  return (
    new RegExp(`\\b${mod!.replace(/\./g, "\\.")}\\s+as\\s+${name}\\b`).test(existing) ||
    new RegExp(`^from\\s+${mod!.replace(/\./g, "\\.")}\\s+import\\b[^#]*\\b${name}\\b`).test(existing)
  );
}

function sortParams(args: ArgModel[]): ArgModel[] {
  const noDefault = args.filter((a) => a.defaultLiteral === undefined);
  const withDefault = args.filter((a) => a.defaultLiteral !== undefined);
  return [...noDefault, ...withDefault];
}

function sortByNotebookOrder(names: string[], helpers: Map<string, HelperDef>): string[] {
  return names.sort((a, b) => {
    const x = helpers.get(a)!;
    const y = helpers.get(b)!;
    return x.cell - y.cell || x.statement - y.statement;
  });
}

function notebookSource(nb: Notebook, cell: number): string {
  return nb.cells[cell]?.source ?? "";
}

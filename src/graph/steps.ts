/**
 * The workflow map: exploration, results and steps with their inputs, outputs, parameters and helpers
 * (issue 5). `buildWorkflowMap(nb, analysis, graph)` is pure: it reads the saved notebook text and the
 * analyses, never runs anything.
 *
 * Invariants (checked by `checkWorkflowMap`, tested on every corpus notebook):
 * - every top-level statement of every code cell is in exactly one step or in `exploration`;
 * - steps are in a valid topological order: every value a statement reads was written by a statement of the
 *   same step above it or of an earlier step;
 * - every input of a step is an output of an earlier step (or listed as unresolved); imports and notebook
 *   helpers are not inputs, they are listed in `imports` / `helpers`.
 */
import { FledgeError } from "../errors.js";
import type { Cell, Notebook } from "../notebook/types.js";
import type { NotebookAnalysis, Span } from "../python/types.js";
import { analyzeUses, findExploration, type UseAnalysis } from "./exploration.js";
import { chooseName, stepRole, uniqueNames } from "./naming.js";
import { statementParameters } from "./parameters.js";
import {
  chooseHeadingLevel,
  dataflowSegments,
  headingsByCell,
  mergeShortSegments,
  type Segment,
} from "./segment.js";
import { collectStatements, lineStarts, type StatementInfo } from "./statements.js";
import type { DataflowGraph, Step, StepParameter, WorkflowMap, WorkflowMapFinding } from "./types.js";

/** User overrides read from a steps.yaml (see stepsfile.ts). */
export interface UserSteps {
  /** Steps in order: each starts at a code cell (0-based notebook index), optionally at a line inside it. */
  steps?: { name: string; cell: number; line?: number }[];
  /** Renames of detected steps: detected name → new name. */
  rename?: Record<string, string>;
}

export interface WorkflowMapOptions {
  user?: UserSteps;
  /** Allowed number of heading sections (default [3, 12]). */
  headingRange?: [number, number];
}

/** Segment by user boundaries: step i covers anchored statements from its start to the next step's start. */
function userSegments(anchored: StatementInfo[], user: NonNullable<UserSteps["steps"]>): Segment[] {
  const segs: Segment[] = user.map((u) => ({ stmts: [], heading: u.name, markdown: [] }));
  const starts = user.map((u) => [u.cell, u.line ?? 0] as const);
  for (const s of anchored) {
    let idx = 0;
    for (let i = 0; i < starts.length; i++) {
      const [cell, line] = starts[i]!;
      if (s.ref.cell > cell || (s.ref.cell === cell && s.record.span.line >= line)) idx = i;
    }
    segs[idx]!.stmts.push(s);
  }
  return segs;
}

function describe(seg: Segment): string {
  const text = seg.markdown.filter(Boolean).join("\n\n").trim();
  return text.length > 1200 ? `${text.slice(0, 1200).trimEnd()}…` : text;
}

/** Nearest heading above `cell`, provided no anchored statement of an earlier segment lies between. */
function headingHint(
  cells: Cell[],
  headings: Map<number, { level: number; text: string }[]>,
  seg: Segment,
  lowest: number,
) {
  const first = seg.stmts[0]?.ref.cell;
  if (first === undefined) return undefined;
  const md: string[] = [];
  let heading: string | undefined;
  for (let i = first - 1; i > lowest; i--) {
    if (cells[i]?.cell_type !== "markdown") continue;
    md.unshift(cells[i]!.source.trim());
    const hs = headings.get(i);
    if (hs) {
      heading = hs[hs.length - 1]!.text;
      break;
    }
  }
  return { heading, md };
}

/** Heading sections longer than this many code cells are cut further by dataflow (a 100-cell "Training"). */
const LARGE_SECTION = 25;

function splitLargeSection(
  sec: Segment,
  stmts: StatementInfo[],
  uses: UseAnalysis,
  cells: Cell[],
  headings: Map<number, { level: number; text: string }[]>,
): Segment[] {
  if (new Set(sec.stmts.map((s) => s.ref.cell)).size <= LARGE_SECTION) return [sec];
  const parts = dataflowSegments(sec.stmts, stmts, uses);
  if (parts.length <= 1) return [sec];
  parts[0]!.heading = sec.heading;
  parts[0]!.markdown = sec.markdown;
  // Later parts take the nearest deeper heading inside the section as their hint.
  for (let i = 1; i < parts.length; i++) {
    const prevLast = parts[i - 1]!.stmts[parts[i - 1]!.stmts.length - 1]!.ref.cell;
    const hint = headingHint(cells, headings, parts[i]!, prevLast);
    if (hint?.heading) parts[i]!.heading = hint.heading;
    if (hint) parts[i]!.markdown.push(...hint.md);
  }
  return parts;
}

export function buildWorkflowMap(
  nb: Notebook,
  analysis: NotebookAnalysis,
  graph: DataflowGraph,
  options: WorkflowMapOptions = {},
): WorkflowMap {
  const stmts = collectStatements(nb.cells, analysis);
  const uses = analyzeUses(stmts);
  const explore = findExploration(stmts, uses);
  const pipeline = stmts.filter((s) => !explore.has(s.pos));
  const anchored = pipeline.filter(
    (s) => s.kind !== "import" && s.kind !== "definition" && s.kind !== "magic",
  );
  const headings = headingsByCell(nb.cells);

  // 1. Segments of anchored statements.
  let strategy: WorkflowMap["strategy"];
  let segments: Segment[];
  const userSteps = options.user?.steps;
  if (userSteps && userSteps.length > 0) {
    strategy = { kind: "user" };
    segments = userSegments(anchored, userSteps);
  } else {
    const byHeadings = chooseHeadingLevel(nb.cells, headings, anchored, options.headingRange);
    if (byHeadings) {
      strategy = { kind: "headings", level: byHeadings.level };
      segments = byHeadings.sections.flatMap((sec) =>
        splitLargeSection(sec, stmts, uses, nb.cells, headings),
      );
    } else {
      strategy = { kind: "dataflow" };
      segments = dataflowSegments(anchored, stmts, uses);
      let lowest = -1;
      for (const seg of segments) {
        const hint = headingHint(nb.cells, headings, seg, lowest);
        if (hint?.heading) seg.heading = hint.heading;
        if (hint) seg.markdown.push(...hint.md);
        lowest = seg.stmts[seg.stmts.length - 1]?.ref.cell ?? lowest;
      }
    }
    segments = mergeShortSegments(segments, uses);
  }

  // 2. Place imports and helper definitions in the first step that uses them (else where they stand).
  const stepOf = new Map<number, number>();
  segments.forEach((seg, i) => {
    for (const s of seg.stmts) stepOf.set(s.pos, i);
  });
  const placeables = pipeline.filter((s) => s.kind === "import" || s.kind === "definition");
  const helperSteps = new Map<string, Set<number>>();
  // Later definitions first: a helper used only by another helper's callers is placed with them.
  for (const p of [...placeables].reverse()) {
    const users = uses.users[p.pos]!.filter((u) => stepOf.has(u));
    let target: number | undefined;
    if (users.length > 0) target = Math.min(...users.map((u) => stepOf.get(u)!));
    else target = positionalStep(p, segments);
    if (target === undefined) continue;
    stepOf.set(p.pos, target);
  }
  // A notebook with no anchored statement but with helper definitions (a notebook of functions) gets one step
  // for them; unused imports alone stay with the exploration.
  const unplaced = placeables.filter((p) => !stepOf.has(p.pos));
  if (segments.length === 0 && unplaced.some((p) => p.kind === "definition")) {
    segments.push({ stmts: [], markdown: [] });
    for (const p of unplaced) stepOf.set(p.pos, 0);
  }
  // IPython lines (`%%time`, `!pip install`) go with the statements of their cell, else with the exploration.
  const byCell = new Map<number, StatementInfo[]>();
  for (const s of stmts) {
    const list = byCell.get(s.ref.cell);
    if (list) list.push(s);
    else byCell.set(s.ref.cell, [s]);
  }
  for (const m of pipeline.filter((s) => s.kind === "magic")) {
    const sameCell = (byCell.get(m.ref.cell) ?? []).filter((t) => t.pos !== m.pos && stepOf.has(t.pos));
    const next = sameCell.find((t) => t.pos > m.pos) ?? sameCell[sameCell.length - 1];
    if (next) stepOf.set(m.pos, stepOf.get(next.pos)!);
  }
  for (const s of pipeline) if (!stepOf.has(s.pos)) explore.add(s.pos);
  const members: StatementInfo[][] = segments.map(() => []);
  for (const s of pipeline) {
    const i = stepOf.get(s.pos);
    if (i !== undefined) members[i]!.push(s);
  }

  // 3. Inputs, outputs, modifies, unresolved, imports and helpers by simulating the steps in order.
  const importOf = importRecords(analysis);
  const definedAnywhere = new Set(stmts.flatMap((s) => s.defines));
  const findings: WorkflowMapFinding[] = [];
  const steps: Step[] = segments.map(() => emptyStep());
  const producers: Map<string, number>[] = segments.map(() => new Map());
  for (let i = 0; i < segments.length; i++) {
    const step = steps[i]!;
    for (const s of members[i]!) {
      const names = new Set([...s.effectiveReads, ...s.modifies]);
      for (const name of names) {
        const ws = (uses.writersOf[s.pos]!.get(name) ?? []).filter((w) => !explore.has(w));
        if (ws.length === 0) {
          if (!s.effectiveReads.includes(name)) continue; // a first binding through modification
          if (!step.unresolved.includes(name)) {
            step.unresolved.push(name);
            findings.push(unresolvedFinding(step, i, name, s, analysis, definedAnywhere.has(name)));
          }
          continue;
        }
        const writer = stmts[ws[ws.length - 1]!]!;
        if (writer.kind === "import") {
          for (const m of importOf.get(name) ?? []) if (!step.imports.includes(m)) step.imports.push(m);
          if (!step.importedNames!.includes(name)) step.importedNames!.push(name);
          continue;
        }
        if (writer.kind === "definition") {
          if (!step.helpers.includes(name)) step.helpers.push(name);
          const set = helperSteps.get(name) ?? new Set<number>();
          set.add(i);
          helperSteps.set(name, set);
          continue;
        }
        const from = Math.max(...ws.map((w) => stepOf.get(w) ?? -1));
        if (from < 0 || from > i) {
          // Written only by statements outside any step: cannot happen by construction; keep it visible.
          if (!step.unresolved.includes(name)) step.unresolved.push(name);
          continue;
        }
        if (from < i) {
          if (!step.inputs.includes(name)) step.inputs.push(name);
          producers[i]!.set(name, from);
          if (s.modifies.includes(name) && !step.modifies.includes(name)) step.modifies.push(name);
        }
      }
      for (const h of s.helpersUsed) if (!step.helpers.includes(h)) step.helpers.push(h);
      if (s.kind === "result") step.results.push(s.ref);
    }
  }
  // Outputs: what a later step takes from this one.
  producers.forEach((m, to) => {
    for (const [name, from] of m) if (!steps[from]!.outputs.includes(name)) steps[from]!.outputs.push(name);
    void to;
  });

  // 4. Names, roles, parameters, descriptions.
  const roles = members.map((m, i) => stepRole(m, segments[i]!.heading));
  const detected = uniqueNames(
    segments.map((seg, i) =>
      strategy.kind === "user" ? seg.heading! : chooseName(seg.heading, roles[i]!, members[i]!),
    ),
  );
  const rename = options.user?.rename ?? {};
  const unknown = Object.keys(rename).filter((k) => !detected.includes(k));
  if (unknown.length > 0)
    throw new FledgeError(
      "E_INPUT",
      `steps file: rename: no detected step named ${unknown.map((u) => `'${u}'`).join(", ")}`,
      { hint: `The detected steps are: ${detected.join(", ")}.` },
    );
  const names = detected.map((n) => rename[n] ?? n);
  if (new Set(names).size !== names.length)
    throw new FledgeError(
      "E_INPUT",
      `steps file: rename gives two steps the same name (${names.join(", ")})`,
    );
  const paramNames = new Map<string, string>(); // name → literal, across steps (params.yaml is global)
  steps.forEach((step, i) => {
    const seg = segments[i]!;
    step.name = names[i]!;
    step.role = roles[i]!;
    if (seg.heading !== undefined && strategy.kind !== "user") step.heading = seg.heading;
    step.description = describe(seg);
    step.statements = members[i]!.map((s) => s.ref);
    step.cells = [...new Set(members[i]!.map((s) => s.ref.cell))];
    step.parameters = stepParameters(members[i]!, nb.cells, paramNames);
  });
  const sharedHelpers = [...helperSteps].filter(([, set]) => set.size > 1).map(([name]) => name);
  const edges: WorkflowMap["edges"] = [];
  producers.forEach((m, to) => {
    const byFrom = new Map<number, string[]>();
    for (const [name, from] of m) byFrom.set(from, [...(byFrom.get(from) ?? []), name]);
    for (const [from, ns] of [...byFrom].sort((a, b) => a[0] - b[0]))
      edges!.push({ from: steps[from]!.name, to: steps[to]!.name, names: ns });
  });
  // Cells whose body is not Python (%%bash, %%writefile, %%sql): reported, never silently part of a step.
  for (const ca of analysis.cells)
    for (const m of ca.magics)
      if (m.kind === "cell-magic" && m.bodyIsPython === false)
        findings.push({
          code: "non-python-cell",
          severity: "warning",
          step: "",
          name: `%%${m.name}`,
          cell: ca.cellIndex,
          span: m.span,
          message: `%%${m.name} cell: its body is not Python, so it is left out of the steps (it stays in the companion notebook); if the pipeline needs what it does, rewrite it in Python`,
        });
  for (const f of findings) if (f.stepIndex !== undefined) f.step = steps[f.stepIndex]!.name;
  for (const f of findings) delete f.stepIndex;
  return {
    steps,
    exploration: stmts.filter((s) => explore.has(s.pos)).map((s) => s.ref),
    sharedHelpers,
    strategy,
    graph,
    edges,
    findings,
  };
}

function emptyStep(): Step {
  return {
    name: "",
    role: "other",
    description: "",
    cells: [],
    statements: [],
    inputs: [],
    outputs: [],
    modifies: [],
    parameters: [],
    unresolved: [],
    imports: [],
    importedNames: [],
    helpers: [],
    results: [],
  };
}

/** The step an unused import/definition joins: the one whose statements follow it, else the last one. */
function positionalStep(s: StatementInfo, segments: Segment[]): number | undefined {
  if (segments.length === 0) return undefined;
  for (let i = 0; i < segments.length; i++) {
    const last = segments[i]!.stmts[segments[i]!.stmts.length - 1];
    if (last && last.pos > s.pos) return i;
  }
  return segments.length - 1;
}

function importRecords(analysis: NotebookAnalysis): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const cell of analysis.cells)
    for (const imp of cell.imports)
      for (const b of imp.binds) {
        const list = out.get(b) ?? [];
        if (!list.includes(imp.module)) list.push(imp.module);
        out.set(b, list);
      }
  return out;
}

function unresolvedFinding(
  _step: Step,
  stepIndex: number,
  name: string,
  s: StatementInfo,
  analysis: NotebookAnalysis,
  definedLater: boolean,
): WorkflowMapFinding {
  const cell = analysis.cells.find((c) => c.cellIndex === s.ref.cell);
  const span: Span = cell?.reads.find((r) => r.name === name)?.span ?? s.record.span;
  return {
    code: definedLater ? "used-before-defined" : "undefined-name",
    severity: "warning",
    step: "",
    stepIndex,
    name,
    cell: s.ref.cell,
    span,
    message: definedLater
      ? `'${name}' is read before any cell above defines it (it is defined further down): the step cannot get it from an earlier step`
      : `'${name}' is read but no cell of the notebook defines it (a deleted cell, %run or a star import?)`,
  };
}

function stepParameters(
  members: StatementInfo[],
  cells: Cell[],
  taken: Map<string, string>,
): StepParameter[] {
  const out: StepParameter[] = [];
  const startsByCell = new Map<number, number[]>();
  for (const s of members) {
    // Cheap pre-check: statements without a literal have no parameter.
    if (!s.shape.hasLiteral) continue;
    const source = cells[s.ref.cell]?.source ?? "";
    let starts = startsByCell.get(s.ref.cell);
    if (!starts) {
      starts = lineStarts(source);
      startsByCell.set(s.ref.cell, starts);
    }
    for (const p of statementParameters(s, source, starts)) {
      const local = out.find((q) => q.name === p.name && q.literal === p.literal);
      if (local) {
        local.alsoAt = [...(local.alsoAt ?? []), { cell: p.cell, span: p.span }];
        continue;
      }
      const { altName, ...param } = p;
      let name = p.name;
      if (altName && taken.has(name) && taken.get(name) !== p.literal) name = altName;
      let k = 2;
      const base = name;
      while (taken.has(name) && taken.get(name) !== p.literal) name = `${base}_${k++}`;
      if (out.some((q) => q.name === name)) continue;
      taken.set(name, p.literal);
      out.push({ ...param, name });
    }
  }
  return out;
}

/** A broken invariant of a workflow map (empty list: the map is sound). */
export function checkWorkflowMap(nb: Notebook, analysis: NotebookAnalysis, map: WorkflowMap): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  const key = (c: number, s: number) => `${c}:${s}`;
  map.steps.forEach((step) => {
    for (const r of step.statements) {
      const k = key(r.cell, r.statement);
      if (seen.has(k)) problems.push(`statement ${k} in ${seen.get(k)} and ${step.name}`);
      seen.set(k, step.name);
    }
  });
  for (const r of map.exploration) {
    const k = key(r.cell, r.statement);
    if (seen.has(k)) problems.push(`statement ${k} in ${seen.get(k)} and exploration`);
    seen.set(k, "exploration");
  }
  for (const cell of analysis.cells)
    cell.statements.forEach((_, i) => {
      if (!seen.has(key(cell.cellIndex, i))) problems.push(`statement ${key(cell.cellIndex, i)} is nowhere`);
    });
  // Topological order and inputs, re-derived from the statements themselves.
  const stmts = collectStatements(nb.cells, analysis);
  const uses = analyzeUses(stmts);
  const where = new Map<string, number>();
  map.steps.forEach((step, i) => {
    for (const r of step.statements) where.set(key(r.cell, r.statement), i);
  });
  const stepOfPos = (p: number) => where.get(key(stmts[p]!.ref.cell, stmts[p]!.ref.statement));
  for (const s of stmts) {
    const si = stepOfPos(s.pos);
    if (si === undefined) continue;
    for (const [name, ws] of uses.writersOf[s.pos]!) {
      for (const w of ws) {
        const wi = stepOfPos(w);
        if (wi !== undefined && wi > si)
          problems.push(
            `step ${map.steps[si]!.name} reads '${name}' written by the later step ${map.steps[wi]!.name}`,
          );
      }
    }
  }
  // Cross-check with the dataflow graph's edges: the last statement of A writing a name on A → B is in a step
  // no later than every step statement of B reading it.
  for (const edge of map.graph.edges) {
    if (edge.weak) continue;
    for (const name of edge.names) {
      const writers = stmts.filter(
        (t) => t.ref.cell === edge.from && (t.defines.includes(name) || t.strongModifies.includes(name)),
      );
      const last = writers[writers.length - 1];
      const wi = last && stepOfPos(last.pos);
      if (wi === undefined) continue;
      for (const r of stmts) {
        if (r.ref.cell !== edge.to || !(r.effectiveReads.includes(name) || r.modifies.includes(name)))
          continue;
        const ri = stepOfPos(r.pos);
        if (ri !== undefined && ri < wi)
          problems.push(
            `graph edge ${edge.from}→${edge.to} (${name}): read in step ${map.steps[ri]!.name}, written in the later step ${map.steps[wi]!.name}`,
          );
      }
    }
  }
  map.steps.forEach((step, i) => {
    const earlierOutputs = new Set(map.steps.slice(0, i).flatMap((s) => s.outputs));
    const params = new Set(step.parameters.map((p) => p.name));
    for (const input of step.inputs)
      if (!earlierOutputs.has(input) && !params.has(input) && !step.unresolved.includes(input))
        problems.push(`input '${input}' of ${step.name} is no earlier step's output`);
  });
  const names = map.steps.map((s) => s.name);
  if (new Set(names).size !== names.length) problems.push(`step names are not unique: ${names.join(", ")}`);
  for (const n of names)
    if (!/^[a-z_][a-z0-9_]*$/.test(n)) problems.push(`step name '${n}' is not snake_case`);
  return problems;
}

export { parseStepsFile, STEPS_FILE_HELP } from "./stepsfile.js";
export type { UseAnalysis };

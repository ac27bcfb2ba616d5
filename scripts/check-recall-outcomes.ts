/**
 * Pure logic of `bench:check-recall`: from what a run did cell by cell, which NameErrors were observable (`check`'s
 * business) and what became of each predicted failure. No I/O: the bench runs the notebooks and passes the outcomes.
 *
 * A run here is a "continue past errors" run (every cell runs even after one fails, as nbconvert --allow-errors);
 * the strict "stop at the first error" run is its prefix up to the first cell that did not end "ok"
 * (`strictPrefix`): the cells before that ran identically in both.
 */

/** How one code cell of a run ended ("not-run": the run never sent it, e.g. after a timeout or in a strict prefix). */
export type CellStatus = "ok" | "error" | "timeout" | "died" | "interrupted" | "aborted" | "not-run";

export interface CellOutcome {
  /** Index in `notebook.cells`. */
  cell: number;
  status: CellStatus;
  error?: { ename: string; evalue: string } | undefined;
  /** The line of the cell (1-based) that was executing when the cell raised, when the traceback says. */
  errorLine?: number | undefined;
  /**
   * The kernel answered "ok" but the cell's body raised: `%%capture` swallows the exception and only an error
   * output shows it. Such a cell is "error" here (its names were not defined), but a strict run does not stop on it.
   */
  hidden?: boolean;
}

/** What fledge's static per-cell analysis says a code cell binds at module level. */
export interface CellDefinitions {
  cell: number;
  /** Names the cell binds (assignments, imports, def/class, `global` writes in its functions, `x = !cmd`). */
  defines: string[];
  /** Star import, `%run`, `exec`: the cell may bind names the analysis cannot see. */
  opaque: boolean;
}

/** A predicted failure (FL104, or FL105 of error severity): the cell, the name, where in the cell. */
export interface Prediction {
  cell: number;
  name: string;
  line: number;
  code: string;
}

export interface ObservedNameError {
  cell: number;
  name: string;
  /** False when an earlier cell that failed or did not run would (statically) define the name. */
  observable: boolean;
  /** Why it is not observable: "cell 7 (FileNotFoundError) defines `df`". */
  reason?: string;
}

export type Verdict = "confirmed" | "refuted" | "inconclusive" | "not-reached";

export interface PredictionOutcome {
  prediction: Prediction;
  verdict: Verdict;
  detail: string;
}

/** The name in "name 'x' is not defined" / "cannot access free variable 'x' …" (NameError, UnboundLocalError). */
export function nameErrorName(error: { ename: string; evalue: string } | undefined): string | undefined {
  if (!error || (error.ename !== "NameError" && error.ename !== "UnboundLocalError")) return undefined;
  return /'([^']+)'/.exec(error.evalue)?.[1];
}

const ANSI = /\u001b\[[0-9;]*m/g;

/**
 * The line of the executed cell that raised, from an IPython traceback: the first frame "Cell In[N], line L"
 * whose N is the cell's execution count (later frames are functions the cell called, possibly from other cells).
 */
export function errorLineOf(
  traceback: string[] | undefined,
  executionCount: number | null,
): number | undefined {
  if (!traceback || executionCount === null) return undefined;
  const text = traceback.join("\n").replace(ANSI, "");
  for (const m of text.matchAll(/Cell In\s*\[(\d+)\],\s*line (\d+)/g)) {
    if (Number(m[1]) === executionCount) return Number(m[2]);
  }
  return undefined;
}

/**
 * The strict run: the cells up to and including the first that did not end "ok" (a hidden error does not stop it,
 * as the kernel said "ok"); the rest did not run.
 */
export function strictPrefix(run: CellOutcome[]): CellOutcome[] {
  const stop = run.findIndex((c) => c.status !== "ok" && !c.hidden);
  if (stop < 0) return run;
  return run.map((c, i) => (i <= stop ? c : { cell: c.cell, status: "not-run" }));
}

function describe(c: CellOutcome): string {
  const what = c.error ? c.error.ename : c.status;
  return c.hidden ? `${what} hidden by %%capture` : what;
}

/**
 * Every NameError of the run, and whether it was observable: a NameError on a name that an earlier cell which
 * failed or did not run would define (or after such a cell that is opaque) was caused by that cell, not by the
 * notebook's order or a missing definition, so it is not `check`'s business.
 */
export function observedNameErrors(run: CellOutcome[], definitions: CellDefinitions[]): ObservedNameError[] {
  const defs = new Map(definitions.map((d) => [d.cell, d]));
  const out: ObservedNameError[] = [];
  const broken: CellOutcome[] = [];
  for (const c of [...run].sort((a, b) => a.cell - b.cell)) {
    const name = nameErrorName(c.error);
    if (c.status === "error" && name !== undefined) {
      const cause = broken.find((b) => defs.get(b.cell)?.defines.includes(name));
      const opaque = broken.find((b) => defs.get(b.cell)?.opaque);
      if (cause) {
        out.push({
          cell: c.cell,
          name,
          observable: false,
          reason: `cell ${cause.cell + 1} (${describe(cause)}) defines \`${name}\``,
        });
      } else if (opaque) {
        out.push({
          cell: c.cell,
          name,
          observable: false,
          reason: `cell ${opaque.cell + 1} (${describe(opaque)}) has a star import or %run that may define it`,
        });
      } else out.push({ cell: c.cell, name, observable: true });
    }
    if (c.status !== "ok") broken.push(c);
  }
  return out;
}

/**
 * What became of a predicted failure:
 * - confirmed: its cell ran and raised NameError on that name;
 * - refuted: its cell ran past the predicted line without that NameError (ended "ok", or raised later in the cell);
 * - inconclusive: its cell raised something else at or before the predicted line (or at an unknown line);
 * - not-reached: its cell never ran.
 */
export function predictionOutcome(p: Prediction, run: CellOutcome[]): PredictionOutcome {
  const c = run.find((x) => x.cell === p.cell);
  if (!c || c.status === "not-run") {
    const stop = run.find((x) => x.cell < p.cell && x.status !== "ok");
    const detail = stop ? `the run stopped earlier, at cell ${stop.cell + 1} (${describe(stop)})` : "not run";
    return { prediction: p, verdict: "not-reached", detail };
  }
  if (c.status === "ok") return { prediction: p, verdict: "refuted", detail: "the cell ran without error" };
  const name = nameErrorName(c.error);
  const what = c.error ? `${c.error.ename}: ${c.error.evalue}` : c.status;
  if (c.status === "error" && name === p.name) return { prediction: p, verdict: "confirmed", detail: what };
  if (c.status === "error" && c.errorLine !== undefined && c.errorLine > p.line) {
    return {
      prediction: p,
      verdict: "refuted",
      detail: `line ${p.line} ran; the cell failed later, at line ${c.errorLine}, with ${what}`,
    };
  }
  const where = c.errorLine === undefined ? "" : ` at line ${c.errorLine}`;
  return {
    prediction: p,
    verdict: "inconclusive",
    detail: `the cell failed${where} with ${what} before the predicted line ${p.line} was tested`,
  };
}

export interface Tally {
  /** Observable NameErrors, and how many of them a prediction confirmed. */
  observable: number;
  predictedObservable: number;
  notObservable: number;
  confirmed: number;
  refuted: number;
  inconclusive: number;
  notReached: number;
}

export function emptyTally(): Tally {
  return {
    observable: 0,
    predictedObservable: 0,
    notObservable: 0,
    confirmed: 0,
    refuted: 0,
    inconclusive: 0,
    notReached: 0,
  };
}

/** Adds one notebook's run to the tally; returns its NameErrors and its predictions' outcomes. */
export function scoreRun(
  tally: Tally,
  run: CellOutcome[],
  definitions: CellDefinitions[],
  predictions: Prediction[],
): { errors: (ObservedNameError & { predicted: boolean })[]; outcomes: PredictionOutcome[] } {
  const outcomes = predictions.map((p) => predictionOutcome(p, run));
  for (const o of outcomes) {
    if (o.verdict === "confirmed") tally.confirmed++;
    else if (o.verdict === "refuted") tally.refuted++;
    else if (o.verdict === "inconclusive") tally.inconclusive++;
    else tally.notReached++;
  }
  const errors = observedNameErrors(run, definitions).map((e) => ({
    ...e,
    predicted: predictions.some((p) => p.cell === e.cell && p.name === e.name),
  }));
  for (const e of errors) {
    if (!e.observable) tally.notObservable++;
    else {
      tally.observable++;
      if (e.predicted) tally.predictedObservable++;
    }
  }
  return { errors, outcomes };
}

/**
 * `check --execute`: compare the failures `check` predicts (use before definition, undefined names, cycles)
 * with what a real top-to-bottom run did. Pure: the CLI runs the notebook (kernel/) and passes the outcome.
 */
import type { Finding } from "./types.js";

/** What a top-to-bottom run that stops at the first error did. */
export interface RunOutcome {
  status: "ok" | "error" | "timeout" | "died" | "interrupted";
  /** The cell that failed (or timed out, or was running when the kernel died). */
  failedCell?: number | undefined;
  error?: { ename: string; evalue: string } | undefined;
  /** Cells that ran to completion, in order. */
  completed: number[];
}

/** Findings that predict the notebook fails top to bottom with a NameError at their cell. */
export function predictedFailures(findings: Finding[]): Finding[] {
  return findings.filter(
    (f) =>
      f.cell !== undefined &&
      f.symbol !== undefined &&
      (f.code === "FL104" || (f.code === "FL105" && f.severity === "error")),
  );
}

/** The name in "name 'x' is not defined" (also "free variable 'x' referenced before assignment …"). */
export function nameErrorSymbol(error: { ename: string; evalue: string } | undefined): string | undefined {
  if (!error || (error.ename !== "NameError" && error.ename !== "UnboundLocalError")) return undefined;
  return /'([^']+)'/.exec(error.evalue)?.[1];
}

export interface ExecutionSummary {
  confirmed: number;
  refuted: number;
  notReached: number;
  /** The run failed with a NameError that no finding predicted. */
  missed: { cell: number; name: string | undefined } | undefined;
}

/** Sets `finding.execution` on each predicted failure and says how the predictions fared. */
export function compareWithRun(findings: Finding[], run: RunOutcome): ExecutionSummary {
  const summary: ExecutionSummary = { confirmed: 0, refuted: 0, notReached: 0, missed: undefined };
  const completed = new Set(run.completed);
  const failedName = nameErrorSymbol(run.error);
  const predicted = predictedFailures(findings);
  for (const f of predicted) {
    const cell = f.cell!;
    if (run.failedCell === cell && run.status === "error") {
      if (failedName === f.symbol) {
        f.execution = { verdict: "confirmed", detail: `${run.error!.ename}: ${run.error!.evalue}` };
        summary.confirmed++;
      } else {
        const what = run.error ? `${run.error.ename}: ${run.error.evalue}` : run.status;
        f.execution = { verdict: "refuted", detail: `the cell failed, but with ${what}` };
        summary.refuted++;
      }
    } else if (completed.has(cell)) {
      f.execution = { verdict: "refuted", detail: "the cell ran without error" };
      summary.refuted++;
    } else {
      const why =
        run.failedCell === undefined
          ? "the run did not reach this cell"
          : `the run stopped earlier, at cell ${run.failedCell + 1}${run.error ? ` (${run.error.ename})` : ` (${run.status})`}`;
      f.execution = { verdict: "not-reached", detail: why };
      summary.notReached++;
    }
  }
  if (failedName !== undefined && run.failedCell !== undefined) {
    const hit = predicted.some((f) => f.cell === run.failedCell && f.symbol === failedName);
    if (!hit) summary.missed = { cell: run.failedCell, name: failedName };
  }
  return summary;
}

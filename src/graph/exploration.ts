/**
 * Exploration and results, at statement level (issue 5, "Steps").
 *
 * Exploration: statements whose only effect is to show something to the person at the notebook (`df.head()`,
 * `df.describe()`, plots, prints, bare expressions) and whose results nothing downstream reads, plus the
 * statements that only feed them (`fig, ax = plt.subplots()`, `corr = df.corr()` drawn by a heatmap, an import
 * of seaborn used only by plots). Results are never exploration: files written, metrics, predictions, and the
 * prints of metrics computed above. A print that reports a scalar the notebook named (`print(f"{n} regions")`,
 * `print("accuracy", acc)`) is kept in its step too, with the statements that compute what it prints; the policy
 * (what counts as a report, what stays a look at the data) is in reports.ts.
 *
 * Uses are computed top to bottom: a read of `n` uses the statement that last defined `n` and every statement
 * that modified it since (a modification keeps the object, so both matter to the reader).
 */
import { isReportPrint } from "./reports.js";
import type { StatementInfo } from "./statements.js";

export interface UseAnalysis {
  /** users[pos]: positions of statements that read (or modify) a value statement `pos` wrote. */
  users: number[][];
  /** writersOf[pos]: for each name the statement reads, the positions whose writes it sees. */
  writersOf: Map<string, number[]>[];
}

const LOAD_CALL =
  /^(?:read_\w+|load\w*|loadtxt|genfromtxt|fetch_\w+|open|urlopen|urlretrieve|get|download\w*)$/;

/** True when the statement brings data in (read_csv, open, load_*, fetch_*): never exploration. */
export function isLoad(s: StatementInfo): boolean {
  return s.calls.some((c) => LOAD_CALL.test(c.name) && (c.name !== "get" || c.receiver.includes("requests")));
}

export function analyzeUses(stmts: StatementInfo[]): UseAnalysis {
  const writers = new Map<string, number[]>();
  const userSets: Set<number>[] = stmts.map(() => new Set());
  const writersOf: Map<string, number[]>[] = [];
  for (const s of stmts) {
    const seen = new Map<string, number[]>();
    const readNames = new Set([...s.effectiveReads, ...s.modifies]);
    for (const name of readNames) {
      const w = writers.get(name);
      if (!w) continue;
      seen.set(name, [...w]);
      for (const p of w) userSets[p]!.add(s.pos);
    }
    writersOf.push(seen);
    for (const m of s.modifies) {
      const w = writers.get(m);
      if (w) {
        if (!w.includes(s.pos)) w.push(s.pos);
      } else writers.set(m, [s.pos]);
    }
    for (const d of s.defines) writers.set(d, [s.pos]);
  }
  return { users: userSets.map((u) => [...u]), writersOf };
}

/** Only prints or bare expressions (no drawing): the way a metric is shown. */
function printsOnly(s: StatementInfo): boolean {
  return s.calls.every((c) =>
    ["print", "display", "pprint", "format", "round", "mean", "std"].includes(c.name),
  );
}

/**
 * Mark results that are shown (`print(accuracy)` after `accuracy = accuracy_score(…)`) as results and reporting
 * prints as computation, then find exploration. Mutates `kind`/`result` of the statements it upgrades; returns the exploration positions.
 */
export function findExploration(stmts: StatementInfo[], uses: UseAnalysis): Set<number> {
  for (const s of stmts) {
    if (s.kind !== "display") continue;
    const fromMetric =
      printsOnly(s) &&
      [...uses.writersOf[s.pos]!.values()].some((ws) =>
        ws.some((p) => stmts[p]!.kind === "result" && stmts[p]!.result === "metric"),
      );
    if (fromMetric) {
      s.kind = "result";
      s.result = "metric";
    } else if (isReportPrint(s, stmts)) {
      // A report is part of its step's computation, not a result: it does not make the step an evaluation.
      s.kind = "compute";
    }
  }
  // A display loop whose target a later non-display statement reads is computation after all.
  for (const s of stmts)
    if (
      s.kind === "display" &&
      s.defines.length > 0 &&
      uses.users[s.pos]!.some((u) => stmts[u]!.kind !== "display")
    )
      s.kind = "compute";
  const explore = new Set<number>();
  for (const s of stmts) if (s.kind === "display") explore.add(s.pos);
  // Statements that only feed exploration are exploration too. Users always come later, so one pass from the
  // end settles chains like `a = f(df)`, `b = g(a)`, `plot(b)`.
  for (let i = stmts.length - 1; i >= 0; i--) {
    const s = stmts[i]!;
    if (explore.has(s.pos)) continue;
    if (s.kind === "result" || s.kind === "magic" || isLoad(s)) continue;
    const us = uses.users[s.pos]!;
    if (us.length === 0) continue;
    if (s.kind === "compute" && s.defines.length === 0 && s.strongModifies.length === 0) continue;
    if (us.every((u) => explore.has(u))) explore.add(s.pos);
  }
  return explore;
}

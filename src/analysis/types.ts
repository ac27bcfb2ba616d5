/**
 * Findings: what `fledge check` reports. Plain data, serialisable to JSON; the CLI formats them.
 * Positions follow src/python/types.ts: lines 1-based within the cell source, columns 1-based in UTF-16 units.
 */
export type Severity = "error" | "warning" | "info";

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export type RuleCategory = "order" | "reproducibility" | "quality" | "security" | "notebook";

/** A change that removes (or would remove) a finding. */
export interface FindingFix {
  /** What the fix does, in one sentence. */
  description: string;
  /** Safe fixes are applied by `--fix`; the others are only suggested. */
  safe: boolean;
  kind: "reorder" | "move-import" | "clear-outputs" | "suggestion";
}

export interface Finding {
  /** Stable code, e.g. "FL104". */
  code: string;
  /** Stable readable name, e.g. "use-before-definition". */
  name: string;
  severity: Severity;
  message: string;
  /** Cell index in the notebook's full cell list; absent for notebook-level findings (metadata). */
  cell?: number;
  cellId?: string;
  /** Set when the finding is in a stored output rather than the source: the output's index in the cell. */
  output?: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fix?: FindingFix;
  /** Other places that explain the finding ("defined here"). */
  related?: { cell: number; message: string }[];
  /** For outputs: the offending output line, redacted (shown instead of a source code frame). */
  excerpt?: string;
  /** The Python name the finding is about (use before definition, undefined name). */
  symbol?: string;
  /** With `--execute`: what running the notebook top to bottom said about this predicted failure. */
  execution?: { verdict: "confirmed" | "refuted" | "not-reached"; detail: string };
}

export interface RuleInfo {
  code: string;
  name: string;
  category: RuleCategory;
  severity: Severity;
  /** One line. */
  summary: string;
  /** Why it matters and what to do (for --explain). */
  explanation: string;
  /** A small notebook excerpt that triggers it: cells separated by "# ---". */
  example: string;
  /** What --fix does, if anything. */
  fix?: string;
}

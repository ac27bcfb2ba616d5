/**
 * Which findings the user asked to see: `--select/--ignore` (codes, prefixes, names, categories), and
 * suppressions written in the notebook — `# fledge: ignore[FL104]` on a line, or the cell tag
 * `fledge:ignore[FL104]` (either without a list suppresses every code there).
 */
import type { Notebook } from "../notebook/types.js";
import { findRule, selectorMatches } from "./registry.js";
import type { Finding } from "./types.js";

const LINE_RE = /#\s*fledge:\s*ignore(?:\[([^\]]*)\])?/i;
const TAG_RE = /^fledge[:-]ignore(?:\[([^\]]*)\]|[=:]([\w,-]+))?$/i;

/** Codes listed in a suppression ("FL104, FL201"); undefined means every code. */
function parseList(list: string | undefined): string[] | undefined {
  if (list === undefined) return undefined;
  const items = list
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length === 0 ? undefined : items;
}

function matchesAny(finding: Finding, selectors: string[] | undefined): boolean {
  if (selectors === undefined) return true;
  const info = findRule(finding.code);
  return info !== undefined && selectors.some((s) => selectorMatches(s, info));
}

/** Whether the finding is suppressed by a comment on its line or a tag on its cell. */
export function isSuppressed(nb: Notebook, finding: Finding): boolean {
  if (finding.cell === undefined) return false;
  const cell = nb.cells[finding.cell];
  if (!cell) return false;
  const tags = (cell.metadata as { tags?: unknown })?.tags;
  if (Array.isArray(tags)) {
    for (const tag of tags) {
      if (typeof tag !== "string") continue;
      const m = TAG_RE.exec(tag.trim());
      if (m && matchesAny(finding, parseList(m[1] ?? m[2]))) return true;
    }
  }
  if (finding.output !== undefined) return false;
  // Most cells carry no suppression comment: no need to split them into lines for every finding.
  if (!/fledge/i.test(cell.source)) return false;
  const lines = cell.source.split("\n");
  for (let l = finding.line; l <= Math.max(finding.line, finding.endLine); l++) {
    const m = LINE_RE.exec(lines[l - 1] ?? "");
    if (m && matchesAny(finding, parseList(m[1]))) return true;
  }
  return false;
}

export interface Selection {
  select?: string[] | undefined;
  ignore?: string[] | undefined;
}

/** Keep the findings the selection asks for: selected (all when no --select) and not ignored. */
export function selectFindings(findings: Finding[], sel: Selection): Finding[] {
  return findings.filter((f) => {
    const info = findRule(f.code);
    if (!info) return true;
    if (sel.select && sel.select.length > 0 && !sel.select.some((s) => selectorMatches(s, info)))
      return false;
    if (sel.ignore?.some((s) => selectorMatches(s, info))) return false;
    return true;
  });
}

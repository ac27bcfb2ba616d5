/**
 * Versions from the notebook's environment: the installed distributions (read in its kernel with
 * importlib.metadata) give exact pins for pyproject.toml, and their requirements the transitive closure
 * written to requirements.lock.
 */
import { compareNames } from "../compare.js";
import { normalizeDistribution, requirementName } from "./distributions.js";

export interface InstalledDistribution {
  name: string;
  version: string;
  /** Requirement strings as in METADATA `Requires-Dist`. */
  requires: string[];
}

/** Python expression run in the kernel: every installed distribution with its version and requirements. */
export const INSTALLED_DISTRIBUTIONS_EXPR =
  '[(d.metadata["Name"], d.version, list(d.requires or [])) for d in __import__("importlib.metadata", fromlist=["distributions"]).distributions() if d.metadata["Name"]]';

export function parseInstalled(value: unknown): InstalledDistribution[] {
  if (!Array.isArray(value)) return [];
  const out: InstalledDistribution[] = [];
  for (const row of value) {
    if (!Array.isArray(row) || typeof row[0] !== "string" || typeof row[1] !== "string") continue;
    out.push({
      name: row[0],
      version: row[1],
      requires: Array.isArray(row[2]) ? row[2].filter((r) => typeof r === "string") : [],
    });
  }
  return out;
}

/** distribution → version, for pinning. */
export function versionTable(installed: InstalledDistribution[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of installed) out[d.name] = d.version;
  return out;
}

/**
 * requirements.lock lines (`name==version`, sorted) for `roots` and everything they require, transitively,
 * as installed. Requirements that apply only to an extra are skipped; other markers are kept when the
 * distribution is installed (the environment evaluated them when it installed it).
 */
export function lockLines(roots: string[], installed: InstalledDistribution[]): string[] {
  const byName = new Map(installed.map((d) => [normalizeDistribution(d.name), d]));
  const seen = new Map<string, InstalledDistribution>();
  const stack = roots.map(normalizeDistribution);
  while (stack.length > 0) {
    const key = stack.pop()!;
    if (seen.has(key)) continue;
    const dist = byName.get(key);
    if (!dist) continue;
    seen.set(key, dist);
    for (const req of dist.requires) {
      if (/;\s*.*\bextra\s*==/.test(req)) continue;
      stack.push(normalizeDistribution(requirementName(req)));
    }
  }
  return [...seen.values()].map((d) => `${d.name}==${d.version}`).sort(compareNames);
}

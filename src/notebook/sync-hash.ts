/**
 * What a sync compares: each cell's "view" as the .py shows it (type, source as the percent format keeps it,
 * visible metadata), hashed. Both files of a pair have the same views right after a sync, so one hash per cell
 * and one for the whole (plus the kernelspec) is the record kept in the .py header.
 */
import { formatNumber } from "./json.js";
import { percentSource, type SyncState, shortHash, visibleMetadata } from "./percent.js";
import type { CellType, Notebook } from "./types.js";

export interface CellView {
  type: CellType;
  source: string;
  metadata: Record<string, unknown>;
  /** Type and source: what matching cells compares. */
  key: string;
  /** Short hash of type, source and visible metadata. */
  hash: string;
}

/** JSON with sorted keys and numbers by value, so equal content gives equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return formatNumber(value);
  if (value instanceof Number) return formatNumber(value.valueOf());
  if (typeof value === "boolean") return value ? "true" : "false";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return "null";
}

export function cellViews(nb: Notebook): CellView[] {
  return nb.cells.map((cell) => {
    const source = percentSource(cell);
    const metadata = visibleMetadata(cell.metadata ?? {});
    const key = `${cell.cell_type}\u0000${source}`;
    return {
      type: cell.cell_type,
      source,
      metadata,
      key,
      hash: shortHash(`${key}\u0000${canonicalJson(metadata)}`).slice(0, 8),
    };
  });
}

/** Hash of everything the .py represents: every cell view and the kernelspec. */
export function inputsHash(nb: Notebook, views: CellView[] = cellViews(nb)): string {
  const cells = views.map((v) => [v.type, v.source, v.metadata]);
  return shortHash(canonicalJson({ cells, kernelspec: nb.metadata?.kernelspec ?? null }));
}

/** The record written into the .py header after a sync that left both files with `nb`'s content. */
export function syncState(nb: Notebook, views: CellView[] = cellViews(nb)): SyncState {
  return { version: 1, inputs: inputsHash(nb, views), cells: views.map((v) => v.hash) };
}

/**
 * What a sync compares: each cell's "view" as the .py shows it (type, source as the percent format keeps it,
 * visible metadata). Both files of a pair have the same views right after a sync, so the record kept in the .py
 * header is one strong hash of all views plus the kernelspec (sha256: it decides whether a file changed) and
 * one short hash per cell (FNV-1a: only used to name and line up the cells that changed).
 */
import { createHash } from "node:crypto";
import { fnv1a } from "./fnv.js";
import { formatNumber } from "./json.js";
import { percentSource, type SyncState, visibleMetadata } from "./percent.js";
import type { CellType, Notebook } from "./types.js";

export interface CellView {
  type: CellType;
  source: string;
  metadata: Record<string, unknown>;
  /** Canonical JSON of `metadata`. */
  metadataJson: string;
  /** Type and source: what matching cells compares. */
  key: string;
  /** Short label (FNV-1a) of type, source and visible metadata: see {@link cellLabel}. */
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
    if (entries.length === 0) return "{}";
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return "null";
}

/** Views computed before, valid while the cell keeps the same type, source and metadata object. */
const viewCache = new WeakMap<
  object,
  { view: CellView; source: unknown; metadata: unknown; type: unknown }
>();

/** A view whose short label is computed when first asked for (reading a .py back never needs it). */
class View implements CellView {
  private label: string | undefined;
  constructor(
    readonly type: CellType,
    readonly source: string,
    readonly metadata: Record<string, unknown>,
    readonly metadataJson: string,
    readonly key: string,
  ) {}
  get hash(): string {
    this.label ??= fnv1a(`${this.key}\u0000${this.metadataJson}`);
    return this.label;
  }
}

function cellView(cell: Notebook["cells"][number]): CellView {
  const cached = viewCache.get(cell);
  if (
    cached &&
    cached.source === cell.source &&
    cached.metadata === cell.metadata &&
    cached.type === cell.cell_type
  ) {
    return cached.view;
  }
  const source = percentSource(cell);
  const metadata = visibleMetadata(cell.metadata ?? {});
  const metadataJson = canonicalJson(metadata);
  const view = new View(cell.cell_type, source, metadata, metadataJson, `${cell.cell_type}\u0000${source}`);
  viewCache.set(cell, { view, source: cell.source, metadata: cell.metadata, type: cell.cell_type });
  return view;
}

export function cellViews(nb: Notebook): CellView[] {
  return nb.cells.map(cellView);
}

/** sha256 (16 hex) of everything the .py represents: every cell view and the kernelspec. */
export function inputsHash(nb: Notebook, views: CellView[] = cellViews(nb)): string {
  // One update with the whole text (the same bytes as one update per cell, in fewer calls).
  const parts: string[] = [canonicalJson(nb.metadata?.kernelspec ?? null)];
  for (const v of views) parts.push(`\u0001${v.key.length}:${v.key}\u0002${v.metadataJson}`);
  return createHash("sha256").update(parts.join("")).digest("hex").slice(0, 16);
}

/** The record written into the .py header after a sync that left both files with `nb`'s content. */
export function syncState(nb: Notebook, views: CellView[] = cellViews(nb)): SyncState {
  return { version: 1, inputs: inputsHash(nb, views), cells: views.map((v) => v.hash) };
}

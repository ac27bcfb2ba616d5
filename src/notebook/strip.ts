/**
 * Stripping a notebook for version control: outputs, execution counts and volatile metadata go; sources, cell
 * types, ids, tags and the rest of the metadata stay. Pure and idempotent: strip(strip(nb)) equals strip(nb).
 */
import { cloneJson } from "./memo.js";
import type { Cell, Notebook } from "./types.js";

export interface StripOptions {
  /** Cells carrying one of these tags keep their outputs and execution count. Default: ["keep_output"]. */
  keepOutputTags?: string[];
  /** Keep every cell's outputs (only metadata and, unless keepCount, counts are stripped). */
  keepAllOutputs?: boolean;
  /** Keep execution counts. */
  keepCount?: boolean;
  /**
   * Metadata to remove, as dotted paths starting with `metadata.` (notebook) or `cell.metadata.` (every cell).
   * Default: {@link DEFAULT_VOLATILE_KEYS}.
   */
  dropKeys?: string[];
  /** Paths from the default list to keep after all. */
  keepKeys?: string[];
}

/** Metadata that changes on every run or view, not with the author's intent. */
export const DEFAULT_VOLATILE_KEYS: readonly string[] = [
  "metadata.signature",
  "metadata.widgets",
  "cell.metadata.collapsed",
  "cell.metadata.scrolled",
  "cell.metadata.ExecuteTime",
  "cell.metadata.execution",
  "cell.metadata.heading_collapsed",
  "cell.metadata.hidden",
];

export const DEFAULT_KEEP_OUTPUT_TAGS: readonly string[] = ["keep_output"];

export interface StripResult {
  notebook: Notebook;
  /** How many cells lost outputs, execution counts, metadata keys. */
  stats: { outputs: number; counts: number; metadata: number };
}

function deletePath(target: Record<string, unknown>, parts: string[]): boolean {
  let obj: unknown = target;
  for (let i = 0; i < parts.length - 1; i++) {
    if (obj === null || typeof obj !== "object" || Array.isArray(obj)) return false;
    obj = (obj as Record<string, unknown>)[parts[i]!];
  }
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) return false;
  const last = parts[parts.length - 1]!;
  if (!Object.hasOwn(obj, last)) return false;
  delete (obj as Record<string, unknown>)[last];
  return true;
}

/** Check a key path given by the user; returns an error message or undefined. */
export function checkKeyPath(path: string): string | undefined {
  if (/^(cell\.)?metadata\.[^.]+(\.[^.]+)*$/.test(path)) return undefined;
  return `'${path}' is not a metadata path: use metadata.<key>[.<key>…] or cell.metadata.<key>[.<key>…]`;
}

function tagsOf(cell: Cell): string[] {
  const tags = cell.metadata?.tags;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === "string") : [];
}

/** Strip a notebook (the input is not modified). */
export function stripNotebook(nb: Notebook, options: StripOptions = {}): StripResult {
  const keepTags = new Set(options.keepOutputTags ?? DEFAULT_KEEP_OUTPUT_TAGS);
  const keep = new Set(options.keepKeys ?? []);
  const drop = (options.dropKeys ?? DEFAULT_VOLATILE_KEYS).filter((k) => !keep.has(k));
  const nbKeys = drop.filter((k) => k.startsWith("metadata.")).map((k) => k.split("."));
  const cellKeys = drop.filter((k) => k.startsWith("cell.metadata.")).map((k) => k.split(".").slice(1));

  const out = cloneJson(nb);
  const stats = { outputs: 0, counts: 0, metadata: 0 };
  for (const parts of nbKeys) if (deletePath(out as Record<string, unknown>, parts)) stats.metadata++;
  for (const cell of out.cells) {
    for (const parts of cellKeys) if (deletePath(cell as Record<string, unknown>, parts)) stats.metadata++;
    if (cell.cell_type !== "code") continue;
    const keepThis = options.keepAllOutputs || tagsOf(cell).some((t) => keepTags.has(t));
    if (keepThis) continue;
    if (Array.isArray(cell.outputs) && cell.outputs.length > 0) {
      cell.outputs = [];
      stats.outputs++;
    }
    if (!options.keepCount && cell.execution_count !== null && cell.execution_count !== undefined) {
      cell.execution_count = null;
      stats.counts++;
    }
  }
  return { notebook: out, stats };
}

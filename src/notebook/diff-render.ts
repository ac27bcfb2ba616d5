/**
 * Text renderings for `fledge diff`: the cell-level diff, and a readable one-notebook text for git's textconv
 * (so `git diff`, `git log -p` and `git show` compare notebooks line by line without JSON or base64 noise).
 */
import type { CellDiff, KeyChange, NotebookDiff } from "./diff.js";
import { summarizeOutput } from "./diff.js";
import type { CodeCell, Notebook } from "./types.js";

export interface RenderOptions {
  /** Names shown in the `---`/`+++` header. */
  aName: string;
  bName: string;
  /** ANSI colours (only on a terminal). */
  color?: boolean;
}

const ANSI = { red: 31, green: 32, yellow: 33, cyan: 36, bold: 1, dim: 2 } as const;
type Style = keyof typeof ANSI;

function painter(color: boolean): (style: Style, text: string) => string {
  return color ? (style, text) => `\u001b[${ANSI[style]}m${text}\u001b[0m` : (_style, text) => text;
}

function cellLabel(c: CellDiff): string {
  const where = c.status === "removed" ? `cell ${c.a! + 1} of old` : `cell ${c.b! + 1}`;
  const status = c.status === "unchanged" ? "" : ` ${c.status}`;
  const type = c.oldCellType ? `${c.oldCellType} → ${c.cellType}` : c.cellType;
  const id = c.id ? `, id ${c.id}` : "";
  const moved = c.moved ? `${status ? "," : ""} moved from ${c.a! + 1}` : "";
  return `${where} (${type}${id})${status}${moved}`;
}

function keyChangeLines(changes: KeyChange[], paint: ReturnType<typeof painter>, indent: string): string[] {
  return changes.map((k) => {
    if (k.before === undefined) return paint("green", `${indent}+ ${k.path}: ${k.after}`);
    if (k.after === undefined) return paint("red", `${indent}- ${k.path}: ${k.before}`);
    return paint("yellow", `${indent}~ ${k.path}: ${k.before} → ${k.after}`);
  });
}

function sourceLines(source: string, sign: "+" | "-", paint: ReturnType<typeof painter>): string[] {
  if (source === "") return [paint("dim", "  (empty)")];
  const lines = source.split(/\r\n|\n|\r/);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines.map((l) => paint(sign === "+" ? "green" : "red", `${sign}${l}`));
}

/** The cell-level diff as text. Empty when the notebooks are the same. */
export function renderDiff(diff: NotebookDiff, options: RenderOptions): string {
  if (diff.identical) return "";
  const paint = painter(options.color ?? false);
  const out: string[] = [paint("bold", `--- ${options.aName}`), paint("bold", `+++ ${options.bName}`)];
  if (diff.notebook.length > 0) {
    out.push(paint("cyan", "## notebook"), ...keyChangeLines(diff.notebook, paint, ""));
  }
  let unchanged = 0;
  const flushUnchanged = () => {
    if (unchanged > 0) out.push(paint("dim", `… ${unchanged} unchanged cell${unchanged === 1 ? "" : "s"}`));
    unchanged = 0;
  };
  for (const c of diff.cells) {
    if (c.status === "unchanged" && !c.moved) {
      unchanged++;
      continue;
    }
    flushUnchanged();
    out.push(paint("cyan", `## ${cellLabel(c)}`));
    if (c.status === "added") out.push(...sourceLines(c.source ?? "", "+", paint));
    if (c.status === "removed") out.push(...sourceLines(c.source ?? "", "-", paint));
    if (c.sourceNote) out.push(paint("dim", `source: ${c.sourceNote}`));
    for (const h of c.hunks ?? []) {
      out.push(paint("cyan", `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`));
      for (const line of h.lines) {
        if (line.startsWith("+")) out.push(paint("green", line));
        else if (line.startsWith("-")) out.push(paint("red", line));
        else if (line.startsWith("\\"))
          continue; // "\ No newline at end of file": cells rarely end with one
        else out.push(line);
      }
    }
    if (c.metadata.length > 0) out.push("metadata:", ...keyChangeLines(c.metadata, paint, "  "));
    if (c.outputs) {
      out.push("outputs:");
      for (const o of c.outputs) {
        if (o.op === "same") out.push(paint("dim", `    ${o.summary}`));
        else if (o.op === "removed") out.push(paint("red", `  - ${o.summary}`));
        else if (o.op === "added") out.push(paint("green", `  + ${o.summary}`));
        else if (o.before === o.summary) out.push(paint("yellow", `  ~ ${o.summary} (content changed)`));
        else out.push(paint("red", `  - ${o.before}`), paint("green", `  + ${o.summary}`));
      }
    }
    if (c.executionCount && c.status !== "unchanged") {
      out.push(
        paint("dim", `execution count: ${c.executionCount[0] ?? "none"} → ${c.executionCount[1] ?? "none"}`),
      );
    }
  }
  flushUnchanged();
  const n = diff.counts;
  const parts: string[] = [];
  if (n.modified) parts.push(`${n.modified} modified`);
  if (n.added) parts.push(`${n.added} added`);
  if (n.removed) parts.push(`${n.removed} removed`);
  if (n.moved) parts.push(`${n.moved} moved`);
  if (diff.countOnly) parts.push(`${diff.countOnly} with only a new execution count`);
  if (diff.notebook.length) parts.push("notebook metadata changed");
  out.push(paint("bold", `cells: ${parts.join(", ") || "no cell changes"}`));
  return `${out.join("\n")}\n`;
}

/**
 * One notebook as plain text for git's textconv: each cell as a `# %%` block (type, id, tags, execution count),
 * its source, then one `# out:` line per output. Metadata that matters to a reader (kernel) comes first.
 */
export function renderNotebookText(nb: Notebook): string {
  const lines: string[] = [];
  const ks = nb.metadata?.kernelspec;
  const kernel = typeof ks?.name === "string" ? ks.name : undefined;
  lines.push(`# notebook: nbformat ${nb.nbformat}.${nb.nbformat_minor}${kernel ? `, kernel ${kernel}` : ""}`);
  for (const cell of nb.cells) {
    const attrs: string[] = [];
    if (typeof cell.id === "string") attrs.push(`id=${cell.id}`);
    const tags = cell.metadata?.tags;
    if (Array.isArray(tags) && tags.length > 0) attrs.push(`tags=${tags.join(",")}`);
    if (cell.cell_type === "code") {
      const count = (cell as CodeCell).execution_count;
      if (count !== null && count !== undefined) attrs.push(`[${String(count)}]`);
    }
    lines.push("", `# %% [${cell.cell_type}]${attrs.length ? ` ${attrs.join(" ")}` : ""}`);
    const source = cell.source.split(/\r\n|\n|\r/);
    if (source[source.length - 1] === "") source.pop();
    lines.push(...source);
    if (cell.cell_type === "code") {
      for (const o of (cell as CodeCell).outputs ?? []) lines.push(`# out: ${summarizeOutput(o)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

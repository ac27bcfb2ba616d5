/**
 * Text helpers of the project plan: which import lines a piece of code needs, and notebook markdown turned
 * into docstring text.
 */
import type { Notebook } from "../notebook/types.js";
import { identifiersIn } from "./imports.js";
import { normalizeNewlines } from "./source.js";

/** Import statements whose bound names the code uses (strings and comments excluded, f-string expressions included). */
export function importsFor(code: string, importText: Map<string, string>): string[] {
  const ids = identifiersIn(code);
  const out: string[] = [];
  for (const [name, text] of importText) if (ids.has(name) && !out.includes(text)) out.push(text);
  return out;
}

/** Markdown → docstring text: no heading markers, images, HTML, or runs of blank lines. */
export function cleanMarkdown(md: string, heading?: string): string {
  const lines = normalizeNewlines(md)
    .replace(/<[^>]+>/g, "")
    .replace(/!\[[^\]]*\]\([^)]*\)/g, "")
    .split("\n")
    .map((l) => l.replace(/\s+$/, ""));
  const out: string[] = [];
  for (const l of lines) {
    const h = l.match(/^#{1,6}\s+(.*)$/);
    if (h) {
      if (heading && h[1]!.trim() === heading.trim()) continue;
      out.push(h[1]!.trim());
      continue;
    }
    out.push(l);
  }
  return out
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim()
    .replace(/\\/g, "\\\\")
    .replace(/"""/g, '\\"\\"\\"');
}

export function firstMarkdown(nb: Notebook): { title?: string; text: string } {
  const md = nb.cells.find((c) => c.cell_type === "markdown");
  if (!md) return { text: "" };
  const h = md.source.match(/^#\s+(.+)$/m);
  return { ...(h ? { title: h[1]!.trim() } : {}), text: cleanMarkdown(md.source, h?.[1]) };
}

/** The source of a notebook cell ("" when the index is out of range). */
export function notebookSource(nb: Notebook, cell: number): string {
  return nb.cells[cell]?.source ?? "";
}

/**
 * A Python parser for the rewrites extract makes inside statements (print → logging, literals →
 * parameters, helper calls gaining arguments). The analysis itself comes from src/python/; this is
 * only the tree the rewrites need, loaded once.
 */
import { type Node, Parser } from "web-tree-sitter";
import { initPython, parserLanguage } from "../python/index.js";

let parser: Parser | undefined;

/**
 * Reuse the python stage's web-tree-sitter module and grammar: initialising web-tree-sitter a second time
 * (after the analyzer did) breaks the loaded language ("Incompatible language version 0").
 */
export async function initSyntax(): Promise<void> {
  if (parser) return;
  await initPython();
  const lang = parserLanguage();
  if (!lang) throw new Error("initPython() completed without a Python language");
  const p = new Parser();
  p.setLanguage(lang);
  parser = p;
}

export interface ParsedCode {
  root: Node;
  hasError: boolean;
  dispose(): void;
}

/** Parse Python source; `initSyntax()` must have completed. */
export function parsePython(code: string): ParsedCode {
  if (!parser) throw new Error("initSyntax() was not awaited before parsePython()");
  const tree = parser.parse(code);
  if (!tree) throw new Error("tree-sitter returned no tree");
  return { root: tree.rootNode, hasError: tree.rootNode.hasError, dispose: () => tree.delete() };
}

/** Every descendant (document order) of the given types, found inside the WebAssembly module (fast). */
export function descendants(node: Node, types: ReadonlySet<string>): Node[] {
  return node.descendantsOfType([...types]).filter((n): n is Node => n !== null);
}

/** A text edit by UTF-16 offsets. */
export interface Edit {
  from: number;
  to: number;
  text: string;
}

/** Apply non-overlapping edits (the first of two overlapping edits wins). */
export function applyEdits(code: string, edits: Edit[]): string {
  const sorted = [...edits].sort((a, b) => a.from - b.from || a.to - b.to);
  const kept: Edit[] = [];
  let end = -1;
  for (const e of sorted) {
    if (e.from < end) continue;
    kept.push(e);
    end = Math.max(end, e.to);
  }
  let out = code;
  for (const e of kept.reverse()) out = out.slice(0, e.from) + e.text + out.slice(e.to);
  return out;
}

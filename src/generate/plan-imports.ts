/**
 * Imports and type hints of the project plan: the notebook's import statements (by the name each binds),
 * the hints learnt statement by statement, recorded hints and the imports they need, and the import lines
 * each generated module gets (what its code uses).
 */
import type { Notebook } from "../notebook/types.js";
import type { NotebookAnalysis } from "../python/types.js";
import { isImport } from "./helpers.js";
import { type HintContext, hintFor } from "./hints.js";
import type { HelperModel } from "./model.js";
import type { StepWork } from "./plan-context.js";
import { importsFor, notebookSource } from "./plan-text.js";
import { sliceStatement } from "./source.js";

export interface NotebookImports {
  /** Bound name → import statement text, from anywhere in the notebook (the last one wins). */
  text: Map<string, string>;
  /** The names the notebook's imports bind. */
  bound: Set<string>;
  /** Top-level modules imported (for the package name). */
  tops: Set<string>;
  /** `from m import *` lines. */
  star: string[];
  /**
   * Imports that recorded type hints need and the notebook does not have (`np.ndarray` without numpy
   * imported); filled while steps are built.
   */
  forHints: Map<string, string>;
}

export function collectImports(notebook: Notebook, analysis: NotebookAnalysis): NotebookImports {
  const text = new Map<string, string>();
  const tops = new Set<string>();
  const star: string[] = [];
  for (const cell of analysis.cells) {
    for (const imp of cell.imports) {
      tops.add(imp.module.split(".")[0]!);
      if (imp.star) star.push(`from ${imp.module} import *`);
    }
    cell.statements.forEach((st, i) => {
      if (!isImport(st.type)) return;
      const code = sliceStatement(notebookSource(notebook, cell.cellIndex), cell, i, undefined).source.code;
      for (const name of st.defines) text.set(name, code.trim());
    });
  }
  return { text, bound: new Set(text.keys()), tops, star, forHints: new Map() };
}

/**
 * Learn the type of what a kept statement assigns (`df = pd.read_csv(...)`, `X_train, X_test, ... =
 * train_test_split(X, y, ...)`) into `hintCtx.known`; a simple assignment of unknown type forgets the name.
 */
export function recordHints(code: string, hintCtx: HintContext): void {
  const simple = code.match(/^([A-Za-z_]\w*)\s*=\s*([\s\S]+)$/);
  if (simple && !simple[2]!.trimStart().startsWith("=")) {
    const h = hintFor(simple[2]!, hintCtx);
    if (h) hintCtx.known.set(simple[1]!, h);
    else hintCtx.known.delete(simple[1]!);
    return;
  }
  const split = code.match(/^([\w\s,]+)=\s*(?:\w+\.)?train_test_split\(([^)]*)\)/);
  if (split) {
    const targets = split[1]!
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const args = split[2]!
      .split(",")
      .map((s) => s.trim())
      .filter((s) => /^[A-Za-z_]\w*$/.test(s));
    targets.forEach((t, i) => {
      const h = hintCtx.known.get(args[Math.floor(i / 2)] ?? "");
      if (h) hintCtx.known.set(t, h);
    });
  }
}

/**
 * A recorded annotation is used when each name it needs is unbound in the notebook or bound by the same
 * import (`pd` must be pandas); the imports it adds are remembered (in `imports.forHints`) for the module
 * import pass.
 */
export function recordedHintUsable(
  imports: NotebookImports,
  a: { text: string; imports: string[] },
): boolean {
  const bound = a.imports.map((line) => [boundName(line), line] as const);
  if (bound.some(([n]) => n === undefined)) return false;
  for (const [n, line] of bound) {
    const existing = imports.text.get(n!) ?? imports.forHints.get(n!);
    if (existing !== undefined && existing !== line && !sameBinding(existing, line)) return false;
  }
  for (const [n, line] of bound) if (!imports.text.has(n!)) imports.forHints.set(n!, line);
  return true;
}

/** The name an import line binds: `import pandas as pd` → pd, `from sklearn.svm import SVC` → SVC. */
export function boundName(line: string): string | undefined {
  const m =
    /^import\s+([\w.]+)(?:\s+as\s+(\w+))?\s*$/.exec(line) ??
    /^from\s+[\w.]+\s+import\s+(\w+)(?:\s+as\s+(\w+))?\s*$/.exec(line);
  if (!m) return undefined;
  return m[2] ?? (m[1] as string).split(".")[0];
}

/** Two import lines that bind the same name to the same object (`import pandas as pd` in a longer statement). */
export function sameBinding(existing: string, line: string): boolean {
  const m = /^import\s+([\w.]+)\s+as\s+(\w+)$/.exec(line) ?? /^from\s+([\w.]+)\s+import\s+(\w+)$/.exec(line);
  if (!m) return false;
  const [, mod, name] = m;
  return (
    new RegExp(`\\b${mod!.replace(/\./g, "\\.")}\\s+as\\s+${name}\\b`).test(existing) ||
    new RegExp(`^from\\s+${mod!.replace(/\./g, "\\.")}\\s+import\\b[^#]*\\b${name}\\b`).test(existing)
  );
}

/**
 * Each step module's imports: what its body, helpers and annotations use, plus the modules its rewritten
 * code needs (subprocess, os, functools.partial, logging), before the imports it already has.
 */
export function assignModuleImports(works: StepWork[], imports: NotebookImports): void {
  for (const w of works) {
    const code = [
      w.model.body,
      ...w.model.helpers.map((h) => h.code),
      ...w.model.args.map((a) => a.hint ?? ""),
      ...w.model.returns.map((r) => r.hint ?? ""),
    ].join("\n");
    const extra: string[] = [];
    if (w.usesSubprocess) extra.push("import subprocess");
    if (w.usesOs) extra.push("import os");
    if (w.usesPartial) extra.push("from functools import partial");
    if (w.model.usesLogging) extra.push("import logging");
    const found = importsFor(code, new Map([...imports.forHints, ...imports.text]));
    w.model.imports = [...new Set([...extra, ...found, ...w.model.imports])];
  }
}

/** The imports of helpers.py: what the shared helpers' code uses. */
export function sharedHelperImportsFor(sharedModels: HelperModel[], imports: NotebookImports): string[] {
  const sharedCode = sharedModels.map((h) => h.code).join("\n");
  const out = importsFor(sharedCode, imports.text);
  if (sharedModels.some((h) => h.code.includes("partial("))) out.push("from functools import partial");
  return out;
}

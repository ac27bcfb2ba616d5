/** src/<pkg>/steps/<step>.py: one public function per step, its helpers, its imports. */
import type { Node } from "web-tree-sitter";
import type { ProjectModel, StepModel } from "../model.js";
import { descendants, parsePython } from "../syntax.js";
import { docstring, docText, indent, pyLiteral } from "./python.js";

/** 0-based lines of `code` that continue a multi-line string: indenting them would change the string. */
export function stringContinuationLines(code: string): Set<number> {
  const keep = new Set<number>();
  // Only triple-quoted strings and backslash-continued strings span lines.
  if (!/"""|'''|\\\n/.test(code)) return keep;
  const parsed = parsePython(code);
  try {
    for (const s of descendants(parsed.root, new Set(["string", "concatenated_string"])) as Node[]) {
      for (let r = s.startPosition.row + 1; r <= s.endPosition.row; r++) keep.add(r);
    }
  } finally {
    parsed.dispose();
  }
  return keep;
}

export function signature(step: StepModel): string {
  const params = step.args.map((a) => {
    const hint = a.hint ? `: ${a.hint}` : "";
    if (a.defaultLiteral !== undefined) return `${a.name}${hint}${a.hint ? " = " : "="}${a.defaultLiteral}`;
    return `${a.name}${hint}`;
  });
  return `def ${step.name}(${params.join(", ")})${returnAnnotation(step)}:`;
}

export function returnAnnotation(step: StepModel): string {
  if (step.returns.length === 0) return " -> None";
  if (step.returns.length === 1) {
    const h = step.returns[0]!.hint;
    return h ? ` -> ${h}` : "";
  }
  if (step.returns.every((r) => !r.hint)) return "";
  return ` -> tuple[${step.returns.map((r) => r.hint ?? "Any").join(", ")}]`;
}

export function stepDocstring(step: StepModel, model: ProjectModel): string {
  const lines: string[] = [docText(step.title)];
  if (step.description) lines.push("", ...docText(step.description).split("\n"));
  if (step.args.length > 0) {
    lines.push("", "Args:");
    for (const a of step.args) {
      let what: string;
      if (a.source.kind === "input")
        what = a.source.from ? `\`${a.name}\` as returned by \`${a.source.from}\`.` : `\`${a.name}\`.`;
      else {
        const p = model.params.find((q) => q.name === (a.source.kind === "param" ? a.source.param : ""));
        const where =
          a.source.role === "data"
            ? " (a path under `data_dir`)"
            : a.source.role === "output"
              ? " (a path under `outputs_dir`)"
              : "";
        const nbValue = p ? ` Notebook value: ${p.literal?.trim() || pyLiteral(p.value)}.` : "";
        what = `Parameter \`${a.source.param}\` in params.yaml${where}.${p?.kind === "unresolved" ? " TODO: defined nowhere in the notebook." : nbValue}`;
      }
      lines.push(`    ${a.name}: ${docText(what)}`);
    }
  }
  if (step.returns.length > 0) {
    lines.push("", "Returns:");
    if (step.returns.length === 1) {
      const r = step.returns[0]!;
      lines.push(`    \`${r.name}\`${usedBy(r.usedBy)}`);
    } else {
      lines.push(`    A tuple (${step.returns.map((r) => r.name).join(", ")}):`);
      for (const r of step.returns) lines.push(`        ${r.name}${usedBy(r.usedBy)}`);
    }
  }
  return docstring(lines, 4);
}

function usedBy(users: string[]): string {
  return users.length > 0 ? `: used by ${[...new Set(users)].map((u) => `\`${u}\``).join(", ")}.` : ".";
}

function returnStatement(step: StepModel): string {
  if (step.returns.length === 0) return "";
  return `return ${step.returns.map((r) => r.name).join(", ")}`;
}

/** The module text (before ruff: imports are sorted and unused ones removed by the lint pass). */
export function renderStepModule(step: StepModel, index: number, model: ProjectModel): string {
  const out: string[] = [];
  const title = step.title.replace(/\.$/, "");
  out.push(`"""Step ${index + 1} of the ${model.packageName} pipeline: ${docText(title)}."""`, "");
  out.push("from __future__ import annotations", "");
  const imports = [...step.imports];
  if (step.returns.length > 1 && step.returns.some((r) => !r.hint) && step.returns.some((r) => r.hint))
    imports.push("from typing import Any");
  if (model.stubs) {
    // Stubs keep only what the signatures need.
    const sig = signature(step);
    out.push(...imports.filter((i) => importUsedIn(i, sig)));
  } else {
    out.push(...imports);
    if (step.sharedHelpers.length > 0)
      out.push(`from ${model.packageName}.helpers import ${step.sharedHelpers.join(", ")}`);
  }
  out.push("");
  if (step.usesLogging && !model.stubs) out.push("logger = logging.getLogger(__name__)", "");
  if (!model.stubs) for (const h of step.helpers) out.push("", h.code, "");
  out.push("", signature(step), stepDocstring(step, model));
  if (model.stubs) {
    out.push("    # The notebook code of this step, to move into the function body:");
    for (const l of step.originalCode.split("\n")) out.push(l.trim() === "" ? "    #" : `    # ${l}`);
    out.push(`    raise NotImplementedError("${step.name}: fill in from the notebook code above")`);
  } else {
    if (step.globals.length > 0) out.push(`    global ${step.globals.join(", ")}`);
    const body = step.body.trim() === "" ? "pass" : step.body;
    out.push(indent(body, 4, stringContinuationLines(body)));
    const ret = returnStatement(step);
    if (ret) out.push(`    ${ret}`);
  }
  return `${out.join("\n")}\n`;
}

function importUsedIn(importLine: string, code: string): boolean {
  const bound = importLine.match(/ as (\w+)\s*$/)?.[1] ?? importLine.match(/^import ([\w]+)/)?.[1];
  if (bound) return new RegExp(`\\b${bound}\\b`).test(code);
  const names =
    importLine
      .match(/^from \S+ import (.+)$/)?.[1]
      ?.split(",")
      .map(
        (n) =>
          n
            .trim()
            .split(/\s+as\s+/)
            .pop()!,
      ) ?? [];
  return names.some((n) => new RegExp(`\\b${n}\\b`).test(code));
}

export function renderHelpersModule(model: ProjectModel): string | undefined {
  if (model.sharedHelpers.length === 0 || model.stubs) return undefined;
  const out = [
    `"""Functions and classes the notebook defined that several steps of ${model.packageName} use."""`,
    "",
    "from __future__ import annotations",
    "",
    ...model.sharedHelperImports,
    "",
  ];
  for (const h of model.sharedHelpers) out.push("", h.code, "");
  return `${out.join("\n")}\n`;
}

/** src/<pkg>/steps/<step>.py: one public function per step, its helpers, its imports. */
import type { Node } from "web-tree-sitter";
import { identifiersIn, organizeImports } from "../imports.js";
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

/** The module text (before ruff formats it): docstring, imports (only those used, isort order), helpers, the step. */
export function renderStepModule(step: StepModel, index: number, model: ProjectModel): string {
  const rest: string[] = [];
  if (step.usesLogging && !model.stubs) rest.push("logger = logging.getLogger(__name__)", "");
  if (!model.stubs) for (const h of step.helpers) rest.push("", h.code, "");
  rest.push("", signature(step), stepDocstring(step, model));
  if (model.stubs) {
    rest.push("    # The notebook code of this step, to move into the function body:");
    for (const l of step.originalCode.split("\n")) rest.push(l.trim() === "" ? "    #" : `    # ${l}`);
    rest.push(`    raise NotImplementedError("${step.name}: fill in from the notebook code above")`);
  } else {
    if (step.globals.length > 0) rest.push(`    global ${step.globals.join(", ")}`);
    const body = step.body.trim() === "" ? "pass" : step.body;
    rest.push(indent(body, 4, stringContinuationLines(body)));
    const ret = returnStatement(step);
    if (ret) rest.push(`    ${ret}`);
  }
  const restText = rest.join("\n");
  const imports = ["from __future__ import annotations", ...step.imports];
  if (step.returns.length > 1 && step.returns.some((r) => !r.hint) && step.returns.some((r) => r.hint))
    imports.push("from typing import Any");
  if (!model.stubs && step.sharedHelpers.length > 0)
    imports.push(`from ${model.packageName}.helpers import ${step.sharedHelpers.join(", ")}`);
  // Stubs keep only what the signatures need (the code is in comments).
  const used = identifiersIn(model.stubs ? signature(step) : restText);
  const block = organizeImports(imports, used, model.packageName, model.pythonVersion);
  const title = step.title.replace(/\.$/, "");
  return `"""Step ${index + 1} of the ${model.packageName} pipeline: ${docText(title)}."""\n\n${block}\n\n${restText}\n`;
}

export function renderHelpersModule(model: ProjectModel): string | undefined {
  if (model.sharedHelpers.length === 0 || model.stubs) return undefined;
  const code = model.sharedHelpers.map((h) => `\n${h.code}\n`).join("\n");
  const block = organizeImports(
    ["from __future__ import annotations", ...model.sharedHelperImports],
    identifiersIn(code),
    model.packageName,
    model.pythonVersion,
  );
  return `"""Functions and classes the notebook defined that several steps of ${model.packageName} use."""\n\n${block}\n\n${code}\n`;
}

/**
 * Per-statement facts that do not need scopes: whether a top-level statement shows something (Jupyter's
 * display of the last expression, or a display-only call), and syntax diagnostics from tree-sitter's
 * ERROR/MISSING nodes.
 */
import { namedChildren as named, type SNode } from "./parser.js";
import type { Diagnostic, DisplayKind } from "./types.js";

/** Bare-name calls whose only effect is to show something. */
const DISPLAY_FUNCTIONS = new Set(["display", "print", "pprint", "pp"]);
/** Method calls whose only effect is to show something: `plt.show()`, `fig.show()`, `IPython.display.display(x)`. */
const DISPLAY_METHODS = new Set(["show", "display"]);

/**
 * "value": the statement is the cell's last top-level statement, a bare expression (not an assignment, not
 * `yield`), and not followed by `;` — Jupyter displays its value (IPython's default `last_expr`).
 * "call": a bare expression statement that is a display-only call (`display(x)`, `print(x)`, `pprint(x)`,
 * `plt.show()`, `fig.show()`, `IPython.display.display(x)`) anywhere in the cell.
 * A masked magic (`pass`) never displays.
 */
export function statementDisplay(
  n: SNode,
  module: SNode,
  isLast: boolean,
  src: string,
): DisplayKind | undefined {
  if (n.type !== "expression_statement") return undefined;
  const kids = named(n);
  if (kids.length === 0) return undefined;
  if (kids.some((k) => k.type === "assignment" || k.type === "augmented_assignment" || k.type === "yield")) {
    return undefined;
  }
  const only = kids.length === 1 ? kids[0]! : undefined;
  if (only?.type === "call") {
    const fn = only.children.find((c) => c.field === "function");
    if (fn?.type === "identifier" && DISPLAY_FUNCTIONS.has(src.slice(fn.start, fn.end))) return "call";
    if (fn?.type === "attribute") {
      const attr = fn.children.find((c) => c.field === "attribute");
      if (attr && DISPLAY_METHODS.has(src.slice(attr.start, attr.end))) return "call";
    }
  }
  if (!isLast) return undefined;
  // A `;` right after the statement (on its line) suppresses the display.
  const i = module.children.indexOf(n);
  const next = module.children[i + 1];
  if (next && next.type === ";") return undefined;
  return "value";
}

/** Syntax errors: the outermost ERROR nodes and MISSING tokens, in source order (at most 20). */
export function collectDiagnostics(tree: SNode, src: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const visit = (n: SNode) => {
    if (out.length >= 20) return;
    if (n.type === "ERROR") {
      const text = src.slice(n.start, n.end).split("\n")[0]!.trim();
      const excerpt = text.length > 40 ? `${text.slice(0, 40)}…` : text;
      out.push({
        code: "syntax-error",
        severity: "error",
        message: excerpt ? `invalid syntax near \`${excerpt}\`` : "invalid syntax",
        span: { line: n.sr + 1, column: n.sc + 1, endLine: n.er + 1, endColumn: n.ec + 1 },
      });
      return;
    }
    if (n.type === "print_statement" || n.type === "exec_statement") {
      const word = n.type === "print_statement" ? "print" : "exec";
      out.push({
        code: "syntax-error",
        severity: "error",
        message: `Python 2 \`${word}\` statement: in Python 3 it is a function, write \`${word}(...)\``,
        span: { line: n.sr + 1, column: n.sc + 1, endLine: n.er + 1, endColumn: n.ec + 1 },
      });
      return;
    }
    if (n.missing) {
      out.push({
        code: "syntax-error",
        severity: "error",
        message: `invalid syntax: missing \`${n.type}\``,
        span: { line: n.sr + 1, column: n.sc + 1, endLine: n.er + 1, endColumn: n.ec + 1 },
      });
      return;
    }
    for (const c of n.children) visit(c);
  };
  visit(tree);
  return out;
}

/**
 * Papermill-style parameters: `-p name=value` values are checked as Python literals and written into
 * a new cell, tagged `injected-parameters`, right after the cell tagged `parameters` (at the top when
 * the notebook has none). A previous injected cell (from an earlier run) is replaced.
 */
import { randomBytes } from "node:crypto";
import { FledgeError } from "../errors.js";
import type { Cell, CodeCell, Notebook } from "../notebook/types.js";
import { checkPythonLiteral, type LiteralKind } from "./pyliteral.js";

export interface Parameter {
  name: string;
  /** Python source of the value (a literal). */
  value: string;
  kind: LiteralKind;
}

const PY_KEYWORDS = new Set(
  (
    "False None True and as assert async await break class continue def del elif else except finally for " +
    "from global if import in is lambda nonlocal not or pass raise return try while with yield"
  ).split(" "),
);

/**
 * Parses one `name=value` argument. With `raw`, the value is taken as a string (papermill's `-r`);
 * otherwise it must be a Python literal. Throws FledgeError E_USAGE (exit 2) for a bad name or literal.
 */
export function parseParameter(arg: string, raw = false): Parameter {
  const eq = arg.indexOf("=");
  const flag = raw ? "-r" : "-p";
  if (eq <= 0) {
    throw new FledgeError("E_USAGE", `parameter '${arg}' is not of the form name=value`, {
      hint: `Write ${flag} learning_rate=0.1`,
    });
  }
  const name = arg.slice(0, eq).trim();
  const value = arg.slice(eq + 1);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || PY_KEYWORDS.has(name)) {
    throw new FledgeError("E_USAGE", `parameter name '${name}' is not a valid Python variable name`);
  }
  if (raw) return { name, value: JSON.stringify(value), kind: "str" };
  const check = checkPythonLiteral(value);
  if (!check.ok) {
    const looksLikeText = /^[^'"[({\d+\-.]/.test(value.trim()) && value.trim() !== "";
    throw new FledgeError(
      "E_USAGE",
      `the value of parameter '${name}' is not a Python literal: ${check.message} (at character ${check.offset + 1} of ${JSON.stringify(value)})`,
      {
        hint: looksLikeText
          ? `Quote text for Python and the shell: -p ${name}='"${value}"', or pass it as a string with -r ${name}=${value}`
          : "Values are Python literals: 42, 0.1, True, None, 'text', [1, 2], {'a': 1}.",
      },
    );
  }
  return { name, value: value.trim(), kind: check.kind };
}

export interface Injection {
  notebook: Notebook;
  /** Index of the injected cell in `notebook.cells`, or -1 when there were no parameters. */
  index: number;
  /** Things the user should know (no `parameters` cell, a name the parameters cell does not define). */
  warnings: string[];
}

function tags(cell: Cell): string[] {
  const t = (cell.metadata as { tags?: unknown }).tags;
  return Array.isArray(t) ? t.map(String) : [];
}

function newCellId(nb: Notebook): string {
  const used = new Set(nb.cells.map((c) => c.id));
  for (;;) {
    const id = randomBytes(4).toString("hex");
    if (!used.has(id)) return id;
  }
}

/** The source of the injected cell. */
export function parametersSource(params: Parameter[]): string {
  return ["# Parameters", ...params.map((p) => `${p.name} = ${p.value}`)].join("\n") + "\n";
}

/**
 * Injects the parameters cell into `nb` **in place** (call it on your copy, e.g. from `cloneJson`),
 * replacing an earlier injected cell. With no parameters, nothing changes.
 */
export function injectParameters(nb: Notebook, params: Parameter[]): Injection {
  const warnings: string[] = [];
  if (params.length === 0) return { notebook: nb, index: -1, warnings };
  const cells = nb.cells.filter((c) => !tags(c).includes("injected-parameters"));
  const at = cells.findIndex((c) => tags(c).includes("parameters"));
  if (at < 0) {
    warnings.push("no cell is tagged 'parameters'; the parameters were injected as the first cell");
  } else {
    const src = cells[at]!.source;
    for (const p of params) {
      if (!new RegExp(`^\\s*${p.name}\\s*(:[^=\\n]*)?=(?!=)`, "m").test(src)) {
        warnings.push(`parameter '${p.name}' is not assigned in the 'parameters' cell (cell ${at + 1})`);
      }
    }
  }
  const cell: CodeCell = {
    cell_type: "code",
    execution_count: null,
    metadata: { tags: ["injected-parameters"] },
    outputs: [],
    source: parametersSource(params),
  };
  const hasIds = nb.nbformat > 4 || (nb.nbformat === 4 && nb.nbformat_minor >= 5) || cells.some((c) => c.id);
  const withId: CodeCell = hasIds ? { id: newCellId(nb), ...cell } : cell;
  const index = at + 1;
  cells.splice(index, 0, withId);
  nb.cells = cells;
  return { notebook: nb, index, warnings };
}

/** Small helpers for writing Python source text. */

/** A JSON-compatible value as a Python literal. */
export function pyLiteral(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : `float("${value}")`;
  if (typeof value === "string") return pyString(value);
  if (Array.isArray(value)) return `[${value.map(pyLiteral).join(", ")}]`;
  if (typeof value === "object") {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${pyString(k)}: ${pyLiteral(v)}`)
      .join(", ")}}`;
  }
  return pyString(String(value));
}

/** A double-quoted Python string literal. */
export function pyString(s: string): string {
  return `"${s
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r")
    .replace(/\t/g, "\\t")}"`;
}

/** Indent every line that has text by `n` spaces, except lines listed in `keep` (0-based). */
export function indent(text: string, n = 4, keep: Set<number> = new Set()): string {
  const pad = " ".repeat(n);
  return text
    .split("\n")
    .map((l, i) => (l.trim() === "" || keep.has(i) ? (keep.has(i) ? l : "") : pad + l))
    .join("\n");
}

/** Text safe inside a triple-double-quoted docstring. */
export function docText(s: string): string {
  return s.replace(/\\/g, "\\\\").replace(/"""/g, '\\"\\"\\"').replace(/"$/, '" ');
}

/** A docstring block, indented by `n`. First line ends with a period. */
export function docstring(lines: string[], n: number): string {
  const pad = " ".repeat(n);
  const body = lines.join("\n").replace(/\s+$/, "");
  const [first = "", ...rest] = body.split("\n");
  const head = /[.!?:]$/.test(first) ? first : `${first}.`;
  if (rest.length === 0) return `${pad}"""${head}"""`;
  const tail = rest.map((l) => (l.trim() === "" ? "" : pad + l)).join("\n");
  return `${pad}"""${head}\n${tail}\n${pad}"""`;
}

/**
 * The YAML of a percent-format header: a small writer in PyYAML's style (`safe_dump(default_flow_style=False)`,
 * as Jupytext writes it: keys sorted, two-space indentation, lists as `- item` under their key), and a reader
 * for that same subset. Anything else (anchors, block scalars, flow maps…) goes to the `yaml` package, loaded
 * only then: reading and writing a header must cost microseconds, not milliseconds.
 */
import { createRequire } from "node:module";
import { formatNumber } from "./json.js";

// ---- Writing ----

const RESERVED_PLAIN = /^(?:true|false|yes|no|on|off|null|~|y|n)$/i;
const NUMBER_LIKE =
  /^[-+]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$|^[-+]?\.(?:inf|nan)$|^0x[0-9a-fA-F]+$|^0o?[0-7]+$/i;
const PLAIN_SAFE = /^[^-?:,[\]{}#&*!|>'"%@`\s][\x20-\x7e]*$/;

function scalar(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return formatNumber(value);
  if (value instanceof Number) return formatNumber(value.valueOf());
  const s = String(value);
  if (
    s !== "" &&
    PLAIN_SAFE.test(s) &&
    !s.endsWith(" ") &&
    !s.endsWith(":") &&
    !s.includes(": ") &&
    !s.includes(" #") &&
    !RESERVED_PLAIN.test(s) &&
    !NUMBER_LIKE.test(s)
  ) {
    return s;
  }
  if (/^[\x20-\x7e]*$/.test(s)) return `'${s.replace(/'/g, "''")}'`;
  return JSON.stringify(s);
}

const isMap = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Number);

function flow(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(flow).join(", ")}]`;
  if (isMap(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined);
    return `{${keys.map((k) => `${scalar(k)}: ${flow(value[k])}`).join(", ")}}`;
  }
  return scalar(value);
}

/**
 * Block YAML for a map, keys sorted. `flowKeys` lists paths (like `jupyter.fledge.cells`) whose lists are written
 * on one line.
 */
export function dumpYaml(
  map: Record<string, unknown>,
  flowKeys: Set<string> = new Set(),
  path = "",
  indent = "",
): string[] {
  const lines: string[] = [];
  for (const key of Object.keys(map).sort()) {
    const value = map[key];
    if (value === undefined) continue;
    const k = `${indent}${scalar(key)}:`;
    const p = path ? `${path}.${key}` : key;
    if (isMap(value)) {
      if (Object.keys(value).length === 0) lines.push(`${k} {}`);
      else lines.push(k, ...dumpYaml(value, flowKeys, p, `${indent}  `));
    } else if (Array.isArray(value)) {
      if (value.length === 0 || flowKeys.has(p)) lines.push(`${k} ${flow(value)}`);
      else {
        lines.push(k);
        for (const item of value)
          lines.push(`${indent}- ${isMap(item) || Array.isArray(item) ? flow(item) : scalar(item)}`);
      }
    } else lines.push(`${k} ${scalar(value)}`);
  }
  return lines;
}

// ---- Reading ----

class Unsupported extends Error {}

function parseScalar(text: string): unknown {
  const s = text.trim();
  if (s === "" || s === "~" || s === "null" || s === "Null" || s === "NULL") return null;
  if (/^(?:true|True|TRUE)$/.test(s)) return true;
  if (/^(?:false|False|FALSE)$/.test(s)) return false;
  if (/^[-+]?\d+$/.test(s)) return Number(s);
  if (/^[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?$/.test(s)) return Number(s);
  if (s.startsWith("'")) {
    if (!s.endsWith("'") || s.length < 2) throw new Unsupported();
    const inner = s.slice(1, -1);
    if (/(^|[^'])'([^']|$)/.test(inner.replace(/''/g, ""))) throw new Unsupported();
    return inner.replace(/''/g, "'");
  }
  if (s.startsWith('"')) {
    try {
      return JSON.parse(s);
    } catch {
      throw new Unsupported();
    }
  }
  if (s === "{}") return {};
  if (s.startsWith("[")) {
    if (!s.endsWith("]")) throw new Unsupported();
    const inner = s.slice(1, -1).trim();
    if (inner === "") return [];
    if (/[[\]{}"]/.test(inner)) throw new Unsupported();
    return inner.split(",").map((item) => parseScalar(item));
  }
  if (/^[&*!|>%@`{]/.test(s) || / #/.test(s) || /: /.test(s) || s.startsWith("- ")) throw new Unsupported();
  return s;
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

function parseBlock(lines: string[], start: number, indent: number): [Record<string, unknown>, number] {
  const out: Record<string, unknown> = {};
  let i = start;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === "") {
      i++;
      continue;
    }
    const ind = indentOf(line);
    if (ind < indent) break;
    if (ind > indent) throw new Unsupported();
    const m = /^([A-Za-z_][\w.@/-]*):(?: (.*))?$/.exec(line.slice(ind));
    if (!m) throw new Unsupported();
    const key = m[1]!;
    const rest = m[2]?.trim() ?? "";
    i++;
    if (rest !== "") {
      out[key] = parseScalar(rest);
      continue;
    }
    // A nested map (deeper) or a list (`- item` at this indentation or deeper).
    let j = i;
    while (j < lines.length && lines[j]!.trim() === "") j++;
    const next = lines[j];
    if (next?.trimStart().startsWith("- ") && indentOf(next) >= indent) {
      const listIndent = indentOf(next);
      const items: unknown[] = [];
      while (
        j < lines.length &&
        indentOf(lines[j]!) === listIndent &&
        lines[j]!.trimStart().startsWith("- ")
      ) {
        items.push(parseScalar(lines[j]!.trimStart().slice(2)));
        j++;
      }
      out[key] = items;
      i = j;
    } else if (next !== undefined && indentOf(next) > indent) {
      const [child, end] = parseBlock(lines, j, indentOf(next));
      out[key] = child;
      i = end;
    } else out[key] = null;
  }
  return [out, i];
}

let yamlPackage: { parse(text: string): unknown } | undefined;

/** Parse header YAML: the common subset here, anything else with the `yaml` package. Throws on invalid YAML. */
export function parseHeaderYaml(lines: string[]): unknown {
  try {
    const [doc, end] = parseBlock(lines, 0, 0);
    if (end === lines.length) return doc;
  } catch (err) {
    if (!(err instanceof Unsupported)) throw err;
  }
  yamlPackage ??= createRequire(import.meta.url)("yaml") as { parse(text: string): unknown };
  return yamlPackage.parse(lines.join("\n"));
}

/**
 * Cell markers of the percent format: what follows `# %%` (a title, `[markdown]`/`[raw]`, `key=<JSON>` pairs as
 * Python's `json.dumps` writes them, or one JSON object), read and written as Jupytext does, with fledge's
 * fallbacks where Jupytext would lose a value (a title it cannot read back is written as `title="…"`).
 */
import { formatNumber, JsonNumber, parseJson } from "./json.js";
import type { CellType } from "./types.js";

// ---- JSON as Python's json.dumps writes it (Jupytext writes marker values this way) ----

function asciiQuote(s: string): string {
  return JSON.stringify(s).replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

function pyJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return asciiQuote(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return formatNumber(value);
  if (value instanceof JsonNumber) return value.text;
  if (value instanceof Number) return formatNumber(value.valueOf());
  if (Array.isArray(value)) return `[${value.map(pyJson).join(", ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.map(([k, v]) => `${asciiQuote(k)}: ${pyJson(v)}`).join(", ")}}`;
  }
  return "null";
}

/** End index of the JSON value starting at `i` (strings, nested brackets; scalars end at whitespace). */
function scanJsonValue(s: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < s.length) {
    const c = s[j]!;
    if (c === '"') {
      j++;
      while (j < s.length && s[j] !== '"') j += s[j] === "\\" ? 2 : 1;
      j++;
      if (depth === 0) return Math.min(j, s.length);
      continue;
    }
    if (c === "[" || c === "{") depth++;
    else if (c === "]" || c === "}") {
      depth--;
      if (depth <= 0) return j + 1;
    } else if (depth === 0 && /\s/.test(c)) return j;
    j++;
  }
  return j;
}

function tryJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: parseJson(text) };
  } catch {
    return { ok: false };
  }
}

// ---- Cell markers ----

const TYPE_TOKENS: [string, CellType][] = [
  ["[markdown]", "markdown"],
  ["[raw]", "raw"],
  ["[md]", "markdown"],
];
const PAIR_RE = /^([a-zA-Z0-9_.@/-]+)=/;

export interface MarkerInfo {
  type: CellType | undefined;
  metadata: Record<string, unknown>;
}

/** Parse what follows `%%` on a marker line (Jupytext's options: title, [type], key=JSON pairs, or a JSON object). */
export function parseMarkerOptions(after: string, warn: (message: string) => void): MarkerInfo {
  const metadata: Record<string, unknown> = {};
  let depth = 0;
  let rest = after;
  while (rest.startsWith("%")) {
    depth++;
    rest = rest.slice(1);
  }
  rest = rest.trim();
  let title = "";
  let type: CellType | undefined;
  const brace = rest.indexOf("{");
  const equal = rest.indexOf("=");
  if (brace >= 0 && (equal < 0 || brace < equal)) {
    title = rest.slice(0, brace).trim();
    const parsed = tryJson(rest.slice(brace));
    if (parsed.ok && parsed.value && typeof parsed.value === "object" && !Array.isArray(parsed.value)) {
      Object.assign(metadata, parsed.value);
    } else {
      warn(`cannot read the cell metadata '${rest.slice(brace)}' (not a JSON object); kept as text`);
      metadata.incorrectly_encoded_metadata = rest.slice(brace);
    }
  } else {
    let titleEnd = -1;
    const unread: string[] = [];
    let i = 0;
    while (i < rest.length) {
      while (rest[i] === " ") i++;
      if (i >= rest.length) break;
      const pair = PAIR_RE.exec(rest.slice(i));
      if (pair) {
        const start = i + pair[0].length;
        const end = scanJsonValue(rest, start);
        const parsed = end > start ? tryJson(rest.slice(start, end)) : { ok: false as const };
        if (parsed.ok && (end === rest.length || rest[end] === " ")) {
          metadata[pair[1]!] = parsed.value;
          if (titleEnd < 0) titleEnd = i;
          i = end;
          continue;
        }
      }
      let end = rest.indexOf(" ", i);
      if (end < 0) end = rest.length;
      const word = rest.slice(i, end);
      if (titleEnd >= 0) {
        const t = TYPE_TOKENS.find(([token]) => token === word);
        if (t) type = t[1];
        else if (/^[a-zA-Z_.][a-zA-Z0-9_.]*$/.test(word)) metadata[word] = null;
        else unread.push(word);
      }
      i = end;
    }
    title = rest.slice(0, titleEnd < 0 ? rest.length : titleEnd).trim();
    if (unread.length > 0) {
      warn(`cannot read '${unread.join(" ")}' in the cell marker; kept as text`);
      metadata.incorrectly_encoded_metadata = unread.join(" ");
    }
  }
  for (const [token, t] of TYPE_TOKENS) {
    if (title.includes(token)) {
      type = t;
      title = title.replace(token, "").trim();
      break;
    }
  }
  if (depth > 0 && !("cell_depth" in metadata)) metadata.cell_depth = depth;
  if (title && !("title" in metadata)) metadata.title = title;
  return { type, metadata };
}

const SAFE_TITLE = /^[^\s=[\]{}%"'.#][^=[\]{}"\t\n\r]*$/;

function isSafeTitle(title: unknown): title is string {
  return (
    typeof title === "string" &&
    SAFE_TITLE.test(title) &&
    title.trim() === title &&
    !/\s\./.test(title) &&
    !/ {2}/.test(title)
  );
}

export function markerLine(type: CellType, metadata: Record<string, unknown>): string {
  if (type === "code") {
    let empty = true;
    for (const _ in metadata) {
      empty = false;
      break;
    }
    if (empty) return "# %%";
  }
  const md = { ...metadata };
  const parts: string[] = [];
  let depth = "";
  if (isSafeTitle(md.title)) {
    parts.push(md.title);
    delete md.title;
  }
  if (type !== "code") parts.push(`[${type}]`);
  const cd = md.cell_depth;
  if (typeof cd === "number" && Number.isInteger(cd) && cd >= 1 && cd <= 8 && parts.length > 0) {
    depth = "%".repeat(cd);
    delete md.cell_depth;
  }
  for (const [key, value] of Object.entries(md)) {
    if (value !== undefined) parts.push(`${key}=${pyJson(value)}`);
  }
  const options = depth + parts.join(" ");
  if (!options) return "# %%";
  return depth ? `# %%${depth} ${parts.join(" ")}` : `# %% ${options}`;
}

/**
 * fledge's Python helper inside the user's kernel.
 *
 * The files in python/ (fledge_fixture_loader.py, fledge_record.py, fledge_synth.py, fledge_fixtures.py, …) are
 * installed as private modules (`sys.modules["_fledge_loader" | "_fledge_record" | "_fledge_synth" | …]`) by one expression
 * that binds no name in the user's namespace, and every call is one expression of the form
 * `__import__("sys").modules["_fledge_record"].call("fingerprint_names", …)` that returns a JSON string.
 * Arguments travel as JSON text inside a Python string literal (a JSON string literal is a valid Python one).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { FledgeError } from "../errors.js";

/** Private module name → file in python/. Order matters: later modules look earlier ones up in sys.modules. */
export const HELPER_MODULES: readonly (readonly [string, string])[] = [
  ["_fledge_loader", "fledge_fixture_loader.py"],
  ["_fledge_record", "fledge_record.py"],
  ["_fledge_synth", "fledge_synth.py"],
  ["_fledge_fixtures", "fledge_fixtures.py"],
  ["_fledge_pipeline", "fledge_pipeline.py"],
];

/** The python/ folder shipped with fledge (works from src/ under tsx/vitest and from dist/). */
export function pythonDir(): string {
  return fileURLToPath(new URL("../../python/", import.meta.url));
}

const sources = new Map<string, string>();

export function helperSource(file: string): string {
  let text = sources.get(file);
  if (text === undefined) {
    text = readFileSync(new URL(`../../python/${file}`, import.meta.url), "utf8");
    sources.set(file, text);
  }
  return text;
}

/** A Python string literal holding `text` (JSON string escapes are valid Python escapes). */
export function pyString(text: string): string {
  return JSON.stringify(text);
}

/** A Python expression evaluating to the JSON value `value` (through json.loads: no name is bound). */
export function pyJson(value: unknown): string {
  return `__import__("json").loads(${pyString(JSON.stringify(value))})`;
}

/**
 * Python code that installs the helper modules. It is a single expression statement: after it runs, the
 * user's namespace has exactly the names it had before (run it with store_history off so `_`/`Out` stay too).
 */
export function installCode(): string {
  const pairs = HELPER_MODULES.map(([name, file]) => `(${pyString(name)}, ${pyString(helperSource(file))})`);
  return [
    "(lambda sys, types: [",
    "    (sys.modules.__setitem__(name, m), m.__dict__.update(__file__='<fledge>'),",
    '     exec(compile(src, "<fledge:" + name + ">", "exec"), m.__dict__))',
    `    for name, src in [${pairs.join(", ")}]`,
    "    for m in [types.ModuleType(name)]",
    '] and None)(__import__("sys"), __import__("types"))',
  ].join("\n");
}

/** An expression calling `module.call(fn, *args)`: evaluates to a JSON string `{ok, result | error}`. */
export function callExpression(
  fn: string,
  args: unknown[] = [],
  kwargs: Record<string, unknown> = {},
  module = "_fledge_record",
): string {
  const target = module === "_fledge_record" ? "" : `${pyString(module)}, `;
  const argText = [pyString(fn), ...args.map(pyJson)];
  const kw = Object.entries(kwargs).map(([k, v]) => `${k}=${pyJson(v)}`);
  if (target) {
    // Route through _fledge_record.call so errors are reported the same way, with the function looked up
    // in the other module.
    return `__import__("sys").modules["_fledge_record"].call_in(${[pyString(module), ...argText, ...kw].join(", ")})`;
  }
  return `__import__("sys").modules["_fledge_record"].call(${[...argText, ...kw].join(", ")})`;
}

/** The text/plain repr of a Python str (as `evaluate` returns it) back to the string. */
export function fromPythonRepr(repr: string): string {
  const t = repr.trim();
  if (t.length < 2) return t;
  const q = t[0];
  if ((q !== "'" && q !== '"') || t[t.length - 1] !== q) return t;
  let out = "";
  for (let i = 1; i < t.length - 1; i++) {
    const c = t[i] as string;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const n = t[++i] as string;
    switch (n) {
      case "n":
        out += "\n";
        break;
      case "t":
        out += "\t";
        break;
      case "r":
        out += "\r";
        break;
      case "\\":
      case "'":
      case '"':
        out += n;
        break;
      case "x":
        out += String.fromCharCode(Number.parseInt(t.slice(i + 1, i + 3), 16));
        i += 2;
        break;
      case "u":
        out += String.fromCharCode(Number.parseInt(t.slice(i + 1, i + 5), 16));
        i += 4;
        break;
      case "U":
        out += String.fromCodePoint(Number.parseInt(t.slice(i + 1, i + 9), 16));
        i += 8;
        break;
      default:
        out += `\\${n}`;
    }
  }
  return out;
}

/** Parse a helper reply (`{ok, result}` JSON, possibly still wrapped in a Python repr). */
export function parseReply<T>(reply: string, what: string): T {
  const text = reply.trim().startsWith("{") ? reply : fromPythonRepr(reply);
  let parsed: { ok: boolean; result?: T; error?: string };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch (cause) {
    throw new FledgeError("E_INTERNAL", `fledge's recording helper gave an unreadable reply to ${what}.`, {
      cause,
      hint: `Reply started with: ${text.slice(0, 200)}`,
    });
  }
  if (!parsed.ok) {
    throw new FledgeError("E_USER_CODE", `Recording failed in ${what}: ${parsed.error ?? "unknown error"}`);
  }
  return parsed.result as T;
}

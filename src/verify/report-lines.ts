/**
 * The lines a step reported when the notebook ran: the notebook's output lines that its kept reporting prints
 * (graph/reports.ts; `logger.info(…)` in the generated step) wrote. The pipeline test checks them as verify
 * does (compare.ts `comparePrinted`): each such line must be logged again by the step, paired by its text with
 * the numbers blanked out, and its numbers compared (integers exactly, others within the tolerance).
 *
 * Which notebook lines are reports is decided from the message of each `logger.info(…)` call of the step's
 * module: its literal text is kept and every field (`{regions_seen}`, `%s`) may be anything. A message with
 * no literal text (`logger.info("%s", acc)`) only claims lines that are one number, and only when the step
 * printed exactly as many such lines as it has such messages. A message fledge cannot
 * read (a name, a concatenation, an escape other than quotes and backslashes) claims no line: no check rather
 * than a check of an exploration print the pipeline never logs.
 */

import type { ProjectModel } from "../generate/model.js";
import type { GeneratedFile } from "../generate/project.js";
import type { Recording } from "./record.js";
import type { StepFixture } from "./tests-emitter.js";

/** The kept reports of one step: the notebook lines to find again in what the step logs. */
export interface StepReports {
  step: string;
  /** The logger the step's module logs with (`<package>.steps.<module>`). */
  logger: string;
  /** Output lines of the notebook's run of the step that a report of the step wrote, in order. */
  lines: string[];
  /** Numbers are compared only when the step is deterministic (why not, when not). */
  random?: string;
}

/** At most this many report lines per step are recorded (a report in a loop prints one line per turn). */
export const MAX_REPORT_LINES = 20;

const NUMBER = /^\s*[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?\s*$/;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

interface Literal {
  /** The string's content, fields replaced by null. */
  parts: (string | null)[];
  /** Offset just after the literal (to tell `logger.info("…", x)` from `logger.info("…" + x)`). */
  end: number;
}

/** Read a Python string literal at `at` (optional r/f/u prefix); undefined when fledge cannot read it. */
function readLiteral(src: string, at: number, percent: boolean): Literal | undefined {
  const m = /^([rRfFuU]{0,2})("""|'''|"|')/.exec(src.slice(at));
  if (!m) return undefined;
  const prefix = (m[1] as string).toLowerCase();
  if (prefix.length === 2 && prefix.includes("u")) return undefined;
  const quote = m[2] as string;
  const raw = prefix.includes("r");
  const fstring = prefix.includes("f");
  const parts: (string | null)[] = [];
  let text = "";
  const field = () => {
    parts.push(text, null);
    text = "";
  };
  let i = at + m[0].length;
  while (i < src.length) {
    if (src.startsWith(quote, i)) {
      parts.push(text);
      return { parts, end: i + quote.length };
    }
    const c = src[i] as string;
    // A message over several lines prints several output lines: not paired line by line.
    if (c === "\n" || c === "\r") return undefined;
    if (c === "\\") {
      const next = src[i + 1];
      if (raw || (next !== "\\" && next !== "'" && next !== '"')) return undefined;
      text += next;
      i += 2;
      continue;
    }
    if (fstring && c === "{") {
      if (src[i + 1] === "{") {
        text += "{";
        i += 2;
        continue;
      }
      // A replacement field: skip to its closing brace (nested braces of a format spec included).
      let depth = 0;
      for (; i < src.length; i++) {
        const d = src[i];
        if (d === "\n" || d === "\r") return undefined;
        if (d === "{") depth++;
        else if (d === "}" && --depth === 0) break;
        else if (d === quote[0] && depth > 0 && src.startsWith(quote, i)) return undefined;
      }
      if (i >= src.length) return undefined;
      field();
      i++;
      continue;
    }
    if (fstring && c === "}") {
      if (src[i + 1] !== "}") return undefined;
      text += "}";
      i += 2;
      continue;
    }
    if (percent && c === "%") {
      if (src[i + 1] === "%") {
        text += "%";
        i += 2;
        continue;
      }
      const spec = /^%[-#0 +]*\d*(?:\.\d+)?[sdifreEgGxX]/.exec(src.slice(i));
      if (!spec) return undefined;
      field();
      i += spec[0].length;
      continue;
    }
    text += c;
    i++;
  }
  return undefined;
}

/**
 * One pattern per `logger.info(…)` call of a step module whose message fledge can read: a whole output line
 * matches it when it reads like the message with any text in place of each field.
 */
export function reportPatterns(source: string): RegExp[] {
  const out: RegExp[] = [];
  const call = /\blogger\.info\(\s*/g;
  for (let m = call.exec(source); m; m = call.exec(source)) {
    const at = m.index + m[0].length;
    // Try as a %-format first (the rewrite's `logger.info("a %s", x)`), then as a plain message.
    let lit = readLiteral(source, at, true);
    let rest = lit ? source.slice(lit.end).trimStart() : "";
    if (lit && !rest.startsWith(",")) {
      lit = readLiteral(source, at, false);
      rest = lit ? source.slice(lit.end).trimStart() : "";
    }
    if (!lit || !(rest.startsWith(",") || rest.startsWith(")"))) continue;
    const literal = lit.parts.filter((p): p is string => p !== null).join("");
    const fields = lit.parts.filter((p) => p === null).length;
    if (literal.trim() === "") {
      if (fields === 1) out.push(NUMBER);
      continue;
    }
    const body = lit.parts.map((p) => (p === null ? "(.*?)" : escapeRegExp(p))).join("");
    out.push(new RegExp(`^${body}$`));
  }
  return out;
}

/** The lines of `printed` (what the step's cells printed in the notebook) that one of the patterns wrote. */
export function reportLines(printed: string, patterns: RegExp[], limit = MAX_REPORT_LINES): string[] {
  const printedLines = printed.split(/\r?\n/);
  // A message that is one number claims the step's lone-number lines only when there are exactly as many as
  // such messages: otherwise one may be an exploration print (`print(len(df))`) the pipeline never logs.
  const lone = patterns.filter((p) => p === NUMBER).length;
  const loneLines = printedLines.filter((l) => NUMBER.test(l)).length;
  const usable = lone > 0 && loneLines !== lone ? patterns.filter((p) => p !== NUMBER) : patterns;
  if (usable.length === 0) return [];
  const out: string[] = [];
  for (const line of printedLines) {
    if (!/\d/.test(line)) continue;
    if (!usable.some((p) => p.test(line))) continue;
    out.push(line);
    if (out.length >= limit) break;
  }
  return out;
}

/**
 * The kept reports of every step, from the generated step modules and the notebook's recorded run. A step
 * whose sample calls disagreed (fixtures.ts), or that takes a value from such a step, is random: its lines are
 * still expected, but their numbers are not compared (verify calls such a step not comparable).
 */
export function stepReports(
  model: ProjectModel,
  files: GeneratedFile[],
  recording: Recording,
  fixtures: StepFixture[],
): StepReports[] {
  const out: StepReports[] = [];
  const tainted = new Map<string, string>();
  for (const step of model.steps) {
    const fx = fixtures.find((f) => f.step === step.name);
    const upstream = step.args.map((a) => tainted.get(a.name)).find((s) => s !== undefined);
    const random =
      fx && !fx.skipped && !fx.deterministic
        ? "two calls on the same sample gave different results"
        : upstream
          ? `its inputs come from ${upstream}, which is random`
          : undefined;
    if (random) for (const r of step.returns) tainted.set(r.name, upstream ?? step.name);
    const path = `src/${model.packageName}/steps/${step.module}.py`;
    const source = files.find((f) => f.path === path)?.content;
    const rec =
      recording.steps.find((s) => s.step === step.mapName) ??
      recording.steps.find((s) => s.step === step.name);
    const printed = rec?.printed ?? "";
    if (!source || !printed) continue;
    const lines = reportLines(printed, reportPatterns(source));
    if (lines.length === 0) continue;
    out.push({
      step: step.name,
      logger: `${model.packageName}.steps.${step.module}`,
      lines,
      ...(random ? { random } : {}),
    });
  }
  return out;
}

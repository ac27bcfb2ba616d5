/**
 * The human format: findings grouped by notebook and cell, each with a code frame of the cell's lines and a
 * caret under the span (like ruff or rustc), then a summary table. Colour only when asked (a TTY).
 */
import { compareText } from "../../compare.js";
import { findRule } from "../registry.js";
import type { Finding, Severity } from "../types.js";
import { type FileReport, type Summary, summarize } from "./report.js";

export interface PrettyOptions {
  color: boolean;
  /** Print the per-rule summary table (folders, or several files). */
  table?: boolean;
}

const ANSI = { red: 31, yellow: 33, blue: 34, cyan: 36, dim: 2, bold: 1, green: 32 } as const;

function paint(on: boolean) {
  return (style: keyof typeof ANSI, s: string) => (on ? `\u001b[${ANSI[style]}m${s}\u001b[0m` : s);
}

const SEVERITY_STYLE: Record<Severity, keyof typeof ANSI> = { error: "red", warning: "yellow", info: "blue" };

const MAX_WIDTH = 120;

/** One source line for the frame: tabs as single spaces (so carets line up), long lines cut around the span. */
function frameLine(text: string, from: number, to: number): { text: string; from: number; to: number } {
  let t = text.replace(/\t/g, " ").replace(/\r$/, "");
  let a = from;
  let b = Math.max(to, from + 1);
  if (t.length > MAX_WIDTH) {
    const start = Math.max(0, Math.min(a - 20, t.length - MAX_WIDTH));
    t = `${start > 0 ? "…" : ""}${t.slice(start, start + MAX_WIDTH)}${start + MAX_WIDTH < t.length ? "…" : ""}`;
    const shift = start > 0 ? start - 1 : 0;
    a -= shift;
    b -= shift;
  }
  return { text: t, from: Math.max(0, a), to: Math.min(Math.max(b, a + 1), t.length + 1) };
}

function codeFrame(source: string, f: Finding, c: ReturnType<typeof paint>): string[] {
  const lines = source.split("\n");
  const text = lines[f.line - 1];
  if (text === undefined) return [];
  const endCol = f.endLine === f.line ? f.endColumn : text.length + 1;
  const fl = frameLine(text, f.column - 1, endCol - 1);
  const num = String(f.line);
  const pad = " ".repeat(num.length);
  const caret = `${" ".repeat(fl.from)}${"^".repeat(Math.max(1, fl.to - fl.from))}`;
  const out = [`${pad} ${c("cyan", "|")}`];
  if (f.line > 1 && (lines[f.line - 2] ?? "").trim() !== "") {
    const prev = frameLine(lines[f.line - 2]!, 0, 0);
    out.push(`${String(f.line - 1).padStart(num.length)} ${c("cyan", "|")} ${prev.text}`);
  }
  out.push(`${c("cyan", num)} ${c("cyan", "|")} ${fl.text}`);
  out.push(`${pad} ${c("cyan", "|")} ${c(SEVERITY_STYLE[f.severity], caret)}`);
  return out;
}

export function formatFinding(r: FileReport, f: Finding, c: ReturnType<typeof paint>): string[] {
  const sev = c(SEVERITY_STYLE[f.severity], `${f.severity}[${f.code}]`);
  const out = [`${c("bold", sev)} ${c("bold", f.message)}`];
  const at =
    f.cell === undefined
      ? `${r.path} (notebook metadata)`
      : `${r.path}, cell ${f.cell + 1}${f.output !== undefined ? `, output ${f.output + 1}` : ""}, line ${f.line}, column ${f.column}`;
  out.push(`  ${c("cyan", "-->")} ${at}`);
  if (f.excerpt !== undefined) {
    out.push(`   ${c("cyan", "|")}`, `   ${c("cyan", "|")} ${f.excerpt}`);
  } else if (f.cell !== undefined && r.sources?.[f.cell] !== undefined) {
    out.push(...codeFrame(r.sources[f.cell]!, f, c).map((l) => `  ${l}`));
  }
  if (f.execution) {
    const style =
      f.execution.verdict === "confirmed" ? "red" : f.execution.verdict === "refuted" ? "green" : "dim";
    out.push(`   ${c("cyan", "=")} run: ${c(style, f.execution.verdict)}: ${f.execution.detail}`);
  }
  for (const rel of f.related ?? [])
    out.push(`   ${c("cyan", "=")} note: cell ${rel.cell + 1}: ${rel.message}`);
  if (f.fix) {
    const how = f.fix.safe ? " (run with --fix)" : "";
    out.push(`   ${c("cyan", "=")} ${f.fix.safe ? "fix" : "help"}: ${f.fix.description}${how}`);
  }
  return out;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function summaryLine(s: Summary): string {
  const parts = [
    `${s.bySeverity.error} error${s.bySeverity.error === 1 ? "" : "s"}`,
    plural(s.bySeverity.warning, "warning"),
    `${s.bySeverity.info} info`,
  ];
  const files = plural(s.files, "notebook");
  const failed =
    (s.failedFiles > 0 ? `, ${s.failedFiles} could not be checked` : "") +
    (s.skippedFiles > 0 ? `, ${s.skippedFiles} skipped (not Python)` : "");
  const fix = s.fixable > 0 ? ` ${s.fixable} fixable with --fix.` : "";
  return s.findings === 0
    ? `No findings in ${files}${failed}.`
    : `Found ${plural(s.findings, "finding")} (${parts.join(", ")}) in ${files}${failed}.${fix}`;
}

export function summaryTable(s: Summary): string[] {
  const rows = Object.entries(s.byCode).sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]));
  if (rows.length === 0) return [];
  const names = rows.map(([code]) => findRule(code)?.name ?? "");
  const w = Math.max(4, ...names.map((n) => n.length));
  const out = [`  ${"code".padEnd(6)} ${"rule".padEnd(w)} ${"severity".padEnd(8)} count`];
  rows.forEach(([code, n], i) => {
    out.push(
      `  ${code.padEnd(6)} ${names[i]!.padEnd(w)} ${(findRule(code)?.severity ?? "").padEnd(8)} ${String(n).padStart(5)}`,
    );
  });
  return out;
}

export function toPretty(reports: FileReport[], options: PrettyOptions): string {
  const c = paint(options.color);
  const out: string[] = [];
  for (const r of reports) {
    if (r.error) {
      out.push(`${c("red", c("bold", "error"))}${c("bold", `: ${r.path}: ${r.error.message}`)}`);
      if (r.error.hint) out.push(`  ${c("cyan", "=")} hint: ${r.error.hint}`);
      out.push("");
    }
    if (r.skipped) out.push(`${c("dim", "skipped")}: ${r.path}: ${r.skipped}`, "");
    let lastCell: number | undefined | null = null;
    for (const f of r.findings) {
      if (f.cell !== lastCell) {
        const title = f.cell === undefined ? `${r.path}: notebook` : `${r.path}: cell ${f.cell + 1}`;
        out.push(c("dim", `── ${title} ${"─".repeat(Math.max(3, 60 - title.length))}`));
        lastCell = f.cell;
      }
      out.push(...formatFinding(r, f, c), "");
    }
    if (r.execution) out.push(`${c("cyan", "run")}: ${r.path}: ${r.execution}`, "");
    if (r.fixes) {
      for (const a of r.fixes.applied) out.push(`${c("green", "fixed")}: ${r.path}: ${a}`);
      for (const s of r.fixes.suggested) out.push(`${c("cyan", "not fixed")}: ${r.path}: ${s}`);
      if (r.fixes.written) out.push(`${c("green", "wrote")} ${r.fixes.written}`);
      if (r.fixes.applied.length + r.fixes.suggested.length > 0) out.push("");
    }
  }
  const s = summarize(reports);
  if (options.table && s.findings > 0) out.push(...summaryTable(s), "");
  out.push(summaryLine(s));
  return `${out.join("\n")}\n`;
}

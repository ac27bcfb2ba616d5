/**
 * The results of checking one or more notebooks, and the machine formats: JSON, SARIF 2.1.0 (GitHub code
 * scanning) and GitHub workflow annotations. Pure: each returns the text to print.
 */
import { findRule, RULES } from "../registry.js";
import type { Finding, Severity } from "../types.js";
import { fileLineOf, type SourceLineMap } from "./locate.js";

export interface FileReport {
  /** The path as the user should see it (relative to the working folder when possible). */
  path: string;
  findings: Finding[];
  /** Cell sources by cell index, for code frames. */
  sources?: string[];
  /** Where each cell's source lines are in the file, for SARIF/GitHub positions. */
  lines?: SourceLineMap;
  /** Not checked, and not an error: a notebook in another language found in a folder. */
  skipped?: string;
  /** The file could not be checked (not a notebook, not Python, unreadable). */
  error?: { message: string; hint?: string; line?: number; column?: number };
  /** With --execute: how the top-to-bottom run went, in one line. */
  execution?: string;
  /** What --fix did or suggests for this file. */
  fixes?: { applied: string[]; suggested: string[]; written?: string };
}

export interface Summary {
  files: number;
  skippedFiles: number;
  failedFiles: number;
  findings: number;
  bySeverity: Record<Severity, number>;
  byCode: Record<string, number>;
  fixable: number;
}

export function summarize(reports: FileReport[]): Summary {
  const s: Summary = {
    files: reports.length,
    skippedFiles: 0,
    failedFiles: 0,
    findings: 0,
    bySeverity: { error: 0, warning: 0, info: 0 },
    byCode: {},
    fixable: 0,
  };
  for (const r of reports) {
    if (r.error) s.failedFiles++;
    if (r.skipped) s.skippedFiles++;
    for (const f of r.findings) {
      s.findings++;
      s.bySeverity[f.severity]++;
      s.byCode[f.code] = (s.byCode[f.code] ?? 0) + 1;
      if (f.fix?.safe) s.fixable++;
    }
  }
  return s;
}

/** The file position of a finding: mapped into the .ipynb text when possible, else the cell's own line. */
function filePosition(
  r: FileReport,
  f: Finding,
): { line: number; column: number; endLine: number; endColumn: number } {
  if (f.cell !== undefined && f.output === undefined && r.lines) {
    const line = fileLineOf(r.lines, f.cell, f.line);
    const endLine = fileLineOf(r.lines, f.cell, f.endLine);
    if (line !== undefined) {
      // In the file, each source line is a JSON string: columns shift by the indentation and the quote.
      return { line, column: 1, endLine: endLine ?? line, endColumn: 1 };
    }
  }
  if (f.cell !== undefined && r.lines?.get(f.cell)?.[0] !== undefined) {
    const l = r.lines.get(f.cell)![0]!;
    return { line: l, column: 1, endLine: l, endColumn: 1 };
  }
  return { line: 1, column: 1, endLine: 1, endColumn: 1 };
}

function where(f: Finding): string {
  if (f.cell === undefined) return "notebook metadata";
  const out = f.output !== undefined ? `, output ${f.output + 1}` : "";
  return `cell ${f.cell + 1}${out}, line ${f.line}, column ${f.column}`;
}

export function toJson(reports: FileReport[], version: string): string {
  const doc = {
    tool: "fledge",
    version,
    files: reports.map((r) => ({
      path: r.path,
      ...(r.error ? { error: r.error } : {}),
      ...(r.skipped ? { skipped: r.skipped } : {}),
      findings: r.findings,
      ...(r.fixes ? { fixes: r.fixes } : {}),
      ...(r.execution ? { execution: r.execution } : {}),
    })),
    summary: summarize(reports),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

const SARIF_LEVEL: Record<Severity, string> = { error: "error", warning: "warning", info: "note" };

export function toSarif(reports: FileReport[], version: string): string {
  const ruleIndex = new Map(RULES.map((r, i) => [r.code, i]));
  const results: unknown[] = [];
  for (const r of reports) {
    const uri = r.path.split("\\").join("/");
    if (r.error) {
      results.push({
        ruleId: "FL000",
        level: "error",
        message: { text: `${r.error.message}${r.error.hint ? ` (${r.error.hint})` : ""}` },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri },
              region: { startLine: r.error.line ?? 1, startColumn: r.error.column ?? 1 },
            },
          },
        ],
      });
    }
    for (const f of r.findings) {
      const pos = filePosition(r, f);
      results.push({
        ruleId: f.code,
        ruleIndex: ruleIndex.get(f.code),
        level: SARIF_LEVEL[f.severity],
        message: { text: `${f.message} (${where(f)})` },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri },
              region: { startLine: pos.line, endLine: Math.max(pos.line, pos.endLine) },
            },
            logicalLocations:
              f.cell === undefined
                ? []
                : [
                    {
                      name: `cell ${f.cell + 1}`,
                      kind: "module",
                      fullyQualifiedName: `${uri}#cell${f.cell + 1}`,
                    },
                  ],
          },
        ],
        properties: {
          cell: f.cell ?? null,
          cellId: f.cellId ?? null,
          cellLine: f.line,
          cellColumn: f.column,
          ...(f.output !== undefined ? { output: f.output } : {}),
          ...(f.fix ? { fix: f.fix.description, fixSafe: f.fix.safe } : {}),
        },
      });
    }
  }
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "fledge",
            version,
            informationUri: "https://www.npmjs.com/package/fledge",
            rules: RULES.map((rule) => ({
              id: rule.code,
              name: rule.name,
              shortDescription: { text: rule.summary },
              fullDescription: { text: rule.explanation },
              help: { text: `${rule.explanation}\n\nExample:\n${rule.example}` },
              defaultConfiguration: { level: SARIF_LEVEL[rule.severity] },
              properties: { category: rule.category },
            })),
          },
        },
        columnKind: "utf16CodeUnits",
        results,
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

const GITHUB_LEVEL: Record<Severity, string> = { error: "error", warning: "warning", info: "notice" };

function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export function toGithub(reports: FileReport[]): string {
  const lines: string[] = [];
  for (const r of reports) {
    const file = escapeProperty(r.path.split("\\").join("/"));
    if (r.error) {
      lines.push(
        `::error file=${file},title=${escapeProperty("fledge: cannot check")}::${escapeData(r.error.message)}`,
      );
    }
    for (const f of r.findings) {
      const pos = filePosition(r, f);
      const title = escapeProperty(`${f.code} ${findRule(f.code)?.name ?? ""}`.trim());
      const endLine = Math.max(pos.line, pos.endLine);
      lines.push(
        `::${GITHUB_LEVEL[f.severity]} file=${file},line=${pos.line},endLine=${endLine},title=${title}::` +
          escapeData(`${f.message} (${where(f)})`),
      );
    }
  }
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}

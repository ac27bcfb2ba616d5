import { FledgeError } from "../../errors.js";
import { readNotebookFile, requirePythonKernel } from "../../notebook/index.js";
import { analyzeNotebook, initPython } from "../../python/index.js";
import type { CellAnalysis, Magic, NotebookAnalysis } from "../../python/types.js";
import type { CliContext, Command } from "../command.js";

/** `fledge inspect <nb> [--json]`: what each code cell defines, reads, modifies, deletes and imports. */
export const command: Command = {
  name: "inspect",
  summary: "print what each code cell defines, reads, modifies and imports",
  usage: "inspect <notebook> [--json]",
  help: [
    ["--json", "print the analysis as JSON (NotebookAnalysis: one record per code cell)"],
    ["--cell <n>", "only cell n (1-based, counting every cell as Jupyter shows them)"],
  ],
  examples: ["fledge inspect analysis.ipynb", "fledge inspect analysis.ipynb --json > analysis.json"],
  options: {
    json: { type: "boolean" },
    cell: { type: "string" },
  },
  async run(args, ctx) {
    const [file, ...extra] = args.positionals;
    if (file === undefined) {
      throw new FledgeError("E_USAGE", "missing notebook argument", {
        hint: "Usage: fledge inspect <notebook>",
      });
    }
    if (extra.length > 0) {
      throw new FledgeError("E_USAGE", `inspect takes one notebook, got ${args.positionals.length}`, {
        hint: "Run it once per notebook.",
      });
    }
    const loaded = await readNotebookFile(file);
    requirePythonKernel(loaded.notebook, file);
    await initPython();
    const analysis = analyzeNotebook(loaded.notebook);
    let cells = analysis.cells;
    if (typeof args.values.cell === "string") {
      const n = Number(args.values.cell);
      if (!Number.isInteger(n) || n < 1 || n > loaded.notebook.cells.length) {
        throw new FledgeError(
          "E_USAGE",
          `--cell ${args.values.cell}: not a cell number (1–${loaded.notebook.cells.length})`,
        );
      }
      cells = cells.filter((c) => c.cellIndex === n - 1);
      if (cells.length === 0) throw new FledgeError("E_USAGE", `cell ${n} is not a code cell`);
    }
    if (args.values.json) {
      ctx.stdout.write(`${JSON.stringify({ ...analysis, cells }, null, 2)}\n`);
      return 0;
    }
    ctx.stdout.write(renderText(file, { ...analysis, cells }, ctx));
    return 0;
  },
};

function paint(ctx: CliContext, code: string, text: string): string {
  return ctx.color ? `\u001b[${code}m${text}\u001b[0m` : text;
}

function list(names: string[]): string {
  return names.length === 0 ? "—" : names.join(", ");
}

function magicText(m: Magic): string {
  const where = `line ${m.span.line}`;
  const bound = m.assignedTo ? ` → ${m.assignedTo}` : "";
  switch (m.kind) {
    case "cell-magic":
      return `%%${m.name}${m.args ? ` ${m.args}` : ""}${bound} (${m.bodyIsPython ? "body analysed" : "body not Python"})`;
    case "line-magic":
      return `%${m.name}${m.args ? ` ${m.args}` : ""}${bound} (${where})`;
    case "shell":
      return `!${m.args}${bound} (${where})`;
    case "help":
      return `${m.args}${m.name === "pinfo2" ? "??" : "?"} (${where})`;
  }
}

function renderCell(c: CellAnalysis, ctx: CliContext): string[] {
  const lines: string[] = [];
  const title = `cell ${c.cellIndex + 1}${c.cellId ? ` (${c.cellId})` : ""}${c.opaque ? "  [opaque: star import, %run or exec/eval]" : ""}`;
  lines.push(paint(ctx, "1", title));
  lines.push(`  defines:   ${list(c.defines)}`);
  lines.push(`  reads:     ${list(c.reads.map((r) => r.name))}`);
  if (c.indirectReads.length > 0) lines.push(`  lambdas read: ${list(c.indirectReads.map((r) => r.name))}`);
  if (c.modifies.length > 0) {
    lines.push("  modifies:");
    for (const m of c.modifies) {
      lines.push(`    ${m.name} (${m.confidence}: ${m.reason}, line ${m.span.line})`);
    }
  }
  if (c.deletes.length > 0) lines.push(`  deletes:   ${list(c.deletes)}`);
  if (c.imports.length > 0) {
    const imports = c.imports.map((i) => {
      if (i.star) return `${i.module}.* (star)`;
      if (i.names.length === 0) return i.alias ? `${i.module} as ${i.alias}` : i.module;
      return `${i.module}: ${i.names.map((n) => (n.alias ? `${n.name} as ${n.alias}` : n.name)).join(", ")}`;
    });
    lines.push(`  imports:   ${imports.join("; ")}`);
  }
  for (const f of c.functions) {
    const writes = f.globalWrites.length > 0 ? `; writes ${list(f.globalWrites)}` : "";
    const calls = f.calls.length > 0 ? `; calls ${list(f.calls)}` : "";
    lines.push(`  ${f.kind} ${f.name}: reads ${list(f.globalReads)}${writes}${calls}`);
  }
  if (c.calls.length > 0) lines.push(`  calls:     ${list(c.calls)}`);
  for (const m of c.magics) lines.push(`  magic:     ${magicText(m)}`);
  for (const d of c.diagnostics) {
    lines.push(
      paint(ctx, "31", `  ${d.severity}: line ${d.span.line}, column ${d.span.column}: ${d.message}`),
    );
  }
  return lines;
}

export function renderText(file: string, analysis: NotebookAnalysis, ctx: CliContext): string {
  const out: string[] = [
    `${file}: ${analysis.cells.length} code cells (Python ${analysis.pythonVersion})`,
    "",
  ];
  for (const c of analysis.cells) out.push(...renderCell(c, ctx), "");
  return `${out.join("\n")}`;
}

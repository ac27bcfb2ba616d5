/**
 * Hidden state and execution order: what the saved execution counts and the dataflow graph say about whether
 * the notebook runs top to bottom and whether its saved outputs can be trusted.
 */
import type { ChainLink } from "../../graph/types.js";
import { type CheckContext, type CodeCellInfo, cellLabel, hasOutputs, listText } from "../context.js";

/** Out-of-order counts, as the corpus statistics define them: a count not above the previous count. */
export function outOfOrderCells<T extends { count: number | null }>(code: T[]): { cell: T; previous: T }[] {
  const out: { cell: T; previous: T }[] = [];
  let previous: T | undefined;
  for (const c of code) {
    if (c.count === null) continue;
    if (previous && previous.count !== null && c.count <= previous.count) out.push({ cell: c, previous });
    previous = c;
  }
  return out;
}

/**
 * Gaps in the counts, as the corpus statistics define them: the first count is not 1, or a number is missing
 * between the lowest and the highest. `missing` lists the missing ranges (including 1…first-1).
 */
export function countGaps(code: { count: number | null }[]): {
  missing: [number, number][];
  first: number | null;
  /** True when the counts skip numbers or do not start at 1. */
  gapped: boolean;
} {
  const counts = [...new Set(code.map((c) => c.count).filter((n): n is number => n !== null))].sort(
    (a, b) => a - b,
  );
  const missing: [number, number][] = [];
  if (counts.length === 0) return { missing, first: null, gapped: false };
  if (counts[0]! > 1) missing.push([1, counts[0]! - 1]);
  for (let k = 1; k < counts.length; k++) {
    if (counts[k]! - counts[k - 1]! > 1) missing.push([counts[k - 1]! + 1, counts[k]! - 1]);
  }
  return { missing, first: counts[0]!, gapped: missing.length > 0 || counts[0] !== 1 };
}

function isBlank(info: CodeCellInfo): boolean {
  return info.scanned.code.trim() === "" && info.scanned.magicLines.length === 0;
}

export function checkOrder(ctx: CheckContext): void {
  executionCountRules(ctx);
  forwardReadRules(ctx);
  undefinedNameRule(ctx);
  staleOutputRules(ctx);
  for (const cycle of ctx.graph.cycles) {
    ctx.report(
      "FL108",
      { cell: cycle[0]! },
      `cells ${listText(cycle.map((c) => String(c + 1)))} read names from each other: no order runs them top to bottom`,
      { related: cycle.slice(1).map((c) => ({ cell: c, message: "part of the cycle" })) },
    );
  }
}

function executionCountRules(ctx: CheckContext): void {
  for (const { cell, previous } of outOfOrderCells(ctx.code)) {
    ctx.report(
      "FL101",
      { cell: cell.index },
      `ran as [${cell.count}] after ${cellLabel(ctx, previous.index)} above it: cells were run out of order, so ` +
        "the saved outputs may not come from a top-to-bottom run",
      { related: [{ cell: previous.index, message: `ran as [${previous.count}]` }] },
    );
  }
  const gaps = countGaps(ctx.code);
  if (gaps.missing.length > 0) {
    // Point at the cell that ran right after the first gap.
    const anchor = ctx.code.find((c) => c.count === gaps.missing[0]![1] + 1);
    const ranges = gaps.missing.map(([a, b]) => (a === b ? `${a}` : `${a}–${b}`));
    const shown = ranges.length > 6 ? [...ranges.slice(0, 6), `${ranges.length - 6} more`] : ranges;
    ctx.report(
      "FL102",
      { cell: anchor?.index ?? ctx.code[0]?.index ?? 0 },
      `execution counts skip ${listText(shown)}: cells were re-run or deleted since the kernel started`,
    );
  } else if (gaps.gapped) {
    const anchor = ctx.code.find((c) => c.count === gaps.first);
    ctx.report(
      "FL102",
      { cell: anchor?.index ?? ctx.code[0]?.index ?? 0 },
      `execution counts start at ${gaps.first}, not 1: the file was not saved from a fresh run`,
    );
  }
  const lastRun = Math.max(-1, ...ctx.code.filter((c) => c.count !== null).map((c) => c.index));
  for (const c of ctx.code) {
    if (c.count !== null || c.index > lastRun || isBlank(c)) continue;
    ctx.report(
      "FL103",
      { cell: c.index },
      "this cell was never run in the saved session, but cells below it were",
    );
  }
}

/** Cells that do not parse: they fail before any name is looked up (FL001 says so), and their names are guesses. */
function brokenCells(ctx: CheckContext): Set<number> {
  return new Set(
    ctx.code
      .filter((c) => c.analysis?.diagnostics.some((d) => d.code === "syntax-error"))
      .map((c) => c.index),
  );
}

function forwardReadRules(ctx: CheckContext): void {
  const broken = brokenCells(ctx);
  for (const f of ctx.graph.forwardReads) {
    if (broken.has(f.cell)) continue;
    const others = f.definedIn.filter((d) => d !== f.cell);
    const through = f.via ? ` (read inside \`${f.via}\`, called here)` : "";
    const message =
      others.length === 0
        ? `\`${f.name}\`${through} is read before this cell assigns it: it only worked because the cell had run ` +
          "before; top to bottom it raises NameError"
        : `\`${f.name}\`${through} is used before it is defined: ${listText(others.map((d) => cellLabel(ctx, d)))} ` +
          `${others.length > 1 ? "define" : "defines"} it below; top to bottom this raises NameError`;
    ctx.report("FL104", { cell: f.cell, span: f.span }, message, {
      symbol: f.name,
      related: others.map((d) => ({ cell: d, message: `\`${f.name}\` is defined here` })),
      fix:
        others.length > 0
          ? { kind: "reorder", safe: true, description: "move cells into an order that runs top to bottom" }
          : {
              kind: "suggestion",
              safe: false,
              description: `define \`${f.name}\` before this cell reads it`,
            },
    });
  }
}

/** IPython automagics: a bare `ls` or `pwd` line runs the magic, it does not read a name. */
const AUTOMAGIC = new Set(
  "ls cd pwd pip conda clear history env who whos reset cat cp mv rm mkdir rmdir less man ll lf lx ldir alias".split(
    " ",
  ),
);

/** A line that starts with an automagic word (`ls -la`, `pwd`): IPython runs the magic, nothing on it is a read. */
function isAutomagic(ctx: CheckContext, cell: number, line: number): boolean {
  const text = ctx.byIndex.get(cell)?.cell.source.split("\n")[line - 1] ?? "";
  const word = /^\s*([a-z]+)(?:\s+[^=\s]|\s*$)/.exec(text)?.[1];
  return word !== undefined && AUTOMAGIC.has(word) && ctx.graph.chains[word] === undefined;
}

/** The last code cell that satisfies `test` (without copying the list of cells for each question). */
function lastCell(ctx: CheckContext, test: (c: CodeCellInfo) => boolean): CodeCellInfo | undefined {
  for (let k = ctx.code.length - 1; k >= 0; k--) if (test(ctx.code[k]!)) return ctx.code[k];
  return undefined;
}

function undefinedNameRule(ctx: CheckContext): void {
  const gaps = countGaps(ctx.code).gapped;
  const pylab = ctx.code.find((c) => c.scanned.magicLines.some((m) => /^%pylab\b/.test(m.text)));
  const broken = brokenCells(ctx);
  for (const u of ctx.graph.undefinedReads) {
    if (broken.has(u.cell) || isAutomagic(ctx, u.cell, u.span.line)) continue;
    const through = u.via ? ` (read inside \`${u.via}\`, called here)` : "";
    const links = ctx.graph.chains[u.name] ?? [];
    const deleted = [...links].reverse().find((l) => l.kind === "delete" && l.cell < u.cell);
    const star = lastCell(ctx, (c) => c.index < u.cell && (c.analysis?.imports.some((i) => i.star) ?? false));
    const run = lastCell(
      ctx,
      (c) => c.index <= u.cell && (c.analysis?.magics.some((m) => m.name === "run") ?? false),
    );
    let cause: string;
    let severity: "error" | "warning" = "error";
    if (deleted) {
      cause = `it was deleted by \`del\` in ${cellLabel(ctx, deleted.cell)}`;
    } else if (pylab && pylab.index <= u.cell) {
      severity = "warning";
      cause = `it may come from \`%pylab\` in ${cellLabel(ctx, pylab.index)}, which imports numpy and matplotlib names; import it explicitly`;
    } else if (star || run) {
      severity = "warning";
      const parts: string[] = [];
      if (star) {
        const mod = star.analysis!.imports.find((i) => i.star)!.module;
        parts.push(`\`from ${mod} import *\` in ${cellLabel(ctx, star.index)}`);
      }
      if (run) parts.push(`\`%run\` in ${cellLabel(ctx, run.index)}`);
      cause = `it may come from ${parts.join(" or ")}, which fledge cannot see into; import it explicitly`;
    } else {
      cause =
        "no cell defines it: it was probably defined in a deleted cell" +
        (gaps ? " (the execution counts skip numbers)" : "") +
        " or only in the kernel's session";
    }
    ctx.report("FL105", { cell: u.cell, span: u.span }, `\`${u.name}\`${through} is undefined: ${cause}`, {
      severity,
      symbol: u.name,
    });
  }
}

/**
 * Stale outputs and outputs from another definition, from the execution counts of each cell and of the cells its
 * names come from (strong dataflow edges only).
 */
function staleOutputRules(ctx: CheckContext): void {
  const writerCache = new Map<string, ChainLink[]>();
  const writersOf = (name: string) => {
    let list = writerCache.get(name);
    if (!list) {
      list = (ctx.graph.chains[name] ?? []).filter(
        (l) => l.kind !== "delete" && (l.kind === "define" || l.confidence !== "possible"),
      );
      writerCache.set(name, list);
    }
    return list;
  };
  const incoming = new Map<number, { from: number; names: string[] }[]>();
  for (const e of ctx.graph.edges) {
    if (e.weak) continue;
    const list = incoming.get(e.to) ?? [];
    list.push({ from: e.from, names: e.names });
    incoming.set(e.to, list);
  }
  // Names each cell imports (one set per cell, not one per edge: an import cell feeds most cells below it).
  const importedBy = new Map<number, Set<string>>();
  const importedNames = (cell: CodeCellInfo) => {
    let set = importedBy.get(cell.index);
    if (!set) {
      set = new Set(cell.analysis?.imports.flatMap((i) => i.binds) ?? []);
      importedBy.set(cell.index, set);
    }
    return set;
  };
  // Jupyter numbers runs from 1; a 0 (or less) was written by a tool, not by a session, and says nothing.
  const real = (n: number | null | undefined): n is number => typeof n === "number" && n >= 1;
  for (const c of ctx.code) {
    if (!real(c.count) || !hasOutputs(c.cell)) continue;
    const stale: { from: number; names: string[]; count: number }[] = [];
    const other: { name: string; session: number; topDown: number }[] = [];
    for (const e of incoming.get(c.index) ?? []) {
      const src = ctx.byIndex.get(e.from);
      if (!src || !real(src.count)) continue;
      // Re-running an import binds the same module again: it changes nothing a later cell reads.
      const imported = importedNames(src);
      const names = e.names.filter((n) => !imported.has(n));
      if (names.length === 0) continue;
      if (src.count > c.count) {
        stale.push({ from: e.from, names, count: src.count });
        continue;
      }
      for (const name of names) {
        // The writer of `name` that ran last before this cell, in the saved session.
        let session: { cell: number; count: number } | undefined;
        for (const l of writersOf(name)) {
          const w = ctx.byIndex.get(l.cell);
          if (!w || !real(w.count) || w.count >= c.count || l.cell === c.index) continue;
          if (!session || w.count > session.count) session = { cell: l.cell, count: w.count };
        }
        if (session && session.cell !== e.from && session.count > src.count) {
          other.push({ name, session: session.cell, topDown: e.from });
        }
      }
    }
    if (stale.length > 0) {
      const names = [...new Set(stale.flatMap((s) => s.names))].map((n) => `\`${n}\``);
      const sources = stale.map((s) => cellLabel(ctx, s.from));
      ctx.report(
        "FL106",
        { cell: c.index },
        `the saved output ran as [${c.count}], before ${listText(sources)} above changed ${listText(names)} it ` +
          "reads: the output is stale",
        {
          related: stale.map((s) => ({ cell: s.from, message: `ran later, as [${s.count}]` })),
          fix: { kind: "clear-outputs", safe: true, description: "clear this cell's stale outputs" },
        },
      );
    }
    for (const o of other) {
      ctx.report(
        "FL107",
        { cell: c.index },
        `the saved output used \`${o.name}\` from ${cellLabel(ctx, o.session)}, but top to bottom it comes from ` +
          `${cellLabel(ctx, o.topDown)}: a re-run will show a different result`,
        {
          related: [
            { cell: o.session, message: `\`${o.name}\` as the saved session had it` },
            { cell: o.topDown, message: `\`${o.name}\` top to bottom` },
          ],
        },
      );
    }
  }
}

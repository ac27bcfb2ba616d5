/** `fledge map` text output: the steps with cells, inputs → outputs and parameters, for a person. */
import type { Step } from "../graph/types.js";
import { cellRanges, explorationOnlyCells, firstLine, type MapRenderInput, strategyText } from "./model.js";

function stepBlock(step: Step, index: number): string[] {
  const lines: string[] = [];
  const heading = step.heading ? `  "${step.heading}"` : "";
  lines.push(`${index + 1}. ${step.name}  (cells ${cellRanges(step.cells) || "—"}; ${step.role})${heading}`);
  const ins = step.inputs.length > 0 ? step.inputs.join(", ") : "—";
  const outs = step.outputs.length > 0 ? step.outputs.join(", ") : "—";
  lines.push(`   ${ins} → ${outs}`);
  if (step.modifies.length > 0) lines.push(`   modifies: ${step.modifies.join(", ")}`);
  for (const p of step.parameters)
    lines.push(
      `   param ${p.name} = ${p.literal.replace(/\s*\n\s*/g, " ")}  (${p.kind}, cell ${p.cell + 1})`,
    );
  if (step.helpers.length > 0) lines.push(`   helpers: ${step.helpers.join(", ")}`);
  if (step.results.length > 0) lines.push(`   results: ${step.results.length} statement(s)`);
  if (step.unresolved.length > 0) lines.push(`   UNRESOLVED: ${step.unresolved.join(", ")}`);
  return lines;
}

export function renderText(input: MapRenderInput): string {
  const { map, title } = input;
  if (input.level === "cells") return renderCellText(input);
  const exploreCells = new Set(map.exploration.map((r) => r.cell));
  const out: string[] = [
    `${title}: ${map.steps.length} step${map.steps.length === 1 ? "" : "s"} (${strategyText(map)}), ` +
      `${map.exploration.length} exploration statement${map.exploration.length === 1 ? "" : "s"} in ${exploreCells.size} cell${exploreCells.size === 1 ? "" : "s"}`,
    "",
  ];
  map.steps.forEach((s, i) => {
    out.push(...stepBlock(s, i), "");
  });
  if (map.sharedHelpers.length > 0) out.push(`shared helpers: ${map.sharedHelpers.join(", ")}`, "");
  const only = explorationOnlyCells(input);
  if (only.size > 0) out.push(`exploration-only cells: ${[...only].map((c) => c + 1).join(", ")}`, "");
  for (const f of map.findings ?? [])
    out.push(`warning: cell ${f.cell + 1}, line ${f.span.line}: ${f.step ? `${f.step}: ` : ""}${f.message}`);
  for (const cycle of map.graph.cycles)
    out.push(`warning: cells ${cycle.map((c) => c + 1).join(" → ")} form a cycle (hidden state)`);
  while (out[out.length - 1] === "") out.pop();
  return `${out.join("\n")}\n`;
}

function renderCellText(input: MapRenderInput): string {
  const { map, nb, title } = input;
  const out = [`${title}: ${map.graph.nodes.length} code cells, ${map.graph.edges.length} edges`, ""];
  for (const c of map.graph.nodes) {
    const incoming = map.graph.edges.filter((e) => e.to === c);
    const from = incoming.map((e) => `${e.names.join(", ")} ← cell ${e.from + 1}${e.weak ? " (weak)" : ""}`);
    out.push(`cell ${c + 1}: ${firstLine(nb.cells[c]?.source ?? "", 60)}`);
    for (const f of from) out.push(`   ${f}`);
  }
  return `${out.join("\n")}\n`;
}

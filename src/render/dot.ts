/**
 * `fledge map --format dot`: Graphviz source. Step nodes carry `id`/`URL` attributes (`step-<name>`) so the
 * SVG made from it links each node to the step's section in the HTML map.
 */
import { cellSpan, explorationOnlyCells, firstLine, type MapRenderInput, nameList } from "./model.js";

/** A DOT double-quoted string. */
export function q(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r?\n/g, "\\n")}"`;
}

const HEADER = [
  '  graph [rankdir=TB, fontname="Helvetica", nodesep=0.4, ranksep=0.5, bgcolor="transparent"];',
  '  node [shape=box, style="rounded,filled", fillcolor="#eef4fb", color="#4a6fa5", fontname="Helvetica", fontsize=12];',
  '  edge [color="#4a6fa5", fontname="Helvetica", fontsize=10, fontcolor="#333333"];',
];

export function renderDot(input: MapRenderInput): string {
  if (input.level === "cells") return renderCellDot(input);
  const { map } = input;
  const lines = ["digraph workflow {", ...HEADER];
  map.steps.forEach((s) => {
    const detail = [cellSpan(s.cells)];
    if (s.parameters.length > 0)
      detail.push(`${s.parameters.length} param${s.parameters.length > 1 ? "s" : ""}`);
    const tip = `${s.inputs.join(", ") || "—"} → ${s.outputs.join(", ") || "—"}`;
    lines.push(
      `  ${q(s.name)} [label=${q(`${s.name}\n${detail.join(" · ")}`)}, id=${q(`node_${s.name}`)}, URL=${q(`#step-${s.name}`)}, tooltip=${q(tip)}];`,
    );
  });
  for (const e of map.edges ?? [])
    lines.push(`  ${q(e.from)} -> ${q(e.to)} [label=${q(nameList(e.names, 3))}];`);
  map.steps.forEach((s, i) => {
    if (s.unresolved.length === 0) return;
    lines.push(
      `  ${q(`unresolved_${i}`)} [label=${q(`unresolved:\n${nameList(s.unresolved)}`)}, style="dashed", color="#c62828", fontcolor="#c62828", fillcolor="white"];`,
      `  ${q(`unresolved_${i}`)} -> ${q(s.name)} [style=dashed, color="#c62828"];`,
    );
  });
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

function renderCellDot(input: MapRenderInput): string {
  const { map, nb } = input;
  const grey = explorationOnlyCells(input);
  const lines = ["digraph cells {", ...HEADER];
  for (const c of map.graph.nodes) {
    const style = grey.has(c) ? ', fillcolor="#f2f2f2", color="#999999", fontcolor="#666666"' : "";
    lines.push(`  c${c} [label=${q(`cell ${c + 1}\n${firstLine(nb.cells[c]?.source ?? "")}`)}${style}];`);
  }
  for (const e of map.graph.edges)
    lines.push(
      `  c${e.from} -> c${e.to} [label=${q(nameList(e.names, 3))}${e.weak ? ", style=dashed" : ""}];`,
    );
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

/**
 * `fledge map --format mermaid`: a flowchart for READMEs and GitHub. Steps are nodes, an edge carries the
 * names a step takes from an earlier one; unresolved inputs are a dashed red node. `--level cells` draws the
 * dataflow graph of code cells instead (weak edges dotted, exploration-only cells grey).
 */
import { cellSpan, explorationOnlyCells, firstLine, type MapRenderInput, nameList } from "./model.js";

/** Mermaid label text: quotes and markup characters as entity codes (Mermaid's `#quot;` form). */
function esc(text: string): string {
  return text
    .replace(/&/g, "#amp;")
    .replace(/"/g, "#quot;")
    .replace(/</g, "#lt;")
    .replace(/>/g, "#gt;")
    .replace(/\|/g, "#124;");
}

export function renderMermaid(input: MapRenderInput): string {
  if (input.level === "cells") return renderCellMermaid(input);
  const { map } = input;
  const lines = ["flowchart TD"];
  const id = new Map(map.steps.map((s, i) => [s.name, `s${i}`]));
  map.steps.forEach((s, i) => {
    const detail = [cellSpan(s.cells)];
    if (s.parameters.length > 0)
      detail.push(`${s.parameters.length} param${s.parameters.length > 1 ? "s" : ""}`);
    lines.push(`  s${i}["<b>${esc(s.name)}</b><br/>${esc(detail.join(" · "))}"]`);
  });
  for (const e of map.edges ?? []) {
    lines.push(`  ${id.get(e.from)} -->|"${esc(nameList(e.names))}"| ${id.get(e.to)}`);
  }
  let u = 0;
  map.steps.forEach((s, i) => {
    if (s.unresolved.length === 0) return;
    lines.push(`  u${u}["unresolved: ${esc(nameList(s.unresolved))}"]:::unresolved -.-> s${i}`);
    u++;
  });
  if (u > 0) lines.push("  classDef unresolved stroke:#c62828,stroke-dasharray:4 3,color:#c62828");
  return `${lines.join("\n")}\n`;
}

function renderCellMermaid(input: MapRenderInput): string {
  const { map, nb } = input;
  const lines = ["flowchart TD"];
  const grey = explorationOnlyCells(input);
  for (const c of map.graph.nodes) {
    const label = `cell ${c + 1}<br/>${esc(firstLine(nb.cells[c]?.source ?? ""))}`;
    lines.push(`  c${c}["${label}"]${grey.has(c) ? ":::explore" : ""}`);
  }
  for (const e of map.graph.edges) {
    const arrow = e.weak ? "-.->" : "-->";
    lines.push(`  c${e.from} ${arrow}|"${esc(nameList(e.names))}"| c${e.to}`);
  }
  if (grey.size > 0) lines.push("  classDef explore fill:#f2f2f2,stroke:#999,color:#666");
  return `${lines.join("\n")}\n`;
}

/**
 * `fledge map --format html`: one self-contained offline file (no server, no network): the diagram as inline
 * SVG, then one collapsible section per step with its code, inputs/outputs, parameters and the `check`
 * findings of its cells, then the exploration kept in the companion notebook. Clicking a step in the diagram
 * opens its section.
 */
import type { StatementRef, Step } from "../graph/types.js";
import { type CellFinding, cellRanges, type MapRenderInput, sliceSpan, strategyText } from "./model.js";
import { renderSvg } from "./svg.js";

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** The statements' source, grouped by cell, as `<pre>` blocks. */
function codeBlocks(input: MapRenderInput, refs: StatementRef[]): string {
  const byCell = new Map<number, number[]>();
  for (const r of refs) byCell.set(r.cell, [...(byCell.get(r.cell) ?? []), r.statement]);
  const parts: string[] = [];
  for (const [cell, idxs] of [...byCell].sort((a, b) => a[0] - b[0])) {
    const source = input.nb.cells[cell]?.source ?? "";
    const analysis = input.analysis.cells.find((c) => c.cellIndex === cell);
    const text = idxs
      .sort((a, b) => a - b)
      .map((i) => {
        const rec = analysis?.statements[i];
        return rec ? sliceSpan(source, rec.span) : "";
      })
      .join("\n");
    parts.push(
      `<div class="cell"><span class="cellno">cell ${cell + 1}</span><pre><code>${escapeHtml(text)}</code></pre></div>`,
    );
  }
  return parts.join("\n");
}

function names(list: string[]): string {
  return list.length === 0 ? "<em>none</em>" : list.map((n) => `<code>${escapeHtml(n)}</code>`).join(", ");
}

function findingList(findings: CellFinding[]): string {
  if (findings.length === 0) return "";
  const items = findings.map(
    (f) =>
      `<li class="${escapeHtml(f.severity)}"><b>${escapeHtml(f.code)}</b> cell ${f.cell + 1}${f.line ? `, line ${f.line}` : ""}: ${escapeHtml(f.message)}</li>`,
  );
  return `<h4>Findings</h4><ul class="findings">${items.join("")}</ul>`;
}

/**
 * Each finding goes to the step (or the exploration) holding the statement at its line; a finding on a line no
 * statement covers goes to the first step with that cell.
 */
export function assignFindings(input: MapRenderInput): Map<string, CellFinding[]> {
  const out = new Map<string, CellFinding[]>();
  const owner = new Map<string, string>();
  const add = (refs: StatementRef[], name: string) => {
    for (const r of refs) owner.set(`${r.cell}:${r.statement}`, name);
  };
  for (const s of input.map.steps) add(s.statements, s.name);
  add(input.map.exploration, "exploration");
  for (const f of input.findings ?? []) {
    const cell = input.analysis.cells.find((c) => c.cellIndex === f.cell);
    let name: string | undefined;
    if (cell && f.line !== undefined) {
      const i = cell.statements.findIndex((st) => st.span.line <= f.line! && f.line! <= st.span.endLine);
      if (i >= 0) name = owner.get(`${f.cell}:${i}`);
    }
    name ??= input.map.steps.find((s) => s.cells.includes(f.cell))?.name;
    name ??= input.map.exploration.some((r) => r.cell === f.cell) ? "exploration" : undefined;
    if (name === undefined) continue;
    out.set(name, [...(out.get(name) ?? []), f]);
  }
  return out;
}

function stepSection(
  input: MapRenderInput,
  step: Step,
  index: number,
  assigned: Map<string, CellFinding[]>,
): string {
  const findings = assigned.get(step.name) ?? [];
  const mapFindings: CellFinding[] = (input.map.findings ?? [])
    .filter((f) => f.step === step.name)
    .map((f) => ({
      code: f.code,
      severity: f.severity,
      message: f.message,
      cell: f.cell,
      line: f.span.line,
    }));
  const params =
    step.parameters.length === 0
      ? ""
      : `<h4>Parameters</h4><table class="params"><tr><th>name</th><th>value</th><th>kind</th><th>cell</th></tr>${step.parameters
          .map(
            (p) =>
              `<tr><td><code>${escapeHtml(p.name)}</code></td><td><code>${escapeHtml(p.literal)}</code></td><td>${p.kind}</td><td>${p.cell + 1}</td></tr>`,
          )
          .join("")}</table>`;
  const badge =
    findings.length + mapFindings.length > 0
      ? ` <span class="badge">${findings.length + mapFindings.length}</span>`
      : "";
  return `<details class="step" id="step-${escapeHtml(step.name)}">
<summary><span class="num">${index + 1}</span> <b>${escapeHtml(step.name)}</b> <span class="meta">cells ${cellRanges(step.cells)} · ${step.role}${step.heading ? ` · “${escapeHtml(step.heading)}”` : ""}</span>${badge}</summary>
<div class="body">
${step.description ? `<div class="desc">${escapeHtml(step.description).replace(/\n/g, "<br>")}</div>` : ""}
<p><b>inputs</b> ${names(step.inputs)} &rarr; <b>outputs</b> ${names(step.outputs)}${step.modifies.length ? ` · <b>modifies</b> ${names(step.modifies)}` : ""}</p>
${step.unresolved.length ? `<p class="unresolved"><b>unresolved</b> ${names(step.unresolved)}</p>` : ""}
${step.helpers.length ? `<p><b>helpers</b> ${names(step.helpers)}</p>` : ""}
${step.imports.length ? `<p><b>imports</b> ${names(step.imports)}</p>` : ""}
${params}
${findingList([...mapFindings, ...findings])}
<h4>Code</h4>
${codeBlocks(input, step.statements)}
</div>
</details>`;
}

const STYLE = `
body{font:14px/1.45 -apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif;margin:0;color:#1d2330;background:#fafbfc}
header{padding:16px 24px;background:#fff;border-bottom:1px solid #e1e4e8}
h1{font-size:20px;margin:0 0 4px}
.sub{color:#586069}
main{padding:16px 24px}
#diagram{background:#fff;border:1px solid #e1e4e8;border-radius:6px;padding:8px;overflow:auto;max-height:65vh;text-align:center;margin-bottom:16px}
#diagram svg{max-width:100%;height:auto}
#diagram a{cursor:pointer}
#steps{max-width:1100px}
details.step{background:#fff;border:1px solid #e1e4e8;border-radius:6px;margin:0 0 10px}
details.step[open]{border-color:#4a6fa5;box-shadow:0 1px 4px rgba(74,111,165,.2)}
summary{padding:10px 12px;cursor:pointer;list-style:none}
summary::-webkit-details-marker{display:none}
summary .num{display:inline-block;min-width:22px;text-align:center;background:#4a6fa5;color:#fff;border-radius:11px;font-size:12px;padding:1px 6px}
summary .meta{color:#586069;font-size:12px;margin-left:6px}
.badge{background:#d73a49;color:#fff;border-radius:9px;padding:0 7px;font-size:11px;margin-left:6px}
.body{padding:0 14px 12px;border-top:1px solid #eef0f3}
.desc{color:#444;margin:8px 0;font-size:13px}
h4{margin:12px 0 4px;font-size:13px;color:#333}
pre{margin:0;background:#f6f8fa;padding:8px 10px;border-radius:4px;overflow:auto;font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.cell{margin:6px 0}
.cellno{font-size:11px;color:#6a737d}
table.params{border-collapse:collapse;font-size:12px}
table.params td,table.params th{border:1px solid #e1e4e8;padding:2px 8px;text-align:left}
.unresolved{color:#c62828}
ul.findings{margin:4px 0;padding-left:18px;font-size:12px}
li.error{color:#b31d28}li.warning{color:#8a6d00}
code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
`;

const SCRIPT = `
(function(){
  function openStep(id){
    var el=document.getElementById(id);
    if(!el||el.tagName!=='DETAILS')return;
    el.open=true;el.scrollIntoView({block:'start'});
  }
  document.addEventListener('click',function(ev){
    var a=ev.target.closest&&ev.target.closest('a');
    if(!a)return;
    var href=a.getAttribute('href')||a.getAttribute('xlink:href')||'';
    if(href.indexOf('#step-')===0){ev.preventDefault();openStep(href.slice(1));history.replaceState(null,'',href);}
  });
  if(location.hash)openStep(location.hash.slice(1));
  document.getElementById('expand-all').addEventListener('click',function(){
    var all=document.querySelectorAll('details.step');var open=[].some.call(all,function(d){return !d.open;});
    [].forEach.call(all,function(d){d.open=open;});
  });
})();
`;

export async function renderHtml(input: MapRenderInput): Promise<string> {
  const { map, title } = input;
  const svg = (await renderSvg({ ...input, level: "steps" })).replace(/^[\s\S]*?(?=<svg)/, "");
  const assigned = assignFindings(input);
  const sections = map.steps.map((s, i) => stepSection(input, s, i, assigned)).join("\n");
  const explore =
    map.exploration.length === 0
      ? ""
      : `<details class="step" id="exploration"><summary><b>exploration</b> <span class="meta">${map.exploration.length} statements kept in the companion notebook</span></summary><div class="body">${findingList(assigned.get("exploration") ?? [])}${codeBlocks(input, map.exploration)}</div></details>`;
  const shared = map.sharedHelpers.length
    ? `<p class="sub">shared helpers: ${names(map.sharedHelpers)}</p>`
    : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — workflow map</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<div class="sub">${map.steps.length} steps (${strategyText(map)}) · ${map.exploration.length} exploration statements · <button id="expand-all" type="button">expand/collapse all</button></div>
${shared}
</header>
<main>
<section id="diagram">${svg}</section>
<section id="steps">
${sections}
${explore}
</section>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

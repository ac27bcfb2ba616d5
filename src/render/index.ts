/** render/: the workflow map as text, Mermaid, DOT, SVG, JSON or a self-contained HTML page. */
import { renderDot } from "./dot.js";
import { renderHtml } from "./html.js";
import { renderJson } from "./json.js";
import { renderMermaid } from "./mermaid.js";
import type { MapRenderInput } from "./model.js";
import { renderSvg } from "./svg.js";
import { renderText } from "./text.js";

export const MAP_FORMATS = ["text", "mermaid", "dot", "svg", "json", "html"] as const;
export type MapFormat = (typeof MAP_FORMATS)[number];

export async function renderMap(input: MapRenderInput, format: MapFormat): Promise<string> {
  switch (format) {
    case "text":
      return renderText(input);
    case "mermaid":
      return renderMermaid(input);
    case "dot":
      return renderDot(input);
    case "svg":
      return renderSvg(input);
    case "json":
      return renderJson(input);
    case "html":
      return renderHtml(input);
  }
}

export type { CellFinding, MapRenderInput } from "./model.js";
export { dotToSvg } from "./svg.js";
export { renderDot, renderHtml, renderJson, renderMermaid, renderSvg, renderText };

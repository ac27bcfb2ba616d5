/**
 * `fledge map --format svg`: the DOT graph laid out in-process by Graphviz compiled to WebAssembly
 * (@hpcc-js/wasm-graphviz), so no system Graphviz is needed. The module loads once per process.
 */
import { Graphviz } from "@hpcc-js/wasm-graphviz";
import { renderDot } from "./dot.js";
import type { MapRenderInput } from "./model.js";

let graphviz: Promise<Graphviz> | undefined;

function load(): Promise<Graphviz> {
  graphviz ??= Graphviz.load();
  return graphviz;
}

/** Lay out DOT source as SVG. */
export async function dotToSvg(dot: string): Promise<string> {
  const gv = await load();
  return gv.layout(dot, "svg", "dot");
}

export async function renderSvg(input: MapRenderInput): Promise<string> {
  return dotToSvg(renderDot(input));
}

/**
 * `fledge map --format svg`: the DOT graph laid out in-process by Graphviz compiled to WebAssembly
 * (@hpcc-js/wasm-graphviz), so no system Graphviz is needed. The module (an ES module with its WebAssembly
 * inlined, 0.8 MB) is imported on first use and loads once per process: other formats never pay for it, and the
 * CLI bundle (scripts/build-cli.mjs, CommonJS) keeps it as a dynamic import.
 */
import type { Graphviz } from "@hpcc-js/wasm-graphviz";
import { renderDot } from "./dot.js";
import type { MapRenderInput } from "./model.js";

let graphviz: Promise<Graphviz> | undefined;

function load(): Promise<Graphviz> {
  graphviz ??= import("@hpcc-js/wasm-graphviz").then((m) => m.Graphviz.load());
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

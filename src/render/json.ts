/**
 * `fledge map --format json`: the WorkflowMap as data, for machines. Stable key order (the contract's), a
 * format version, and the notebook title; statements keep their cell/statement addresses.
 */
import type { MapRenderInput } from "./model.js";

export const MAP_JSON_VERSION = 1;

export function renderJson(input: MapRenderInput): string {
  const { map } = input;
  const doc =
    input.level === "cells"
      ? { version: MAP_JSON_VERSION, notebook: input.title, level: "cells", graph: map.graph }
      : {
          version: MAP_JSON_VERSION,
          notebook: input.title,
          level: "steps",
          strategy: map.strategy,
          steps: map.steps,
          edges: map.edges ?? [],
          exploration: map.exploration,
          sharedHelpers: map.sharedHelpers,
          findings: map.findings ?? [],
          graph: map.graph,
        };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * Golden outputs of `fledge map` renderers for fixture notebooks (test/golden/map/<fixture>.<ext>).
 * Refresh with UPDATE_SNAPSHOTS=1 after an intended change, and read the diff.
 * The JSON golden leaves out `graph` (the dataflow graph has its own tests in test/graph/).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderDot, renderJson, renderMermaid, renderSvg, renderText } from "../../src/render/index.js";
import type { MapRenderInput } from "../../src/render/model.js";
import { mapFixture } from "../graph/map-fixture.js";
import { ROOT } from "../helpers/env.js";

const GOLDEN = join(ROOT, "test", "golden", "map");
const UPDATE = process.env.UPDATE_SNAPSHOTS === "1";

function golden(name: string, actual: string): void {
  const path = join(GOLDEN, name);
  if (UPDATE || !existsSync(path)) {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(path, actual);
  }
  expect(actual).toBe(readFileSync(path, "utf8"));
}

async function input(fixture: string, level: "steps" | "cells" = "steps"): Promise<MapRenderInput> {
  const { nb, analysis, map } = await mapFixture(fixture);
  return { title: `${fixture}.ipynb`, nb, analysis, map, level };
}

describe("map renderers (golden)", () => {
  for (const fixture of ["no-headings", "helper-globals", "unresolved"]) {
    it(`${fixture}: text, mermaid, dot, json`, async () => {
      const inp = await input(fixture);
      golden(`${fixture}.txt`, renderText(inp));
      golden(`${fixture}.mmd`, renderMermaid(inp));
      golden(`${fixture}.dot`, renderDot(inp));
      const { graph: _graph, ...json } = JSON.parse(renderJson(inp)) as Record<string, unknown>;
      golden(`${fixture}.json`, `${JSON.stringify(json, null, 2)}\n`);
    });
  }

  it("cell level: mermaid and dot", async () => {
    const inp = await input("interleaved", "cells");
    golden("interleaved.cells.mmd", renderMermaid(inp));
    golden("interleaved.cells.dot", renderDot(inp));
  });

  it("mermaid output is a flowchart with one node per step and labelled edges", async () => {
    const inp = await input("inplace-mutation");
    const text = renderMermaid(inp);
    expect(text.split("\n")[0]).toBe("flowchart TD");
    for (const s of inp.map.steps) expect(text).toContain(`<b>${s.name}</b>`);
    expect(text).toMatch(/s1 -->\|"df"\| s3/);
  });

  it("svg is rendered in-process with every step as a linked node", async () => {
    const inp = await input("no-headings");
    const svg = await renderSvg(inp);
    expect(svg).toMatch(/<svg[\s>]/);
    for (const s of inp.map.steps) {
      expect(svg).toContain(`id="node_${s.name}"`);
      expect(svg).toContain(`#step-${s.name}`);
    }
  });
});

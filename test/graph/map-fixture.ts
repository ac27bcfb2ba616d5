/** Loading a map fixture notebook and building its workflow map, shared by the map tests. */
import { join } from "node:path";
import { buildDataflow } from "../../src/graph/dataflow.js";
import { buildWorkflowMap, type WorkflowMapOptions } from "../../src/graph/steps.js";
import type { WorkflowMap } from "../../src/graph/types.js";
import { readNotebookFile } from "../../src/notebook/index.js";
import type { Notebook } from "../../src/notebook/types.js";
import { analyzeNotebook, initPython } from "../../src/python/index.js";
import type { NotebookAnalysis } from "../../src/python/types.js";
import { ROOT } from "../helpers/env.js";

export const MAP_FIXTURES = join(ROOT, "test", "fixtures", "notebooks", "map");

export interface Mapped {
  nb: Notebook;
  analysis: NotebookAnalysis;
  map: WorkflowMap;
}

export async function mapNotebook(nb: Notebook, options: WorkflowMapOptions = {}): Promise<Mapped> {
  await initPython();
  const analysis = analyzeNotebook(nb, { shapes: true });
  const map = buildWorkflowMap(nb, analysis, buildDataflow(analysis), options);
  return { nb, analysis, map };
}

export async function mapFile(path: string, options: WorkflowMapOptions = {}): Promise<Mapped> {
  return mapNotebook((await readNotebookFile(path)).notebook, options);
}

export async function mapFixture(name: string, options: WorkflowMapOptions = {}): Promise<Mapped> {
  return mapFile(join(MAP_FIXTURES, `${name}.ipynb`), options);
}

/** A notebook from cell sources: strings are code cells, `{ md }` markdown cells. */
export function notebookOf(cells: (string | { md: string })[]): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "python3", display_name: "Python 3", language: "python" } },
    cells: cells.map((c, i) =>
      typeof c === "string"
        ? { cell_type: "code", id: `c${i}`, source: c, metadata: {}, execution_count: null, outputs: [] }
        : { cell_type: "markdown", id: `c${i}`, source: c.md, metadata: {} },
    ),
  };
}

/**
 * A small notebook with a hand-written analysis and workflow map (as python/ and graph/ would produce), so
 * the recording tests do not depend on those stages' heuristics.
 */
import type { Step, WorkflowMap } from "../../src/graph/types.js";
import type { Cell, Notebook } from "../../src/notebook/types.js";
import type { CellAnalysis, NotebookAnalysis, StatementRecord } from "../../src/python/types.js";

type St = [line: number, defines: string[], reads: string[], modifies?: string[]];

function code(source: string): Cell {
  return { cell_type: "code", source, metadata: {}, execution_count: null, outputs: [] };
}

function statements(list: St[]): StatementRecord[] {
  return list.map(([line, defines, reads, modifies]) => ({
    span: { line, column: 1, endLine: line, endColumn: 2 },
    type: defines.some((d) => d === "pd" || d === "np") ? "import_statement" : "expression_statement",
    defines,
    reads,
    modifies: modifies ?? [],
    displays: false,
  }));
}

function cellAnalysis(cellIndex: number, list: St[]): CellAnalysis {
  return {
    cellIndex,
    defines: [],
    reads: [],
    modifies: [],
    deletes: [],
    imports: [],
    functions: [],
    calls: [],
    aliases: {},
    magics: [],
    diagnostics: [],
    opaque: false,
    indirectReads: [],
    statements: statements(list),
  };
}

function step(
  name: string,
  refs: [number, number][],
  inputs: string[],
  outputs: string[],
  modifies: string[] = [],
): Step {
  return {
    name,
    role: "other",
    description: "",
    cells: [...new Set(refs.map(([c]) => c))],
    statements: refs.map(([cell, statement]) => ({ cell, statement })),
    inputs,
    outputs,
    modifies,
    parameters: [],
    unresolved: [],
    imports: [],
    helpers: [],
    results: [],
  };
}

/** load (cell 1) → clean (cell 2, first two statements) → summarize (rest of cell 2) → scale (cell 3, in place). */
export function smallNotebook(): { nb: Notebook; analysis: NotebookAnalysis; map: WorkflowMap } {
  const cells: Cell[] = [
    { cell_type: "markdown", source: "# Load", metadata: {} },
    code("import pandas as pd\ndf = pd.DataFrame({'a': [1.0, 2.0, None, 4.0], 'b': ['x', 'y', 'z', 'w']})"),
    code("df = df.dropna()\nprint('rows', len(df))\ntotal = float(df['a'].sum())\nprint(f'total: {total}')"),
    code("df['a'] = df['a'] * 2\nscaled_total = float(df['a'].sum())\nprint('accuracy:', 0.875)"),
  ];
  const analysis: NotebookAnalysis = {
    pythonVersion: "3.11",
    cells: [
      cellAnalysis(1, [
        [1, ["pd"], []],
        [2, ["df"], ["pd"]],
      ]),
      cellAnalysis(2, [
        [1, ["df"], ["df"]],
        [2, [], ["df"]],
        [3, ["total"], ["df"]],
        [4, [], ["total"]],
      ]),
      cellAnalysis(3, [
        [1, [], ["df"], ["df"]],
        [2, ["scaled_total"], ["df"]],
        [3, [], []],
      ]),
    ],
  };
  const map: WorkflowMap = {
    steps: [
      step(
        "load",
        [
          [1, 0],
          [1, 1],
        ],
        [],
        ["df"],
      ),
      step(
        "clean",
        [
          [2, 0],
          [2, 1],
        ],
        ["df"],
        ["df"],
      ),
      step(
        "summarize",
        [
          [2, 2],
          [2, 3],
        ],
        ["df"],
        [],
      ),
      step(
        "scale",
        [
          [3, 0],
          [3, 1],
          [3, 2],
        ],
        ["df"],
        [],
        ["df"],
      ),
    ],
    exploration: [],
    sharedHelpers: [],
    strategy: { kind: "dataflow" },
    graph: {
      nodes: [1, 2, 3],
      edges: [],
      chains: {},
      forwardReads: [],
      undefinedReads: [],
      order: [1, 2, 3],
      cycles: [],
    },
  };
  return { nb: { nbformat: 4, nbformat_minor: 5, metadata: {}, cells }, analysis, map };
}

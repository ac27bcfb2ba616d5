import { describe, expect, it } from "vitest";
import { buildDataflow } from "../../src/graph/index.js";
import type { DataflowGraph } from "../../src/graph/types.js";
import { type CellSpec, notebookOf } from "./dataflow-helpers.js";

/** Edges as "from->to:names" (with " weak" appended for weak edges), easy to read in a table. */
const edgeStrings = (g: DataflowGraph) =>
  g.edges.map((e) => `${e.from}->${e.to}:${e.names.join(",")}${e.weak ? " weak" : ""}`);

interface Case {
  name: string;
  cells: CellSpec[];
  edges: string[];
  order?: number[];
  forward?: string[]; // "cell:name<-definedIn,…"
  undefined?: string[]; // "cell:name"
  cycles?: number[][];
  chains?: Record<string, string[]>; // name → ["define@0", "modify@2", …]
}

const cases: Case[] = [
  {
    name: "a straight pipeline keeps its order",
    cells: [
      { defines: ["df"] },
      { reads: ["df"], defines: ["X"] },
      { reads: ["X", "df"], defines: ["model"] },
    ],
    edges: ["0->1:df", "0->2:df", "1->2:X"],
    order: [0, 1, 2],
    chains: { df: ["define@0"], X: ["define@1"], model: ["define@2"] },
  },
  {
    name: "a redefinition cuts the edge from the first definition",
    cells: [{ defines: ["df"] }, { reads: ["df"] }, { defines: ["df"] }, { reads: ["df"] }],
    edges: ["0->1:df", "2->3:df"],
    order: [0, 1, 2, 3],
    chains: { df: ["define@0", "define@2"] },
  },
  {
    name: "a certain in-place modification becomes the value's new source",
    cells: [{ defines: ["df"] }, { modifies: ["df"] }, { reads: ["df"] }],
    edges: ["0->1:df", "1->2:df"],
    chains: { df: ["define@0", "modify@1"] },
  },
  {
    name: "a possible modification is a weak edge and keeps the definition's edge",
    cells: [{ defines: ["df"] }, { modifies: [["df", "possible"]] }, { reads: ["df"] }],
    edges: ["0->1:df", "0->2:df", "1->2:df weak"],
    chains: { df: ["define@0", "modify@1"] },
  },
  {
    name: "a likely modification is strong at the default threshold",
    cells: [{ defines: ["m"] }, { modifies: [["m", "likely"]] }, { reads: ["m"] }],
    edges: ["0->1:m", "1->2:m"],
  },
  {
    name: "use before definition names the later defining cell and orders it first",
    cells: [{ reads: ["x"] }, { defines: ["x"] }],
    edges: [],
    forward: ["0:x<-1"],
    order: [1, 0],
    cycles: [],
  },
  {
    name: "a name defined nowhere is an undefined read",
    cells: [{ reads: ["y"] }, { defines: ["z"] }],
    edges: [],
    undefined: ["0:y"],
    order: [0, 1],
  },
  {
    name: "a called function's global reads (transitively) are the caller's reads",
    cells: [
      {
        functions: [
          { name: "g", globalReads: ["rate"] },
          { name: "f", calls: ["g"] },
        ],
      },
      { defines: ["rate"] },
      { reads: ["f"], calls: ["f"], defines: ["out"] },
    ],
    edges: ["0->2:f", "1->2:rate"],
    order: [0, 1, 2],
  },
  {
    name: "defining a function does not read its globals; calling it before they exist is a forward read",
    cells: [
      { functions: [{ name: "f", globalReads: ["k"] }] },
      { reads: ["f"], calls: ["f"] },
      { defines: ["k"] },
    ],
    edges: ["0->1:f"],
    forward: ["1:k<-2"],
    order: [0, 2, 1],
  },
  {
    name: "`global` writes of a called function define the name in the calling cell",
    cells: [
      { functions: [{ name: "setup", globalWrites: ["cfg"] }] },
      { reads: ["setup"], calls: ["setup"] },
      { reads: ["cfg"] },
    ],
    edges: ["0->1:setup", "1->2:cfg"],
    chains: { cfg: ["define@1"], setup: ["define@0"] },
  },
  {
    name: "hidden state in both directions is a cycle, reported",
    cells: [
      { reads: ["a"], defines: ["b"] },
      { reads: ["b"], defines: ["a"] },
    ],
    edges: ["0->1:b"],
    forward: ["0:a<-1"],
    cycles: [[0, 1]],
    order: [0, 1],
  },
  {
    name: "a deleted name read afterwards is undefined, the chain shows the deletion",
    cells: [{ defines: ["tmp"] }, { deletes: ["tmp"] }, { reads: ["tmp"] }],
    edges: [],
    undefined: ["2:tmp"],
    chains: { tmp: ["define@0", "delete@1"] },
  },
  {
    name: "a deleted name defined again below is a forward read",
    cells: [{ defines: ["t"] }, { deletes: ["t"] }, { reads: ["t"] }, { defines: ["t"] }],
    edges: [],
    forward: ["2:t<-3"],
    order: [0, 1, 3, 2],
  },
  {
    // The moved update sits right after the definition it reads; cell 2 then sees the updated value.
    name: "`x = x + 1` above `x = 0` reads the later definition and moves after it",
    cells: [{ reads: ["x"], defines: ["x"] }, { defines: ["x"] }, { reads: ["x"] }],
    edges: ["1->2:x"],
    forward: ["0:x<-0,1"],
    order: [1, 0, 2],
  },
  {
    name: "a forward reader must still run before the name's next redefinition",
    cells: [{ reads: ["x"] }, { defines: ["x"] }, { defines: ["x"] }, { reads: ["x"] }],
    edges: ["2->3:x"],
    forward: ["0:x<-1,2"],
    order: [1, 0, 2, 3],
  },
  {
    name: "forward reader's dependents move with it",
    cells: [
      { defines: ["a"] },
      { reads: ["later"], defines: ["b"] },
      { reads: ["b"] },
      { defines: ["later"] },
    ],
    edges: ["1->2:b"],
    forward: ["1:later<-3"],
    order: [0, 3, 1, 2],
  },
  {
    name: "globals read by a lambda the cell creates are reads of the cell",
    cells: [{ defines: ["k"] }, { reads: ["df"], indirectReads: ["k"] }, { defines: ["df"] }],
    edges: ["0->1:k"],
    forward: ["1:df<-2"],
  },
  {
    name: "successive weak modifications of one value are not a cycle",
    cells: [
      { defines: ["model"] },
      { modifies: [["model", "possible"]] },
      { modifies: [["model", "possible"]], defines: ["history"] },
      { reads: ["model"] },
    ],
    edges: [
      "0->1:model",
      "0->2:model",
      "1->2:model weak",
      "0->3:model",
      "1->3:model weak",
      "2->3:model weak",
    ],
    cycles: [],
    order: [0, 1, 2, 3],
  },
  {
    name: "a call reaches the function definition visible top to bottom, not a later redefinition",
    cells: [
      { functions: [{ name: "prep", globalReads: ["a"] }], defines: ["a"] },
      { reads: ["prep"], calls: ["prep"] },
      { functions: [{ name: "prep", globalReads: ["tft"] }] },
    ],
    edges: ["0->1:a,prep"],
    forward: [],
    cycles: [],
  },
  {
    name: "a lambda reading a name its own cell assigns does not read it from elsewhere",
    cells: [{ defines: ["n"], indirectReads: ["n"] }, { defines: ["n"] }],
    edges: [],
    forward: [],
  },
  {
    name: "cell indices skip markdown cells",
    cells: [
      { index: 1, defines: ["df"] },
      { index: 3, reads: ["df"] },
      { index: 4, reads: ["df"] },
    ],
    edges: ["1->3:df", "1->4:df"],
    order: [1, 3, 4],
  },
  {
    name: "an unknown name after a star import is undefined, with a weak edge from the opaque cell",
    cells: [{ opaque: true }, { reads: ["plot"] }],
    edges: ["0->1:plot weak"],
    undefined: ["1:plot"],
  },
  {
    name: "a modification of an undefined name is not reported twice",
    cells: [{ reads: ["df"], modifies: ["df"] }],
    edges: [],
    undefined: ["0:df"],
  },
];

describe("buildDataflow", () => {
  for (const c of cases) {
    it(c.name, () => {
      const g = buildDataflow(notebookOf(c.cells));
      expect(edgeStrings(g)).toEqual(c.edges);
      if (c.order) expect(g.order).toEqual(c.order);
      expect(g.forwardReads.map((f) => `${f.cell}:${f.name}<-${f.definedIn.join(",")}`)).toEqual(
        c.forward ?? [],
      );
      expect(g.undefinedReads.map((u) => `${u.cell}:${u.name}`)).toEqual(c.undefined ?? []);
      if (c.cycles) expect(g.cycles).toEqual(c.cycles);
      for (const [name, links] of Object.entries(c.chains ?? {})) {
        expect(g.chains[name]?.map((l) => `${l.kind}@${l.cell}`)).toEqual(links);
      }
      // Invariants on every case: the order lists each code cell once; top-to-bottom edges point down.
      expect([...g.order].sort((a, b) => a - b)).toEqual(g.nodes);
      for (const e of g.edges) expect(e.from).toBeLessThan(e.to);
    });
  }

  it("honours the weak threshold option", () => {
    const nb = notebookOf([{ defines: ["m"] }, { modifies: [["m", "likely"]] }, { reads: ["m"] }]);
    const g = buildDataflow(nb, { weakBelow: "certain" });
    expect(edgeStrings(g)).toEqual(["0->1:m", "0->2:m", "1->2:m weak"]);
  });

  it("keeps the chain's best confidence and a definition over a modification in the same cell", () => {
    const g = buildDataflow(
      notebookOf([{ defines: ["df"], modifies: ["df"] }, { modifies: [["df", "possible"], "df"] }]),
    );
    expect(g.chains.df).toEqual([
      { cell: 0, kind: "define" },
      { cell: 1, kind: "modify", confidence: "certain" },
    ]);
  });

  it("handles a long notebook quickly and without recursion limits", () => {
    const specs: CellSpec[] = [{ defines: ["v0"] }];
    for (let i = 1; i < 3000; i++) specs.push({ reads: [`v${i - 1}`], defines: [`v${i}`] });
    specs.push({ reads: ["v2999"], defines: ["v0"] });
    const t = performance.now();
    const g = buildDataflow(notebookOf(specs));
    expect(performance.now() - t).toBeLessThan(2000);
    expect(g.order).toHaveLength(3001);
    expect(g.cycles).toEqual([]);
  });
});

/** decideSync: who is newer is decided by the hashes recorded at the last sync, never by mtimes. */
import { describe, expect, it } from "vitest";
import { parsePercent, writePercent } from "../../src/notebook/percent.js";
import { decideSync, syncState } from "../../src/notebook/sync.js";
import type { Cell, CodeCell, Notebook } from "../../src/notebook/types.js";

function code(source: string, i: number): CodeCell {
  return {
    cell_type: "code",
    id: `id-${i}`,
    source,
    metadata: { collapsed: false },
    execution_count: i + 1,
    outputs: [{ output_type: "stream", name: "stdout", text: `out ${i}` }],
  };
}

function notebook(sources: string[]): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "python3", display_name: "Python 3", language: "python" } },
    cells: [
      { cell_type: "markdown", id: "md", source: "# Title", metadata: {} } as Cell,
      ...sources.map(code),
    ],
  };
}

/** A synced pair: the notebook and the .py fledge wrote for it (with its record). */
function pair(sources: string[]) {
  const nb = notebook(sources);
  const parsed = parsePercent(writePercent(nb, { state: syncState(nb) }));
  return { nb, py: parsed.notebook, state: parsed.pairing!.state! };
}

function input(
  nb: Notebook | undefined,
  py: Notebook | undefined,
  state = undefined as ReturnType<typeof syncState> | undefined,
  times = { nb: 1000, py: 1000 },
  prefer?: "py" | "ipynb",
) {
  return {
    ipynbPath: "nb.ipynb",
    pyPath: "nb.py",
    ...(nb ? { ipynb: { path: "nb.ipynb", notebook: nb, mtimeMs: times.nb } } : {}),
    ...(py ? { py: { path: "nb.py", notebook: py, mtimeMs: times.py, ...(state ? { state } : {}) } } : {}),
    ...(prefer ? { prefer } : {}),
  };
}

const edit = (nb: Notebook, i: number, source: string): Notebook => ({
  ...nb,
  cells: nb.cells.map((c, k) => (k === i ? { ...c, source } : c)),
});

describe("decideSync", () => {
  it("creates the missing file of a pair", () => {
    const { nb, py } = pair(["a = 1"]);
    expect(decideSync(input(nb, undefined)).action).toBe("create-py");
    const created = decideSync(input(undefined, py));
    expect(created.action).toBe("create-ipynb");
    expect(created.notebook!.cells.map((c) => c.source)).toEqual(["# Title", "a = 1"]);
    expect(created.notebook!.metadata.jupytext).toEqual({ formats: "ipynb,py:percent" });
  });

  it("does nothing when neither changed, whatever the mtimes say", () => {
    const { nb, py, state } = pair(["a = 1", "b = 2"]);
    expect(decideSync(input(nb, py, state, { nb: 5000, py: 1 })).action).toBe("none");
  });

  it("takes the .py's edit even when the notebook has the newer mtime (git checkout, touch)", () => {
    const { nb, py, state } = pair(["a = 1", "b = 2"]);
    const d = decideSync(input(nb, edit(py, 2, "b = 3"), state, { nb: 9999, py: 1 }));
    expect(d.action).toBe("update-ipynb");
    expect(d.notebook!.cells[2]!.source).toBe("b = 3");
    expect((d.notebook!.cells[2] as CodeCell).outputs).toEqual([]);
    expect(d.notebook!.cells[1]).toBe(nb.cells[1]);
    expect(d.changes).toEqual(["cell 3: source edited (its outputs are cleared: they were stale)"]);
  });

  it("writes the .py again when only the notebook changed, even when the .py has the newer mtime", () => {
    const { nb, py, state } = pair(["a = 1", "b = 2"]);
    const d = decideSync(input(edit(nb, 1, "a = 10"), py, state, { nb: 1, py: 9999 }));
    expect(d.action).toBe("update-py");
    expect(d.pyFrom!.cells[1]!.source).toBe("a = 10");
  });

  it("re-running the notebook (new outputs only) is not a change", () => {
    const { nb, py, state } = pair(["a = 1"]);
    const rerun = {
      ...nb,
      cells: nb.cells.map((c) => (c.cell_type === "code" ? { ...c, outputs: [], execution_count: 7 } : c)),
    };
    expect(decideSync(input(rerun, py, state)).action).toBe("none");
  });

  it("stops with a conflict naming the cells when both changed, and --prefer settles it", () => {
    const { nb, py, state } = pair(["a = 1", "b = 2", "c = 3"]);
    const nb2 = edit(nb, 1, "a = 100");
    const py2 = {
      ...edit(py, 3, "c = 300"),
      cells: [...edit(py, 3, "c = 300").cells, { ...py.cells[1]!, source: "new = 1" }],
    };
    const d = decideSync(input(nb2, py2, state));
    expect(d.action).toBe("conflict");
    expect(d.reason).toContain("In nb.py: cell 4 edited; cell 5 added.");
    expect(d.reason).toContain("In nb.ipynb: cell 2 edited.");
    const keepPy = decideSync(input(nb2, py2, state, undefined, "py"));
    expect(keepPy.action).toBe("update-ipynb");
    expect(keepPy.notebook!.cells.map((c) => c.source)).toEqual([
      "# Title",
      "a = 1",
      "b = 2",
      "c = 300",
      "new = 1",
    ]);
    const keepNb = decideSync(input(nb2, py2, state, undefined, "ipynb"));
    expect(keepNb.action).toBe("update-py");
    expect(keepNb.pyFrom).toBe(nb2);
  });

  it("both changed the same way: only the record is updated", () => {
    const { nb, py, state } = pair(["a = 1"]);
    expect(decideSync(input(edit(nb, 1, "a = 2"), edit(py, 1, "a = 2"), state)).action).toBe("record");
  });

  it("without a record: same content gets a record, different content is a conflict (mtimes only in the message)", () => {
    const { nb, py } = pair(["a = 1"]);
    expect(decideSync(input(nb, py)).action).toBe("record");
    const d = decideSync(input(nb, edit(py, 1, "a = 2"), undefined, { nb: 1, py: 2 }));
    expect(d.action).toBe("conflict");
    expect(d.reason).toMatch(/no fledge sync record/);
    expect(d.reason).toMatch(/nb\.py has the newer modification time/);
    expect(d.reason).toContain("nb.ipynb cell 2 ≠ nb.py cell 2");
  });
});

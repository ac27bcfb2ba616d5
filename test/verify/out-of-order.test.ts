/** verify on a notebook that only ran out of order: the note says which read comes first and what to do. */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildDataflow } from "../../src/graph/dataflow.js";
import { readNotebookFile } from "../../src/notebook/index.js";
import { analyzeNotebook, initPython } from "../../src/python/index.js";
import { outOfOrderNote } from "../../src/verify/verify.js";
import { ROOT } from "../helpers/env.js";

const FIXTURE = join(ROOT, "test", "fixtures", "notebooks", "extract");

async function flowOf(name: string) {
  const nb = (await readNotebookFile(join(FIXTURE, name, `${name}.ipynb`))).notebook;
  return buildDataflow(analyzeNotebook(nb));
}

describe("outOfOrderNote", () => {
  beforeAll(async () => {
    await initPython();
  });

  it("names the forward read, the failure it causes, and the fix", async () => {
    const flow = await flowOf("energy_out_of_order");
    const failure = {
      cell: 2,
      ename: "NameError",
      evalue: "name 'clean' is not defined",
      traceback: [],
      status: "error" as const,
    };
    const note = outOfOrderNote(flow, failure);
    expect(note).toContain("cell 3 reads `clean` before cell 4 defines it");
    expect(note).toContain("run top to bottom it fails there (NameError)");
    expect(note).toContain("fledge check --fix");
    // Without a failure in that cell the note still explains the order, without claiming a failure.
    expect(outOfOrderNote(flow, undefined)).not.toContain("fails there");
  });

  it("says nothing for a notebook that runs top to bottom", async () => {
    expect(outOfOrderNote(await flowOf("sales_report"), undefined)).toBeUndefined();
  });
});

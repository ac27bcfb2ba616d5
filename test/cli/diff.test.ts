import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseNotebook } from "../../src/notebook/read.js";
import type { CodeCell } from "../../src/notebook/types.js";
import { serializeNotebook } from "../../src/notebook/write.js";
import { hasNoStackTrace, runCli } from "../helpers/cli.js";
import { ROOT } from "../helpers/env.js";

const IO = join(ROOT, "test", "fixtures", "notebooks", "io");
let dir: string;
let a: string;
let b: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "fledge-diff-"));
  a = join(dir, "a.ipynb");
  b = join(dir, "b.ipynb");
  copyFileSync(join(IO, "jupyter45.ipynb"), a);
  const { notebook } = parseNotebook(readFileSync(a, "utf8"));
  notebook.cells[1]!.source = notebook.cells[1]!.source.replace("data.csv", "sales.csv");
  (notebook.cells[2] as CodeCell).outputs = [];
  notebook.cells.splice(4, 1);
  writeFileSync(b, serializeNotebook(notebook));
});

describe("fledge diff", () => {
  it("exits 0 and prints nothing for the same notebook", async () => {
    const r = await runCli(["diff", a, a]);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, "", ""]);
  });

  it("prints a cell-level diff and exits 1 when notebooks differ", async () => {
    const r = await runCli(["diff", "a.ipynb", "b.ipynb"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("--- a.ipynb\n+++ b.ipynb\n");
    expect(r.stdout).toContain(
      "## cell 2 (code, id cell-1) modified\n@@ -1,4 +1,4 @@\n import pandas as pd\n \n-df = pd.read_csv('data.csv')\n+df = pd.read_csv('sales.csv')\n",
    );
    expect(r.stdout).toContain(
      "## cell 3 (code, id cell-2) modified\noutputs:\n  - display: image/png (70 B), text/plain",
    );
    expect(r.stdout).toContain("## cell 5 of old (code, id cell-4) removed\n-x = 1\n");
    expect(r.stdout).not.toContain("iVBOR");
    expect(r.stdout).not.toContain("\u001b[");
  });

  it("colours only on a terminal (or when asked), and never with NO_COLOR", async () => {
    expect((await runCli(["diff", a, b], { tty: true })).stdout).toContain("\u001b[31m");
    expect((await runCli(["diff", a, b], { tty: true, env: { NO_COLOR: "1" } })).stdout).not.toContain(
      "\u001b[",
    );
    expect((await runCli(["diff", a, b, "--color", "always"])).stdout).toContain("\u001b[32m");
    expect((await runCli(["diff", a, b, "--color", "never"], { tty: true })).stdout).not.toContain("\u001b[");
  });

  it("--json gives the differences as data", async () => {
    const r = await runCli(["diff", a, b, "--json"]);
    expect(r.code).toBe(1);
    const data = JSON.parse(r.stdout) as { counts: Record<string, number>; identical: boolean };
    expect(data.counts).toEqual({ modified: 2, added: 0, removed: 1, moved: 0, unchanged: 4 });
    expect(data.identical).toBe(false);
  });

  it("--textconv prints one notebook as readable text", async () => {
    const r = await runCli(["diff", "--textconv", a]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "# %% [code] id=cell-1 tags=keep_output,parameters [1]\nimport pandas as pd\n",
    );
    expect(r.stdout).toContain("# out: display: image/png (70 B)");
  });

  it("--git runs as git's external diff driver (7 arguments) and never fails the whole git diff", async () => {
    const r = await runCli(["diff", "--git", "nb.ipynb", a, "abc", "100644", b, "def", "100644"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^fledge diff a\/nb\.ipynb b\/nb\.ipynb\n--- a\/nb\.ipynb\n\+\+\+ b\/nb\.ipynb\n/,
    );
    const added = await runCli(["diff", "--git", "nb.ipynb", "/dev/null", ".", ".", b, "def", "100644"]);
    expect(added.stdout).toContain("--- /dev/null\n+++ b/nb.ipynb\n");
    expect(added.stdout).toContain("## cell 1 (markdown, id cell-0) added");
    const broken = await runCli([
      "diff",
      "--git",
      "nb.ipynb",
      a,
      "abc",
      "100644",
      join(IO, "not-json.ipynb"),
      "d",
      "100644",
    ]);
    expect(broken.code).toBe(0);
    expect(broken.stdout).toMatch(/is not a readable notebook \(not valid JSON.*\); plain text diff follows/);
    expect(broken.stdout).toContain('+   "cell_type": "code"');
  });

  it("bad input: clear message, exit 2, no stack trace", async () => {
    const cases: [string[], RegExp][] = [
      [["diff", a], /give two notebooks to compare \(got 1\)/],
      [["diff", a, join(dir, "missing.ipynb")], /missing\.ipynb: no such file/],
      [["diff", a, join(IO, "truncated.ipynb")], /looks truncated/],
      [["diff", a, b, "--context", "x"], /--context must be a whole number/],
      [["diff", a, b, "--color", "sometimes"], /--color must be auto, always or never/],
      [["diff", "--git", "only", "three", "args"], /expects the 7 \(or 9\) arguments/],
      [["diff", "--textconv", a, b], /--textconv takes one notebook/],
    ];
    for (const [argv, message] of cases) {
      const r = await runCli(argv);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.stderr, argv.join(" ")).toMatch(message);
      expect(hasNoStackTrace(r)).toBe(true);
    }
  });
});

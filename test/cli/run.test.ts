import { existsSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { CliContext } from "../../src/cli/command.js";
import { main } from "../../src/cli/main.js";
import { venvPython } from "../helpers/env.js";
import { cleanupNotebooks, writeNotebook } from "../kernel/notebooks.js";

afterAll(cleanupNotebooks);

function ctx(env: NodeJS.ProcessEnv = {}, signal?: AbortSignal) {
  let out = "";
  let err = "";
  const c: CliContext = {
    cwd: process.cwd(),
    env: { ...process.env, FLEDGE_PYTHON: venvPython(), ...env },
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    stdin: process.stdin,
    color: false,
    signal: signal ?? new AbortController().signal,
  };
  return { c, out: () => out, err: () => err };
}

const read = (p: string) => JSON.parse(readFileSync(p, "utf8"));
const text = (cell: { outputs: { text?: string[] }[] }) =>
  cell.outputs.map((o) => (o.text ?? []).join("")).join("");

describe("fledge run", () => {
  it("injects parameters after the 'parameters' cell, writes -o, leaves the input untouched", async () => {
    const nb = writeNotebook([
      { source: "rate = 0.1\nlabel = 'default'", tags: ["parameters"] },
      "print(rate * 2, label)",
      { source: "# notes", type: "markdown" },
    ]);
    const before = readFileSync(nb, "utf8");
    const out = join(dirname(nb), "out", "result.ipynb");
    const { c, err } = ctx();
    const code = await main(["run", nb, "-o", out, "-p", "rate=0.25", "-p", "label='tuned'"], c);
    expect(code, err()).toBe(0);
    expect(readFileSync(nb, "utf8")).toBe(before);
    const executed = read(out);
    expect(executed.cells[1].metadata.tags).toEqual(["injected-parameters"]);
    expect(executed.cells[1].source.join("")).toBe("# Parameters\nrate = 0.25\nlabel = 'tuned'\n");
    expect(text(executed.cells[2])).toBe("0.5 tuned\n");
    expect(executed.cells.map((x: { execution_count?: number }) => x.execution_count)).toEqual([
      1,
      2,
      3,
      undefined,
    ]);
    expect(executed.metadata.language_info.name).toBe("python");
    expect(err()).toMatch(/executing the code of .*in a fresh kernel/);
    expect(err()).toContain(venvPython());
  }, 60_000);

  it("writes <name>.executed.ipynb by default and replaces its own earlier output", async () => {
    const nb = writeNotebook(["x = 40 + 2\nx"]);
    const target = nb.replace(/\.ipynb$/, ".executed.ipynb");
    for (let i = 0; i < 2; i++) {
      const { c, err } = ctx();
      expect(await main(["run", nb], c), err()).toBe(0);
      expect(read(target).cells[0].outputs[0].data["text/plain"]).toEqual(["42"]);
    }
  }, 60_000);

  it("refuses to write over the input or over a file it did not write", async () => {
    const nb = writeNotebook(["1"]);
    let r = ctx();
    expect(await main(["run", nb, "-o", nb], r.c)).toBe(2);
    expect(r.err()).toMatch(/refusing to write .* over its input/);
    const other = join(dirname(nb), "mine.ipynb");
    writeFileSync(other, "{}");
    r = ctx();
    expect(await main(["run", nb, "-o", other], r.c)).toBe(2);
    expect(r.err()).toMatch(/not written by fledge run/);
    expect(readFileSync(other, "utf8")).toBe("{}");
    r = ctx();
    expect(await main(["run", nb, "-o", other, "--force"], r.c), r.err()).toBe(0);
    expect(read(other).cells[0].execution_count).toBe(1);
  }, 60_000);

  it("--in-place replaces the input with the executed notebook", async () => {
    const nb = writeNotebook(["print('in place')"]);
    const { c, err } = ctx();
    expect(await main(["run", nb, "--in-place"], c), err()).toBe(0);
    expect(text(read(nb).cells[0])).toBe("in place\n");
    expect(existsSync(nb.replace(/\.ipynb$/, ".executed.ipynb"))).toBe(false);
  }, 60_000);

  it("stops at a failing cell: exit 3, traceback without colour codes, partial notebook written", async () => {
    const nb = writeNotebook(["a = 1", "def f():\n    raise KeyError('missing')\nf()", "b = 2"]);
    const { c, err } = ctx();
    expect(await main(["run", nb], c)).toBe(3);
    expect(err()).toMatch(/cell 2 raised KeyError: 'missing'/);
    expect(err()).toContain("Traceback");
    expect(err()).not.toContain("\x1b[");
    const executed = read(nb.replace(/\.ipynb$/, ".executed.ipynb"));
    expect(executed.cells[0].execution_count).toBe(1);
    expect(executed.cells[1].outputs[0].ename).toBe("KeyError");
    expect(executed.cells[2].execution_count).toBe(null);
  }, 60_000);

  it("a cell whose code raised inside %%capture is a failure too (the kernel answers ok)", async () => {
    const nb = writeNotebook(["%%capture\nx = 1\nraise ValueError('hidden')", "y = 2"]);
    const { c, err } = ctx();
    expect(await main(["run", nb], c)).toBe(3);
    expect(err()).toMatch(/cell 1 raised ValueError: hidden/);
    expect(read(nb.replace(/\.ipynb$/, ".executed.ipynb")).cells[1].execution_count).toBe(null);
  }, 60_000);

  it("--allow-errors runs every cell and exits 0; --json summarises the run", async () => {
    const nb = writeNotebook(["1/0", "print('after')"]);
    const { c, err, out } = ctx();
    expect(await main(["run", nb, "--allow-errors", "--json"], c)).toBe(0);
    expect(JSON.parse(out())).toMatchObject({
      status: "ok",
      output: nb.replace(/\.ipynb$/, ".executed.ipynb"),
      cellsRun: 2,
      failedCell: null,
      allowedErrors: [1],
      interpreter: venvPython(),
    });
    expect(err()).toMatch(/1 raised \(allowed\): cell 1/);
    expect(text(read(nb.replace(/\.ipynb$/, ".executed.ipynb")).cells[1])).toBe("after\n");
  }, 60_000);

  it("--cell-timeout stops a cell that runs too long (exit 3)", async () => {
    const nb = writeNotebook(["import time\ntime.sleep(60)", "print('never')"]);
    const { c, err } = ctx();
    const t = Date.now();
    expect(await main(["run", nb, "--cell-timeout", "1"], c)).toBe(3);
    expect(Date.now() - t).toBeLessThan(20_000);
    expect(err()).toMatch(/cell 1 ran longer than the cell time limit/);
  }, 60_000);

  it("input() fails the cell with a hint instead of waiting", async () => {
    const nb = writeNotebook(["name = input('who? ')"]);
    const { c, err } = ctx();
    expect(await main(["run", nb], c)).toBe(3);
    expect(err()).toMatch(/EOFError/);
    expect(err()).toMatch(/called input\(\)/);
  }, 60_000);

  it("rejects a bad parameter literal as a usage error before starting anything", async () => {
    const nb = writeNotebook(["x = 1"]);
    for (const [arg, hint] of [
      ["path=data/x.csv", /-r path=data\/x.csv/],
      ["n=[1, 2", /expected/],
      ["flag=true", /Python writes True/],
      ["1x=3", /not a valid Python variable name/],
    ] as const) {
      const { c, err } = ctx();
      expect(await main(["run", nb, "-p", arg], c)).toBe(2);
      expect(err()).toMatch(hint);
    }
    expect(existsSync(nb.replace(/\.ipynb$/, ".executed.ipynb"))).toBe(false);
  });

  it("-r passes a raw string", async () => {
    const nb = writeNotebook([{ source: "path = ''", tags: ["parameters"] }, "print(repr(path))"]);
    const { c, err } = ctx();
    expect(await main(["run", nb, "-r", `path=data/it's "x".csv`], c), err()).toBe(0);
    expect(text(read(nb.replace(/\.ipynb$/, ".executed.ipynb")).cells[2])).toBe(`'data/it\\'s "x".csv'\n`);
  }, 60_000);

  it("no usable kernel: exit 3, says where it looked and how to install ipykernel", async () => {
    const nb = writeNotebook(["1"], "nb.ipynb", "no-such-kernel-xyz");
    const empty = dirname(nb);
    const { c, err } = ctx({
      FLEDGE_PYTHON: "",
      JUPYTER_PATH: join(empty, "jp"),
      HOME: empty,
      XDG_DATA_HOME: "",
      JUPYTER_DATA_DIR: "",
      VIRTUAL_ENV: "",
      CONDA_PREFIX: "",
      PATH: "/nonexistent",
    });
    expect(await main(["run", nb], c)).toBe(3);
    expect(err()).toMatch(/no Jupyter kernel named 'no-such-kernel-xyz'/);
    expect(err()).toContain(join(empty, "jp", "kernels"));
    expect(err()).toMatch(/pip install ipykernel/);
  });

  it("--python with a missing interpreter is exit 3", async () => {
    const nb = writeNotebook(["1"]);
    const { c, err } = ctx();
    expect(await main(["run", nb, "--python", "/nonexistent/python"], c)).toBe(3);
    expect(err()).toMatch(/does not exist/);
  });

  it("Ctrl-C (the context's abort signal) interrupts the cell and writes the partial notebook", async () => {
    const nb = writeNotebook(["x = 1", "import time\nopen('started', 'w').close()\ntime.sleep(60)", "y = 2"]);
    const marker = join(dirname(nb), "started");
    const ac = new AbortController();
    const { c, err } = ctx({}, ac.signal);
    const done = main(["run", nb], c);
    const t = Date.now();
    while (!existsSync(marker) && Date.now() - t < 30_000) await new Promise((r) => setTimeout(r, 50));
    ac.abort();
    expect(await done).toBe(3);
    expect(Date.now() - t).toBeLessThan(30_000);
    expect(err()).toMatch(/interrupted \(Ctrl-C\) while cell 2 was running/);
    expect(read(nb.replace(/\.ipynb$/, ".executed.ipynb")).cells[0].execution_count).toBe(1);
  }, 60_000);

  it("--timeout limits the whole run (exit 3) and names the limit", async () => {
    const nb = writeNotebook(["x = 1", "import time\ntime.sleep(60)"]);
    const { c, err } = ctx();
    expect(await main(["run", nb, "--timeout", "8"], c)).toBe(3);
    expect(err()).toMatch(/the run's time limit \(--timeout\) was reached while cell 2 was running/);
  }, 60_000);

  it("reports a kernel that dies with the cell that was running (exit 3)", async () => {
    const nb = writeNotebook(["print('ok')", "import os\nos._exit(7)", "print('never')"]);
    const { c, err } = ctx();
    expect(await main(["run", nb], c)).toBe(3);
    expect(err()).toMatch(/the kernel died while cell 2 was running \(exited with code 7\)/);
  }, 60_000);

  it("redraws one progress line on a TTY", async () => {
    const nb = writeNotebook(["import time\ntime.sleep(0.6)"]);
    const r = ctx();
    (r.c.stderr as { isTTY?: boolean }).isTTY = true;
    expect(await main(["run", nb], r.c), r.err()).toBe(0);
    expect(r.err()).toMatch(/\r\x1b\[K {2}\[1\/1\] cell 1 running/);
  }, 60_000);

  it("runs in the notebook's folder by default, or --cwd; -o - writes the notebook to stdout", async () => {
    const nb = writeNotebook(["import os\nprint(os.getcwd())"]);
    const { c, out, err } = ctx();
    expect(await main(["run", nb, "-o", "-"], c), err()).toBe(0);
    expect(JSON.parse(out()).cells[0].outputs[0].text.join("")).toBe(`${realpathSync(dirname(nb))}\n`);
    const other = mkdtempSync(join(tmpdir(), "fledge-cwd-"));
    const r = ctx();
    expect(await main(["run", nb, "-o", "-", "--cwd", other], r.c), r.err()).toBe(0);
    expect(JSON.parse(r.out()).cells[0].outputs[0].text.join("")).toBe(`${realpathSync(other)}\n`);
  }, 60_000);
});

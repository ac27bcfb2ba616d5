import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FledgeError } from "../../src/errors.js";
import { readNotebookFile, requirePythonKernel } from "../../src/notebook/load.js";
import type { Notebook } from "../../src/notebook/types.js";
import { ROOT } from "../helpers/env.js";

const IO = join(ROOT, "test", "fixtures", "notebooks", "io");

async function loadError(path: string): Promise<FledgeError> {
  try {
    await readNotebookFile(path);
  } catch (err) {
    expect(err).toBeInstanceOf(FledgeError);
    return err as FledgeError;
  }
  throw new Error(`${path} loaded without an error`);
}

describe("readNotebookFile", () => {
  it("reads a notebook and says what it was", async () => {
    const loaded = await readNotebookFile(join(IO, "jupyter45.ipynb"));
    expect(loaded.format).toBe("ipynb");
    expect(loaded.notebook.cells).toHaveLength(7);
    expect(loaded.origin).toEqual({ nbformat: 4, nbformat_minor: 5 });
    expect(loaded.warnings).toEqual([]);
  });

  it("a missing file", async () => {
    const path = join(IO, "does-not-exist.ipynb");
    const err = await loadError(path);
    expect(err.code).toBe("E_INPUT");
    expect(err.message).toBe("no such file");
    expect(err.location?.file).toBe(path);
  });

  it("a directory", async () => {
    const err = await loadError(IO);
    expect(err.message).toMatch(/is a directory/);
    expect(err.exitCode).toBe(2);
  });

  it.skipIf(process.platform === "win32" || process.getuid?.() === 0)("an unreadable file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fledge-load-"));
    const path = join(dir, "secret.ipynb");
    writeFileSync(path, "{}");
    chmodSync(path, 0o000);
    expect((await loadError(path)).message).toMatch(/permission denied/);
  });

  it("a file that is not UTF-8", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fledge-load-"));
    const path = join(dir, "latin1.ipynb");
    writeFileSync(path, Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d]));
    expect((await loadError(path)).message).toMatch(/not valid UTF-8 .* offset 2/);
  });

  it("a broken notebook keeps its file name in the error", async () => {
    const err = await loadError(join(IO, "not-json.ipynb"));
    expect(err.location).toMatchObject({ file: join(IO, "not-json.ipynb"), line: 5, column: 4 });
  });

  it("reads a percent-format .py as a notebook", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fledge-load-"));
    const path = join(dir, "analysis.py");
    writeFileSync(path, "# %% [markdown]\n# # Title\n\n# %%\nx = 1\n");
    const loaded = await readNotebookFile(path);
    expect(loaded.format).toBe("percent");
    expect(loaded.notebook.cells.map((c) => c.cell_type)).toEqual(["markdown", "code"]);
  });
});

describe("requirePythonKernel", () => {
  const nb = (metadata: Notebook["metadata"]): Notebook => ({
    nbformat: 4,
    nbformat_minor: 5,
    metadata,
    cells: [],
  });

  it("accepts Python notebooks and notebooks that do not say", () => {
    expect(() => requirePythonKernel(nb({}))).not.toThrow();
    expect(() =>
      requirePythonKernel(nb({ kernelspec: { name: "python3", display_name: "Python 3" } })),
    ).not.toThrow();
    expect(() => requirePythonKernel(nb({ kernelspec: { name: "conda-env-ml-py" } }))).not.toThrow();
    expect(() => requirePythonKernel(nb({ language_info: { name: "python" } }))).not.toThrow();
  });

  it("stops with E_NOT_PYTHON and a clear message for other languages", async () => {
    const { notebook } = await readNotebookFile(join(IO, "r-kernel.ipynb"));
    try {
      requirePythonKernel(notebook, "r-kernel.ipynb");
      expect.unreachable();
    } catch (err) {
      const e = err as FledgeError;
      expect(e.code).toBe("E_NOT_PYTHON");
      expect(e.exitCode).toBe(2);
      expect(e.message).toBe(
        'this notebook is written in r (kernel "R"), not Python: fledge analyses Python notebooks only',
      );
      expect(e.hint).toMatch(/strip, diff, sync/);
      expect(e.location?.file).toBe("r-kernel.ipynb");
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Kernel, startKernel } from "../../src/kernel/index.js";
import { venvPython } from "../helpers/env.js";

let kernel: Kernel;

beforeAll(async () => {
  kernel = await startKernel({ python: venvPython() });
});

afterAll(async () => {
  await kernel.shutdown();
});

describe("outputs in nbformat shape", () => {
  it("a pandas DataFrame as execute_result with text/html and text/plain", async () => {
    const r = await kernel.execute(
      "import pandas as pd\ndf = pd.DataFrame({'a': [1, 2], 'b': ['x', 'y']})\ndf",
    );
    expect(r.status).toBe("ok");
    expect(r.outputs).toHaveLength(1);
    const out = r.outputs[0]!;
    expect(out.output_type).toBe("execute_result");
    const data = out.data as Record<string, string>;
    expect(data["text/html"]).toContain("<table");
    expect(data["text/plain"]).toContain("a  b");
    expect(out.execution_count).toBe(r.executionCount);
  });

  it("a matplotlib figure as display_data with a PNG", async () => {
    const r = await kernel.execute(
      "import matplotlib\nimport matplotlib.pyplot as plt\n%matplotlib inline\nplt.plot([1, 2, 3])\nplt.show()",
      { timeoutMs: 60_000 },
    );
    expect(r.status, JSON.stringify(r.error)).toBe("ok");
    const png = r.outputs.find((o) => o.output_type === "display_data");
    expect(png).toBeDefined();
    const b64 = (png!.data as Record<string, string>)["image/png"]!;
    expect(Buffer.from(b64, "base64").subarray(1, 4).toString("latin1")).toBe("PNG");
  });

  it("a %%time cell runs its body and prints the timing", async () => {
    const r = await kernel.execute("%%time\ntotal = sum(range(10))\nprint(total)");
    expect(r.status).toBe("ok");
    const text = r.outputs.map((o) => String(o.text ?? "")).join("");
    expect(text).toContain("45\n");
    expect(text).toMatch(/Wall time/);
  });

  it("a shell escape (!echo) streams its output", async () => {
    const r = await kernel.execute("!echo hello from the shell");
    expect(r.status).toBe("ok");
    expect(r.outputs).toHaveLength(1);
    expect(r.outputs[0]).toMatchObject({ output_type: "stream", name: "stdout" });
    expect(String(r.outputs[0]!.text).trim()).toBe("hello from the shell");
  });

  it("display handles update earlier outputs; clear_output(wait=True) replaces them", async () => {
    const first = await kernel.execute(
      "from IPython.display import display, update_display, clear_output\nh = display('one', display_id=True)",
    );
    expect(first.outputs[0]!.data).toEqual({ "text/plain": "'one'" });
    await kernel.execute("h.update('two')");
    expect(first.outputs[0]!.data).toEqual({ "text/plain": "'two'" });
    const r = await kernel.execute("print('a')\nclear_output(wait=True)\nprint('b')");
    expect(r.outputs).toEqual([{ output_type: "stream", name: "stdout", text: "b\n" }]);
  });

  it("keeps stdout and stderr apart in the order they came", async () => {
    const r = await kernel.execute(
      "import sys\nprint('1', flush=True)\nsys.stderr.write('2\\n'); sys.stderr.flush()\nprint('3', flush=True)",
    );
    expect(r.outputs.map((o) => [o.name, o.text])).toEqual([
      ["stdout", "1\n"],
      ["stderr", "2\n"],
      ["stdout", "3\n"],
    ]);
  });
});

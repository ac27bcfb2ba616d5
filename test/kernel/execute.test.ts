import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Kernel, startKernel } from "../../src/kernel/index.js";
import { venvPython } from "../helpers/env.js";
import { isGone, watchdogs } from "./procs.js";

// One kernel for the tests that leave it usable; tests that kill or hang a kernel start their own.
let kernel: Kernel;

beforeAll(async () => {
  kernel = await startKernel({ python: venvPython() });
});

afterAll(async () => {
  const pid = kernel.pid;
  const watchdog = watchdogs(pid);
  if (process.platform === "linux") expect(watchdog).toHaveLength(1);
  await kernel.shutdown();
  expect(await isGone([pid, ...watchdog])).toBe(true);
});

describe("execute", () => {
  it("collects stream output (merged per stream), stderr and the execute_result with counts", async () => {
    const r = await kernel.execute("print('a')\nprint('b')\nimport sys\nprint('err', file=sys.stderr)\n6*7");
    expect(r.status).toBe("ok");
    expect(r.executionCount).toBeGreaterThan(0);
    expect(r.outputs).toEqual([
      { output_type: "stream", name: "stdout", text: "a\nb\n" },
      { output_type: "stream", name: "stderr", text: "err\n" },
      {
        output_type: "execute_result",
        data: { "text/plain": "42" },
        metadata: {},
        execution_count: r.executionCount,
      },
    ]);
  });

  it("reports an exception with its traceback and stops there", async () => {
    const r = await kernel.execute("x = 1\nraise ValueError('bad value')");
    expect(r.status).toBe("error");
    expect(r.error?.ename).toBe("ValueError");
    expect(r.error?.evalue).toBe("bad value");
    expect(r.error?.traceback.join("\n")).toContain("bad value");
    expect(r.outputs.at(-1)?.output_type).toBe("error");
  });

  it("answers input() with end-of-file instead of hanging", async () => {
    const r = await kernel.execute("name = input('Your name? ')", { timeoutMs: 10_000 });
    expect(r.status).toBe("error");
    expect(r.error?.ename).toBe("EOFError");
    expect(r.inputRequests).toEqual(["Your name? "]);
  });

  it("evaluates helper expressions without touching counts or the namespace", async () => {
    const before = await kernel.execute("counter_probe = 41");
    const value = await kernel.evaluateJson("{'n': counter_probe + 1, 's': 'é\\n'}");
    expect(value).toEqual({ n: 42, s: "é\n" });
    const after = await kernel.execute("sorted(k for k in globals() if k.startswith('__fledge'))");
    expect(after.executionCount).toBe((before.executionCount ?? 0) + 1);
    expect(after.outputs[0]).toMatchObject({ data: { "text/plain": "[]" } });
  });

  it("interrupts a cell that runs past its timeout and keeps the kernel usable", async () => {
    const r = await kernel.execute("import time\ntime.sleep(30)", { timeoutMs: 500 });
    expect(r.status).toBe("timeout");
    expect(r.durationMs).toBeLessThan(5000);
    expect(r.error?.ename).toBe("KeyboardInterrupt");
    expect(r.kernelUsable).toBe(true);
    const next = await kernel.execute("'still alive'");
    expect(next.status).toBe("ok");
  });
});

/**
 * No orphan processes, ever: after a timeout, a dead kernel, Ctrl-C (SIGINT), SIGTERM, SIGKILL or a
 * crash of fledge, the kernel and the processes it started are gone — checked by process id.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startKernel } from "../../src/kernel/index.js";
import { ROOT, venvPython } from "../helpers/env.js";
import { cleanupNotebooks, writeNotebook } from "./notebooks.js";
import { groupMembers, isAlive, isGone, watchdogs } from "./procs.js";

afterAll(cleanupNotebooks);

const posix = process.platform !== "win32";

/** A cell that records the kernel's pid and a child process's pid, then blocks. */
function hangingCell(pidFile: string): string {
  return [
    "import os, subprocess, time",
    "child = subprocess.Popen(['sleep', '300'])",
    `open(${JSON.stringify(pidFile)}, 'w').write(f'{os.getpid()} {child.pid}')`,
    "time.sleep(300)",
  ].join("\n");
}

async function waitForFile(path: string, ms = 30_000): Promise<string> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (existsSync(path)) {
      const text = readFileSync(path, "utf8");
      if (text.trim().includes(" ")) return text;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${path}`);
}

function spawnFledge(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess & { output: () => string } {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(ROOT, "test/kernel/fledge-child.ts"), ...args],
    {
      cwd: ROOT,
      env: { ...process.env, FLEDGE_PYTHON: venvPython(), ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let text = "";
  child.stdout?.on("data", (b) => (text += b));
  child.stderr?.on("data", (b) => (text += b));
  return Object.assign(child, { output: () => text });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((r) => {
    if (child.exitCode !== null || child.signalCode !== null)
      r({ code: child.exitCode, signal: child.signalCode });
    else child.once("exit", (code, signal) => r({ code, signal }));
  });
}

describe.skipIf(!posix)("no process outlives fledge", () => {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`${signal} to fledge run: interrupts, writes the partial notebook, exits 3, leaves nothing`, async () => {
      const nbPath = writeNotebook(["x = 1", hangingCell("PIDFILE"), "y = 2"]);
      const pidFile = join(dirname(nbPath), "pids.txt");
      const text = readFileSync(nbPath, "utf8").replace("PIDFILE", pidFile);
      writeFileSync(nbPath, text);
      const child = spawnFledge(["run", nbPath]);
      const [kernelPid, sleepPid] = (await waitForFile(pidFile)).split(" ").map(Number) as [number, number];
      expect(isAlive(kernelPid)).toBe(true);
      expect(isAlive(sleepPid)).toBe(true);
      const done = exited(child);
      child.kill(signal);
      const { code } = await done;
      expect(code, child.output()).toBe(3);
      expect(await isGone([kernelPid, sleepPid], 5000)).toBe(true);
      expect(groupMembers(kernelPid)).toEqual([]);
      expect(watchdogs(child.pid!)).toEqual([]);
      expect(child.output()).toMatch(/interrupted/);
      const out = JSON.parse(readFileSync(nbPath.replace(/\.ipynb$/, ".executed.ipynb"), "utf8"));
      expect(out.cells[0].execution_count).toBe(1);
    }, 60_000);
  }

  it("SIGKILL of fledge: the watchdog and ipykernel's parent polling end the kernel and its children", async () => {
    const dir = dirname(writeNotebook(["pass"]));
    const pidFile = join(dir, "pids.txt");
    const nbPath = writeNotebook([hangingCell(pidFile)]);
    const child = spawnFledge(["run", nbPath]);
    const [kernelPid, sleepPid] = (await waitForFile(pidFile)).split(" ").map(Number) as [number, number];
    const done = exited(child);
    child.kill("SIGKILL");
    expect((await done).signal).toBe("SIGKILL");
    expect(await isGone([kernelPid, sleepPid], 8000)).toBe(true);
    expect(groupMembers(kernelPid)).toEqual([]);
    expect(await isGone(watchdogs(child.pid!), 3000)).toBe(true);
  }, 60_000);

  it("a crash of the program using the kernel (uncaught exception) takes the kernel down with it", async () => {
    const dir = dirname(writeNotebook(["pass"]));
    const pidFile = join(dir, "pids.txt");
    const script = [
      `import { startKernel } from ${JSON.stringify(join(ROOT, "src/kernel/index.js"))};`,
      `const k = await startKernel({ python: ${JSON.stringify(venvPython())} });`,
      `void k.execute(${JSON.stringify(hangingCell(pidFile))});`,
      `const fs = await import("node:fs");`,
      `const t = setInterval(() => { if (fs.existsSync(${JSON.stringify(pidFile)})) { clearInterval(t); throw new Error("boom"); } }, 50);`,
    ].join("\n");
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    child.stderr?.on("data", (b) => (err += b));
    const [kernelPid, sleepPid] = (await waitForFile(pidFile)).split(" ").map(Number) as [number, number];
    const { code } = await exited(child);
    expect(code, err).not.toBe(0);
    expect(err).toContain("boom");
    expect(await isGone([kernelPid, sleepPid], 3000)).toBe(true);
    expect(groupMembers(kernelPid)).toEqual([]);
  }, 60_000);
});

describe("kernel failures end with nothing left running", () => {
  it("reports a kernel that dies (os._exit) with the cell, and leaves no process", async () => {
    const k = await startKernel({ python: venvPython() });
    const r = await k.execute(
      "import os, time\nprint('about to die', flush=True)\ntime.sleep(0.5)\nos._exit(1)",
    );
    expect(r.status).toBe("died");
    expect(r.death?.exitCode).toBe(1);
    expect(r.death?.reason).toMatch(/exited with code 1/);
    expect(JSON.stringify(r.outputs)).toContain("about to die");
    expect((await k.execute("1")).status).toBe("died");
    await k.shutdown();
    expect(await isGone(k.pid)).toBe(true);
  }, 60_000);

  it("a kernel that ignores the interrupt is shut down and killed, children included", async () => {
    const k = await startKernel({ python: venvPython() });
    const r = await k.execute(
      "import signal, subprocess, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n" +
        "p = subprocess.Popen(['sleep', '300'], start_new_session=False)\nprint(p.pid, flush=True)\ntime.sleep(300)",
      { timeoutMs: 1500, interruptGraceMs: 1000 },
    );
    expect(r.status).toBe("timeout");
    expect(r.kernelUsable).toBe(false);
    const sleepPid = Number(String(r.outputs[0]?.text ?? "").trim());
    expect(sleepPid).toBeGreaterThan(0);
    await k.shutdown();
    expect(await isGone([k.pid, sleepPid])).toBe(true);
    expect(groupMembers(k.pid)).toEqual([]);
  }, 60_000);

  it("reports a kernel killed by a signal (as the out-of-memory killer does) with the signal", async () => {
    const k = await startKernel({ python: venvPython() });
    const r = await k.execute("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)");
    expect(r.status).toBe("died");
    expect(r.death?.signal).toBe("SIGKILL");
    expect(r.death?.reason).toMatch(/out of memory/);
    await k.shutdown();
    expect(await isGone(k.pid)).toBe(true);
  }, 60_000);

  it.skipIf(!posix)(
    "declares a kernel that stops answering heartbeats dead, then kills it",
    async () => {
      const k = await startKernel(
        { python: venvPython() },
        { heartbeat: { intervalMs: 200, timeoutMs: 200, misses: 3 } },
      );
      const running = k.execute("import time\ntime.sleep(60)");
      await new Promise((r) => setTimeout(r, 300));
      process.kill(k.pid, "SIGSTOP"); // frozen: alive, but silent
      const r = await running;
      expect(r.status).toBe("died");
      expect(r.death?.reason).toMatch(/stopped answering heartbeats/);
      await k.shutdown();
      expect(await isGone(k.pid)).toBe(true);
    },
    60_000,
  );

  it("shutdown while a cell runs ends that cell (as died) instead of leaving it pending", async () => {
    const k = await startKernel({ python: venvPython() }, { heartbeat: false });
    const running = k.execute("import time\ntime.sleep(60)");
    await new Promise((r) => setTimeout(r, 300));
    await k.shutdown();
    const r = await running;
    expect(r.status).toBe("died");
    expect(r.death?.reason).toBe("the kernel was shut down");
    expect(await isGone(k.pid)).toBe(true);
    await expect(k.execute("1")).rejects.toThrow(/shut down/);
  }, 60_000);
});

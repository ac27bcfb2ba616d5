import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FledgeError } from "../../src/errors.js";
import { startKernel } from "../../src/kernel/index.js";
import { kernelSearchPath, listKernelSpecs, resolveKernel } from "../../src/kernel/kernelspec.js";
import { ROOT, venvPython } from "../helpers/env.js";
import { isGone } from "./procs.js";

const posix = process.platform !== "win32";
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** An environment with nothing found by accident: empty home, no venv, no PATH Python. */
function isolatedEnv(extra: NodeJS.ProcessEnv = {}): { env: NodeJS.ProcessEnv; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), "fledge-ks-"));
  dirs.push(dir);
  return {
    dir,
    env: { HOME: join(dir, "home"), PATH: join(dir, "nobin"), JUPYTER_PATH: join(dir, "jp"), ...extra },
  };
}

function addSpec(folder: string, name: string, json: object): string {
  const dir = join(folder, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "kernel.json"), JSON.stringify(json));
  return dir;
}

const LAUNCHER = ["-m", "ipykernel_launcher", "-f", "{connection_file}"];

describe("kernel discovery", () => {
  it("searches JUPYTER_PATH, environments, the user's and the system's folders", () => {
    const { env, dir } = isolatedEnv({ VIRTUAL_ENV: "/opt/venv" });
    const folders = kernelSearchPath(env).map((f) => `${f.kind}:${f.dir}`);
    expect(folders[0]).toBe(`JUPYTER_PATH:${join(dir, "jp", "kernels")}`);
    expect(folders).toContain(`environment:${join("/opt/venv", "share", "jupyter", "kernels")}`);
    if (process.platform === "linux") {
      // Inside a virtualenv its kernels come before the user's (jupyter_core ≥ 5).
      const envAt = folders.indexOf(`environment:${join("/opt/venv", "share", "jupyter", "kernels")}`);
      const userAt = folders.indexOf(`user:${join(dir, "home", ".local", "share", "jupyter", "kernels")}`);
      expect(userAt).toBeGreaterThan(envAt);
      expect(folders).toContain("system:/usr/share/jupyter/kernels");
    }
  });

  it("finds the project venv's python3 kernelspec and runs the venv's interpreter for its bare `python`", () => {
    const venv = dirname(dirname(venvPython()));
    const { env } = isolatedEnv({ VIRTUAL_ENV: venv });
    const k = resolveKernel({ name: "python3", env });
    expect(k.source).toBe(`kernelspec ${join(venv, "share", "jupyter", "kernels", "python3")}`);
    expect(k.interpreter).toBe(venvPython());
    expect(k.argv[0]).toBe(venvPython());
  });

  it.skipIf(!posix)("a kernelspec inside another environment runs that environment's Python", () => {
    const { env, dir } = isolatedEnv();
    const prefix = join(dir, "otherenv");
    mkdirSync(join(prefix, "bin"), { recursive: true });
    writeFileSync(join(prefix, "pyvenv.cfg"), "home = /usr/bin\n");
    symlinkSync(venvPython(), join(prefix, "bin", "python"));
    addSpec(join(prefix, "share", "jupyter", "kernels"), "envk", {
      argv: ["python", ...LAUNCHER],
      display_name: "Env K",
    });
    env.VIRTUAL_ENV = prefix;
    const k = resolveKernel({ name: "envk", env });
    expect(k.interpreter).toBe(join(prefix, "bin", "python"));
    expect(k.displayName).toBe("Env K");
  });

  it("reads display name, language, env and interrupt_mode; names match case-insensitively", () => {
    const { env, dir } = isolatedEnv();
    addSpec(join(dir, "jp", "kernels"), "MyKernel", {
      argv: [venvPython(), ...LAUNCHER],
      display_name: "Mine",
      language: "python",
      interrupt_mode: "message",
      env: { FLEDGE_SPEC_VAR: "from-spec" },
    });
    const k = resolveKernel({ name: "mykernel", env });
    expect(k).toMatchObject({
      name: "MyKernel",
      displayName: "Mine",
      language: "python",
      interruptMode: "message",
      env: { FLEDGE_SPEC_VAR: "from-spec" },
      interpreter: venvPython(),
    });
    expect(listKernelSpecs(env).map((s) => s.name)).toEqual(["MyKernel"]);
  });

  it("--python beats FLEDGE_PYTHON, which beats the kernelspec", () => {
    const { env } = isolatedEnv({ FLEDGE_PYTHON: venvPython() });
    expect(resolveKernel({ name: "whatever", env })).toMatchObject({
      source: "FLEDGE_PYTHON",
      interpreter: venvPython(),
    });
    const other = join(ROOT, ".venv", "bin", "python3");
    expect(resolveKernel({ name: "whatever", env, python: other })).toMatchObject({ source: "--python" });
  });

  it("no kernel: E_KERNEL naming the folders searched, the kernels found and how to install ipykernel", () => {
    const { env, dir } = isolatedEnv();
    addSpec(join(dir, "jp", "kernels"), "ir", { argv: ["R"], language: "R" });
    let err: unknown;
    try {
      resolveKernel({ name: "julia-1.9", env });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FledgeError);
    const fe = err as FledgeError;
    expect(fe.code).toBe("E_KERNEL");
    expect(fe.exitCode).toBe(3);
    expect(fe.message).toContain(join(dir, "jp", "kernels"));
    expect(fe.message).toContain("Kernels found: ir");
    expect(fe.hint).toMatch(/pip install ipykernel/);
  });

  it("a kernelspec with interrupt_mode message: the kernel gets its env and is interrupted by message", async () => {
    const { env, dir } = isolatedEnv();
    addSpec(join(dir, "jp", "kernels"), "msgk", {
      argv: [venvPython(), ...LAUNCHER],
      display_name: "Message interrupt",
      interrupt_mode: "message",
      env: { FLEDGE_SPEC_VAR: "from-spec" },
    });
    const spec = resolveKernel({ name: "msgk", env });
    const k = await startKernel(spec, { env: { ...process.env } });
    try {
      const r = await k.execute("import os\nprint(os.environ['FLEDGE_SPEC_VAR'])");
      expect(r.outputs[0]).toMatchObject({ text: "from-spec\n" });
      const slow = await k.execute("import time\ntime.sleep(30)", { timeoutMs: 500 });
      expect(slow.status).toBe("timeout");
      expect(slow.error?.ename).toBe("KeyboardInterrupt");
      expect(slow.kernelUsable).toBe(true);
    } finally {
      await k.shutdown();
    }
    expect(await isGone(k.pid)).toBe(true);
  }, 60_000);

  it("a kernel that cannot start is reported with its own error output, and nothing is left", async () => {
    const { env, dir } = isolatedEnv();
    addSpec(join(dir, "jp", "kernels"), "broken", {
      argv: [venvPython(), "-m", "no_such_module_for_fledge", "-f", "{connection_file}"],
    });
    const spec = resolveKernel({ name: "broken", env });
    await expect(startKernel(spec, { startTimeoutMs: 20_000 })).rejects.toThrow(
      /exited while starting: exited with code 1[\s\S]*No module named no_such_module_for_fledge/,
    );
  }, 60_000);
});

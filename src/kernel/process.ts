/**
 * The kernel's operating-system process: launch, death detection, and the guarantees that nothing
 * outlives fledge.
 *
 * Invariants:
 * - POSIX: the kernel runs in its own process group (`detached: true`), so `kill(-pid)` reaches it and
 *   every child it started (`!sleep`, subprocess, multiprocessing workers) and a Ctrl-C in the terminal
 *   does not reach it behind fledge's back.
 * - `JPY_PARENT_PID` is set, so ipykernel exits by itself when fledge disappears.
 * - A watchdog (a tiny `/bin/sh` loop, or a Node script on Windows) kills the whole group when fledge's
 *   pid disappears — even after SIGKILL of fledge — and exits by itself once the group is gone.
 * - A `process.on("exit")` hook kills every live kernel group synchronously (fledge crash, `process.exit`).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";

const IS_WIN = process.platform === "win32";
const TAIL_BYTES = 16 * 1024;

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface LaunchOptions {
  argv: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
}

const live = new Set<KernelProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const k of live) k.killNow();
  });
}

/** Sends `signal` to a whole process group (POSIX) or process tree (Windows). Never throws. */
export function killGroup(pid: number, signal: NodeJS.Signals): void {
  if (IS_WIN) {
    try {
      spawnSync("taskkill", ["/pid", String(pid), "/T", "/F"], { stdio: "ignore", windowsHide: true });
    } catch {
      // already gone
    }
    return;
  }
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is gone
  }
}

/** Whether a process group (POSIX) or process (Windows) still has a member. */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(IS_WIN ? pid : -pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

const SH_WATCHDOG = `
parent=$1; group=$2
while kill -0 "$parent" 2>/dev/null; do
  kill -0 "-$group" 2>/dev/null || exit 0
  sleep 0.5
done
kill -TERM "-$group" 2>/dev/null
sleep 1
kill -KILL "-$group" 2>/dev/null
exit 0
`;

const NODE_WATCHDOG = `
const [parent, kernel] = process.argv.slice(-2).map(Number);
const alive = (p) => { try { process.kill(p, 0); return true; } catch (e) { return e.code === "EPERM"; } };
const t = setInterval(() => {
  if (!alive(kernel)) { clearInterval(t); return; }
  if (!alive(parent)) {
    clearInterval(t);
    require("node:child_process").spawnSync("taskkill", ["/pid", String(kernel), "/T", "/F"], { stdio: "ignore" });
  }
}, 500);
`;

function startWatchdog(kernelPid: number): ChildProcess | undefined {
  try {
    const child = IS_WIN
      ? spawn(process.execPath, ["-e", NODE_WATCHDOG, String(process.pid), String(kernelPid)], {
          detached: true,
          stdio: "ignore",
          windowsHide: true,
        })
      : spawn("/bin/sh", ["-c", SH_WATCHDOG, "fledge-watchdog", String(process.pid), String(kernelPid)], {
          detached: true,
          stdio: "ignore",
        });
    child.on("error", () => {});
    child.unref();
    return child;
  } catch {
    return undefined;
  }
}

/** A launched kernel process. */
export class KernelProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly exited: Promise<ExitInfo>;
  exitInfo: ExitInfo | undefined;
  private stderrTail = "";
  private stdoutTail = "";
  private readonly watchdog: ChildProcess | undefined;
  private spawnError: Error | undefined;

  private constructor(child: ChildProcess, pid: number) {
    this.child = child;
    this.pid = pid;
    this.exited = new Promise<ExitInfo>((resolve) => {
      child.once("exit", (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
    });
    child.stdout?.on("data", (b: Buffer) => {
      this.stdoutTail = (this.stdoutTail + b.toString("utf8")).slice(-TAIL_BYTES);
    });
    child.stderr?.on("data", (b: Buffer) => {
      this.stderrTail = (this.stderrTail + b.toString("utf8")).slice(-TAIL_BYTES);
    });
    this.watchdog = startWatchdog(pid);
    live.add(this);
    installExitHook();
    void this.exited.then(() => {
      // The kernel is gone; its children may not be. The group is cleaned up by `kill()`.
    });
  }

  /** Spawns the kernel. Rejects when the program cannot be started at all (not found, not executable). */
  static async launch(opts: LaunchOptions): Promise<KernelProcess> {
    const [cmd, ...args] = opts.argv;
    if (!cmd) throw new Error("empty kernel command line");
    const env = { ...opts.env, JPY_PARENT_PID: String(process.pid), PYDEVD_DISABLE_FILE_VALIDATION: "1" };
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env,
      detached: !IS_WIN,
      stdio: ["ignore", "pipe", "pipe"],
      windowsHide: true,
    });
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", () => resolve());
      child.once("error", (err) => reject(err));
    });
    const proc = new KernelProcess(child, child.pid!);
    child.on("error", (err) => {
      proc.spawnError = err;
    });
    return proc;
  }

  get alive(): boolean {
    return this.exitInfo === undefined;
  }

  /** The last lines the kernel wrote to its own stdout/stderr (not to notebook outputs). */
  tail(maxLines = 20): string {
    const text = `${this.stdoutTail}${this.stderrTail}`.trimEnd();
    // ipykernel ≥ 7 warns that TCP on 127.0.0.1 is unencrypted; that is expected here, not news.
    const lines = text.split(/\r?\n/).filter((l) => l && !/running over TCP without encryption/.test(l));
    const out = lines.slice(-maxLines).join("\n");
    return this.spawnError ? `${out}\n${this.spawnError.message}`.trim() : out;
  }

  /** SIGINT to the kernel's group (how Jupyter interrupts kernels with interrupt_mode "signal"). */
  interrupt(): void {
    if (IS_WIN) return; // Windows kernels are interrupted by message only.
    killGroup(this.pid, "SIGINT");
  }

  /** Waits up to `ms` for the kernel to exit by itself. */
  async waitExit(ms: number): Promise<boolean> {
    if (!this.alive) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    const done = await Promise.race([this.exited.then(() => true as const), timeout]);
    clearTimeout(timer);
    return done;
  }

  /**
   * Ends the kernel and everything in its group: SIGTERM, then SIGKILL after `graceMs`.
   * Resolves when the kernel process has exited and its group is empty (or after a bounded wait).
   */
  async kill(graceMs = 1000): Promise<void> {
    if (groupAlive(this.pid) || this.alive) {
      killGroup(this.pid, "SIGTERM");
      const deadline = Date.now() + graceMs;
      while ((this.alive || groupAlive(this.pid)) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 25));
      }
      if (this.alive || groupAlive(this.pid)) killGroup(this.pid, "SIGKILL");
      await this.waitExit(2000);
      const end = Date.now() + 2000;
      while (groupAlive(this.pid) && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
    }
    this.release();
  }

  /** Synchronous last resort (process exit hook): SIGKILL the group and the watchdog. */
  killNow(): void {
    killGroup(this.pid, "SIGKILL");
    this.release();
  }

  private release(): void {
    live.delete(this);
    const wd = this.watchdog;
    if (wd?.pid && wd.exitCode === null && wd.signalCode === null) {
      try {
        process.kill(IS_WIN ? wd.pid : -wd.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    this.child.stdout?.destroy();
    this.child.stderr?.destroy();
  }
}

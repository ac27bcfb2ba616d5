/**
 * A running Jupyter kernel and the requests fledge makes of it.
 *
 * Message flow of one `execute`: an `execute_request` goes out on shell; the kernel answers with
 * `status: busy`, `execute_input`, outputs and `status: idle` on IOPub (all carrying our request as
 * parent) and an `execute_reply` on shell. The execution is complete when both the reply and the idle
 * status have arrived. `input()` sends an `input_request` on stdin, which fledge answers with
 * end-of-file so the cell raises EOFError instead of waiting forever.
 */
import { FledgeError } from "../errors.js";
import type { Output } from "../notebook/types.js";
import {
  Channels,
  type ConnectionInfo,
  loadZmq,
  newConnectionInfo,
  writeConnectionFile,
} from "./connection.js";
import { type KernelRequest, type ResolvedKernel, resolveKernel } from "./kernelspec.js";
import type {
  ExecuteReplyContent,
  ExecuteRequestContent,
  KernelInfoReplyContent,
  Message,
  UserExpressionResult,
} from "./messages.js";
import { type DisplayRegistry, type ErrorOutput, OutputCollector } from "./outputs.js";
import { KernelProcess } from "./process.js";
import { decodePythonStr } from "./pyliteral.js";

export type ExecuteStatus = "ok" | "error" | "aborted" | "timeout" | "died" | "interrupted";

export interface KernelDeath {
  /** Human-readable: "exited with code 1", "killed by SIGKILL (out of memory?)", "stopped answering heartbeats". */
  reason: string;
  exitCode: number | null;
  signal: string | null;
  /** The last lines the kernel process printed outside of notebook outputs. */
  log: string;
}

export interface ExecuteResult {
  status: ExecuteStatus;
  executionCount: number | null;
  /** nbformat 4 outputs (multiline values as single strings; see `toStoredOutput` for the file shape). */
  outputs: Output[];
  /** The exception, when status is "error" (or "timeout"/"interrupted" and the kernel reported one). */
  error: { ename: string; evalue: string; traceback: string[] } | undefined;
  durationMs: number;
  /** Prompts of `input()` calls, answered with end-of-file. */
  inputRequests: string[];
  /** Set when status is "died". */
  death: KernelDeath | undefined;
  /** Results of `userExpressions`, when asked. */
  userExpressions: Record<string, UserExpressionResult> | undefined;
  /** After a timeout or interruption: false when the kernel did not come back and must be shut down. */
  kernelUsable: boolean;
}

export interface ExecuteOptions {
  /** Give up on the cell after this long: interrupt it, status "timeout". Default: no limit. */
  timeoutMs?: number;
  /** Interrupt the cell when this fires (status "interrupted"). */
  signal?: AbortSignal;
  silent?: boolean;
  storeHistory?: boolean;
  userExpressions?: Record<string, string>;
  /** How long to wait for the kernel to settle after an interrupt before declaring it stuck. Default 5 s. */
  interruptGraceMs?: number;
}

export interface StartOptions {
  /** Working directory of the kernel (the notebook's folder, usually). */
  cwd?: string;
  /** Environment of the kernel; defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Give up starting after this long. Default 60 s. */
  startTimeoutMs?: number;
  signal?: AbortSignal;
  /** Heartbeat monitoring (declares a silent kernel dead). Default: every 3 s, 3 s timeout, 4 misses. */
  heartbeat?: { intervalMs: number; timeoutMs: number; misses: number } | false;
}

interface Pending {
  collector: OutputCollector;
  reply: Message | undefined;
  idle: boolean;
  executionCount: number | null;
  inputRequests: string[];
  settle: () => void;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function describeExit(code: number | null, signal: string | null): string {
  if (signal === "SIGKILL") return "killed by SIGKILL (out of memory, or killed from outside)";
  if (signal) return `killed by ${signal}`;
  return `exited with code ${code}`;
}

export class Kernel {
  readonly spec: ResolvedKernel;
  /** The kernel's `kernel_info_reply` (language, versions). */
  info: KernelInfoReplyContent = {} as KernelInfoReplyContent;
  private readonly proc: KernelProcess;
  private readonly channels: Channels;
  private readonly pending = new Map<string, Pending>();
  private readonly displays: DisplayRegistry = new Map();
  private queue: Promise<unknown> = Promise.resolve();
  private shuttingDown = false;
  private deathInfo: KernelDeath | undefined;
  private readonly died: Promise<KernelDeath>;
  private markDead!: (d: KernelDeath) => void;
  private heartbeat: NodeJS.Timeout | undefined;
  /** Set when an interrupted request never completed: shutdown then skips the polite request. */
  private unresponsive = false;

  /** @internal use `startKernel` */
  constructor(spec: ResolvedKernel, proc: KernelProcess, channels: Channels) {
    this.spec = spec;
    this.proc = proc;
    this.channels = channels;
    this.died = new Promise<KernelDeath>((resolve) => {
      this.markDead = (d) => {
        if (this.deathInfo) return;
        this.deathInfo = d;
        resolve(d);
      };
    });
    void proc.exited.then(async ({ code, signal }) => {
      if (this.shuttingDown) return;
      await sleep(100); // let the last IOPub messages arrive
      this.markDead({ reason: describeExit(code, signal), exitCode: code, signal, log: proc.tail() });
    });
  }

  /** The kernel process id (also its process group id on POSIX). */
  get pid(): number {
    return this.proc.pid;
  }

  /** The Python interpreter running the code, when known. */
  get interpreter(): string | undefined {
    return this.spec.interpreter;
  }

  get alive(): boolean {
    return !this.deathInfo && this.proc.alive && !this.shuttingDown && !this.unresponsive;
  }

  /** Messages dropped because their signature did not verify, or were malformed. */
  get protocolProblems(): readonly string[] {
    return this.channels.problems;
  }

  /** Routes a verified message to the request it answers. */
  handle(channel: string, msg: Message): void {
    const parentId = msg.parent_header.msg_id;
    const p = parentId ? this.pending.get(parentId) : undefined;
    if (channel === "stdin") {
      if (msg.header.msg_type === "input_request") {
        p?.inputRequests.push(String(msg.content.prompt ?? ""));
        // "\x04" is end-of-file for ipykernel: input() raises EOFError instead of waiting.
        const reply = this.channels.session.message("input_reply", { value: "\x04" }, msg.header);
        void this.channels.send("stdin", reply).catch(() => {});
      }
      return;
    }
    if (!p) return;
    if (channel === "iopub") {
      const type = msg.header.msg_type;
      if (type === "status") {
        if (msg.content.execution_state === "idle") {
          p.idle = true;
          p.settle();
        }
      } else if (type === "execute_input") {
        p.executionCount = (msg.content.execution_count as number | undefined) ?? p.executionCount;
      } else {
        p.collector.handle(msg);
      }
    } else if (channel === "shell" || channel === "control") {
      p.reply = msg;
      p.settle();
    }
  }

  /** Starts the heartbeat monitor: a kernel that stops echoing for ~20 s is declared dead. */
  startHeartbeat(intervalMs = 3000, timeoutMs = 3000, misses = 4): void {
    let missed = 0;
    const tick = async () => {
      if (!this.alive) return;
      const ok = await this.channels.ping(timeoutMs);
      if (!this.alive) return;
      missed = ok ? 0 : missed + 1;
      if (missed >= misses) {
        this.markDead({
          reason: `stopped answering heartbeats for ${Math.round((misses * (intervalMs + timeoutMs)) / 1000)} s`,
          exitCode: null,
          signal: null,
          log: this.proc.tail(),
        });
        return;
      }
      this.heartbeat = setTimeout(tick, intervalMs);
      this.heartbeat.unref();
    };
    this.heartbeat = setTimeout(tick, intervalMs);
    this.heartbeat.unref();
  }

  /** Sends a request and resolves when both its reply and its `idle` status arrived (or `race` wins). */
  private request(
    channel: "shell" | "control",
    msgType: string,
    content: object,
    needIdle = channel === "shell",
  ): { msgId: string; pending: Pending; done: Promise<void> } {
    const msg = this.channels.session.message(msgType, content);
    let settleDone!: () => void;
    const done = new Promise<void>((r) => {
      settleDone = r;
    });
    const pending: Pending = {
      collector: new OutputCollector(this.displays),
      reply: undefined,
      idle: false,
      executionCount: null,
      inputRequests: [],
      settle: () => {
        if (pending.reply && (pending.idle || !needIdle)) settleDone();
      },
    };
    this.pending.set(msg.header.msg_id, pending);
    void this.channels.send(channel, msg).catch(() => {});
    return { msgId: msg.header.msg_id, pending, done };
  }

  /** Runs code as a notebook cell would. Executions are queued: one at a time. */
  execute(code: string, opts: ExecuteOptions = {}): Promise<ExecuteResult> {
    const run = this.queue.then(() => this.executeNow(code, opts));
    this.queue = run.catch(() => {});
    return run;
  }

  private async executeNow(code: string, opts: ExecuteOptions): Promise<ExecuteResult> {
    const started = Date.now();
    if (this.shuttingDown) throw new FledgeError("E_KERNEL", "the kernel is not running (it was shut down)");
    if (this.deathInfo) return this.result("died", started, undefined, true);
    if (this.unresponsive) {
      throw new FledgeError("E_KERNEL", "the kernel did not recover from an interrupt; shut it down");
    }
    if (opts.signal?.aborted) return this.result("interrupted", started, undefined, true);
    const content: ExecuteRequestContent = {
      code,
      silent: opts.silent ?? false,
      store_history: opts.storeHistory ?? !(opts.silent ?? false),
      user_expressions: opts.userExpressions ?? {},
      allow_stdin: true,
      stop_on_error: true,
    };
    const { msgId, pending, done } = this.request("shell", "execute_request", content);
    try {
      const outcome = await this.waitFor(done, opts.timeoutMs, opts.signal);
      if (outcome === "done") return this.resultFrom(pending, started);
      if (outcome === "died") return this.result("died", started, pending, false);
      // Timeout or abort: interrupt, then give the kernel a moment to finish the request.
      await this.interrupt().catch(() => {});
      const settled = await this.waitFor(done, opts.interruptGraceMs ?? 5000, undefined);
      const status = outcome === "timeout" ? "timeout" : "interrupted";
      if (settled === "died") return this.result("died", started, pending, false);
      if (settled !== "done") this.unresponsive = true;
      return this.result(status, started, pending, settled === "done");
    } finally {
      this.pending.delete(msgId);
    }
  }

  private async waitFor(
    done: Promise<void>,
    timeoutMs: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<"done" | "died" | "timeout" | "aborted"> {
    if (signal?.aborted) return "aborted";
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const races: Promise<"done" | "died" | "timeout" | "aborted">[] = [
      done.then(() => "done" as const),
      this.died.then(() => "died" as const),
    ];
    if (timeoutMs !== undefined && Number.isFinite(timeoutMs)) {
      races.push(new Promise((r) => (timer = setTimeout(() => r("timeout"), Math.max(0, timeoutMs)))));
    }
    if (signal) {
      races.push(
        new Promise((r) => {
          onAbort = () => r("aborted");
          signal.addEventListener("abort", onAbort, { once: true });
        }),
      );
    }
    try {
      return await Promise.race(races);
    } finally {
      if (timer) clearTimeout(timer);
      if (signal && onAbort) signal.removeEventListener("abort", onAbort);
    }
  }

  private resultFrom(p: Pending, started: number): ExecuteResult {
    const reply = p.reply?.content as ExecuteReplyContent | undefined;
    const status: ExecuteStatus =
      reply?.status === "ok" ? "ok" : reply?.status === "aborted" ? "aborted" : "error";
    const r = this.result(status, started, p, true);
    if (reply?.execution_count !== undefined && reply.execution_count !== null) {
      r.executionCount = reply.execution_count;
    }
    r.userExpressions = reply?.user_expressions;
    if (status === "error" && !r.error && reply?.ename) {
      r.error = { ename: reply.ename, evalue: reply.evalue ?? "", traceback: reply.traceback ?? [] };
    }
    return r;
  }

  private result(
    status: ExecuteStatus,
    started: number,
    p: Pending | undefined,
    usable: boolean,
  ): ExecuteResult {
    const outputs = p?.collector.outputs ?? [];
    const err = [...outputs].reverse().find((o) => o.output_type === "error") as ErrorOutput | undefined;
    return {
      status,
      executionCount: p?.executionCount ?? null,
      outputs,
      error: err ? { ename: err.ename, evalue: err.evalue, traceback: err.traceback } : undefined,
      durationMs: Date.now() - started,
      inputRequests: p?.inputRequests ?? [],
      death: status === "died" ? this.deathInfo : undefined,
      userExpressions: undefined,
      kernelUsable: usable && this.alive,
    };
  }

  /**
   * Evaluates a Python expression for fledge's own use, without touching the user's session: a silent
   * request (no execution count, no history, no `_`), and the expression is evaluated as a
   * `user_expression`, so no name is left in the namespace. Returns the display data of the value
   * (`text/plain` is its repr). Throws `FledgeError` E_USER_CODE when the expression raises.
   */
  async evaluate(expr: string, opts: { timeoutMs?: number } = {}): Promise<Record<string, unknown>> {
    const r = await this.execute("", {
      silent: true,
      storeHistory: false,
      userExpressions: { value: expr },
      timeoutMs: opts.timeoutMs ?? 60_000,
    });
    const v = r.userExpressions?.value;
    if (r.status !== "ok" || !v) {
      throw new FledgeError("E_KERNEL", `the kernel could not evaluate a helper expression (${r.status})`);
    }
    if (v.status !== "ok") {
      throw new FledgeError("E_USER_CODE", `evaluating \`${expr}\` raised ${v.ename}: ${v.evalue}`);
    }
    return v.data;
  }

  /** Evaluates a Python expression and returns its value converted with `json.dumps` (`default=repr`). */
  async evaluateJson(expr: string, opts: { timeoutMs?: number } = {}): Promise<unknown> {
    const data = await this.evaluate(`__import__("json").dumps((${expr}), default=repr)`, opts);
    const text = data["text/plain"];
    if (typeof text !== "string")
      throw new FledgeError("E_KERNEL", "the kernel returned no text/plain value");
    return JSON.parse(decodePythonStr(text));
  }

  /** Interrupts the running cell: `interrupt_request` on control or SIGINT, per the kernelspec. */
  async interrupt(): Promise<void> {
    if (!this.alive) return;
    if (this.spec.interruptMode === "message" || process.platform === "win32") {
      const { msgId, done } = this.request("control", "interrupt_request", {});
      await this.waitFor(done, 2000, undefined);
      this.pending.delete(msgId);
    } else {
      this.proc.interrupt();
    }
  }

  /**
   * Stops the kernel and everything it started: `shutdown_request` on control, a short wait, then the
   * whole process group is terminated and killed. Safe to call more than once.
   */
  async shutdown(opts: { graceMs?: number } = {}): Promise<void> {
    if (this.shuttingDown) {
      await this.proc.exited;
      return;
    }
    this.shuttingDown = true;
    if (this.heartbeat) clearTimeout(this.heartbeat);
    if (this.proc.alive && !this.deathInfo && !this.unresponsive) {
      const msg = this.channels.session.message("shutdown_request", { restart: false });
      await this.channels.send("control", msg).catch(() => {});
      await this.proc.waitExit(opts.graceMs ?? 1500);
    }
    await this.proc.kill();
    this.channels.close();
    // Requests still waiting (shutdown called while a cell ran) end as "died", not never.
    this.markDead({ reason: "the kernel was shut down", exitCode: null, signal: null, log: "" });
  }

  /** What the kernel process printed outside of notebook outputs (its own log), last lines. */
  get log(): string {
    return this.proc.tail();
  }

  /**
   * Waits for the kernel to answer `kernel_info_request`. The first request waits in ZeroMQ's queue
   * until the kernel binds; more are sent until IOPub has delivered something too (ipykernel ≥ 7 sends
   * `iopub_welcome`, older ones publish the status of each request), so no output can be missed, and until the
   * stdin socket has connected, so an `input()` in the first cell gets its end-of-file answer.
   */
  async ready(deadline: number, signal: AbortSignal | undefined, iopubSeen: () => boolean): Promise<void> {
    let info: KernelInfoReplyContent | undefined;
    let infoAt = 0;
    while (Date.now() < deadline && this.proc.alive && !this.deathInfo) {
      if (signal?.aborted) throw new FledgeError("E_USER_CODE", "interrupted while starting the kernel");
      const { msgId, pending, done } = this.request("shell", "kernel_info_request", {}, false);
      const waitMs = info ? 100 : deadline - Date.now();
      const outcome = await this.waitFor(done, waitMs, signal);
      this.pending.delete(msgId);
      if (outcome === "done" && pending.reply) {
        info = pending.reply.content as unknown as KernelInfoReplyContent;
        infoAt ||= Date.now();
      }
      // stdin: a socket that has not reported its connection 5 s after the kernel answered is not waited for.
      if (info && iopubSeen() && (this.channels.stdinReady || Date.now() - infoAt > 5_000)) break;
      if (info) await sleep(20);
    }
    if (info) {
      this.info = info;
      return;
    }
    if (signal?.aborted) throw new FledgeError("E_USER_CODE", "interrupted while starting the kernel");
    await this.proc.waitExit(200);
    const exit = this.proc.exitInfo;
    const log = this.proc.tail();
    throw new FledgeError(
      "E_KERNEL",
      exit
        ? `the kernel (${this.spec.argv.join(" ")}) exited while starting: ${describeExit(exit.code, exit.signal)}` +
            (log ? `\n${log}` : "")
        : "the kernel did not answer in time after starting" + (log ? `\n${log}` : ""),
      {
        hint: /No module named/.test(log)
          ? `Install ipykernel in that environment: ${this.spec.interpreter ?? "python"} -m pip install ipykernel`
          : "Check that the kernel starts with `jupyter console`, or pass --python PATH.",
      },
    );
  }
}

/**
 * Starts a kernel: resolves the kernelspec (unless given resolved), launches it with a fresh connection
 * file, connects the five channels and waits for `kernel_info_reply`. Throws `FledgeError` E_KERNEL
 * when it cannot start; the process is never left behind.
 */
export async function startKernel(
  spec: ResolvedKernel | KernelRequest = {},
  opts: StartOptions = {},
): Promise<Kernel> {
  const resolved: ResolvedKernel = "argv" in spec ? spec : resolveKernel(spec);
  try {
    return await startOnce(resolved, opts);
  } catch (err) {
    // A port chosen as free can be taken by another process before the kernel binds it: retry once.
    if (err instanceof FledgeError && /Address already in use/i.test(err.message))
      return startOnce(resolved, opts);
    throw err;
  }
}

async function startOnce(resolved: ResolvedKernel, opts: StartOptions): Promise<Kernel> {
  const cwd = opts.cwd ?? process.cwd();
  const info: ConnectionInfo = await newConnectionInfo(resolved.name);
  const file = writeConnectionFile(info);
  const argv = resolved.argv.map((a) =>
    a.replaceAll("{connection_file}", file.path).replaceAll("{resource_dir}", resolved.resourceDir ?? ""),
  );
  let proc: KernelProcess;
  try {
    proc = await KernelProcess.launch({ argv, cwd, env: { ...(opts.env ?? process.env), ...resolved.env } });
  } catch (err) {
    file.remove();
    throw new FledgeError("E_KERNEL", `could not start the kernel ${argv[0]}: ${(err as Error).message}`, {
      hint: "Pass --python PATH with a Python that has ipykernel installed.",
      cause: err,
    });
  }
  let zmq: Awaited<ReturnType<typeof loadZmq>>;
  try {
    zmq = await loadZmq();
  } catch (err) {
    await proc.kill(0);
    file.remove();
    throw new FledgeError(
      "E_INTERNAL",
      `the ZeroMQ binding (npm package zeromq) failed to load: ${(err as Error).message}`,
      {
        hint: "Reinstall fledge (`npm install`); zeromq ships prebuilt binaries for Linux, macOS and Windows.",
      },
    );
  }
  let iopubSeen = false;
  let kernel: Kernel | undefined;
  const channels = new Channels(zmq, info, (channel, msg) => {
    if (channel === "iopub") iopubSeen = true;
    kernel?.handle(channel, msg);
  });
  kernel = new Kernel(resolved, proc, channels);
  try {
    await kernel.ready(Date.now() + (opts.startTimeoutMs ?? 60_000), opts.signal, () => iopubSeen);
  } catch (err) {
    await kernel.shutdown({ graceMs: 0 });
    throw err;
  } finally {
    file.remove();
  }
  if (opts.heartbeat !== false) {
    const hb = opts.heartbeat;
    kernel.startHeartbeat(hb?.intervalMs, hb?.timeoutMs, hb?.misses);
  }
  return kernel;
}

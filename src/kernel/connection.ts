/**
 * The kernel's five ZeroMQ channels: choosing ports, writing the connection file the kernel reads,
 * and the client sockets (shell, control and stdin are Dealers, iopub a Subscriber, heartbeat a
 * Request). Received messages are verified by the `Session` and handed to one callback per channel.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type * as Zmq from "zeromq";

type ZmqModule = typeof Zmq;
let zmqModule: ZmqModule | undefined;

/** Loads the ZeroMQ binding (a native addon) on first use, so it can load while the kernel starts. */
export async function loadZmq(): Promise<ZmqModule> {
  zmqModule ??= await import("zeromq");
  return zmqModule;
}

import { DecodeError, type Message, Session } from "./messages.js";

export type Channel = "shell" | "iopub" | "stdin" | "control" | "hb";

export interface ConnectionInfo {
  transport: "tcp";
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: "hmac-sha256";
  kernel_name: string;
}

/** `count` distinct free TCP ports on `host`, found by binding port 0 (all held open at once, then released). */
export async function freePorts(count: number, host = "127.0.0.1"): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<import("node:net").Server>((resolve, reject) => {
          const server = createServer();
          server.unref();
          server.once("error", reject);
          server.listen(0, host, () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => {
    const addr = s.address();
    return typeof addr === "object" && addr ? addr.port : 0;
  });
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  return ports;
}

/** A fresh connection: random free ports on 127.0.0.1 and a random signing key. */
export async function newConnectionInfo(kernelName: string): Promise<ConnectionInfo> {
  const [shell, iopub, stdin, control, hb] = (await freePorts(5)) as [number, number, number, number, number];
  return {
    transport: "tcp",
    ip: "127.0.0.1",
    shell_port: shell,
    iopub_port: iopub,
    stdin_port: stdin,
    control_port: control,
    hb_port: hb,
    key: randomBytes(32).toString("hex"),
    signature_scheme: "hmac-sha256",
    kernel_name: kernelName,
  };
}

/**
 * Writes the connection file into a new private temporary folder (mode 0600: it holds the key).
 * Returns the path and a function that removes the folder.
 */
export function writeConnectionFile(info: ConnectionInfo): { path: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "fledge-kernel-"));
  const path = join(dir, "connection.json");
  writeFileSync(path, JSON.stringify(info, null, 1), { mode: 0o600 });
  return {
    path,
    remove: () => {
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch {
        // Best effort: a leftover temp folder is harmless.
      }
    },
  };
}

function url(info: ConnectionInfo, port: number): string {
  return `${info.transport}://${info.ip}:${port}`;
}

export type MessageHandler = (channel: Channel, msg: Message) => void;

/** The client side of a kernel connection. */
export class Channels {
  readonly session: Session;
  private readonly zmq: ZmqModule;
  private readonly shell: Zmq.Dealer;
  private readonly control: Zmq.Dealer;
  private readonly stdin: Zmq.Dealer;
  private readonly iopub: Zmq.Subscriber;
  private hb: Zmq.Request;
  private closed = false;
  private stdinUp = false;
  private readonly info: ConnectionInfo;
  /** Problems decoding received messages (bad signatures, malformed frames), newest last. */
  readonly problems: string[] = [];

  /** Connects to a kernel; `zmq` comes from `loadZmq()`. */
  constructor(zmq: ZmqModule, info: ConnectionInfo, onMessage: MessageHandler) {
    this.zmq = zmq;
    this.info = info;
    this.session = new Session(info.key, info.signature_scheme);
    const routingId = this.session.id;
    this.shell = new zmq.Dealer({ linger: 0, routingId });
    this.control = new zmq.Dealer({ linger: 0, routingId });
    this.stdin = new zmq.Dealer({ linger: 0, routingId });
    this.iopub = new zmq.Subscriber({ linger: 0 });
    this.hb = this.newHeartbeat();
    // The kernel's stdin ROUTER drops an `input_request` to a client it has not met yet (and ipykernel then waits
    // for the reply forever): the kernel counts as ready only once this socket has connected (see `stdinReady`).
    this.stdin.events.on("connect", () => {
      this.stdinUp = true;
    });
    this.shell.connect(url(info, info.shell_port));
    this.control.connect(url(info, info.control_port));
    this.stdin.connect(url(info, info.stdin_port));
    this.iopub.connect(url(info, info.iopub_port));
    this.iopub.subscribe();
    this.pump("shell", this.shell, onMessage);
    this.pump("control", this.control, onMessage);
    this.pump("stdin", this.stdin, onMessage);
    this.pump("iopub", this.iopub, onMessage);
  }

  private newHeartbeat(): Zmq.Request {
    const hb = new this.zmq.Request({ linger: 0, receiveTimeout: 1 });
    hb.connect(url(this.info, this.info.hb_port));
    return hb;
  }

  private pump(channel: Channel, socket: Zmq.Dealer | Zmq.Subscriber, onMessage: MessageHandler): void {
    void (async () => {
      try {
        for await (const frames of socket) {
          let msg: Message;
          try {
            msg = this.session.decode(frames as Buffer[]).message;
          } catch (err) {
            if (err instanceof DecodeError) {
              this.problems.push(`${channel}: ${err.message}`);
              if (this.problems.length > 50) this.problems.shift();
              continue;
            }
            throw err;
          }
          onMessage(channel, msg);
        }
      } catch (err) {
        // A socket closed under a pending receive rejects; anything else is worth keeping.
        if (!this.closed) this.problems.push(`${channel}: ${(err as Error).message}`);
      }
    })();
  }

  /** Whether the stdin socket has connected to the kernel (ZeroMQ retries a refused connection every 100 ms). */
  get stdinReady(): boolean {
    return this.stdinUp;
  }

  /** Sends a message on shell, control or stdin. */
  async send(channel: "shell" | "control" | "stdin", msg: Message<object>): Promise<void> {
    if (this.closed) throw new Error("connection closed");
    const socket = channel === "shell" ? this.shell : channel === "control" ? this.control : this.stdin;
    await socket.send(this.session.encode(msg));
  }

  /** One heartbeat round trip; false when the kernel did not echo within `timeoutMs`. */
  async ping(timeoutMs: number): Promise<boolean> {
    if (this.closed) return false;
    this.hb.receiveTimeout = timeoutMs;
    try {
      await this.hb.send("ping");
      await this.hb.receive();
      return true;
    } catch {
      // A REQ socket that missed its reply is stuck in the wrong state: start a new one.
      this.hb.close();
      if (!this.closed) this.hb = this.newHeartbeat();
      return false;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of [this.shell, this.control, this.stdin, this.iopub, this.hb]) {
      try {
        s.close();
      } catch {
        // already closed
      }
    }
  }
}

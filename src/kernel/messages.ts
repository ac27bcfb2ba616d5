/**
 * The Jupyter messaging protocol (version 5.x) on the wire: building, signing, serialising and
 * verifying messages. No sockets here — `connection.ts` moves the frames.
 *
 * A message on a ZeroMQ socket is a multipart message:
 *   [routing ids…, "<IDS|MSG>", hmac, header, parent_header, metadata, content, buffers…]
 * where `hmac` is the hex HMAC-SHA256 of the four JSON frames, keyed with the connection key.
 * Every received message is verified; one with a bad signature is dropped (and counted).
 */
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";

export const DELIMITER = "<IDS|MSG>";
export const PROTOCOL_VERSION = "5.3";

export interface MessageHeader {
  msg_id: string;
  msg_type: string;
  session: string;
  username: string;
  date: string;
  version: string;
  [key: string]: unknown;
}

export interface Message<C = Record<string, unknown>> {
  header: MessageHeader;
  /** Empty object when the message answers nothing. */
  parent_header: Partial<MessageHeader>;
  metadata: Record<string, unknown>;
  content: C;
  buffers: Buffer[];
}

/** Why a received multipart message was not accepted. */
export type DecodeProblem = "no-delimiter" | "too-short" | "bad-signature" | "bad-json";

export class DecodeError extends Error {
  readonly problem: DecodeProblem;
  constructor(problem: DecodeProblem, message: string) {
    super(message);
    this.name = "DecodeError";
    this.problem = problem;
  }
}

/** Signs, encodes and decodes messages for one client session (one kernel connection). */
export class Session {
  readonly id: string = randomUUID();
  readonly username: string;
  private readonly key: Buffer;
  private readonly scheme: string;
  /** Messages dropped because their signature did not verify. */
  badSignatures = 0;

  constructor(key: string, signatureScheme = "hmac-sha256", username = "fledge") {
    if (signatureScheme !== "hmac-sha256" && key !== "") {
      throw new Error(`unsupported signature scheme ${signatureScheme} (fledge speaks hmac-sha256)`);
    }
    this.key = Buffer.from(key, "utf8");
    this.scheme = signatureScheme;
    this.username = username;
  }

  /** A new message of `msgType`, answering `parent` when given. */
  message<C extends object>(
    msgType: string,
    content: C,
    parent?: MessageHeader,
    metadata: Record<string, unknown> = {},
  ): Message<C> {
    return {
      header: {
        msg_id: randomUUID(),
        msg_type: msgType,
        session: this.id,
        username: this.username,
        date: new Date().toISOString(),
        version: PROTOCOL_VERSION,
      },
      parent_header: parent ?? {},
      metadata,
      content,
      buffers: [],
    };
  }

  /** HMAC of the four JSON frames (empty string when the connection has no key: signing disabled). */
  sign(frames: readonly (Buffer | string)[]): string {
    if (this.key.length === 0) return "";
    const hmac = createHmac(this.scheme.replace(/^hmac-/, ""), this.key);
    for (const frame of frames) hmac.update(frame);
    return hmac.digest("hex");
  }

  /** The multipart frames to send, optionally prefixed with routing ids. */
  encode(msg: Message<object>, identities: Buffer[] = []): (Buffer | string)[] {
    const parts = [
      JSON.stringify(msg.header),
      JSON.stringify(msg.parent_header),
      JSON.stringify(msg.metadata),
      JSON.stringify(msg.content),
    ];
    return [...identities, DELIMITER, this.sign(parts), ...parts, ...msg.buffers];
  }

  /**
   * Parses and verifies received frames. Throws `DecodeError` for anything that is not a valid,
   * correctly signed message; callers drop such messages.
   */
  decode(frames: Buffer[]): { identities: Buffer[]; message: Message } {
    const at = frames.findIndex((f) => f.length === DELIMITER.length && f.toString("latin1") === DELIMITER);
    if (at < 0) throw new DecodeError("no-delimiter", "message without the <IDS|MSG> delimiter");
    if (frames.length < at + 6) throw new DecodeError("too-short", "message with fewer than 5 parts");
    const signature = frames[at + 1]!;
    const parts = frames.slice(at + 2, at + 6);
    if (this.key.length > 0) {
      const expected = Buffer.from(this.sign(parts), "latin1");
      if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
        this.badSignatures++;
        throw new DecodeError("bad-signature", "message signature does not match the connection key");
      }
    }
    try {
      const [header, parent, metadata, content] = parts.map((p) => JSON.parse(p.toString("utf8")));
      return {
        identities: frames.slice(0, at),
        message: {
          header: header as MessageHeader,
          parent_header: (parent ?? {}) as Partial<MessageHeader>,
          metadata: (metadata ?? {}) as Record<string, unknown>,
          content: (content ?? {}) as Record<string, unknown>,
          buffers: frames.slice(at + 6),
        },
      };
    } catch (err) {
      throw new DecodeError("bad-json", `message part is not JSON: ${(err as Error).message}`);
    }
  }
}

// ---- Content shapes fledge reads (the subset of the protocol it uses) ----

export interface ExecuteRequestContent {
  code: string;
  silent: boolean;
  store_history: boolean;
  user_expressions: Record<string, string>;
  allow_stdin: boolean;
  stop_on_error: boolean;
}

export interface ExecuteReplyContent {
  status: "ok" | "error" | "aborted";
  execution_count?: number | null;
  user_expressions?: Record<string, UserExpressionResult>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
  payload?: Record<string, unknown>[];
}

export type UserExpressionResult =
  | { status: "ok"; data: Record<string, unknown>; metadata: Record<string, unknown> }
  | { status: "error"; ename: string; evalue: string; traceback: string[] };

export interface LanguageInfoContent {
  name: string;
  version?: string;
  mimetype?: string;
  file_extension?: string;
  pygments_lexer?: string;
  codemirror_mode?: unknown;
  nbconvert_exporter?: string;
  [key: string]: unknown;
}

export interface KernelInfoReplyContent {
  status: "ok" | "error";
  protocol_version: string;
  implementation: string;
  implementation_version: string;
  language_info: LanguageInfoContent;
  banner?: string;
  [key: string]: unknown;
}

export interface InputRequestContent {
  prompt: string;
  password: boolean;
}

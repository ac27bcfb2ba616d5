import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DELIMITER, DecodeError, Session } from "../../src/kernel/messages.js";

const asBuffers = (frames: (Buffer | string)[]) =>
  frames.map((f) => (typeof f === "string" ? Buffer.from(f) : f));

describe("wire protocol", () => {
  it("signs the four JSON frames with HMAC-SHA256 of the key", () => {
    const s = new Session("secret-key");
    const msg = s.message("execute_request", { code: "1" });
    const frames = s.encode(msg);
    expect(frames[0]).toBe(DELIMITER);
    const expected = createHmac("sha256", "secret-key")
      .update(String(frames[2]))
      .update(String(frames[3]))
      .update(String(frames[4]))
      .update(String(frames[5]))
      .digest("hex");
    expect(frames[1]).toBe(expected);
    expect(JSON.parse(String(frames[2]))).toMatchObject({
      msg_type: "execute_request",
      session: s.id,
      version: "5.3",
    });
  });

  it("decodes what it encodes, routing ids and buffers included", () => {
    const s = new Session("k");
    const parent = s.message("execute_request", {}).header;
    const msg = s.message("stream", { name: "stdout", text: "hi" }, parent);
    msg.buffers = [Buffer.from([1, 2, 3])];
    const { identities, message } = s.decode(asBuffers(s.encode(msg, [Buffer.from("peer")])));
    expect(identities.map(String)).toEqual(["peer"]);
    expect(message.header.msg_id).toBe(msg.header.msg_id);
    expect(message.parent_header.msg_id).toBe(parent.msg_id);
    expect(message.content).toEqual({ name: "stdout", text: "hi" });
    expect(message.buffers).toEqual([Buffer.from([1, 2, 3])]);
  });

  it("rejects a message signed with another key, or tampered with, and counts it", () => {
    const good = new Session("right");
    const forger = new Session("wrong");
    const forged = asBuffers(forger.encode(forger.message("status", { execution_state: "idle" })));
    expect(() => good.decode(forged)).toThrow(DecodeError);
    const frames = asBuffers(good.encode(good.message("status", { execution_state: "idle" })));
    frames[5] = Buffer.from(JSON.stringify({ execution_state: "busy" }));
    expect(() => good.decode(frames)).toThrow(/signature/);
    expect(good.badSignatures).toBe(2);
  });

  it("rejects frames without the delimiter or with missing parts", () => {
    const s = new Session("k");
    expect(() => s.decode([Buffer.from("{}")])).toThrow(/delimiter/);
    expect(() => s.decode(asBuffers([DELIMITER, "sig", "{}"]))).toThrow(/fewer than 5/);
  });
});

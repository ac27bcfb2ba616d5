/** Run fledge's Python helper outside a kernel: the same install code and call expressions, in a plain interpreter. */
import { spawnSync } from "node:child_process";
import { callExpression, installCode } from "../../src/verify/helper.js";
import { venvPython } from "../helpers/env.js";

/**
 * Runs `setup` (user code) in a fresh interpreter's __main__, installs the helper, then evaluates each call
 * expression and returns their raw string results plus the names the helper left behind.
 */
export function runHelper(
  setup: string,
  calls: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): { replies: string[]; leaked: string[] } {
  const script = [
    "import json as _j, sys as _s",
    setup,
    "_before = set(globals())",
    `exec(${JSON.stringify(installCode())})`,
    `_calls = ${JSON.stringify(calls)}`,
    "_replies = [eval(c) for c in _calls]",
    "_leaked = sorted(set(globals()) - _before - {'_before', '_calls', '_replies'})",
    "_s.stdout.write(_j.dumps({'replies': _replies, 'leaked': _leaked}))",
  ].join("\n");
  const r = spawnSync(venvPython(), ["-c", script], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`python failed (${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout) as { replies: string[]; leaked: string[] };
}

export { callExpression };

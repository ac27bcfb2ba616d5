import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliContext } from "../../src/cli/command.js";
import { main } from "../../src/cli/main.js";
import { ROOT, venvPython } from "../helpers/env.js";
import { type Extracted, extractWithRecording } from "../verify/extract-helper.js";

const FIXTURES = join(ROOT, "test", "fixtures", "verify");

async function fledge(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const ctx: CliContext = {
    cwd: ROOT,
    env: process.env,
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    stdin: new PassThrough(),
    color: false,
    signal: new AbortController().signal,
  };
  const code = await main(argv, ctx);
  return { code, out, err };
}

let sales: Extracted;
let noisy: Extracted;

beforeAll(async () => {
  sales = await extractWithRecording(join(FIXTURES, "sales.ipynb"));
  noisy = await extractWithRecording(join(FIXTURES, "noisy.ipynb"));
}, 300_000);

afterAll(() => {
  for (const x of [sales, noisy]) if (x) rmSync(x.root, { recursive: true, force: true });
});

function editStep(x: Extracted, step: string, edit: (src: string) => string): () => void {
  const path = join(x.project, "src", "sales", "steps", `${step}.py`);
  const original = readFileSync(path, "utf8");
  const changed = edit(original);
  expect(changed).not.toBe(original);
  writeFileSync(path, changed);
  return () => writeFileSync(path, original);
}

describe("fledge verify", () => {
  it("reports every step equal for a faithful extraction (exit 0)", async () => {
    const r = await fledge("verify", sales.project, "--python", venvPython());
    expect(r.err).toContain("running the notebook");
    const rows = r.out
      .split("\n")
      .filter((l) => /^(load_orders|clean_data|build_features|save_results) /.test(l));
    expect(rows).toHaveLength(4);
    for (const row of rows) expect(row).toContain("✓ equal");
    expect(r.out).toContain("file region_share.csv");
    expect(r.code).toBe(0);
  }, 300_000);

  it("names the step, the output and the largest difference when a step changed (exit 1)", async () => {
    const restore = editStep(sales, "build_features", (s) => s.replace("/ 1000", "/ 100"));
    try {
      const r = await fledge("verify", sales.project, "--python", venvPython(), "--json");
      const report = JSON.parse(r.out);
      const bf = report.steps.find((s: { step: string }) => s.step === "build_features");
      expect(bf.status).toBe("different");
      expect(bf.difference).toMatchObject({ name: "orders", path: 'orders["amount_k"]', kind: "values" });
      expect(bf.difference.maxAbsDiff).toBeGreaterThan(1);
      expect(report.steps.find((s: { step: string }) => s.step === "clean_data").status).toBe("equal");
      expect(r.code).toBe(1);
    } finally {
      restore();
    }
  }, 300_000);

  it("reports a step that raises as failed and stops there (exit 3)", async () => {
    const restore = editStep(sales, "clean_data", (s) =>
      s.replace(/^(\s+)return /m, "$1raise ValueError('broken on purpose')\n$1return "),
    );
    try {
      const r = await fledge("verify", sales.project, "--python", venvPython());
      expect(r.out).toMatch(/clean_data\s+orders\s+✗ failed\s+ValueError: broken on purpose/);
      expect(r.out).toMatch(/build_features\s+orders\s+· not run/);
      expect(r.code).toBe(3);
    } finally {
      restore();
    }
  }, 300_000);

  it("reports an unseeded random step as not comparable, with the reason, not as a failure (exit 0)", async () => {
    const r = await fledge("verify", noisy.project, "--python", venvPython());
    expect(r.out).toMatch(
      /clean_jitter\s+orders\s+~ not comparable\s+random: two calls on the same inputs gave different orders/,
    );
    expect(r.out).toMatch(/load_data\s+orders\s+✓ equal/);
    // The step after it is fed its random values: not comparable either, never a false ✗.
    expect(r.out).not.toContain("✗");
    expect(r.code).toBe(0);
  }, 300_000);

  it("stops at the time limit with a clear message (exit 3)", async () => {
    const r = await fledge("verify", sales.project, "--python", venvPython(), "--timeout", "2");
    expect(r.err).toContain("time limit (--timeout 2 s)");
    expect(r.code).toBe(3);
  }, 120_000);

  it("refuses a folder fledge did not extract (exit 2)", async () => {
    const r = await fledge("verify", FIXTURES);
    expect(r.err).toContain("not a project fledge extracted");
    expect(r.code).toBe(2);
  });
});

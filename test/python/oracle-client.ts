/**
 * Runs python/oracle.py (CPython's ast + symtable) over many cells in ONE process: JSON lines in, JSON lines out.
 * Used by test/python/oracle.test.ts and scripts/bench-oracle.ts.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { isAmbientName } from "../../src/python/builtins.js";
import type { CellAnalysis } from "../../src/python/types.js";
import { ROOT } from "../helpers/env.js";

export type OracleResult =
  | { id: number; ok: true; defines: string[]; reads: string[] }
  | { id: number; ok: false; error: string };

export const ORACLE_SCRIPT = join(ROOT, "python", "oracle.py");

/** `sources` are cell texts with IPython syntax already masked (maskIPython(...).masked). */
export function runOracle(
  python: string,
  sources: string[],
  env: NodeJS.ProcessEnv = process.env,
): OracleResult[] {
  const input = sources.map((source, id) => JSON.stringify({ id, source })).join("\n");
  const res = spawnSync(python, [ORACLE_SCRIPT], {
    input,
    encoding: "utf8",
    maxBuffer: 1 << 30,
    env,
  });
  if (res.status !== 0) {
    throw new Error(`oracle failed (${python}): ${res.error?.message ?? res.stderr}`);
  }
  const results = res.stdout
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as OracleResult);
  if (results.length !== sources.length) {
    throw new Error(`oracle answered ${results.length} of ${sources.length} cells`);
  }
  return results;
}

export interface Comparison {
  definesAgree: boolean;
  readsAgree: boolean;
  /** Names only fledge reports / only CPython reports. */
  defines: { extra: string[]; missing: string[]; order: boolean };
  reads: { extra: string[]; missing: string[] };
}

/** Compare fledge's analysis with the oracle's answer (oracle reads filtered by the same builtin/IPython list). */
export function compareWithOracle(
  analysis: Pick<CellAnalysis, "defines" | "reads">,
  oracle: { defines: string[]; reads: string[] },
  builtins: ReadonlySet<string>,
): Comparison {
  const oracleReads = oracle.reads.filter((n) => !isAmbientName(n, builtins));
  const ourReads = analysis.reads.map((r) => r.name);
  const diff = (a: string[], b: string[]) => a.filter((x) => !b.includes(x));
  const definesExtra = diff(analysis.defines, oracle.defines);
  const definesMissing = diff(oracle.defines, analysis.defines);
  const readsExtra = diff(ourReads, oracleReads);
  const readsMissing = diff(oracleReads, ourReads);
  const order = analysis.defines.join(",") === oracle.defines.join(",");
  return {
    definesAgree: definesExtra.length === 0 && definesMissing.length === 0 && order,
    readsAgree: readsExtra.length === 0 && readsMissing.length === 0,
    defines: { extra: definesExtra, missing: definesMissing, order },
    reads: { extra: readsExtra, missing: readsMissing },
  };
}

/**
 * Compare two fingerprints (one from the notebook's run, one from the pipeline's) and say whether they are
 * equal, where they first differ and how, or why they cannot be compared. Pure function over plain data.
 *
 * Exact data compares by hash. Float data compares numerically: NaN/inf counts and NaN positions exactly,
 * then min, max, mean, std and the values at fixed positions within the tolerance, where the tolerance of a
 * column's statistics scales with the column's magnitude (a mean near zero of values near 1e6 is compared
 * at the precision of 1e6). Equal exact-byte hashes short-circuit to equal.
 */
import {
  type Comparison,
  DEFAULT_TOLERANCE,
  type Difference,
  type DifferenceKind,
  type Fingerprint,
  type FloatValues,
  type IndexFingerprint,
  type JsonFloat,
  type Tolerance,
  type Values,
} from "./types.js";

class Found {
  constructor(readonly difference: Difference) {}
}

interface Ctx {
  tol: Tolerance;
  notCompared: string[];
}

export function compareFingerprints(
  a: Fingerprint,
  b: Fingerprint,
  tolerance: Tolerance = DEFAULT_TOLERANCE,
  path = "value",
): Comparison {
  const top = notComparable(a, b);
  if (top !== undefined) return { equal: false, comparable: false, why: top };
  const ctx: Ctx = { tol: tolerance, notCompared: [] };
  try {
    compareAny(a, b, path, ctx);
  } catch (e) {
    if (e instanceof Found) return { equal: false, comparable: true, firstDifference: e.difference };
    throw e;
  }
  return ctx.notCompared.length > 0
    ? { equal: true, comparable: true, notCompared: ctx.notCompared }
    : { equal: true, comparable: true };
}

/** Why two top-level fingerprints cannot be compared at all, if so. */
function notComparable(a: Fingerprint, b: Fingerprint): string | undefined {
  for (const f of [a, b]) {
    if (f.kind === "missing") return f.why;
    if (f.kind === "opaque") return `${f.type}: ${f.why}`;
  }
  if (a.kind === "weak" && b.kind === "weak" && a.type === b.type && a.sha256 !== b.sha256) {
    return `only a hash of the pickled bytes of ${a.type} was recorded; the hashes differ, which does not prove the values differ`;
  }
  return undefined;
}

function fail(path: string, kind: DifferenceKind, detail: string, maxAbsDiff?: number): never {
  throw new Found(maxAbsDiff === undefined ? { path, kind, detail } : { path, kind, detail, maxAbsDiff });
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function compareAny(a: Fingerprint, b: Fingerprint, path: string, ctx: Ctx): void {
  if (a.kind === "opaque" || b.kind === "opaque" || a.kind === "missing" || b.kind === "missing") {
    ctx.notCompared.push(path);
    return;
  }
  if (isNumber(a) && isNumber(b) && (a.type !== b.type || a.kind !== b.kind)) {
    // 1 and 1.0 (or numpy.int64(1)) are the same number: compare values, not Python types.
    const d = floatDiff(a.value as JsonFloat, b.value as JsonFloat, 0, ctx.tol);
    if (!d.close) fail(path, "values", `${show(a.value)} vs ${show(b.value)}`, d.abs);
    return;
  }
  if (a.type !== b.type) fail(path, "type", `${a.type} vs ${b.type}`);
  if (a.kind !== b.kind) fail(path, "type", `recorded as ${a.kind} vs ${b.kind}`);
  switch (a.kind) {
    case "scalar": {
      const bv = (b as typeof a).value;
      if (a.value !== bv) fail(path, "values", `${show(a.value)} vs ${show(bv)}`);
      return;
    }
    case "float": {
      const bv = (b as typeof a).value;
      const d = floatDiff(a.value, bv, 0, ctx.tol);
      if (!d.close) fail(path, "values", `${show(a.value)} vs ${show(bv)}`, d.abs);
      return;
    }
    case "text": {
      const bb = b as typeof a;
      if (a.length !== bb.length) fail(path, "shape", `length ${a.length} vs ${bb.length}`);
      if (a.sha256 !== bb.sha256) fail(path, "values", "same length, different content");
      return;
    }
    case "weak": {
      if (a.sha256 !== (b as typeof a).sha256) ctx.notCompared.push(path);
      return;
    }
    case "sequence": {
      const bb = b as typeof a;
      if (a.length !== bb.length) fail(path, "shape", `length ${a.length} vs ${bb.length}`);
      if (a.items && bb.items) {
        a.items.forEach((item, i) => {
          compareAny(item, bb.items?.[i] as Fingerprint, `${path}[${i}]`, ctx);
        });
      } else if (a.data && bb.data) {
        compareValues(a.data, bb.data, path, ctx);
      } else {
        fail(path, "type", "recorded item by item on one side only");
      }
      return;
    }
    case "mapping": {
      const bb = b as typeof a;
      const ka = a.keys.join("\u0000");
      const kb = bb.keys.join("\u0000");
      if (ka !== kb) fail(path, "columns", keysDetail(a.keys, bb.keys));
      for (const k of a.keys) {
        compareAny(a.items[k] as Fingerprint, bb.items[k] as Fingerprint, `${path}[${keyLabel(k)}]`, ctx);
      }
      return;
    }
    case "dataframe": {
      const bb = b as typeof a;
      if (a.shape.join("x") !== bb.shape.join("x")) {
        fail(path, "shape", `${a.shape.join(" x ")} vs ${bb.shape.join(" x ")}`);
      }
      const ca = a.columns.map(String);
      const cb = bb.columns.map(String);
      if (ca.join("\u0000") !== cb.join("\u0000")) fail(path, "columns", keysDetail(ca, cb));
      for (const [col, dt] of Object.entries(a.dtypes)) {
        if (bb.dtypes[col] !== dt) fail(`${path}[${show(col)}]`, "dtype", `${dt} vs ${bb.dtypes[col]}`);
      }
      compareIndex(a.index, bb.index, `${path}.index`, ctx);
      for (const col of Object.keys(a.data)) {
        const other = bb.data[col];
        if (other === undefined) fail(path, "columns", `column ${show(col)} missing`);
        compareValues(a.data[col] as Values, other, `${path}[${show(col)}]`, ctx);
      }
      return;
    }
    case "series": {
      const bb = b as typeof a;
      if (a.shape.join("x") !== bb.shape.join("x")) {
        fail(path, "shape", `${a.shape.join(" x ")} vs ${bb.shape.join(" x ")}`);
      }
      if (a.dtype !== bb.dtype) fail(path, "dtype", `${a.dtype} vs ${bb.dtype}`);
      if (show(a.name) !== show(bb.name)) fail(path, "columns", `name ${show(a.name)} vs ${show(bb.name)}`);
      compareIndex(a.index, bb.index, `${path}.index`, ctx);
      compareValues(a.data, bb.data, path, ctx);
      return;
    }
    case "index":
      compareIndex(a.index, (b as typeof a).index, path, ctx);
      return;
    case "ndarray": {
      const bb = b as typeof a;
      if (a.shape.join("x") !== bb.shape.join("x")) {
        fail(path, "shape", `${a.shape.join(" x ")} vs ${bb.shape.join(" x ")}`);
      }
      if (a.dtype !== bb.dtype) fail(path, "dtype", `${a.dtype} vs ${bb.dtype}`);
      compareValues(a.data, bb.data, path, ctx);
      return;
    }
    case "estimator": {
      const bb = b as typeof a;
      const pa = Object.keys(a.params);
      const pb = Object.keys(bb.params);
      if (pa.join(",") !== pb.join(",")) fail(path, "params", `parameters ${keysDetail(pa, pb)}`);
      for (const k of pa) {
        try {
          compareAny(a.params[k] as Fingerprint, bb.params[k] as Fingerprint, `${path}.${k}`, ctx);
        } catch (e) {
          // Any difference inside the constructor parameters is a parameter difference.
          if (e instanceof Found)
            fail(e.difference.path, "params", e.difference.detail, e.difference.maxAbsDiff);
          throw e;
        }
      }
      const fa = Object.keys(a.fitted);
      const fb = Object.keys(bb.fitted);
      if (fa.join(",") !== fb.join(",")) fail(path, "values", `fitted attributes ${keysDetail(fa, fb)}`);
      for (const k of fa) {
        compareAny(a.fitted[k] as Fingerprint, bb.fitted[k] as Fingerprint, `${path}.${k}`, ctx);
      }
      return;
    }
  }
}

const NUMERIC_TYPES = /^(int|float|numpy\.(u?int\d*|float\d*|intc|longlong))$/;

function isNumber(f: Fingerprint): f is Fingerprint & { kind: "scalar" | "float"; value: JsonFloat } {
  return (
    (f.kind === "float" || (f.kind === "scalar" && typeof f.value === "number")) && NUMERIC_TYPES.test(f.type)
  );
}

function keyLabel(k: string): string {
  const m = /^str:'(.*)'$/.exec(k);
  return m ? JSON.stringify(m[1]) : k;
}

function keysDetail(a: string[], b: string[]): string {
  const onlyA = a.filter((x) => !b.includes(x));
  const onlyB = b.filter((x) => !a.includes(x));
  const parts: string[] = [];
  if (onlyA.length) parts.push(`only in notebook: ${onlyA.map((x) => show(x)).join(", ")}`);
  if (onlyB.length) parts.push(`only in pipeline: ${onlyB.map((x) => show(x)).join(", ")}`);
  if (parts.length === 0) {
    const i = a.findIndex((x, j) => x !== b[j]);
    parts.push(`same names in a different order (first at position ${i}: ${show(a[i])} vs ${show(b[i])})`);
  }
  return parts.join("; ");
}

function compareIndex(a: IndexFingerprint, b: IndexFingerprint, path: string, ctx: Ctx): void {
  if (a.length !== b.length) fail(path, "shape", `length ${a.length} vs ${b.length}`);
  const ra = a.start !== undefined;
  const rb = b.start !== undefined;
  if (ra && rb) {
    if (a.start !== b.start || a.step !== b.step) {
      fail(
        path,
        "values",
        `range(${a.start}, ${a.stop}, ${a.step}) vs range(${b.start}, ${b.stop}, ${b.step})`,
      );
    }
    return;
  }
  if (ra !== rb) fail(path, "type", `${a.type} vs ${b.type}`);
  if (show(a.names) !== show(b.names))
    fail(path, "columns", `index names ${show(a.names)} vs ${show(b.names)}`);
  if (a.dtype !== b.dtype) fail(path, "dtype", `${a.dtype} vs ${b.dtype}`);
  if (a.data && b.data) compareValues(a.data, b.data, path, ctx);
}

function compareValues(a: Values, b: Values, path: string, ctx: Ctx): void {
  if (a.exact && b.exact) {
    if (a.count !== b.count) fail(path, "shape", `${a.count} vs ${b.count} values`);
    if (a.categories !== b.categories) fail(path, "dtype", "different categories");
    if (a.sha256 !== b.sha256) fail(path, "values", "exact values differ (hash mismatch)");
    return;
  }
  if (a.exact !== b.exact) fail(path, "dtype", "exact values on one side, floating-point on the other");
  if ("real" in a || "real" in b) {
    if (!("real" in a) || !("real" in b)) fail(path, "dtype", "complex on one side only");
    compareFloats(a.real, b.real, `${path}.real`, ctx.tol);
    compareFloats(a.imag, b.imag, `${path}.imag`, ctx.tol);
    return;
  }
  compareFloats(a as FloatValues, b as FloatValues, path, ctx.tol);
}

interface FloatDiff {
  close: boolean;
  abs: number;
}

function num(v: JsonFloat | null): number {
  if (v === null) return Number.NaN;
  if (v === "nan") return Number.NaN;
  if (v === "inf") return Number.POSITIVE_INFINITY;
  if (v === "-inf") return Number.NEGATIVE_INFINITY;
  return v;
}

/** |a − b| ≤ atol + rtol · max(|a|, |b|, scale); NaN equals NaN; infinities equal only themselves. */
export function floatDiff(
  av: JsonFloat | null,
  bv: JsonFloat | null,
  scale: number,
  tol: Tolerance,
): FloatDiff {
  const a = num(av);
  const b = num(bv);
  if (Number.isNaN(a) || Number.isNaN(b)) {
    return {
      close: Number.isNaN(a) && Number.isNaN(b),
      abs: Number.isNaN(a) && Number.isNaN(b) ? 0 : Number.NaN,
    };
  }
  if (!Number.isFinite(a) || !Number.isFinite(b)) {
    return { close: a === b, abs: a === b ? 0 : Number.POSITIVE_INFINITY };
  }
  const abs = Math.abs(a - b);
  return { close: abs <= tol.atol + tol.rtol * Math.max(Math.abs(a), Math.abs(b), scale), abs };
}

function compareFloats(a: FloatValues, b: FloatValues, path: string, tol: Tolerance): void {
  if (a.count !== b.count) fail(path, "shape", `${a.count} vs ${b.count} values`);
  if (a.sha256 === b.sha256) return;
  if (a.nan !== b.nan) fail(path, "values", `${a.nan} vs ${b.nan} missing values (NaN)`);
  if (a.posinf !== b.posinf || a.neginf !== b.neginf) {
    fail(path, "values", `infinite values: +${a.posinf}/-${a.neginf} vs +${b.posinf}/-${b.neginf}`);
  }
  if (a.nan_sha256 !== b.nan_sha256) fail(path, "values", "missing values (NaN) at different positions");
  const scale = Math.max(
    Math.abs(a.min ?? 0),
    Math.abs(a.max ?? 0),
    Math.abs(b.min ?? 0),
    Math.abs(b.max ?? 0),
  );
  let worst: { what: string; a: JsonFloat | null; b: JsonFloat | null } | undefined;
  let maxAbs = 0;
  const check = (what: string, x: JsonFloat | null, y: JsonFloat | null, s: number) => {
    const d = floatDiff(x, y, s, tol);
    if (!d.close) {
      const abs = Number.isNaN(d.abs) ? Number.POSITIVE_INFINITY : d.abs;
      if (worst === undefined || abs > maxAbs) worst = { what, a: x, b: y };
      maxAbs = Math.max(maxAbs, abs);
    } else if (!Number.isNaN(d.abs)) {
      maxAbs = Math.max(maxAbs, d.abs);
    }
  };
  // Statistics scale with the column's magnitude; sampled values are compared at their own magnitude.
  check("min", a.min, b.min, 0);
  check("max", a.max, b.max, 0);
  check("mean", a.mean, b.mean, scale);
  check("std", a.std, b.std, scale);
  const samePositions = a.positions.join(",") === b.positions.join(",");
  if (samePositions) {
    a.sample.forEach((x, i) => {
      check(`value at position ${a.positions[i]}`, x, b.sample[i] ?? null, 0);
    });
  }
  if (worst !== undefined) {
    const w = worst as { what: string; a: JsonFloat | null; b: JsonFloat | null };
    fail(path, "values", `${w.what}: ${show(w.a)} vs ${show(w.b)}`, maxAbs);
  }
}

const PRINTED_NUMBER = /[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?/g;

export interface PrintedComparison {
  /** Lines the pipeline printed or logged that matched a line of the notebook's output. */
  compared: number;
  /** The first matched line whose numbers differ beyond the tolerance. */
  difference?: Difference;
}

/**
 * Compare what a step printed in the notebook with what it printed or logged in the pipeline, line by line:
 * a pipeline line with numbers is matched with the first unused notebook line of the same text once its
 * numbers are blanked out ("AUC #"), and the numbers are compared within the tolerance. Lines without a
 * counterpart (timings of `%%time`, exploration prints, library logs) are not compared.
 */
export function comparePrinted(
  notebook: string,
  pipeline: string,
  tol: Tolerance = DEFAULT_TOLERANCE,
): PrintedComparison {
  const shape = (line: string) => line.trim().replace(PRINTED_NUMBER, "#").replace(/\s+/g, " ");
  const nbLines = notebook.split(/\r?\n/).filter((l) => /\d/.test(l));
  const used = new Set<number>();
  let compared = 0;
  for (const line of pipeline.split(/\r?\n/)) {
    const numbers = line.match(PRINTED_NUMBER);
    if (!numbers) continue;
    const key = shape(line);
    const at = nbLines.findIndex((l, i) => !used.has(i) && shape(l) === key);
    if (at < 0) continue;
    used.add(at);
    compared++;
    const theirs = (nbLines[at] as string).match(PRINTED_NUMBER) ?? [];
    for (const [i, n] of numbers.entries()) {
      const d = floatDiff(Number(theirs[i]), Number(n), 0, tol);
      if (!d.close) {
        return {
          compared,
          difference: {
            path: "printed",
            kind: "values",
            detail: `${show((nbLines[at] as string).trim())} vs ${show(line.trim())}`,
            maxAbsDiff: d.abs,
          },
        };
      }
    }
  }
  return { compared };
}

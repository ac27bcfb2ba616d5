/**
 * The sample files (test/python/samples/<feature><N>.py) state their expected defines/reads in comments;
 * fledge's analysis must match the statement AND CPython's answer (python/oracle.py: ast + symtable) exactly.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { analyzeCell, builtinNames, initPython, maskIPython } from "../../src/python/index.js";
import { ROOT, venvPython } from "../helpers/env.js";
import { compareWithOracle, type OracleResult, runOracle } from "./oracle-client.js";
import { pythonFor } from "./pythons.js";

const SAMPLES = join(ROOT, "test", "python", "samples");

interface Sample {
  file: string;
  source: string;
  defines: string[];
  reads: string[];
  /** `name:confidence` in order, when the sample states them. */
  modifies?: string[];
  minMinor: number;
}

function header(source: string, key: string): string | undefined {
  const m = new RegExp(`^# ${key}:(.*)$`, "m").exec(source);
  return m ? m[1]!.trim() : undefined;
}

function loadSamples(): Sample[] {
  return readdirSync(SAMPLES)
    .filter((f) => f.endsWith(".py"))
    .sort()
    .map((file) => {
      const source = readFileSync(join(SAMPLES, file), "utf8");
      const defines = header(source, "defines");
      const reads = header(source, "reads");
      if (defines === undefined || reads === undefined)
        throw new Error(`${file}: no '# defines:' / '# reads:' line`);
      const version = header(source, "python") ?? "3.8";
      const modifies = header(source, "modifies");
      return {
        ...(modifies === undefined ? {} : { modifies: modifies.split(/\s+/).filter(Boolean) }),
        file,
        source,
        defines: defines.split(/\s+/).filter(Boolean),
        reads: reads.split(/\s+/).filter(Boolean),
        minMinor: Number(version.split(".")[1]),
      };
    });
}

const samples = loadSamples();

beforeAll(async () => {
  await initPython();
});

describe("samples: fledge's analysis matches the stated expectation", () => {
  it("has samples for every feature", () => {
    expect(samples.length).toBeGreaterThanOrEqual(40);
  });
  for (const s of samples) {
    it(s.file, () => {
      const a = analyzeCell(s.source, 0, { pythonVersion: "3.13" });
      expect(a.defines).toEqual(s.defines);
      expect(a.reads.map((r) => r.name).sort()).toEqual([...s.reads].sort());
      expect(a.diagnostics).toEqual([]);
      if (s.modifies) expect(a.modifies.map((m) => `${m.name}:${m.confidence}`)).toEqual(s.modifies);
    });
  }
});

describe("samples: CPython (ast + symtable) agrees with fledge, 100%", () => {
  // Every sample runs on every available CPython that can parse it (3.11, the project's venv, is required).
  const byMinor = new Map<number, Sample[]>();
  for (const minor of [8, 11, 12, 13]) {
    byMinor.set(
      minor,
      samples.filter((s) => s.minMinor <= minor),
    );
  }
  for (const [minor, group] of byMinor) {
    const python = minor === 11 ? venvPython() : pythonFor(minor);
    describe.skipIf(!python)(`oracle on Python 3.${minor}`, () => {
      let results: OracleResult[] = [];
      beforeAll(() => {
        results = runOracle(
          python!,
          group.map((s) => maskIPython(s.source).masked),
        );
      });
      group.forEach((s, i) => {
        it(s.file, () => {
          const r = results[i]!;
          if (!r.ok) throw new Error(`CPython could not analyse ${s.file}: ${r.error}`);
          const a = analyzeCell(s.source, 0, { pythonVersion: `3.${minor}` });
          const cmp = compareWithOracle(a, r, builtinNames(`3.${minor}`));
          expect({ file: s.file, ...cmp }).toMatchObject({ definesAgree: true, readsAgree: true });
          // The oracle also agrees with the sample's own statement.
          expect(r.defines).toEqual(s.defines);
        });
      });
    });
  }
});

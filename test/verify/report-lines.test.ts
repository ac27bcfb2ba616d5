/**
 * The recorded pipeline test checks the lines a step's kept reports printed in the notebook (report-lines.ts,
 * tests-emitter.ts `assert_reported`): which notebook lines are reports, and the emitted check run by pytest
 * against a stand-in pipeline — a changed integer or float fails, rounding and a random step's numbers do not.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProjectModel } from "../../src/generate/model.js";
import { initGenerate } from "../../src/generate/project.js";
import { ruffFile, ruffSettings } from "../../src/generate/ruff.js";
import type { Recording } from "../../src/verify/record.js";
import { reportLines, reportPatterns, type StepReports, stepReports } from "../../src/verify/report-lines.js";
import type { StepFixture } from "../../src/verify/tests-emitter.js";
import { mergeTestBlock, renderRecordedPipelineTest } from "../../src/verify/tests-emitter.js";
import { venvPython } from "../helpers/env.js";

describe("reportPatterns", () => {
  const lines = (source: string, printed: string) => reportLines(printed, reportPatterns(source));

  it("reads f-strings, %-formats and plain messages; fields may hold any text", () => {
    const source = [
      'logger.info(f"{regions_seen} regions")',
      'logger.info("accuracy: %s", acc)',
      "logger.info(f'{name}: {share:.1%} of {total:,} rows')",
      'logger.info("100% done")',
    ].join("\n");
    const printed = [
      "3 regions",
      "   order_id region  amount", // exploration output of the same cell
      "0         0  north      10",
      "accuracy: 0.7361",
      "north: 12.5% of 1,024 rows",
      "100% done",
      "no digits here",
    ].join("\n");
    expect(lines(source, printed)).toEqual([
      "3 regions",
      "accuracy: 0.7361",
      "north: 12.5% of 1,024 rows",
      "100% done",
    ]);
  });

  it("claims only a lone number for a message without literal text, and nothing for one it cannot read", () => {
    expect(lines('logger.info("%s", acc)', "0.91\n1  north  10\n")).toEqual(["0.91"]);
    expect(lines("logger.info(f'{acc}')", "0.91\nrows 3\n")).toEqual(["0.91"]);
    // `print(len(df))` (exploration, not kept) also printed a lone number: which one is the report is unknown.
    expect(lines('logger.info("%s", acc)', "1500\n0.91\n")).toEqual([]);
    expect(lines('logger.info("%s", acc)\nlogger.info("n = %s", n)', "1500\n0.91\nn = 3\n")).toEqual([
      "n = 3",
    ]);
    expect(lines("logger.info(message)", "3 regions\n")).toEqual([]);
    expect(lines('logger.info("a" + str(n))', "a3\n")).toEqual([]);
    expect(lines('logger.info(f"{n}\\nrows")', "3\nrows\n")).toEqual([]);
    expect(lines('print(f"{n} regions")', "3 regions\n")).toEqual([]);
  });

  it("keeps braces and escaped quotes as text, and the lines in order up to the limit", () => {
    expect(lines('logger.info(f"{{n}} = {n} \\"x\\"")', '{n} = 4 "x"\n')).toEqual(['{n} = 4 "x"']);
    const loop = Array.from({ length: 30 }, (_, i) => `region ${i}: ${i * 2}`).join("\r\n");
    const got = lines('logger.info(f"region {i}: {n}")', loop);
    expect(got).toHaveLength(20);
    expect(got[0]).toBe("region 0: 0");
    expect(got[19]).toBe("region 19: 38");
  });
});

beforeAll(() => initGenerate());

describe("stepReports", () => {
  it("takes each step's lines from its own output and module; a random step and those it feeds skip numbers", () => {
    const step = (name: string, args: string[], returns: string[]) => ({
      name,
      mapName: name,
      module: name,
      args: args.map((a) => ({ name: a, source: { kind: "input" } })),
      returns: returns.map((r) => ({ name: r, usedBy: [] })),
    });
    const model = {
      packageName: "shop",
      steps: [step("train", [], ["model"]), step("score", ["model"], ["auc"]), step("count", [], ["n"])],
    } as unknown as ProjectModel;
    const file = (name: string, body: string) => ({ path: `src/shop/steps/${name}.py`, content: body });
    const files = [
      file("train", 'logger.info("loss %s", loss)'),
      file("score", 'logger.info(f"AUC {auc:.3f}")'),
      file("count", 'logger.info(f"{n} regions")'),
    ];
    const rec = (name: string, printed: string) => ({
      step: name,
      inputs: {},
      outputs: {},
      types: {},
      printed,
    });
    const recording = {
      steps: [
        rec("train", "loss 0.25\n"),
        rec("score", "AUC 0.812\n   a  b\n0  1  2\n"),
        rec("count", "3 regions\n"),
      ],
    } as unknown as Recording;
    const fx = (name: string, deterministic: boolean) => ({ step: name, deterministic }) as StepFixture;
    const got = stepReports(model, files, recording, [
      fx("train", false),
      fx("score", true),
      fx("count", true),
    ]);
    expect(got).toEqual([
      {
        step: "train",
        logger: "shop.steps.train",
        lines: ["loss 0.25"],
        random: "two calls on the same sample gave different results",
      },
      {
        step: "score",
        logger: "shop.steps.score",
        lines: ["AUC 0.812"],
        random: "its inputs come from train, which is random",
      },
      { step: "count", logger: "shop.steps.count", lines: ["3 regions"] },
    ]);
  });
});

const scratch = mkdtempSync(join(tmpdir(), "fledge-report-lines-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A project whose `run` logs `logged` from the step module `shop.steps.count`, tested for `reports`. */
function project(name: string, logged: string[], reports: StepReports[]): string {
  const dir = join(scratch, name);
  mkdirSync(join(dir, "src", "shop"), { recursive: true });
  mkdirSync(join(dir, "tests"), { recursive: true });
  writeFileSync(join(dir, "params.yaml"), "{}\n");
  writeFileSync(join(dir, "src", "shop", "__init__.py"), "");
  writeFileSync(
    join(dir, "src", "shop", "pipeline.py"),
    [
      "import logging",
      "",
      'logger = logging.getLogger("shop.steps.count")',
      "",
      "def load_params(path):",
      "    return {}",
      "",
      "def run(params):",
      `    for line in ${JSON.stringify(logged)}:`,
      "        logger.info(line)",
      '    logging.getLogger("shop.steps.other").info("7 regions")',
      "    return {}",
      "",
    ].join("\n"),
  );
  const model = { notebookName: "shop.ipynb", params: [], packageName: "shop" } as unknown as ProjectModel;
  const head = [
    '"""End-to-end test."""',
    "",
    "from pathlib import Path",
    "",
    "from shop.pipeline import load_params, run",
    "",
    "PROJECT = Path(__file__).resolve().parents[1]",
    "",
  ].join("\n");
  const block = renderRecordedPipelineTest(model, {}, [], {}, reports);
  // Formatted and linted as withRecordedTests does (ruff orders the merged imports).
  const path = "tests/test_pipeline.py";
  const code = ruffFile(path, mergeTestBlock(head, block), ruffSettings("shop", "3.11")).code;
  writeFileSync(join(dir, path), code);
  return dir;
}

function pytest(dir: string) {
  return spawnSync(venvPython(), ["-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"], {
    cwd: dir,
    env: { ...process.env, PYTHONPATH: join(dir, "src") },
    encoding: "utf8",
    timeout: 120_000,
  });
}

function ruff(dir: string) {
  const bin = join(venvPython(), "..", process.platform === "win32" ? "ruff.exe" : "ruff");
  return spawnSync(bin, ["check", "--select", "E,F,W,I,UP", "--ignore", "E501", "--isolated", "tests"], {
    cwd: dir,
    encoding: "utf8",
  });
}

const count = (lines: string[], random?: string): StepReports[] => [
  { step: "count", logger: "shop.steps.count", lines, ...(random ? { random } : {}) },
];

describe("the emitted report check", () => {
  it("passes when the step logs what the notebook printed, with floats equal up to rounding", () => {
    const dir = project(
      "same",
      ["3 regions", "accuracy: 0.73600000001"],
      count(["3 regions", "accuracy: 0.736"]),
    );
    const r = pytest(dir);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("1 passed");
    const lint = ruff(dir);
    expect(lint.status, lint.stdout + lint.stderr).toBe(0);
  }, 120_000);

  it("fails on a changed integer, naming both lines", () => {
    const r = pytest(project("int", ["1 regions"], count(["3 regions"])));
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("logged '1 regions'; the notebook printed '3 regions'");
  }, 120_000);

  it("fails on a changed float beyond the tolerance", () => {
    const r = pytest(project("float", ["accuracy: 0.746"], count(["accuracy: 0.736"])));
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("the notebook printed 'accuracy: 0.736'");
  }, 120_000);

  it("fails when the step no longer logs a printed line (another step's line does not count)", () => {
    const r = pytest(project("missing", ["3 regions"], count(["3 regions", "3 regions"])));
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("shop.steps.count logged no such line");
  }, 120_000);

  it("checks a random step's lines but not their numbers", () => {
    const ok = pytest(project("random", ["accuracy: 0.61"], count(["accuracy: 0.736"], "unseeded")));
    expect(ok.status, ok.stdout).toBe(0);
    const gone = pytest(project("random-gone", [], count(["accuracy: 0.736"], "unseeded")));
    expect(gone.status).toBe(1);
  }, 120_000);
});

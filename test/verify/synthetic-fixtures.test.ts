/**
 * `fledge extract --fixtures synthetic` end to end: the fixture notebook runs in a real kernel, every recorded
 * input is generated from its schema, no fixture holds a real customer id (a free-text column with distinctive
 * values), the tests say they run on synthetic data, and the generated pytest passes.
 */
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { ROOT } from "../helpers/env.js";

const VENV = process.env.FLEDGE_VENV ?? join(ROOT, ".venv");
const PYTHON = join(VENV, ...(process.platform === "win32" ? ["Scripts", "python.exe"] : ["bin", "python"]));
const hasVenv = existsSync(PYTHON);
const SOURCE = join(ROOT, "test", "fixtures", "notebooks", "extract", "churn_classification");

const scratch = mkdtempSync(join(tmpdir(), "fledge-synthetic-"));
const nbDir = join(scratch, "nb");
const project = join(scratch, "project");
const joinDir = join(scratch, "join");
const joinProject = join(scratch, "join-project");
let result: { code: number; out: string; err: string } = { code: -1, out: "", err: "" };
let joined: { code: number; out: string; err: string } = { code: -1, out: "", err: "" };
/** The join notebook extracted twice more with `--seed 7`. */
const seeded = [join(scratch, "seed7-a"), join(scratch, "seed7-b")];
const seededRuns: { code: number; out: string; err: string }[] = [];

/** A notebook whose second step looks orders' customers up by id: synthetic ids match no customer. */
function writeJoinNotebook(): string {
  mkdirSync(joinDir, { recursive: true });
  const customers = ["customer_id,segment"];
  const orders = ["order_id,customer_id,amount"];
  for (let i = 0; i < 60; i++) customers.push(`K${1000 + i},${["retail", "pro", "public"][i % 3]}`);
  for (let i = 0; i < 200; i++)
    orders.push(`${i},K${1000 + ((i * 7) % 60)},${(10 + ((i * 37) % 90)).toFixed(2)}`);
  writeFileSync(join(joinDir, "customers.csv"), `${customers.join("\n")}\n`);
  writeFileSync(join(joinDir, "orders.csv"), `${orders.join("\n")}\n`);
  const cell = (cell_type: string, source: string) =>
    cell_type === "code"
      ? { cell_type, execution_count: null, metadata: {}, outputs: [], source }
      : { cell_type, metadata: {}, source };
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: "python3", display_name: "Python 3", language: "python" },
      language_info: { name: "python" },
    },
    cells: [
      cell("markdown", "# Revenue by segment"),
      cell("code", "import pandas as pd"),
      cell("markdown", "## Load the tables"),
      cell("code", 'customers = pd.read_csv("customers.csv")\norders = pd.read_csv("orders.csv")'),
      cell("markdown", "## Attach segments"),
      cell(
        "code",
        'segments = customers.set_index("customer_id")["segment"]\norders["segment"] = segments.loc[orders["customer_id"]].to_numpy()',
      ),
      cell("markdown", "## Sum by segment"),
      cell("code", 'totals = orders.groupby("segment")["amount"].sum()'),
      cell("markdown", "## Report the shares"),
      cell("code", 'share = (totals / totals.sum()).round(3)\nshare.to_csv("segment_share.csv")'),
    ].map((c, i) => ({ ...c, id: `c${i}` })),
  };
  const path = join(joinDir, "revenue.ipynb");
  writeFileSync(path, JSON.stringify(nb, null, 1));
  return path;
}

async function fledge(...argv: string[]): Promise<typeof result> {
  const r = await runCli(argv, { cwd: scratch, env: process.env });
  return { code: r.code, out: r.stdout, err: r.stderr };
}

function python(code: string, cwd = project) {
  return spawnSync(PYTHON, ["-c", code], { cwd, encoding: "utf8", timeout: 120_000 });
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

beforeAll(async () => {
  if (!hasVenv) return;
  // The notebook writes its model and predictions next to itself: run a copy.
  cpSync(SOURCE, nbDir, { recursive: true });
  result = await fledge(
    "extract",
    join(nbDir, "churn_classification.ipynb"),
    "-o",
    project,
    "--fixtures",
    "synthetic",
    "--python",
    PYTHON,
    "--no-git",
  );
  const joinNotebook = writeJoinNotebook();
  joined = await fledge(
    "extract",
    joinNotebook,
    "-o",
    joinProject,
    "--fixtures",
    "synthetic",
    "--python",
    PYTHON,
    "--no-git",
  );
  for (const dir of seeded)
    seededRuns.push(
      await fledge(
        "extract",
        joinNotebook,
        "-o",
        dir,
        "--fixtures",
        "synthetic",
        "--seed",
        "7",
        "--python",
        PYTHON,
        "--no-git",
      ),
    );
}, 900_000);

afterAll(() => {
  if (!process.env.KEEP_TMP) rmSync(scratch, { recursive: true, force: true });
});

describe("the --fixtures option", () => {
  it("is documented in --help and refuses unknown values or a run without recording (exit 2)", async () => {
    const help = await fledge("extract", "--help");
    expect(help.out).toContain("--fixtures real|synthetic");
    expect(help.out).toContain("fledge extract analysis.ipynb -o churn/ --fixtures synthetic");
    const nb = join(SOURCE, "churn_classification.ipynb");
    const bad = await fledge("extract", nb, "-o", join(scratch, "x"), "--fixtures", "fake");
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--fixtures fake: choose real or synthetic");
    const none = await fledge(
      "extract",
      nb,
      "-o",
      join(scratch, "y"),
      "--fixtures",
      "synthetic",
      "--no-record",
    );
    expect(none.code).toBe(2);
    expect(none.err).toContain("--fixtures synthetic needs a recorded run");
    expect(existsSync(join(scratch, "x")) || existsSync(join(scratch, "y"))).toBe(false);
  });
});

describe("the --seed option", () => {
  it("is documented and refuses anything but a whole number from 0 to 2^32-1, or without synthetic fixtures (exit 2)", async () => {
    const help = await fledge("extract", "--help");
    expect(help.out).toContain("--seed N");
    const nb = join(SOURCE, "churn_classification.ipynb");
    for (const bad of ["abc", "1.5", "-3", "1e3", "4294967296", ""]) {
      const r = await fledge(
        "extract",
        nb,
        "-o",
        join(scratch, "s"),
        "--fixtures",
        "synthetic",
        `--seed=${bad}`,
      );
      expect(r.code, `--seed=${bad}`).toBe(2);
      expect(r.err).toContain(`--seed ${bad}: expected a whole number from 0 to 4294967295`);
    }
    const real = await fledge("extract", nb, "-o", join(scratch, "s"), "--seed", "7");
    expect(real.code).toBe(2);
    expect(real.err).toContain("--seed applies to synthetic fixtures only");
    expect(existsSync(join(scratch, "s"))).toBe(false);
  });
});

describe.skipIf(!hasVenv)("fledge extract --fixtures synthetic --seed", () => {
  /** Every file under tests/fixtures, by path relative to it. */
  const fixtureFiles = (root: string) =>
    new Map(
      files(join(root, "tests", "fixtures")).map((f) => [f.slice(root.length), readFileSync(f)] as const),
    );

  it("gives byte-identical fixtures for the same seed and records the seed", () => {
    for (const r of seededRuns) expect(r.code, r.err + r.out).toBe(0);
    expect(seededRuns[0]!.err).toMatch(/synthetic fixtures \(seed 7, no real rows\)/);
    const [a, b] = seeded.map(fixtureFiles) as [Map<string, Buffer>, Map<string, Buffer>];
    expect([...a.keys()].some((f) => f.endsWith(".parquet"))).toBe(true);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [f, bytes] of a) expect(bytes.equals(b.get(f)!), f).toBe(true);
    const readme = readFileSync(join(seeded[0]!, "tests", "fixtures", "README.md"), "utf8");
    expect(readme).toMatch(/generated with seed\s+7 from the schema/);
    for (const m of [...a.keys()].filter((f) => f.endsWith("manifest.json")))
      expect((JSON.parse(a.get(m)!.toString("utf8")) as { seed: number }).seed).toBe(7);
  });

  it("gives other rows, of the same schema, for another seed", () => {
    // The default seed (0, joinProject) against seed 7: every table keeps its columns and dtypes, and at
    // least one has other values.
    const compare = python(
      `
import json, pathlib
import pandas as pd
same_schema, differ, tables = True, 0, 0
for a in pathlib.Path(${JSON.stringify(joinProject)}, "tests", "fixtures").rglob("*.parquet"):
    rel = a.relative_to(${JSON.stringify(joinProject)})
    b = pathlib.Path(${JSON.stringify(seeded[0])}, rel)
    x, y = pd.read_parquet(a), pd.read_parquet(b)
    tables += 1
    same_schema &= list(x.columns) == list(y.columns) and list(x.dtypes) == list(y.dtypes)
    differ += not x.equals(y)
print(json.dumps({"tables": tables, "same_schema": bool(same_schema), "differ": differ}))
`,
      scratch,
    );
    expect(compare.status, compare.stderr).toBe(0);
    const got = JSON.parse(compare.stdout) as { tables: number; same_schema: boolean; differ: number };
    expect(got.tables).toBeGreaterThan(0);
    expect(got.same_schema).toBe(true);
    expect(got.differ).toBeGreaterThan(0);
  });
});

describe.skipIf(!hasVenv)("fledge extract --fixtures synthetic", () => {
  it("extracts, records synthetic samples, and says which steps have none and why", () => {
    expect(result.code, result.err + result.out).toBe(0);
    expect(result.err).toMatch(/synthetic fixtures \(seed 0, no real rows\): [1-9]\d* step\(s\) tested/);
    // Every step without a synthetic fixture is named with its reason (never silently skipped).
    const steps = readdirSync(join(project, "src", "churn_classification", "steps")).filter(
      (f) => f.endsWith(".py") && f !== "__init__.py",
    );
    const readme = readFileSync(join(project, "tests", "fixtures", "README.md"), "utf8");
    expect(readme).toContain("These fixtures are synthetic: no row of the notebook's data is in them.");
    expect(readme).toMatch(/generated with seed\s+0 from the schema/);
    for (const s of steps) expect(readme).toContain(`| \`${s.replace(/\.py$/, "")}\` |`);
    for (const line of readme.split("\n").filter((l) => l.includes("| none: "))) {
      const step = /^\| `(\w+)` \|/.exec(line)?.[1];
      expect(result.err).toContain(`no synthetic fixture for step ${step}:`);
    }
  });

  it("writes no real value of the customer_id column in any fixture file", () => {
    const ids = readFileSync(join(nbDir, "data", "customers.csv"), "utf8")
      .split(/\r?\n/)
      .slice(1)
      .filter(Boolean)
      .map((l) => l.split(",")[0] as string);
    expect(ids.length).toBeGreaterThan(100);
    expect(new Set(ids).size).toBe(ids.length);
    const fixtureFiles = files(join(project, "tests", "fixtures"));
    expect(fixtureFiles.some((f) => f.endsWith(".parquet"))).toBe(true);
    // Raw bytes (json, npy, uncompressed parquet pages)…
    for (const f of fixtureFiles) {
      const text = readFileSync(f).toString("latin1");
      for (const id of ids) expect(text.includes(id), `${id} in ${f}`).toBe(false);
    }
    // …and every decoded string cell, index label and column name (parquet pages are compressed).
    const scan = python(`
import json, pathlib, sys
import numpy as np, pandas as pd
sys.path.insert(0, "tests")
from conftest import load_recorded
found, checked = set(), 0
ids = set(pd.read_csv(${JSON.stringify(join(nbDir, "data", "customers.csv"))})["customer_id"])
for manifest in pathlib.Path("tests/fixtures").glob("*/manifest.json"):
    m = json.loads(manifest.read_text())
    for section in ("inputs", "outputs"):
        for name in m[section]:
            v = load_recorded(manifest.parent.name, f"{section}/{name}")
            cells = []
            if isinstance(v, (pd.DataFrame, pd.Series)):
                frame = v.to_frame() if isinstance(v, pd.Series) else v
                cells = [*map(str, frame.to_numpy().ravel()), *map(str, frame.index), *map(str, frame.columns)]
            elif isinstance(v, np.ndarray):
                cells = list(map(str, v.ravel()))
            else:
                cells = [json.dumps(v, default=str)]
            checked += len(cells)
            found |= {c for c in cells if c in ids} | {i for i in ids for c in cells if i in c}
print(json.dumps({"found": sorted(found), "checked": checked}))
`);
    expect(scan.status, scan.stderr).toBe(0);
    const { found, checked } = JSON.parse(scan.stdout) as { found: string[]; checked: number };
    expect(checked).toBeGreaterThan(100);
    expect(found).toEqual([]);
  }, 120_000);

  it("marks the step tests as synthetic and the generated pytest passes", () => {
    const manifests = files(join(project, "tests", "fixtures")).filter((f) => f.endsWith("manifest.json"));
    expect(manifests.length).toBeGreaterThan(0);
    for (const m of manifests) {
      const manifest = JSON.parse(readFileSync(m, "utf8")) as { synthetic: boolean; seed: number };
      expect(manifest.synthetic).toBe(true);
      expect(manifest.seed).toBe(0);
      const step = m.split(/[\\/]/).at(-2) as string;
      const test = readFileSync(join(project, "tests", `test_${step}.py`), "utf8");
      expect(test).toMatch(
        /^"""Tests of the `\w+` step\.\n\nThe recorded test below runs on SYNTHETIC fixtures/,
      );
      expect(test).toContain(`def test_${step}_on_recorded_sample(`);
    }
    const r = spawnSync(PYTHON, ["-m", "pytest", "-q", "-p", "no:cacheprovider"], {
      cwd: project,
      env: { ...process.env, PYTHONPATH: join(project, "src") },
      encoding: "utf8",
      timeout: 300_000,
    });
    expect(r.stdout).toMatch(/\d+ passed/);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const ruff = join(VENV, process.platform === "win32" ? "Scripts" : "bin", "ruff");
    for (const args of [
      ["check", "--no-cache", "."],
      ["format", "--check", "--no-cache", "."],
    ]) {
      const lint = spawnSync(ruff, args, { cwd: project, encoding: "utf8" });
      expect(lint.status, lint.stdout + lint.stderr).toBe(0);
    }
  }, 300_000);
});

describe.skipIf(!hasVenv)("recorded tests on synthetic rows still catch a changed step", () => {
  it("fails test_clean_data when the churn label is mapped the other way", () => {
    const path = join(project, "src", "churn_classification", "steps", "clean_data.py");
    const original = readFileSync(path, "utf8");
    expect(original).toContain('== "yes"');
    try {
      writeFileSync(path, original.replace('== "yes"', '== "no"'));
      const r = spawnSync(
        PYTHON,
        ["-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_clean_data.py"],
        {
          cwd: project,
          env: { ...process.env, PYTHONPATH: join(project, "src") },
          encoding: "utf8",
          timeout: 300_000,
        },
      );
      expect(r.status, r.stdout).toBe(1);
      expect(r.stdout).toContain("FAILED tests/test_clean_data.py::test_clean_data_on_recorded_sample");
    } finally {
      writeFileSync(path, original);
    }
  }, 300_000);
});

describe.skipIf(!hasVenv)("a step that cannot run on synthetic rows", () => {
  it("is named with the error in the output, the README and its test file; the project's tests pass", () => {
    expect(joined.code, joined.err + joined.out).toBe(0);
    const m =
      /no synthetic fixture for step (\w+): calling it on the synthetic sample failed \((.*)\)$/m.exec(
        joined.err,
      );
    expect(m, joined.err).not.toBeNull();
    const [, step, why] = m as RegExpExecArray;
    expect(why).toContain("KeyError");
    const readme = readFileSync(join(joinProject, "tests", "fixtures", "README.md"), "utf8");
    expect(readme).toContain(`| \`${step}\` | none: calling it on the synthetic sample failed (`);
    const test = readFileSync(join(joinProject, "tests", `test_${step}.py`), "utf8");
    expect(test).toContain(
      `# No recorded sample test for \`${step}\`: calling it on the synthetic sample failed`,
    );
    expect(test).not.toContain("SYNTHETIC fixtures");
    // Every other step is accounted for too (a sample test, or a reason), and the project's tests pass.
    expect(joined.err).toMatch(/synthetic fixtures \(seed 0, no real rows\): \d+ step\(s\) tested/);
    expect(joined.err).toMatch(/no synthetic fixture for step \w+: it reads the notebook's data files/);
    const r = spawnSync(PYTHON, ["-m", "pytest", "-q", "-p", "no:cacheprovider"], {
      cwd: joinProject,
      env: { ...process.env, PYTHONPATH: join(joinProject, "src") },
      encoding: "utf8",
      timeout: 300_000,
    });
    expect(r.stdout).toMatch(/\d+ passed/);
    expect(r.status, r.stdout + r.stderr).toBe(0);
  }, 300_000);
});

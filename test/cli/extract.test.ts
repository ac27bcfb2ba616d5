/** `fledge extract` from the command line: usage, dry run, safe re-extraction, --force, --strict, --stubs, pins. */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freshVenv, sh } from "../generate/project-run.js";
import { runCli } from "../helpers/cli.js";
import { ROOT, venvPython } from "../helpers/env.js";

const FIX = join(ROOT, "test", "fixtures", "notebooks", "extract");
const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function workspace(fixture = "sales_report"): { dir: string; nb: string } {
  const dir = mkdtempSync(join(tmpdir(), "fledge-cli-extract-"));
  roots.push(dir);
  cpSync(join(FIX, fixture), join(dir, fixture), { recursive: true });
  return { dir, nb: join(fixture, `${fixture}.ipynb`) };
}

const hasGit = spawnSync("git", ["--version"]).status === 0;

describe("fledge extract (CLI)", () => {
  it("needs a notebook and -o", async () => {
    const { dir, nb } = workspace();
    const a = await runCli(["extract", nb], { cwd: dir });
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/missing -o\/--output/);
    const b = await runCli(["extract", "-o", "out"], { cwd: dir });
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/missing the notebook/);
  });

  it("--dry-run lists the files and writes nothing", async () => {
    const { dir, nb } = workspace();
    const r = await runCli(["extract", nb, "-o", "proj", "--dry-run", "--no-kernel"], { cwd: dir });
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).toMatch(/would create +src\/sales_report\/pipeline\.py/);
    expect(r.stdout).toMatch(/would create +pyproject\.toml/);
    expect(existsSync(join(dir, "proj"))).toBe(false);
  });

  it("prints an absolute project path when the relative one climbs out, and writes .fledge/steps.json without recording", async () => {
    const { dir, nb } = workspace();
    const cwd = join(dir, "here");
    mkdirSync(cwd);
    const r = await runCli(["extract", join("..", nb), "-o", join("..", "proj"), "--no-kernel"], { cwd });
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).toContain(`→ ${join(dir, "proj")}/`);
    expect(r.stdout).not.toMatch(/→ \.\./);
    expect(existsSync(join(dir, "proj", ".fledge", "steps.json"))).toBe(true);
  });

  it("writes the project with a manifest and a first commit, and never overwrites an edited file", async () => {
    const { dir, nb } = workspace();
    const first = await runCli(["extract", nb, "-o", "proj", "--no-kernel"], { cwd: dir });
    expect(first.code, first.output).toBe(0);
    const proj = join(dir, "proj");
    const manifest = JSON.parse(readFileSync(join(proj, ".fledge", "manifest.json"), "utf8"));
    expect(manifest.notebook).toBe("../sales_report/sales_report.ipynb");
    expect(manifest.dataDir).toBe("../sales_report");
    expect(Object.keys(manifest.files)).toContain("src/sales_report/pipeline.py");
    if (hasGit) {
      const log = spawnSync("git", ["log", "--oneline"], { cwd: proj, encoding: "utf8" });
      expect(log.stdout).toMatch(/Extract the pipeline of sales_report\.ipynb/);
    }

    // Unchanged re-extract: nothing written.
    const again = await runCli(["extract", nb, "-o", "proj", "--no-kernel", "--dry-run"], { cwd: dir });
    expect(again.stdout).not.toMatch(/would (create|update|keep)/);

    // The user edits the README; fledge's next version goes to README.md.new.
    const readme = join(proj, "README.md");
    writeFileSync(readme, "# My own notes\n");
    const pipeline = join(proj, "src", "sales_report", "pipeline.py");
    writeFileSync(pipeline, readFileSync(pipeline, "utf8").replace("step 1/3", "step one of three"));
    // Simulate a change in what fledge generates for an unedited file: it gets updated.
    const params = join(proj, "params.yaml");
    const original = readFileSync(params, "utf8");
    writeFileSync(params, original.replace("orders_path", "orders_file"));
    manifest.files["params.yaml"] = (await import("../../src/generate/writer.js")).sha256(
      readFileSync(params, "utf8"),
    );
    writeFileSync(join(proj, ".fledge", "manifest.json"), JSON.stringify(manifest));

    const third = await runCli(["extract", nb, "-o", "proj", "--no-kernel"], { cwd: dir });
    expect(third.code, third.output).toBe(0);
    expect(third.stdout).toMatch(
      /kept +README\.md \(edited since fledge wrote it; new version in README\.md\.new\)/,
    );
    expect(third.stdout).toMatch(/kept +src\/sales_report\/pipeline\.py/);
    expect(third.stdout).toMatch(/updated +params\.yaml/);
    expect(readFileSync(readme, "utf8")).toBe("# My own notes\n");
    expect(readFileSync(`${readme}.new`, "utf8")).toMatch(/^# Monthly sales report/);
    expect(readFileSync(pipeline, "utf8")).toContain("step one of three");
    expect(readFileSync(params, "utf8")).toBe(original);
  });

  it("refuses a non-empty folder fledge did not create, unless --force (which still keeps existing files)", async () => {
    const { dir, nb } = workspace();
    mkdirSync(join(dir, "proj"));
    writeFileSync(join(dir, "proj", "README.md"), "mine\n");
    const refused = await runCli(["extract", nb, "-o", "proj", "--no-kernel"], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/not empty and was not created by fledge/);
    const forced = await runCli(["extract", nb, "-o", "proj", "--no-kernel", "--force", "--no-git"], {
      cwd: dir,
    });
    expect(forced.code, forced.output).toBe(0);
    expect(readFileSync(join(dir, "proj", "README.md"), "utf8")).toBe("mine\n");
    expect(existsSync(join(dir, "proj", "README.md.new"))).toBe(true);
    expect(existsSync(join(dir, "proj", ".git"))).toBe(false);
  });

  it("--strict refuses what cannot be resolved; without it, the TODO is explicit", async () => {
    const { dir, nb } = workspace("energy_out_of_order");
    const strict = await runCli(["extract", nb, "-o", "proj", "--no-kernel", "--strict"], { cwd: dir });
    expect(strict.code).toBe(2);
    expect(strict.stderr).toMatch(/cannot be resolved \(--strict\)/);
    expect(strict.stderr).toMatch(/`clean`.*out of order/);
    expect(existsSync(join(dir, "proj"))).toBe(false);
    const loose = await runCli(["extract", nb, "-o", "proj", "--no-kernel", "--no-git"], { cwd: dir });
    expect(loose.code).toBe(0);
    expect(loose.stdout).toMatch(/warning .*`clean`/);
  });

  it("--stubs writes signatures, docstrings and the notebook code as comments", async () => {
    const { dir, nb } = workspace();
    const r = await runCli(["extract", nb, "-o", "proj", "--no-kernel", "--stubs", "--no-git"], { cwd: dir });
    expect(r.code, r.output).toBe(0);
    const step = readFileSync(join(dir, "proj", "src", "sales_report", "steps", "clean_data.py"), "utf8");
    expect(step).toMatch(
      /def clean_data\(orders: pd\.DataFrame, dropna_subset: list\[str\]\) -> pd\.DataFrame:/,
    );
    expect(step).toContain('raise NotImplementedError("clean_data: fill in from the notebook code above")');
    expect(step).toContain('#     orders.dropna(subset=["units"], inplace=True)'.replace("#     ", "# "));
    expect(readFileSync(join(dir, "proj", "tests", "test_pipeline.py"), "utf8")).toContain(
      "pytest.mark.skip",
    );
  });

  it("--copy-data copies the data files and points data_dir at them", async () => {
    const { dir, nb } = workspace();
    const r = await runCli(["extract", nb, "-o", "proj", "--no-kernel", "--copy-data", "--no-git"], {
      cwd: dir,
    });
    expect(r.code, r.output).toBe(0);
    expect(readFileSync(join(dir, "proj", "data", "orders.csv"), "utf8")).toBe(
      readFileSync(join(dir, "sales_report", "data", "orders.csv"), "utf8"),
    );
    expect(readFileSync(join(dir, "proj", "params.yaml"), "utf8")).toMatch(/^data_dir: "\."$/m);
  });

  it("pins versions and writes requirements.lock from the notebook's environment when its kernel starts", async () => {
    const { dir, nb } = workspace();
    const r = await runCli(
      ["extract", nb, "-o", "proj", "--python", venvPython(), "--no-git", "--no-record"],
      {
        cwd: dir,
      },
    );
    expect(r.code, r.output).toBe(0);
    const lock = readFileSync(join(dir, "proj", "requirements.lock"), "utf8");
    const pandas = spawnSync(venvPython(), ["-c", "import pandas; print(pandas.__version__)"], {
      encoding: "utf8",
    }).stdout.trim();
    expect(lock).toContain(`pandas==${pandas}`);
    expect(lock).toMatch(/^numpy==/m); // transitive
    expect(readFileSync(join(dir, "proj", "pyproject.toml"), "utf8")).toContain(`"pandas==${pandas}"`);
    expect(readFileSync(join(dir, "proj", "Dockerfile"), "utf8")).toContain(
      "pip install --no-cache-dir -r requirements.lock",
    );
  }, 90_000);

  it("records a run by default when the kernel starts: recorded tests that pass in a fresh virtualenv", async () => {
    const { dir, nb } = workspace("churn_classification");
    const r = await runCli(["extract", nb, "-o", "proj", "--python", venvPython(), "--no-git"], { cwd: dir });
    expect(r.code, r.output).toBe(0);
    expect(r.stderr).toMatch(/running the notebook in a fresh kernel to record values/);
    const proj = join(dir, "proj");
    expect(r.stdout).toMatch(/created +tests\/fixtures\/clean_data\/in_df\.parquet/);
    expect(readFileSync(join(proj, "pyproject.toml"), "utf8")).toMatch(/"pyarrow==/);
    const venv = freshVenv(dir, proj);
    expect(venv.install.status, venv.install.output).toBe(0);
    const t = sh(venv.python, ["-m", "pytest", "-q", "-p", "no:cacheprovider"], proj, venv.env);
    expect(t.status, t.output).toBe(0);
    expect(t.output).toMatch(/\d+ passed/);
    expect(t.output).not.toMatch(/\d+ (failed|errors?)\b/);
    expect(readFileSync(join(proj, "tests", "test_clean_data.py"), "utf8")).toMatch(
      /def test_clean_data_on_recorded_sample/,
    );
  }, 300_000);
});

/**
 * `fledge extract --validation plain|pandera|none` from the command line, on a copy of the churn example
 * (no kernel: the data files are profiled with the project's venv Python). What each choice writes; a bad
 * value is a usage error before anything runs. The generated pandera rules themselves are exercised on bad
 * data in validation-pandera.test.ts.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { ROOT, venvPython } from "../helpers/env.js";
import { sh } from "./project-run.js";

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), "fledge-cli-validation-"));
  roots.push(dir);
  cpSync(join(ROOT, "examples", "churn"), join(dir, "churn"), {
    recursive: true,
    filter: (src) => !/[\\/]outputs$/.test(src),
  });
  return dir;
}

async function extract(validation: string | undefined, kernel: string[] = ["--no-kernel"]) {
  const dir = workspace();
  const args = ["extract", "churn/churn.ipynb", "-o", "proj", ...kernel, "--no-git"];
  args.push("--python", venvPython());
  if (validation) args.push("--validation", validation);
  const r = await runCli(args, { cwd: dir });
  const read = (p: string) => {
    const file = join(dir, "proj", p);
    return existsSync(file) ? readFileSync(file, "utf8") : undefined;
  };
  return { r, read };
}

describe("fledge extract --validation", () => {
  it("pandera: pandera schemas in validation.py and pandera in the dependencies", async () => {
    const { r, read } = await extract("pandera");
    expect(r.code, r.output).toBe(0);
    const code = read("src/churn/validation.py")!;
    expect(code).toContain("import pandera.pandas as pa");
    expect(code).toContain("CUSTOMERS_SCHEMA = pa.DataFrameSchema(");
    expect(read("pyproject.toml")).toContain('"pandera>=0.24",');
    expect(read("src/churn/__main__.py")).toContain("validate_inputs(params)");
  }, 120_000);

  it("pandera: pinned to the notebook environment's version when its kernel reads it", async () => {
    const { r, read } = await extract("pandera", ["--no-record"]);
    expect(r.code, r.output).toBe(0);
    const version = sh(venvPython(), ["-c", "import pandera; print(pandera.__version__)"], ROOT).output;
    const pinned = `pandera==${version.trim().split("\n").pop()}`;
    expect(read("pyproject.toml")).toContain(`"${pinned}",`);
    expect(read("Dockerfile")).toContain(`RUN pip install --no-cache-dir "${pinned}"`);
  }, 180_000);

  it("plain (the default): pandas checks, no pandera", async () => {
    const { r, read } = await extract(undefined);
    expect(r.code, r.output).toBe(0);
    const code = read("src/churn/validation.py")!;
    expect(code).toContain("def check_customers(df: pd.DataFrame) -> list[Violation]:");
    expect(code).not.toContain("pandera");
    expect(read("pyproject.toml")).not.toContain("pandera");
    expect(read("Dockerfile")).not.toContain("pandera");
  }, 120_000);

  it("none: no validation.py and the pipeline is not pointed at one", async () => {
    const { r, read } = await extract("none");
    expect(r.code, r.output).toBe(0);
    expect(read("src/churn/validation.py")).toBeUndefined();
    expect(read("src/churn/__main__.py")).not.toContain("validate_inputs");
    expect(read("pyproject.toml")).not.toContain("pandera");
  }, 120_000);

  it("refuses anything else as a usage error, before reading the notebook", async () => {
    const dir = workspace();
    const r = await runCli(["extract", "missing.ipynb", "-o", "proj", "--validation", "great-expectations"], {
      cwd: dir,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--validation great-expectations: choose plain, pandera or none");
    expect(existsSync(join(dir, "proj"))).toBe(false);
  });

  it("lists the three choices in --help", async () => {
    const r = await runCli(["extract", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("--validation plain|pandera|none");
  });
});

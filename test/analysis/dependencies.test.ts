/**
 * The requirement files beside a notebook (loadEnvironment): the parsers for environment.yml and pyproject.toml
 * load on first use, so these tests also prove that lazy load works from the built module graph.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadEnvironment } from "../../src/analysis/config.js";
import { parseEnvironmentYml, parsePyprojectDependencies } from "../../src/analysis/rules/dependencies.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "fledge-deps-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe("requirement files beside a notebook", () => {
  it("reads conda dependencies, channel prefixes and the nested pip list of environment.yml", () => {
    const names = parseEnvironmentYml(
      "name: demo\nchannels: [conda-forge]\ndependencies:\n  - python=3.11\n  - conda-forge::pandas>=2\n" +
        "  - scikit_learn\n  - pip\n  - pip:\n      - mlflow==2.16.0\n      - Great-Expectations\n",
    );
    expect(names).toEqual(
      expect.arrayContaining(["pandas", "scikit-learn", "mlflow", "great-expectations", "python"]),
    );
  });

  it("reads PEP 621 and Poetry dependencies from pyproject.toml", () => {
    const names = parsePyprojectDependencies(
      '[project]\nname = "x"\ndependencies = ["numpy>=1.26", "pandas"]\n' +
        '[project.optional-dependencies]\nplot = ["matplotlib"]\n' +
        '[tool.poetry.dependencies]\npython = "^3.11"\nrequests = "*"\n',
    );
    expect(names).toEqual(expect.arrayContaining(["numpy", "pandas", "matplotlib", "requests"]));
    expect(names).not.toContain("x");
  });

  it("declares what the files beside the notebook list, and nothing for a malformed file", () => {
    const dir = folder({
      "analysis.ipynb": "{}",
      "environment.yml": "dependencies:\n  - seaborn\n",
      "pyproject.toml": '[project]\nname = "x"\ndependencies = ["xgboost"]\n',
      "requirements.txt": "lightgbm==4.5\n",
      "helpers.py": "",
    });
    const env = loadEnvironment(join(dir, "analysis.ipynb"), dir);
    expect([...(env.declared ?? [])].sort()).toEqual(["lightgbm", "seaborn", "xgboost"]);
    expect(env.requirementFiles?.sort()).toEqual(["environment.yml", "pyproject.toml", "requirements.txt"]);
    expect([...(env.localModules ?? [])]).toEqual(["helpers"]);

    const broken = folder({ "a.ipynb": "{}", "environment.yml": "dependencies: [unclosed\n" });
    const none = loadEnvironment(join(broken, "a.ipynb"), broken);
    expect(none.declared).toBeUndefined();
  });
});

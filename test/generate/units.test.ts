/** Unit tables for the small pieces of generate/: distributions, IPython policy, rewrites, ruff, lock, naming. */
import { beforeAll, describe, expect, it } from "vitest";
import { distributionFor, isStdlib, pipInstallRequirements } from "../../src/generate/distributions.js";
import { hintContext, hintFor } from "../../src/generate/hints.js";
import { lockLines } from "../../src/generate/lock.js";
import { packageNameFor, snakeCase } from "../../src/generate/naming.js";
import { renameIdentifiers, rewriteHelper, rewriteStatement } from "../../src/generate/rewrite.js";
import { ruffFile, ruffSettings } from "../../src/generate/ruff.js";
import { rewriteMagicLine, shellToPython } from "../../src/generate/source.js";
import { initSyntax } from "../../src/generate/syntax.js";
import type { Magic } from "../../src/python/types.js";

beforeAll(async () => {
  await initSyntax();
});

describe("distributions", () => {
  it.each([
    ["sklearn.model_selection", "scikit-learn"],
    ["cv2", "opencv-python"],
    ["PIL.Image", "pillow"],
    ["yaml", "PyYAML"],
    ["bs4", "beautifulsoup4"],
    ["pandas", "pandas"],
    ["some_unknown_lib", "some_unknown_lib"],
    ["os.path", undefined],
    ["json", undefined],
    [".local", undefined],
  ])("%s → %s", (mod, dist) => {
    expect(distributionFor(mod, "3.11")).toBe(dist);
  });

  it("knows the standard library of each Python version", () => {
    expect(isStdlib("distutils", "3.11")).toBe(true);
    expect(isStdlib("distutils", "3.12")).toBe(false);
    expect(isStdlib("tomllib", "3.10")).toBe(false);
    expect(isStdlib("tomllib", "3.11")).toBe(true);
    expect(isStdlib("imghdr", "3.12")).toBe(true);
    expect(isStdlib("imghdr", "3.13")).toBe(false);
    expect(isStdlib("zoneinfo", "3.8")).toBe(false);
    expect(isStdlib("zoneinfo", "3.9")).toBe(true);
    expect(isStdlib("pandas", "3.13")).toBe(false);
  });

  it("reads pip install lines", () => {
    expect(
      pipInstallRequirements("install -q xgboost==1.7 'lightgbm>=3' -r req.txt --upgrade seaborn"),
    ).toEqual(["xgboost==1.7", "lightgbm>=3", "seaborn"]);
    expect(pipInstallRequirements("list")).toEqual([]);
  });
});

const magic = (m: Partial<Magic>): Magic => ({
  kind: "line-magic",
  name: "",
  args: "",
  span: { line: 1, column: 1, endLine: 1, endColumn: 10 },
  ...m,
});

describe("IPython policy", () => {
  it.each([
    ["%matplotlib inline", magic({ name: "matplotlib", args: "inline" }), []],
    ["%time model.fit(X, y)", magic({ name: "time", args: "model.fit(X, y)" }), ["model.fit(X, y)"]],
    ["%timeit -n 3 f(x)", magic({ name: "timeit", args: "-n 3 f(x)" }), ["f(x)"]],
    ["%pip install xgboost", magic({ name: "pip", args: "install xgboost" }), []],
    ["%env KEY=1", magic({ name: "env", args: "KEY=1" }), ['os.environ["KEY"] = "1"']],
    ["df?", magic({ kind: "help", name: "df" }), []],
  ])("%s", (line, m, lines) => {
    expect(rewriteMagicLine(m, line, 0, "s").lines).toEqual(lines);
  });

  it("pip lines are dependencies", () => {
    const r = rewriteMagicLine(
      magic({ kind: "shell", name: "pip", args: "pip install -q tabulate" }),
      "!pip install -q tabulate",
      0,
      "s",
    );
    expect(r.requirements).toEqual(["tabulate"]);
    expect(r.lines).toEqual([]);
  });

  it("%run is a TODO with a finding", () => {
    const r = rewriteMagicLine(magic({ name: "run", args: "helpers.py" }), "%run helpers.py", 2, "s");
    expect(r.lines[0]).toMatch(/^# TODO\(fledge\)/);
    expect(r.findings[0]?.code).toBe("run-magic");
  });

  it.each([
    ["ls data", undefined, 'subprocess.run(["ls", "data"], check=True)'],
    ['echo "a b"', undefined, 'subprocess.run(["echo", "a b"], check=True)'],
    [
      "ls data",
      "files",
      'files = subprocess.run(["ls", "data"], capture_output=True, text=True, check=True).stdout.splitlines()',
    ],
    ["wc -l < f.csv | head", undefined, 'subprocess.run("wc -l < f.csv | head", shell=True, check=True)'],
    ["wget {url} -O $out", undefined, 'subprocess.run(f"wget {url} -O {out}", shell=True, check=True)'],
  ])("!%s → subprocess", (cmd, assigned, expected) => {
    expect(shellToPython(cmd, assigned)).toBe(expected);
  });
});

const ctx = (helperArgs: Record<string, string[]> = {}) => ({
  helperArgs: new Map(Object.entries(helperArgs)),
  printToLogging: true,
});

describe("statement rewrites", () => {
  it.each([
    ['print(f"acc: {acc:.3f}")', 'logger.info(f"acc: {acc:.3f}")'],
    ['print("RMSE:", rmse)', 'logger.info("RMSE: %s", rmse)'],
    ["print(a, b)", 'logger.info("%s %s", a, b)'],
    ["print('50% done', n)", 'logger.info("50%% done %s", n)'],
    ['print("x", file=sys.stderr)', 'print("x", file=sys.stderr)'],
    ["for i in range(3):\n    print()", "for i in range(3):\n    pass"],
  ])("%s", (code, expected) => {
    expect(rewriteStatement(code, undefined, ctx()).code).toBe(expected);
  });

  it("drops statements that only display", () => {
    for (const code of ["df.head()", "df", "display(df)", "plt.show()", "df.describe()"]) {
      expect(rewriteStatement(code, undefined, ctx()).dropped, code).toBe(true);
    }
    for (const code of ["model.fit(X, y)", "df.to_csv(path)", "x = df.head()"]) {
      expect(rewriteStatement(code, undefined, ctx()).dropped, code).toBe(false);
    }
  });

  it("passes the globals a helper reads, including when the helper is passed as a value", () => {
    const r = rewriteStatement("y = f(x)\nz = df.apply(f)\nw = f()", undefined, ctx({ f: ["rate"] }));
    expect(r.code).toBe("y = f(x, rate=rate)\nz = df.apply(partial(f, rate=rate))\nw = f(rate=rate)");
    expect(r.usesPartial).toBe(true);
  });

  it("adds keyword-only parameters to a helper's signature", () => {
    expect(
      rewriteHelper('def f(a, b=1):\n    """F."""\n    return g(a) * RATE', ["RATE"], ctx({ g: ["K"] })).code,
    ).toBe('def f(a, b=1, *, RATE):\n    """F."""\n    return g(a, K=K) * RATE');
    expect(rewriteHelper('def f(*args, **kw):\n    """F."""\n    return RATE', ["RATE"], ctx()).code).toBe(
      'def f(*args, RATE, **kw):\n    """F."""\n    return RATE',
    );
  });

  it("gives a helper without a docstring a short one from its name", () => {
    expect(
      rewriteHelper("def add_features(frame):\n    # copy first\n    return frame.copy()", [], ctx()).code,
    ).toBe('def add_features(frame):\n    # copy first\n    """Add features."""\n    return frame.copy()');
    expect(rewriteHelper("def f(x):\n    global RATE\n    return x * RATE", ["RATE"], ctx()).code).toBe(
      'def f(x, *, RATE):\n    """F."""\n    return x * RATE',
    );
    expect(rewriteHelper('def g():\n    "Already."\n    return 1', [], ctx()).code).toBe(
      'def g():\n    "Already."\n    return 1',
    );
  });

  it("turns secrets into environment reads", () => {
    const r = rewriteStatement('api_key = "abcd1234secret"', undefined, ctx());
    expect(r.code).toBe('api_key = os.environ["API_KEY"]');
    expect(r.envVars).toEqual(["API_KEY"]);
    expect(rewriteStatement('token = "ghp_' + "a".repeat(36) + '"', undefined, ctx()).code).toContain(
      "os.environ",
    );
  });

  it("reports exec and unparsable text instead of failing", () => {
    expect(rewriteStatement("exec(code)", undefined, ctx()).problems[0]?.kind).toBe("exec");
    expect(rewriteStatement("def (:", undefined, ctx()).problems[0]?.kind).toBe("syntax");
  });

  it("renames variables but not attributes or keywords", () => {
    expect(
      renameIdentifiers("y = WINDOW + obj.WINDOW + f(WINDOW=WINDOW)", new Map([["WINDOW", "window"]])),
    ).toBe("y = window + obj.WINDOW + f(WINDOW=window)");
  });
});

describe("type hints from the code", () => {
  const h = hintContext([
    {
      module: "pandas",
      names: [],
      alias: "pd",
      star: false,
      binds: ["pd"],
      span: { line: 1, column: 1, endLine: 1, endColumn: 1 },
    },
    {
      module: "sklearn.ensemble",
      names: [{ name: "RandomForestClassifier" }],
      star: false,
      binds: ["RandomForestClassifier"],
      span: { line: 1, column: 1, endLine: 1, endColumn: 1 },
    },
    {
      module: "sklearn.metrics",
      names: [{ name: "accuracy_score" }],
      star: false,
      binds: ["accuracy_score"],
      span: { line: 1, column: 1, endLine: 1, endColumn: 1 },
    },
  ]);
  it.each([
    ['pd.read_csv("x.csv")', "pd.DataFrame"],
    ["RandomForestClassifier(n_estimators=10)", "RandomForestClassifier"],
    ["RandomForestClassifier().fit(X, y)", "RandomForestClassifier"],
    ["accuracy_score(y, p)", "float"],
    ["0.25", "float"],
    ["42", "int"],
    ["some_call()", undefined],
  ])("%s → %s", (rhs, hint) => {
    expect(hintFor(rhs, h)).toBe(hint);
  });
});

describe("ruff (WebAssembly)", () => {
  const settings = ruffSettings("pkg", "3.11");
  it("sorts imports, removes unused ones and formats", () => {
    const r = ruffFile(
      "x.py",
      "import sys\nimport pandas as pd, os\nfrom pkg.a import b\nx=pd.DataFrame(b)\nprint(os.sep)\n",
      settings,
    );
    expect(r.code).toBe(
      "import os\n\nimport pandas as pd\n\nfrom pkg.a import b\n\nx = pd.DataFrame(b)\nprint(os.sep)\n",
    );
  });
  it("silences what remains in the user's code with a targeted noqa", () => {
    const r = ruffFile("x.py", "def f():\n    l = 1\n    return l\n", settings);
    expect(r.code).toContain("l = 1  # noqa: E741");
    expect(r.silenced).toEqual(["E741"]);
  });
  it("refuses invalid Python as an internal error naming the file", () => {
    expect(() => ruffFile("src/pkg/steps/bad.py", "def f(:\n", settings)).toThrow(/src\/pkg\/steps\/bad\.py/);
  });
});

describe("lock and naming", () => {
  it("pins the transitive closure of the dependencies, skipping extras", () => {
    const installed = [
      {
        name: "pandas",
        version: "2.2.3",
        requires: ["numpy>=1.23", "python-dateutil>=2.8.2", "pytest; extra == 'test'"],
      },
      { name: "numpy", version: "2.1.0", requires: [] },
      { name: "python-dateutil", version: "2.9.0", requires: ["six>=1.5"] },
      { name: "six", version: "1.16.0", requires: [] },
      { name: "pytest", version: "8.0.0", requires: [] },
    ];
    expect(lockLines(["pandas"], installed)).toEqual([
      "numpy==2.1.0",
      "pandas==2.2.3",
      "python-dateutil==2.9.0",
      "six==1.16.0",
    ]);
  });
  it("names packages as valid identifiers that shadow nothing", () => {
    expect(snakeCase("Churn Analysis (v2)")).toBe("churn_analysis_v2");
    expect(snakeCase("01-intro")).toBe("nb_01_intro");
    expect(packageNameFor("pandas", new Set(["pandas"]), "3.11")).toBe("pandas_pipeline");
    expect(packageNameFor("json", new Set(), "3.11")).toBe("json_pipeline");
    expect(packageNameFor("class", new Set(), "3.11")).toBe("class_");
  });
});

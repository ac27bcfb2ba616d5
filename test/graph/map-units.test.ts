/** Unit tables for the map's pieces: heading names, headings, level choice, exploration rules, parameters, magics. */
import { describe, expect, it } from "vitest";
import { markdownHeadings, nameFromHeading, toIdentifier, uniqueNames } from "../../src/graph/naming.js";
import { tokenize } from "../../src/graph/pytokens.js";
import { fstringFields } from "../../src/graph/reports.js";
import { checkWorkflowMap } from "../../src/graph/steps.js";
import { mapNotebook, notebookOf } from "./map-fixture.js";

describe("names from headings", () => {
  const table: [string, string | undefined][] = [
    ["Explore and clean the data", "clean_data"],
    ["Try out some models", "train_models"],
    ["Load the data", "load_data"],
    ["2. Import the dataset", "load_dataset"],
    ["Feature engineering", "build_features"],
    ["Build features", "build_features"],
    ["Build the model", "train_model"],
    ["Train a Random Forest", "train_random_forest"],
    ["Data Preprocessing", "preprocess_data"],
    ["Model evaluation", "evaluate_model"],
    ["Predict this month's customers", "predict_customers"],
    ["Save the **results**", "save_results"],
    ["Exploratory Data Analysis", undefined],
    ["Setup", "setup"],
    ["Fine-tune your model", "tune_model"],
    ["Machine Learning", "train_model"],
  ];
  for (const [heading, name] of table) {
    it(`${heading} → ${name}`, () => {
      expect(nameFromHeading(heading)?.name).toBe(name);
    });
  }

  it("makes valid unique identifiers", () => {
    expect(toIdentifier("3 Train")).toBe("step_3_train");
    expect(toIdentifier("class")).toBe("class_step");
    expect(toIdentifier("Load CSVData")).toBe("load_csv_data");
    expect(toIdentifier("trainModel")).toBe("train_model");
    expect(uniqueNames(["clean_data", "clean_data", "load_data", "clean_data"])).toEqual([
      "clean_data",
      "clean_data_2",
      "load_data",
      "clean_data_3",
    ]);
  });
});

describe("markdown headings", () => {
  it("reads ATX, setext and HTML headings, not fenced code", () => {
    const md =
      "# Title\n\nText\n\nPart two\n--------\n\n```\n# not a heading\n```\n<h3>Third</h3>\n## [Linked](http://x) `code` ##";
    expect(markdownHeadings(md)).toEqual([
      { level: 1, text: "Title" },
      { level: 2, text: "Part two" },
      { level: 3, text: "Third" },
      { level: 2, text: "Linked code" },
    ]);
  });
});

describe("tokenizer", () => {
  it("keeps comments and strings out of code", () => {
    const toks = tokenize('x = f("a # b", r\'\\d\')  # df.to_csv("x.csv")\ny = 1.5e3');
    expect(toks.map((t) => t.text)).toEqual([
      "x",
      "=",
      "f",
      "(",
      '"a # b"',
      ",",
      "r'\\d'",
      ")",
      "y",
      "=",
      "1.5e3",
    ]);
  });
});

const LOAD = 'import pandas as pd\ndf = pd.read_csv("in.csv")';

describe("heading level choice", () => {
  const section = (i: number) => `df${i} = df.dropna()\ndf${i}.to_csv("out${i}.csv")`;
  it("uses the coarsest level that gives 3–12 steps", async () => {
    const nb = notebookOf([
      { md: "# Title" },
      LOAD,
      { md: "## One" },
      section(1),
      { md: "### detail" },
      section(2),
      { md: "## Two" },
      section(3),
      { md: "## Three" },
      section(4),
    ]);
    const { map } = await mapNotebook(nb);
    // Level 1 gives one section; level 2 gives four (the title's section holds the load), "### detail" stays
    // inside "## One".
    expect(map.strategy).toEqual({ kind: "headings", level: 2 });
    expect(map.steps.map((s) => s.cells)).toEqual([[1], [3, 5], [7], [9]]);
  });

  it("falls back to dataflow cuts when headings give fewer than 3 steps", async () => {
    const nb = notebookOf([{ md: "# Title" }, LOAD, { md: "## Only" }, section(1), section(2)]);
    const { map } = await mapNotebook(nb);
    expect(map.strategy).toEqual({ kind: "dataflow" });
  });

  it("falls back to dataflow cuts when every level gives more than 12 steps", async () => {
    const cells: (string | { md: string })[] = [LOAD];
    for (let i = 0; i < 14; i++) cells.push({ md: `## Part ${i}` }, section(i));
    const { map } = await mapNotebook(notebookOf(cells));
    expect(map.strategy).toEqual({ kind: "dataflow" });
    expect(map.steps.length).toBeGreaterThanOrEqual(1);
    expect(map.steps.length).toBeLessThanOrEqual(8);
  });

  it("merges a step of one short statement without a role into its neighbour", async () => {
    const nb = notebookOf([
      { md: "## Load" },
      LOAD,
      { md: "## Constant" },
      "factor = 3",
      { md: "## Scale" },
      'df["x"] = df["x"] * factor\ndf = df.dropna()',
      { md: "## Save" },
      'df.to_csv("out.csv")',
    ]);
    const { map } = await mapNotebook(nb);
    // `factor = 3` feeds the next step: it joins it.
    expect(map.steps.map((s) => s.name)).toEqual(["load_data", "scale_data", "save_results"]);
    expect(map.steps[1]!.statements).toContainEqual({ cell: 3, statement: 0 });
  });
});

describe("exploration and results", () => {
  async function kinds(source: string) {
    const { map, analysis, nb } = await mapNotebook(
      notebookOf([
        'import pandas as pd\nimport matplotlib.pyplot as plt\nimport numpy as np\ndf = pd.read_csv("in.csv")',
        source,
        'df.to_parquet("out.parquet")',
      ]),
    );
    expect(checkWorkflowMap(nb, analysis, map)).toEqual([]);
    const explored = new Set(map.exploration.filter((r) => r.cell === 1).map((r) => r.statement));
    const results = new Set(
      map.steps
        .flatMap((s) => s.results)
        .filter((r) => r.cell === 1)
        .map((r) => r.statement),
    );
    return analysis.cells[1]!.statements.map((_, i) =>
      explored.has(i) ? "explore" : results.has(i) ? "result" : "step",
    );
  }
  const table: [string, string[]][] = [
    ["df.head()", ["explore"]],
    ["df.describe()\nprint(df.shape)", ["explore", "explore"]],
    ["display(df)\ndf", ["explore", "explore"]],
    ['plt.plot(df["a"])\nplt.show()', ["explore", "explore"]],
    // The drawing is part of the saved figure.
    ['plt.plot(df["a"])\nplt.savefig("fig.png")', ["result", "result"]],
    ['df.to_csv("out.csv")', ["result"]],
    ['with open("notes.txt", "w") as f:\n    f.write("x")', ["result"]],
    ["np.random.seed(42)", ["step"]],
    ["df = df.dropna()\ndf.head()", ["step", "explore"]],
    ['len(df)\ndf.groupby("a")["b"].mean()', ["explore", "explore"]],
    ["corr = df.corr()\nplt.imshow(corr)", ["explore", "explore"]],
    ["df.dropna(inplace=True)", ["step"]],
    // The commented-out to_csv writes nothing; `print(n)` reports a named count (see "reporting prints").
    ["# df.to_csv('x.csv')\nn = len(df)\nprint(n)", ["step", "step"]],
  ];
  for (const [src, want] of table) {
    it(JSON.stringify(src), async () => {
      expect(await kinds(src)).toEqual(want);
    });
  }

  it("keeps metrics and their prints as results of a step", async () => {
    const nb = notebookOf([
      "from sklearn.linear_model import LinearRegression\nfrom sklearn.metrics import r2_score\nimport pandas as pd",
      'df = pd.read_csv("in.csv")\nX = df[["a"]]\ny = df["b"]',
      "model = LinearRegression()\nmodel.fit(X, y)",
      "r2 = r2_score(y, model.predict(X))\nprint(r2)\nr2",
    ]);
    const { map } = await mapNotebook(nb);
    const results = map.steps.flatMap((s) => s.results).filter((r) => r.cell === 3);
    expect(results).toEqual([
      { cell: 3, statement: 0 },
      { cell: 3, statement: 1 },
      { cell: 3, statement: 2 },
    ]);
  });
});

describe("reporting prints", () => {
  async function kinds(source: string) {
    const { map, analysis, nb } = await mapNotebook(
      notebookOf([
        'import sys\nimport numpy as np\nimport pandas as pd\ndf = pd.read_csv("in.csv")',
        source,
        'df.to_parquet("out.parquet")',
      ]),
    );
    expect(checkWorkflowMap(nb, analysis, map)).toEqual([]);
    const explored = new Set(map.exploration.filter((r) => r.cell === 1).map((r) => r.statement));
    return analysis.cells[1]!.statements.map((_, i) => (explored.has(i) ? "explore" : "step"));
  }
  // Kept: every value printed is a scalar and at least one is a name the notebook bound to a scalar.
  const kept: [string, string[]][] = [
    ['regions_seen = df["region"].nunique()\nprint(f"{regions_seen} regions")', ["step", "step"]],
    ['acc = (df["pred"] == df["label"]).mean()\nprint("accuracy", acc)', ["step", "step"]],
    ['total = df["b"].sum()\nprint("total:", round(total, 2))', ["step", "step"]],
    // Keyword arguments on the right-hand side are not a second assignment.
    ['rows = pd.read_csv("in.csv", usecols=["a"]).shape[0]\nprint(f"{rows:,} rows")', ["step", "step"]],
    [
      'n_before = len(df)\ndf = df.dropna()\nprint(f"dropped {n_before - len(df)} rows")',
      ["step", "step", "step"],
    ],
    ["missing = df.isnull().sum().sum()\nprint(f'{missing=}')", ["step", "step"]],
    ['n = 0\nn += df.shape[0]\nprint("rows:", n, sep=" ")', ["step", "step", "step"]],
    ['share = np.mean(df["a"] > 0)\nprint(f"{share:.1%} positive")', ["step", "step"]],
    ['cap = df["a"].quantile(0.99)\nprint("cap", cap)', ["step", "step"]],
  ];
  // Dropped: whole tables, summaries, values computed only inside the print, prints to another stream.
  const dropped: [string, string[]][] = [
    ["print(df.head())", ["explore"]],
    ["print(df)", ["explore"]],
    ["df.info()", ["explore"]],
    ["print(df.describe())", ["explore"]],
    ["print(df.shape)", ["explore"]],
    ["print(len(df))", ["explore"]],
    ['print("done")', ["explore"]],
    ["missing = df.isnull().sum()\nprint(missing)", ["explore", "explore"]],
    ['top = df.head(3)\nprint(f"top rows: {top}")', ["explore", "explore"]],
    ['by_a = df.groupby("a")["b"].sum()\nprint("by a", by_a)', ["explore", "explore"]],
    ['m = df["a"].mean()\nprint(m, file=sys.stderr)', ["explore", "explore"]],
    ['cols = ["a", "b"]\nprint("columns", cols)', ["explore", "explore"]],
    ['qs = df["a"].quantile([0.25, 0.75])\nprint("quartiles", qs)', ["explore", "explore"]],
    ['means = np.mean(df, axis=0)\nprint("means", means)', ["explore", "explore"]],
    ['a, b = df["a"].sum(), df["b"].sum()\nprint("sums", a, b)', ["explore", "explore"]],
    ['shape = df.shape\nprint(f"{shape} rows")', ["explore", "explore"]],
  ];
  for (const [src, want] of [...kept, ...dropped]) {
    it(JSON.stringify(src), async () => {
      expect(await kinds(src)).toEqual(want);
    });
  }

  it("a kept report stays computation: its step is not renamed an evaluation", async () => {
    const { map } = await mapNotebook(
      notebookOf([
        'import pandas as pd\norders = pd.read_csv("orders.csv")',
        { md: "## Count regions" },
        'regions_seen = orders["region"].nunique()\nprint(f"{regions_seen} regions")',
      ]),
    );
    const step = map.steps.find((s) => s.statements.some((r) => r.cell === 2))!;
    expect(step.statements).toEqual([
      { cell: 2, statement: 0 },
      { cell: 2, statement: 1 },
    ]);
    expect(step.results).toEqual([]);
    expect(step.name).not.toMatch(/^evaluate/);
  });
});

describe("f-string fields", () => {
  const table: [string, string[]][] = [
    ['f"{n} regions"', ["n"]],
    ["f'{acc:.3f} and {a == b}'", ["acc", "a == b"]],
    ['f"{x!r} {{literal}} {y=}"', ["x", "y"]],
    ["f\"{a != b} {d['k']:>{width}}\"", ["a != b", "d['k']"]],
    ['"{not} an f-string"', []],
    ['rf"{path}\\x"', ["path"]],
  ];
  for (const [tok, want] of table) {
    it(tok, () => {
      expect(fstringFields(tok)).toEqual(want);
    });
  }
});

describe("IPython lines", () => {
  it("%matplotlib and help are exploration; %%time goes with its cell; !pip alone is exploration", async () => {
    const nb = notebookOf([
      "%matplotlib inline\nimport pandas as pd",
      "!pip install lightgbm",
      '%%time\ndf = pd.read_csv("in.csv")\ndf = df.dropna()',
      "df?",
      'df.to_csv("out.csv")',
    ]);
    const { map, analysis } = await mapNotebook(nb);
    expect(map.exploration).toContainEqual({ cell: 0, statement: 0 });
    expect(map.exploration).toContainEqual({ cell: 1, statement: 0 });
    expect(map.exploration).toContainEqual({ cell: 3, statement: 0 });
    const timed = map.steps.find((s) => s.statements.some((r) => r.cell === 2 && r.statement === 1))!;
    expect(timed.statements).toContainEqual({ cell: 2, statement: 0 });
    expect(checkWorkflowMap(nb, analysis, map)).toEqual([]);
  });
});

describe("helpers", () => {
  it("a helper used by one step lives there and its globals are the step's inputs", async () => {
    const nb = notebookOf([
      { md: "## Load" },
      'import pandas as pd\nRATE = 0.2\ndf = pd.read_csv("in.csv")',
      { md: "## Taxes" },
      'def tax(x):\n    return x * RATE\n\ndf["tax"] = df["price"].map(tax)\ndf["total"] = df["price"] + df["tax"]',
      { md: "## Save" },
      'df.to_csv("out.csv")',
    ]);
    const { map } = await mapNotebook(nb);
    const taxes = map.steps[1]!;
    expect(taxes.helpers).toEqual(["tax"]);
    expect(taxes.inputs.sort()).toEqual(["RATE", "df"]);
    expect(taxes.statements).toContainEqual({ cell: 3, statement: 0 });
    expect(map.sharedHelpers).toEqual([]);
  });
});

describe("functions writing globals", () => {
  it("a call to a function with `global x` defines x for later steps", async () => {
    const nb = notebookOf([
      { md: "## Load" },
      'import pandas as pd\ndf = pd.read_csv("in.csv")\ndf = df.dropna()',
      { md: "## Configure" },
      "def configure():\n    global threshold\n    threshold = 3\n\nconfigure()\ndf = df[df.x > 0]",
      { md: "## Filter" },
      'df = df[df["n"] > threshold]\ndf.to_csv("out.csv")',
    ]);
    const { map, nb: n, analysis } = await mapNotebook(nb);
    expect(map.steps[2]!.inputs.sort()).toEqual(["df", "threshold"]);
    expect(map.steps[2]!.unresolved).toEqual([]);
    expect(map.steps[1]!.outputs).toContain("threshold");
    expect(checkWorkflowMap(n, analysis, map)).toEqual([]);
  });

  it("a loop that only prints is exploration; one whose variable is used later is not", async () => {
    const nb = notebookOf([
      'import pandas as pd\ndf = pd.read_csv("in.csv")',
      "for col in df.columns:\n    print(col, df[col].nunique())",
      "for last in df.columns:\n    print(last)",
      'df = df.drop(columns=[last])\ndf.to_csv("out.csv")',
    ]);
    const { map } = await mapNotebook(nb);
    expect(map.exploration).toContainEqual({ cell: 1, statement: 0 });
    expect(map.exploration).not.toContainEqual({ cell: 2, statement: 0 });
  });
});

describe("non-Python cells and helper imports", () => {
  it("a %%bash cell is left out of the steps with a finding", async () => {
    const nb = notebookOf([
      'import pandas as pd\ndf = pd.read_csv("in.csv")',
      "%%bash\nls data/",
      'df.to_csv("out.csv")',
    ]);
    const { map } = await mapNotebook(nb);
    expect(map.exploration).toContainEqual({ cell: 1, statement: 0 });
    expect(map.findings).toContainEqual(
      expect.objectContaining({ code: "non-python-cell", name: "%%bash", cell: 1 }),
    );
  });

  it("a helper's imports go with the helper's step even when nobody calls it", async () => {
    const nb = notebookOf([
      'import numpy as np\nimport pandas as pd\ndf = pd.read_csv("in.csv")',
      "def log_scale(values):\n    return np.log1p(values)",
      'df.to_csv("out.csv")',
    ]);
    const { map } = await mapNotebook(nb);
    const withHelper = map.steps.find((s) => s.statements.some((r) => r.cell === 1))!;
    expect(withHelper.importedNames).toContain("np");
    expect(map.exploration).not.toContainEqual({ cell: 0, statement: 0 });
  });
});

describe("saved figures", () => {
  it("the drawing before a savefig to a path belongs to the result, not to the exploration", async () => {
    const nb = notebookOf([
      'import matplotlib.pyplot as plt\nimport pandas as pd\ndf = pd.read_csv("in.csv")',
      'fig, ax = plt.subplots()\nax.hist(df["age"])\nax.set_title("ages")\nplt.savefig("ages.png")',
      'plt.plot(df["x"])\nplt.show()',
    ]);
    const { map, analysis, nb: n } = await mapNotebook(nb);
    const results = map.steps.flatMap((s) => s.results);
    for (let i = 0; i < 4; i++) expect(map.exploration).not.toContainEqual({ cell: 1, statement: i });
    expect(results).toContainEqual({ cell: 1, statement: 3 });
    expect(map.exploration).toContainEqual({ cell: 2, statement: 0 });
    expect(checkWorkflowMap(n, analysis, map)).toEqual([]);
  });
});

describe("portability", () => {
  it("CRLF sources give the same steps and parameter spans as LF sources", async () => {
    const cells = [
      { md: "## Load\r\n" },
      'import pandas as pd\r\ndf = pd.read_csv("data/in.csv")',
      { md: "## Clean" },
      'df = df.dropna()\r\ndf = df[df["a"] > 0]',
      { md: "## Save" },
      'df.to_csv("out/clean.csv")',
    ];
    const crlf = await mapNotebook(notebookOf(cells));
    const lf = await mapNotebook(
      notebookOf(
        cells.map((c) =>
          typeof c === "string" ? c.replace(/\r\n/g, "\n") : { md: c.md.replace(/\r\n/g, "\n") },
        ),
      ),
    );
    expect(crlf.map.steps.map((s) => [s.name, s.cells, s.inputs, s.outputs])).toEqual(
      lf.map.steps.map((s) => [s.name, s.cells, s.inputs, s.outputs]),
    );
    const p = crlf.map.steps[0]!.parameters[0]!;
    expect(p).toMatchObject({ name: "in_path", literal: '"data/in.csv"', span: { line: 2, column: 18 } });
  });
});

describe("what must stay together", () => {
  it("an object built in place across cells is not cut apart by dataflow cuts", async () => {
    const cells = [
      'import pandas as pd\nfrom keras.models import Sequential\nfrom keras.layers import Dense\ndf = pd.read_csv("in.csv")',
      'df = df.dropna()\ndf = df[df["y"] >= 0]',
      'X = df[["a", "b"]].values\ny = df["y"].values',
      "model = Sequential()",
      // 24 layers: a long builder chain that size alone would cut.
      ...Array.from({ length: 24 }, (_, i) => `model.add(Dense(${i + 8}, activation="relu"))`),
      'model.compile(optimizer="adam", loss="mse")',
      "model.fit(X, y, epochs=10)",
      'model.save("model.keras")',
    ];
    const { map } = await mapNotebook(notebookOf(cells));
    const stepOfCell = (c: number) => map.steps.findIndex((s) => s.cells.includes(c));
    for (let c = 4; c <= 28; c++) expect(stepOfCell(c)).toBe(stepOfCell(3));
  });
});

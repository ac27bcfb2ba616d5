/**
 * The recorded (characterization) tests: Python source appended to the generated tests/test_<step>.py and
 * tests/test_pipeline.py, plus tests/conftest.py with the `recorded` fixture that loads tests/fixtures/.
 *
 * What each test checks is chosen from what the step returned on its sample when the project was generated
 * (fixtures.ts): tables with pandas.testing, float arrays with numpy.testing.assert_allclose, estimators by
 * type, constructor parameters and fitted attributes, plain values by equality — floats always within the
 * tolerance stated at the top of the file. A step whose two calls on the same sample disagreed (unseeded
 * randomness) is checked for types and shapes only, and the test says so. The pipeline test also checks the
 * lines the steps' kept reports printed in the notebook (report-lines.ts), as verify compares printed text.
 */
import type { ProjectModel, StepModel } from "../generate/model.js";
import { helperSource } from "./helper.js";
import type { StepReports } from "./report-lines.js";
import type { Fingerprint, Values } from "./types.js";

export const RTOL = 1e-7;
export const ATOL = 1e-12;

/** What fixtures.ts learnt by calling one step on its recorded sample. */
export interface StepFixture {
  step: string;
  /** Why there is no sample test (reads the notebook's data files, no inputs, the call failed). */
  skipped?: string;
  deterministic: boolean;
  /** Rows kept per table input, and whether they were synthetic (generated from the recorded schema). */
  rows: number;
  synthetic: boolean;
  /** Seed of the synthetic rows. */
  seed?: number;
  /** What the synthetic rows could not follow (python/fledge_synth.py notes). */
  schemaNotes?: string[];
  outputs: Record<string, { file: string; format: string; type: string }>;
  /** Tables the step wrote on the sample, by argument name (their fingerprints: `written/<name>`). */
  written?: Record<string, { file: string; format: string; type: string }>;
  fingerprints: Record<string, Fingerprint>;
  arguments: string[];
  redacted: string[];
}

export interface TestBlock {
  imports: string[];
  lines: string[];
}

const py = (s: string) => JSON.stringify(s);

/** tests/conftest.py: the fixture loader (python/fledge_fixture_loader.py) and the `recorded` pytest fixture. */
export function renderConftest(): string {
  const loader = helperSource("fledge_fixture_loader.py").replace(
    /^import json\n/m,
    "import json\n\nimport pytest\n",
  );
  return `${loader.trimEnd()}


@pytest.fixture
def recorded():
    """Load a value recorded from the notebook's run: \`recorded("clean_data", "inputs/df")\`."""
    return load_recorded
`;
}

function argumentExpression(step: StepModel, name: string): string | undefined {
  const arg = step.args.find((a) => a.name === name);
  if (!arg) return undefined;
  if (arg.source.kind === "input") return name;
  if (arg.source.role === "output") return `str(tmp_path / DEFAULT_PARAMS[${py(arg.source.param)}])`;
  return `DEFAULT_PARAMS[${py(arg.source.param)}]`;
}

function isFloatish(fp: Fingerprint): boolean {
  return fp.kind === "float" || (fp.kind === "sequence" && (fp.items ?? []).some(isFloatish));
}

function flatScalars(fp: Fingerprint): boolean {
  if (fp.kind === "scalar" || fp.kind === "float") return true;
  if (fp.kind === "sequence") return (fp.items ?? []).every((i) => i.kind === "scalar" || i.kind === "float");
  if (fp.kind === "mapping")
    return Object.values(fp.items).every((i) => i.kind === "scalar" || i.kind === "float");
  return false;
}

/** Assertion lines comparing `actual` with `expected` (both Python names), chosen from the fingerprint. */
function assertions(
  fp: Fingerprint,
  actual: string,
  expected: string,
  exact: boolean,
  imports: Set<string>,
): string[] {
  switch (fp.kind) {
    case "dataframe":
    case "series": {
      if (!exact) {
        const shape = `assert ${actual}.shape == ${expected}.shape`;
        if (fp.kind === "series") return [shape, `assert str(${actual}.dtype) == str(${expected}.dtype)`];
        return [
          shape,
          `assert list(${actual}.columns) == list(${expected}.columns)`,
          `assert list(${actual}.dtypes.astype(str)) == list(${expected}.dtypes.astype(str))`,
        ];
      }
      const fn = fp.kind === "dataframe" ? "assert_frame_equal" : "assert_series_equal";
      imports.add(`from pandas.testing import ${fn}`);
      return [`${fn}(${actual}, ${expected}, check_exact=False, rtol=RTOL, atol=ATOL)`];
    }
    case "ndarray": {
      if (!exact)
        return [`assert ${actual}.shape == ${expected}.shape`, `assert ${actual}.dtype == ${expected}.dtype`];
      const float = !fp.data.exact;
      const fn = float ? "assert_allclose" : "assert_array_equal";
      imports.add(`from numpy.testing import ${fn}`);
      return [
        float
          ? `${fn}(${actual}, ${expected}, rtol=RTOL, atol=ATOL, equal_nan=True)`
          : `${fn}(${actual}, ${expected})`,
      ];
    }
    case "estimator": {
      const fitted = Object.keys(fp.fitted);
      const lines = [
        `assert type(${actual}) is type(${expected})`,
        `assert plain_params(${actual}) == plain_params(${expected})`,
        `assert fitted_attributes(${actual}) == ${pyList(fitted)}`,
      ];
      if (exact) {
        // Deterministic on the sample (seeds pinned): what fit learnt, and what the model predicts.
        lines.push(
          `assert_fitted_equal(${actual}, ${expected})`,
          `assert_same_predictions(${actual}, ${expected}, sample_inputs)`,
        );
      }
      return lines;
    }
    case "float":
    case "scalar":
    case "sequence":
    case "mapping":
      if (!exact) return [`assert type(${actual}) is type(${expected})`];
      if (flatScalars(fp)) {
        if (isFloatish(fp) || (fp.kind === "mapping" && Object.values(fp.items).some(isFloatish))) {
          imports.add("import pytest");
          return [`assert ${actual} == pytest.approx(${expected}, rel=RTOL, abs=ATOL, nan_ok=True)`];
        }
        return [`assert ${actual} == ${expected}`];
      }
      return [`assert type(${actual}) is type(${expected})`, `assert len(${actual}) == len(${expected})`];
    case "text":
      return [`assert ${actual} == ${expected}`];
    default:
      return [`assert type(${actual}) is type(${expected})`];
  }
}

function pyList(items: string[]): string {
  return `[${items.map(py).join(", ")}]`;
}

const ESTIMATOR_HELPERS = [
  "",
  "",
  "def plain_params(estimator):",
  '    """Constructor parameters as comparable values (nested estimators by their repr)."""',
  "    return {",
  '        name: repr(value) if hasattr(value, "get_params") or isinstance(value, (list, tuple)) else value',
  "        for name, value in estimator.get_params().items()",
  "    }",
  "",
  "",
  "def fitted_attributes(estimator):",
  '    """Names of what `fit` learnt (scikit-learn\'s trailing-underscore convention)."""',
  '    return sorted(name for name in vars(estimator) if name.endswith("_") and not name.startswith("_"))',
  "",
  "",
  "def assert_fitted_equal(actual, expected):",
  '    """What `fit` learnt: feature names and counts exactly, coefficients and other arrays within the tolerance."""',
  "    for name in fitted_attributes(expected):",
  "        got, want = getattr(actual, name), getattr(expected, name)",
  '        if isinstance(want, np.ndarray) and want.dtype.kind in "fc":',
  "            assert_allclose(got, want, rtol=RTOL, atol=ATOL, equal_nan=True, err_msg=name)",
  '        elif isinstance(want, np.ndarray) and want.dtype.kind in "biuUSO":',
  "            assert_array_equal(got, want, err_msg=name)",
  "        elif isinstance(want, (bool, int, str)):",
  '            assert got == want, f"{name}: {got!r} vs {want!r}"',
  "",
  "",
  "def assert_same_predictions(actual, expected, frames):",
  '    """Both models predict the same on the sample rows (the first input table holding their features)."""',
  '    names = getattr(expected, "feature_names_in_", None)',
  '    if names is None or not hasattr(expected, "predict"):',
  "        return",
  "    for frame in frames:",
  "        if isinstance(frame, pd.DataFrame) and set(names) <= set(frame.columns):",
  "            rows = frame[list(names)].dropna()",
  "            if len(rows):",
  "                assert_array_equal(actual.predict(rows), expected.predict(rows))",
  "            return",
];

/** The recorded test of one step (appended to tests/test_<step>.py), or a comment saying why there is none. */
export function renderRecordedStepTest(step: StepModel, model: ProjectModel, fx: StepFixture): TestBlock {
  const imports = new Set<string>();
  if (fx.skipped) {
    return {
      imports: [],
      lines: [
        "",
        `# No recorded sample test for \`${step.name}\`: ${fx.skipped}.`,
        "# tests/test_pipeline.py covers it.",
      ],
    };
  }
  const exact = fx.deterministic;
  const lines: string[] = [];
  lines.push(`RTOL = ${RTOL}  # floats may differ by rounding only`, `ATOL = ${ATOL}`);
  const estimators = Object.values(fx.fingerprints).some((f) => f.kind === "estimator");
  if (estimators) {
    lines.push(...ESTIMATOR_HELPERS);
    for (const i of [
      "import numpy as np",
      "import pandas as pd",
      "from numpy.testing import assert_allclose, assert_array_equal",
    ])
      imports.add(i);
  }
  const usesTmp = step.args.some((a) => a.source.kind === "param" && a.source.role === "output");
  const usesParams = step.args.some((a) => a.source.kind === "param" && fx.arguments.includes(a.name));
  if (usesParams) imports.add(`from ${model.packageName}.pipeline import DEFAULT_PARAMS`);
  const fixtureArgs = ["recorded", ...(usesTmp ? ["tmp_path"] : [])].join(", ");
  const what = fx.synthetic
    ? `${fx.rows} synthetic rows (not real data) generated with seed ${fx.seed ?? 0} from the schema of what it received when ${model.notebookName} ran`
    : `up to ${fx.rows} rows of what it received when ${model.notebookName} ran (with missing values and every category)`;
  lines.push(
    "",
    "",
    `def test_${step.name}_on_recorded_sample(${fixtureArgs}) -> None:`,
    `    """\`${step.name}\` gives on a recorded sample what it gave when fledge generated this project.`,
    "",
    `    The inputs (tests/fixtures/${step.name}/) are ${what};`,
    "    the expected values are what the step returned for them.",
  );
  if (!exact) {
    lines.push(
      "",
      "    Two calls on the same sample gave different results (randomness without a seed), so only types and",
      "    shapes are checked.",
    );
  }
  lines.push('    """');
  const inputs = step.args.filter((a) => a.source.kind === "input" && fx.arguments.includes(a.name));
  for (const a of inputs) lines.push(`    ${a.name} = recorded(${py(step.name)}, ${py(`inputs/${a.name}`)})`);
  if (estimators && exact) {
    lines.push(
      `    sample_inputs = [${inputs.map((a) => `${a.name}.copy()`).join(", ")}]  # before the step can change them`,
    );
  }
  const callArgs = step.args
    .filter((a) => fx.arguments.includes(a.name))
    .map((a) => {
      const expr = argumentExpression(step, a.name) as string;
      return a.source.kind === "input" ? expr : `${a.name}=${expr}`;
    });
  const returns = step.returns.map((r) => r.name);
  const call = `${step.name}(${callArgs.join(", ")})`;
  if (returns.length === 0) {
    lines.push(`    assert ${call} is None`);
  } else {
    lines.push(
      `    ${returns.length === 1 ? "result" : returns.map((r) => `result_${r}`).join(", ")} = ${call}`,
    );
  }
  for (const r of returns) {
    const fp = fx.fingerprints[r];
    if (!fp) continue;
    const actual = returns.length === 1 ? "result" : `result_${r}`;
    const expected = `expected_${r}`;
    lines.push("", `    ${expected} = recorded(${py(step.name)}, ${py(`outputs/${r}`)})`);
    for (const a of assertions(fp, actual, expected, exact, imports)) lines.push(`    ${a}`);
  }
  // The files it writes (its output-path arguments): a table is compared with what it wrote when recorded.
  for (const param of step.args) {
    if (param.source.kind !== "param" || param.source.role !== "output") continue;
    if (!fx.arguments.includes(param.name)) continue;
    const w = param.name;
    const path = `tmp_path / DEFAULT_PARAMS[${py(param.source.param)}]`;
    const key = param.source.param;
    const value = model.params.find((p) => p.name === key)?.value;
    const reader = typeof value === "string" ? tableReader(value) : undefined;
    const fp = fx.fingerprints[`written/${w}`];
    if (!reader || !fx.written?.[w] || !fp) {
      lines.push(`    assert (${path}).exists()`);
      continue;
    }
    imports.add("import pandas as pd");
    const name = `written_${w.replace(/\W/g, "_")}`;
    lines.push(
      "",
      `    # What it wrote to ${py(String(value))}, read back as fledge read it when recording.`,
      `    ${name} = ${reader(path)}`,
      `    expected_${name} = recorded(${py(step.name)}, ${py(`written/${w}`)})`,
    );
    for (const a of assertions(fp, name, `expected_${name}`, exact, imports)) lines.push(`    ${a}`);
  }
  return { imports: [...imports].sort(), lines };
}

const METRIC_LINE =
  /\b(acc(uracy)?|rmse|mse|mae|mape|r2|r\^2|r\u00b2|f1|auc|roc|precision|recall|score|loss|error|log[-_ ]?loss)\b/i;
const NUMBER = /[-+]?(?:\d+\.\d+|\d+\.|\.\d+|\d+)(?:[eE][-+]?\d+)?/g;

/** Numbers on the lines the notebook printed that name a metric (accuracy, RMSE, F1, …), as printed. */
export function printedMetrics(stdout: string, limit = 12): string[] {
  const out: string[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    if (!METRIC_LINE.test(line)) continue;
    for (const m of line.match(NUMBER) ?? []) {
      if (/\./.test(m) && !out.includes(m)) out.push(m);
    }
    if (out.length >= limit) break;
  }
  return out.slice(0, limit);
}

/**
 * How the pipeline test checks the steps' reports, as verify compares printed text (compare.ts
 * `comparePrinted`): a logged line is paired with the printed one by its text with the numbers blanked out,
 * then the numbers are compared — integers exactly, others within the tolerance (printed numbers are rounded
 * the same way on both sides, so only a changed value differs).
 */
const REPORT_HELPERS = [
  "",
  "",
  'REPORTED_NUMBER = re.compile(r"[-+]?(?:\\d+\\.\\d*|\\.\\d+|\\d+)(?:[eE][-+]?\\d+)?")',
  "",
  "",
  "def without_numbers(line: str) -> str:",
  '    """The line with its numbers blanked out: how a logged line is paired with the printed one."""',
  '    return " ".join(REPORTED_NUMBER.sub("#", line).split())',
  "",
  "",
  "def assert_reported(caplog: pytest.LogCaptureFixture, logger: str, printed: list[str], numbers: bool = True) -> None:",
  '    """Each line the notebook printed is logged again by the step (`logger`), with the same numbers.',
  "",
  `    Integers must be equal; other numbers may differ by rounding only (relative ${RTOL}).`,
  '    """',
  "    logged = [line for record in caplog.records if record.name == logger for line in record.getMessage().splitlines()]",
  "    for line in printed:",
  "        match = next((got for got in logged if without_numbers(got) == without_numbers(line)), None)",
  '        assert match is not None, f"the notebook printed {line!r}; {logger} logged no such line"',
  "        logged.remove(match)",
  "        if not numbers:",
  "            continue",
  "        for want, got in zip(REPORTED_NUMBER.findall(line), REPORTED_NUMBER.findall(match)):",
  '            if want.lstrip("+-").isdigit() and got.lstrip("+-").isdigit():',
  '                assert int(got) == int(want), f"logged {match!r}; the notebook printed {line!r}"',
  "            else:",
  `                assert float(got) == pytest.approx(float(want), rel=${RTOL}, abs=${ATOL}), (`,
  '                    f"logged {match!r}; the notebook printed {line!r}"',
  "                )",
];

/** Checks of the pipeline's final values against the notebook's recorded run (appended to test_pipeline.py). */
export function renderRecordedPipelineTest(
  model: ProjectModel,
  finals: Record<string, Fingerprint>,
  metrics: string[],
  /** Fingerprints of the files the notebook wrote, by output-path parameter. */
  written: Record<string, Fingerprint> = {},
  /** The lines each step's kept reports printed in the notebook (report-lines.ts). */
  reports: StepReports[] = [],
): TestBlock {
  const imports = new Set<string>(["import logging", "import re", "import pytest"]);
  const lines = [
    ...(reports.length > 0 ? REPORT_HELPERS : []),
    "",
    "",
    `def test_pipeline_reproduces_the_notebook(tmp_path: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]) -> None:`,
    `    """The pipeline returns (and reports) the values ${model.notebookName} produced when fledge recorded it."""`,
    "    caplog.set_level(logging.INFO)",
    '    params = load_params(PROJECT / "params.yaml")',
  ];
  const data = model.params.filter((p) => p.role === "data").map((p) => p.name);
  if (data.length > 0) {
    lines.push(
      '    data_dir = Path(params["data_dir"])',
      `    if not all((data_dir / params[key]).exists() for key in (${data.map(py).join(", ")},)):`,
      `        pytest.skip(f"the notebook's data is not under {data_dir}")`,
    );
  }
  lines.push('    results = run({**params, "outputs_dir": str(tmp_path)})');
  let checks = 0;
  let usesResults = false;
  for (const [name, fp] of Object.entries(finals)) {
    const v = `results[${py(name)}]`;
    if (fp.kind === "float" && typeof fp.value === "number") {
      lines.push(`    assert ${v} == pytest.approx(${pyFloat(fp.value)}, rel=${RTOL})`);
    } else if (fp.kind === "scalar" && (typeof fp.value === "number" || typeof fp.value === "boolean")) {
      lines.push(
        `    assert ${v} == ${typeof fp.value === "boolean" ? (fp.value ? "True" : "False") : fp.value}`,
      );
    } else if (fp.kind === "scalar" && typeof fp.value === "string" && fp.value.length <= 60) {
      lines.push(`    assert ${v} == ${py(fp.value)}`);
    } else if (fp.kind === "dataframe" || fp.kind === "series" || fp.kind === "ndarray") {
      lines.push(...arrayChecks(v, fp));
    } else if (fp.kind === "estimator") {
      lines.push(`    assert type(${v}).__name__ == ${py(fp.type.split(".").pop() as string)}`);
      lines.push(...estimatorChecks(v, fp));
    } else {
      continue;
    }
    checks++;
    usesResults = true;
  }
  for (const [key, fp] of Object.entries(written)) {
    const param = model.params.find((p) => p.name === key);
    const reader = param && typeof param.value === "string" ? tableReader(param.value) : undefined;
    if (!reader || fp.kind !== "dataframe") continue;
    const name = `written_${key.replace(/\W/g, "_")}`;
    imports.add("import pandas as pd");
    lines.push(
      `    # The file the pipeline wrote, read back as fledge read the one the notebook wrote.`,
      `    ${name} = ${reader(`tmp_path / params[${py(key)}]`)}`,
      ...arrayChecks(name, fp, true),
    );
    checks++;
  }
  if (metrics.length > 0) {
    lines.push(
      "    # Numbers the notebook printed on its metric lines; the pipeline prints or logs the same.",
      '    reported = set(re.findall(r"[-+]?\\d*\\.\\d+(?:[eE][-+]?\\d+)?", capsys.readouterr().out + caplog.text))',
      `    for number in (${metrics.map(py).join(", ")},):`,
      '        assert number in reported, f"the notebook printed {number}; the pipeline did not"',
    );
    checks++;
  }
  if (reports.length > 0) {
    lines.push("    # The lines the steps reported when the notebook ran (its prints, which the steps log).");
    for (const r of reports) {
      if (r.random) lines.push(`    # ${r.step} is random (${r.random}): its lines, not their numbers.`);
      lines.push(
        `    assert_reported(caplog, ${py(r.logger)}, ${pyList(r.lines)}${r.random ? ", numbers=False" : ""})`,
      );
      checks++;
    }
  }
  if (checks === 0) return { imports: [], lines: [] };
  // Checks of the reports and files alone do not look at the returned values (ruff F841).
  if (!usesResults) {
    const at = lines.indexOf('    results = run({**params, "outputs_dir": str(tmp_path)})');
    lines[at] = '    run({**params, "outputs_dir": str(tmp_path)})';
  }
  return { imports: [...imports].sort(), lines };
}

/** Feature names and counts of a fitted estimator, and the means of its fitted float arrays (coefficients). */
function estimatorChecks(v: string, fp: Fingerprint & { kind: "estimator" }): string[] {
  const lines: string[] = [];
  for (const [name, f] of Object.entries(fp.fitted)) {
    const attr = `${v}.${name}`;
    if (f.kind === "ndarray" && f.data.exact && f.data.values) {
      lines.push(`    assert list(${attr}) == ${pyList(f.data.values)}`);
    } else if (f.kind === "scalar" && typeof f.value === "number" && Number.isSafeInteger(f.value)) {
      lines.push(`    assert ${attr} == ${f.value}`);
    } else if (f.kind === "ndarray" && !f.data.exact && f.shape.length <= 2) {
      const check = valueCheck(attr, f.data, false);
      if (check) lines.push(`    ${check}`);
    }
  }
  return lines;
}

/** How the recorder reads a written table (python/fledge_record.py `fingerprint_file`), by file extension. */
function tableReader(path: string): ((expr: string) => string) | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith(".csv")) return (e) => `pd.read_csv(${e})`;
  if (lower.endsWith(".tsv")) return (e) => `pd.read_csv(${e}, sep="\\t")`;
  if (lower.endsWith(".parquet")) return (e) => `pd.read_parquet(${e})`;
  return undefined;
}

/** Shape, column names (and dtypes), and per-column sums/means of a table, series or array. */
function arrayChecks(
  v: string,
  fp: Fingerprint & { kind: "dataframe" | "series" | "ndarray" },
  dtypes = false,
): string[] {
  const lines = [`    assert ${v}.shape == (${fp.shape.join(", ")}${fp.shape.length === 1 ? "," : ""})`];
  if (fp.kind === "dataframe" && fp.columns.every((c) => typeof c === "string")) {
    lines.push(`    assert list(${v}.columns) == ${pyList(fp.columns as string[])}`);
    if (dtypes) {
      const types = (fp.columns as string[]).map((c) => fp.dtypes[c] ?? "");
      if (types.every((t) => t !== ""))
        lines.push(`    assert list(${v}.dtypes.astype(str)) == ${pyList(types)}`);
    }
    const cols = (fp.columns as string[]).filter((c) => fp.columns.indexOf(c) === fp.columns.lastIndexOf(c));
    for (const c of cols.slice(0, 12)) {
      const check = valueCheck(`${v}[${py(c)}]`, fp.data[c], true);
      if (check) lines.push(`    ${check}`);
    }
  } else if (fp.kind === "series" || (fp.kind === "ndarray" && fp.shape.length <= 2)) {
    const check = valueCheck(v, fp.data, fp.kind === "series");
    if (check) lines.push(`    ${check}`);
  }
  return lines;
}

/** A readable check of a column's (or array's) values: the sum of integers, the mean of floats. */
function valueCheck(expr: string, data: Values | undefined, pandas: boolean): string | undefined {
  if (!data) return undefined;
  if (data.exact) {
    return typeof data.sum === "number" && Number.isSafeInteger(data.sum)
      ? `assert int(${expr}.sum()) == ${data.sum}`
      : undefined;
  }
  if ("real" in data || data.mean === null || data.posinf + data.neginf > 0) return undefined;
  // pandas skips NaN in mean(); numpy does not, so arrays with NaN get no mean check.
  if (data.nan > 0 && !pandas) return undefined;
  return `assert float(${expr}.mean()) == pytest.approx(${pyFloat(data.mean)}, rel=${RTOL})`;
}

function pyFloat(v: number): string {
  const s = String(v);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

/**
 * Insert a block into a generated test file: imports after the file's first import block, lines at the end.
 * (ruff's import sorting then orders the import block.)
 */
export function mergeTestBlock(source: string, block: TestBlock): string {
  if (block.lines.length === 0) return source;
  const lines = source.replace(/\s+$/, "").split("\n");
  const have = new Set(lines.map((l) => l.trim()));
  const fresh = block.imports.filter((i) => !have.has(i));
  let lastImport = -1;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as string;
    if (/^(import |from \S+ import )/.test(l)) lastImport = i;
    else if (lastImport >= 0 && /^(def |class |@|[A-Z_]+ =)/.test(l)) break;
  }
  if (fresh.length > 0) lines.splice(lastImport + 1, 0, ...fresh);
  return `${[...lines, ...block.lines].join("\n")}\n`;
}

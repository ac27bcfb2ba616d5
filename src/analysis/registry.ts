/**
 * The rule registry: every finding code fledge can report, with its severity, documentation and an example
 * (`fledge check --explain CODE`). Codes are stable: a code is never reused for another rule.
 */
import type { RuleInfo, Severity } from "./types.js";

export const RULES: RuleInfo[] = [
  {
    code: "FL001",
    name: "cell-diagnostic",
    category: "notebook",
    severity: "error",
    summary: "the Python analyser could not fully read a cell (syntax error or unsupported magic)",
    explanation:
      "A cell that does not parse cannot run, and its names are unknown to every other rule. Fix the syntax; " +
      "for a cell magic that is not Python (%%bash, %%sql), move the work into a script or Python code.",
    example: "df = pd.read_csv('data.csv'\n",
  },
  {
    code: "FL101",
    name: "out-of-order-execution",
    category: "order",
    severity: "warning",
    summary: "execution counts are not increasing from top to bottom",
    explanation:
      "The saved outputs come from a session in which cells ran in another order than they appear. The file " +
      "may not reproduce them when run top to bottom. Restart the kernel and run all cells, then save.",
    example: "# In [2]\nx = 1\n# ---\n# In [1]\nprint(x)\n",
  },
  {
    code: "FL102",
    name: "skipped-execution-counts",
    category: "order",
    severity: "info",
    summary: "execution counts skip numbers (cells re-run or deleted)",
    explanation:
      "Missing numbers mean cells were run several times or run and then deleted. State from a deleted cell " +
      "may still be what later outputs were computed from. Restart the kernel and run all to be sure.",
    example: "# In [1]\nx = 1\n# ---\n# In [7]\nprint(x)\n",
  },
  {
    code: "FL103",
    name: "cell-never-run",
    category: "order",
    severity: "warning",
    summary: "a code cell has no execution count while cells below it ran",
    explanation:
      "The saved session skipped this cell. Either later outputs do not depend on it, or the notebook was " +
      "never run top to bottom. Run all cells, or delete the cell if it is dead code.",
    example: "# In [ ]\nthreshold = 0.5\n# ---\n# In [1]\nprint('done')\n",
  },
  {
    code: "FL104",
    name: "use-before-definition",
    category: "order",
    severity: "error",
    summary: "a cell reads a name that only a later cell defines: running top to bottom fails with NameError",
    explanation:
      "The notebook worked in its saved session because the defining cell ran earlier. In a fresh kernel, top " +
      "to bottom, this cell raises NameError. Move the defining cell above (`fledge check --fix` does it when " +
      "the dataflow allows it).",
    example: "print(total)\n# ---\ntotal = 42\n",
    fix: "reorders the cells into an order that runs top to bottom, moving as few cells as possible",
  },
  {
    code: "FL105",
    name: "undefined-name",
    category: "order",
    severity: "error",
    summary: "a cell reads a name that no cell defines (a deleted cell, %run, or a star import)",
    explanation:
      "The name existed only in the kernel's session: its cell was deleted, or it comes from `%run` or a " +
      "`from m import *` that fledge cannot see into. Restore the definition or import the name explicitly.",
    example: "model.fit(X, y)  # `model` was defined in a cell that no longer exists\n",
  },
  {
    code: "FL106",
    name: "stale-output",
    category: "order",
    severity: "warning",
    summary: "a cell's saved output predates a change to a name it reads",
    explanation:
      "A cell above that this cell depends on ran after it (by execution count), so the output shown was " +
      "computed from an older value. Re-run the notebook; `--fix` clears the stale outputs.",
    example: "# In [3]\ndf = load()\n# ---\n# In [2]\ndf.shape\n",
    fix: "clears the stale outputs (and the execution count) of the cell",
  },
  {
    code: "FL107",
    name: "output-from-other-definition",
    category: "order",
    severity: "warning",
    summary:
      "a name is redefined so that the saved output came from another definition than top to bottom gives",
    explanation:
      "By execution counts, the value this cell saw when its output was saved came from a different cell than " +
      "the one that defines it above it. Running top to bottom will give a different output.",
    example: "# In [1]\nx = 1\n# ---\n# In [3]\nprint(x)\n# ---\n# In [2]\nx = 2\n",
  },
  {
    code: "FL108",
    name: "hidden-state-cycle",
    category: "order",
    severity: "error",
    summary: "cells depend on each other in a cycle: no order runs them top to bottom",
    explanation:
      "Each cell in the cycle reads a name another one defines later. This only worked through hidden state " +
      "in the session. Split the cells so that every name is defined before it is read.",
    example: "y = x + 1\n# ---\nx = y * 2\n",
  },
  {
    code: "FL201",
    name: "unseeded-randomness",
    category: "reproducibility",
    severity: "warning",
    summary: "random numbers without a seed (numpy, random, scikit-learn random_state, torch, tensorflow)",
    explanation:
      "Results change from run to run, so nobody can reproduce the saved outputs or compare a refactored " +
      "pipeline against the notebook. Set a seed once (np.random.seed, random.seed, torch.manual_seed, " +
      "tf.random.set_seed) or pass random_state= to estimators and splitters.",
    example: "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)\n",
  },
  {
    code: "FL202",
    name: "absolute-path",
    category: "reproducibility",
    severity: "warning",
    summary: "an absolute file path: it exists only on this machine",
    explanation: "Use a path relative to the notebook (or a parameter) so the notebook runs elsewhere.",
    example: "df = pd.read_csv('/data/projects/churn/train.csv')\n",
  },
  {
    code: "FL203",
    name: "home-directory-path",
    category: "reproducibility",
    severity: "warning",
    summary: "a path in someone's home directory",
    explanation:
      "`~/…`, `/home/<user>/…` or `C:\\Users\\<user>\\…` only exist for one person. Use a relative path.",
    example: "df = pd.read_csv('~/Downloads/train.csv')\n",
  },
  {
    code: "FL204",
    name: "path-outside-folder",
    category: "reproducibility",
    severity: "warning",
    summary: "a relative path that leaves the notebook's folder",
    explanation:
      "`../data/x.csv` depends on where the notebook sits in someone's tree. Keep data beside the notebook or " +
      "make the path a parameter.",
    example: "df = pd.read_csv('../../shared/data.csv')\n",
  },
  {
    code: "FL205",
    name: "data-from-url",
    category: "reproducibility",
    severity: "info",
    summary: "data read from a URL: it can change or disappear",
    explanation: "Pin the data: download once, record a checksum or a version, and read the local copy.",
    example: "df = pd.read_csv('https://example.org/data.csv')\n",
  },
  {
    code: "FL206",
    name: "unpinned-install",
    category: "reproducibility",
    severity: "warning",
    summary: "`!pip install` / `%pip install` without a version",
    explanation:
      "Each run may install a different version. Pin it (`pandas==2.2.2`) or use a requirements file.",
    example: "!pip install xgboost\n",
  },
  {
    code: "FL207",
    name: "undeclared-dependency",
    category: "reproducibility",
    severity: "info",
    summary: "an imported package that no install line or requirements file beside the notebook declares",
    explanation:
      "Someone else cannot know which packages (and versions) to install. Add it to requirements.txt, " +
      "pyproject.toml or environment.yml next to the notebook.",
    example: "import xgboost as xgb\n",
  },
  {
    code: "FL208",
    name: "missing-kernelspec",
    category: "reproducibility",
    severity: "info",
    summary: "the notebook has no kernelspec metadata",
    explanation: "Without it, tools cannot tell which kernel (language, environment) runs the notebook.",
    example: '{"metadata": {}}\n',
  },
  {
    code: "FL209",
    name: "missing-language-info",
    category: "reproducibility",
    severity: "info",
    summary: "the notebook has no language_info metadata (Python version unknown)",
    explanation: "language_info records the Python version the notebook last ran with; save it from Jupyter.",
    example: '{"metadata": {"kernelspec": {"name": "python3"}}}\n',
  },
  {
    code: "FL301",
    name: "import-not-at-top",
    category: "quality",
    severity: "info",
    summary: "an import in the middle of the notebook",
    explanation:
      "Imports scattered through the notebook hide its dependencies and break when cells move. Put them in " +
      "the first cell; `--fix` moves them when that is safe.",
    example: "df = load()\n# ---\nimport seaborn as sns\n",
    fix: "moves the import to the notebook's first code cell when no cell above uses or redefines its names",
  },
  {
    code: "FL302",
    name: "unused-definition",
    category: "quality",
    severity: "info",
    summary: "a name is defined (or imported) and never used",
    explanation: "Dead code makes the pipeline harder to extract. Remove it, or prefix the name with `_`.",
    example: "scaler = StandardScaler()\n# ---\nmodel.fit(X, y)\n",
  },
  {
    code: "FL303",
    name: "shadowed-builtin",
    category: "quality",
    severity: "warning",
    summary: "a name that shadows a Python builtin (list, dict, id, sum, …)",
    explanation: "Later code calling the builtin gets your value instead, often far from here. Rename it.",
    example: "list = df.columns\n",
  },
  {
    code: "FL304",
    name: "exploration-only-cell",
    category: "quality",
    severity: "info",
    summary: "a cell that only shows something (df.head(), a plot, a print) and defines nothing",
    explanation:
      "Fine for exploring; it stays in the companion notebook and is left out of the extracted pipeline.",
    example: "df.head()\n",
  },
  {
    code: "FL401",
    name: "secret-in-code",
    category: "security",
    severity: "error",
    summary: "a credential in the code (cloud key, token, password in a connection string, private key)",
    explanation:
      "Anyone with the notebook has the credential, and it stays in git history. Revoke it, then read it " +
      "from an environment variable or a secrets manager.",
    example: "engine = create_engine('postgresql://admin:<password>@db.internal/sales')\n",
  },
  {
    code: "FL402",
    name: "secret-in-output",
    category: "security",
    severity: "error",
    summary: "a credential printed in a stored output",
    explanation:
      "Outputs are saved in the file and pushed with it. Revoke the credential and clear the output " +
      "(`fledge strip`).",
    example: "print(os.environ)  # the output lists AWS_SECRET_ACCESS_KEY=…\n",
  },
];

const BY_CODE = new Map(RULES.map((r) => [r.code, r]));
const BY_NAME = new Map(RULES.map((r) => [r.name, r]));

/** The rule for a code ("FL104") or a name ("use-before-definition"), case-insensitive. */
export function findRule(codeOrName: string): RuleInfo | undefined {
  return BY_CODE.get(codeOrName.toUpperCase()) ?? BY_NAME.get(codeOrName.toLowerCase());
}

export function rule(code: string): RuleInfo {
  const r = BY_CODE.get(code);
  if (!r) throw new Error(`unknown rule code ${code}`);
  return r;
}

/**
 * Whether a selector matches a rule: a full code ("FL104"), a code prefix ("FL1", "FL"), a name
 * ("use-before-definition"), a category ("security") or "ALL".
 */
export function selectorMatches(selector: string, info: RuleInfo): boolean {
  const s = selector.trim();
  if (s === "") return false;
  if (s.toUpperCase() === "ALL") return true;
  if (info.code.startsWith(s.toUpperCase())) return true;
  return s.toLowerCase() === info.name || s.toLowerCase() === info.category;
}

/** Selectors that match no rule at all (a typo): reported as a usage error by the CLI. */
export function unknownSelectors(selectors: string[]): string[] {
  return selectors.filter((s) => !RULES.some((r) => selectorMatches(s, r)));
}

/** The documentation of a rule for `--explain`, as plain text. */
export function explainRule(info: RuleInfo): string {
  const lines = [
    `${info.code} ${info.name} (${info.severity}, ${info.category})`,
    "",
    `${info.summary}.`,
    "",
    info.explanation,
    "",
    "Example:",
    ...info.example
      .trimEnd()
      .split("\n")
      .map((l) => `    ${l}`),
  ];
  if (info.fix) lines.push("", `Fix (--fix): ${info.fix}.`);
  lines.push("", `Suppress on one line with \`# fledge: ignore[${info.code}]\`, or for a cell with the tag`);
  lines.push(
    `\`fledge:ignore[${info.code}]\`; disable everywhere with ignore = ["${info.code}"] in [tool.fledge].`,
  );
  return `${lines.join("\n")}\n`;
}

export function severityOf(code: string): Severity {
  return rule(code).severity;
}

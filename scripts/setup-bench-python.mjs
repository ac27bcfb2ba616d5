#!/usr/bin/env node
// Creates (or refreshes) .venv-bench: a virtualenv for `npm run bench:check-recall` only, with more of the
// packages the shared corpus's notebooks import, so more of them can be run. Not part of the README's install
// and not used by `npm test`. Uses the uv of the project's .venv (run `npm run setup` first); wheels come from
// uv's cache on later runs.
//
//   node scripts/setup-bench-python.mjs [--force]
//
// All the wanted packages are resolved together first; when that fails, each one is tried on its own on top of
// the base set and the ones that cannot be installed are recorded. .venv-bench/fledge-bench.json records what was
// installed, what failed (with the resolver's last line) and what was left out on purpose (and why).
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const isWin = process.platform === "win32";
const binOf = (venv, name) => join(venv, isWin ? "Scripts" : "bin", isWin ? `${name}.exe` : name);
const devVenv = process.env.FLEDGE_VENV ?? join(root, ".venv");
const benchVenv = process.env.FLEDGE_BENCH_VENV ?? join(root, ".venv-bench");
const uv = binOf(devVenv, "uv");
const python = binOf(benchVenv, "python");
const record = join(benchVenv, "fledge-bench.json");

/** What every run needs: the kernel and the data-science stack of the project's own .venv. */
const BASE = ["ipykernel", "pandas", "numpy", "scikit-learn", "matplotlib", "pyarrow", "joblib", "pyyaml"];

/** Distributions the corpus imports (import name in the comment where it differs), reasonably sized wheels. */
const EXTRA = [
  "seaborn",
  "statsmodels",
  "patsy",
  "xgboost",
  "lightgbm",
  "catboost",
  "featuretools",
  "composeml",
  "woodwork",
  "evalml",
  "mlxtend",
  "nltk",
  "pyprind",
  "graphviz",
  "bokeh",
  "shap",
  "hyperopt",
  "lifelines",
  "gensim",
  "dask",
  "s3fs",
  "tpot",
  "scikit-survival", // sksurv
  "findspark",
  "requests",
  "setuptools<81", // pkg_resources (removed from later setuptools)
];

/** Imports of the corpus left out on purpose. */
const LEFT_OUT = {
  tensorflow: "wheels of several hundred MB; the notebooks that use it also train models for minutes",
  torch: "PyPI's Linux wheels pull several GB of CUDA libraries",
  torchvision: "needs torch",
  torchtext: "needs torch",
  torchmetrics: "needs torch",
  pytorch_lightning: "needs torch",
  transformers: "needs torch, and downloads model weights at run time (no network here)",
  datasets: "downloads data sets at run time (no network here)",
  pyspark: "a wheel of several hundred MB, and needs a Java runtime",
  pattern:
    "the PyPI package named `pattern` here is an unrelated plotting package (0.0.1a0); the CLiPS Pattern library the notebook uses is not served",
  homemade:
    "the notebooks' own repository package, not in the corpus (a PyPI package of that name is another project)",
  utils: "a module of the notebooks' own repository, not in the corpus",
  taxi_utils: "a module of the notebooks' own repository, not in the corpus",
  python_environment_check: "a module of the notebooks' own repository, not in the corpus",
  KaggleAux: "a module of the notebooks' own repository, not in the corpus",
};

function run(cmd, args) {
  process.stderr.write(`$ ${cmd} ${args.join(" ")}\n`);
  execFileSync(cmd, args, { stdio: ["ignore", "inherit", "inherit"] });
}

/** `uv pip install`, quiet; returns the resolver's last line on failure. */
function tryInstall(packages) {
  process.stderr.write(`$ uv pip install ${packages.join(" ")}\n`);
  const r = spawnSync(uv, ["pip", "install", "--python", python, ...packages], { encoding: "utf8" });
  if (r.status === 0) return undefined;
  const lines = `${r.stderr ?? ""}`.trim().split("\n").filter(Boolean);
  return lines.slice(-3).join(" ").replace(/\s+/g, " ").slice(0, 400) || `exit ${r.status}`;
}

if (!existsSync(uv)) {
  process.stderr.write(`setup-bench: no uv at ${uv}: run \`npm run setup\` first.\n`);
  process.exit(3);
}
const wanted = createHash("sha256")
  .update(JSON.stringify([BASE, EXTRA]))
  .digest("hex");
const force = process.argv.includes("--force");
if (!force && existsSync(record) && existsSync(python)) {
  const prev = JSON.parse(readFileSync(record, "utf8"));
  if (prev.hash === wanted) {
    process.stderr.write(`setup-bench: ${benchVenv} is up to date\n`);
    process.exit(0);
  }
}
if (!existsSync(python)) run(uv, ["venv", "--python", binOf(devVenv, "python"), benchVenv]);
const baseError = tryInstall(BASE);
if (baseError) {
  process.stderr.write(`setup-bench: the base packages failed to install: ${baseError}\n`);
  process.exit(3);
}
const failed = {};
let installed = [];
const together = tryInstall([...BASE, ...EXTRA]);
if (together === undefined) installed = [...EXTRA];
else {
  process.stderr.write(`setup-bench: resolving all together failed (${together}); trying one by one\n`);
  for (const p of EXTRA) {
    const err = tryInstall([...BASE, ...installed, p]);
    if (err === undefined) installed.push(p);
    else failed[p] = err;
  }
}
const freeze = spawnSync(uv, ["pip", "freeze", "--python", python], { encoding: "utf8" }).stdout ?? "";
writeFileSync(
  record,
  `${JSON.stringify({ hash: wanted, installed, failed, leftOut: LEFT_OUT, freeze: freeze.trim().split("\n") }, null, 2)}\n`,
);
process.stderr.write(
  `setup-bench: ${benchVenv} ready: ${installed.length} of ${EXTRA.length} extra packages installed` +
    (Object.keys(failed).length > 0 ? `; failed: ${Object.keys(failed).join(", ")}` : "") +
    "\n",
);

/** Engineering set-up files: .gitignore, pre-commit, Dockerfile, .dockerignore, GitHub Actions CI. */
import type { ProjectModel } from "../model.js";
import { RUFF_VERSION } from "../ruff.js";

export function renderGitignore(model: ProjectModel): string {
  return `# Python
__pycache__/
*.py[cod]
*.egg-info/
.venv/
venv/
build/
dist/
.pytest_cache/
.ruff_cache/
# Jupyter
.ipynb_checkpoints/
# What the pipeline writes (see outputs_dir in params.yaml)
${model.outputsDir}/
# Secrets read from the environment
.env
`;
}

export function renderPreCommit(): string {
  return `# pre-commit install  (https://pre-commit.com): format and lint on commit, strip notebook outputs.
repos:
  - repo: https://github.com/astral-sh/ruff-pre-commit
    rev: v${RUFF_VERSION}
    hooks:
      - id: ruff-check
        args: [--fix]
      - id: ruff-format
  - repo: https://github.com/kynan/nbstripout
    rev: 0.8.1
    hooks:
      - id: nbstripout
`;
}

/** The commands the Dockerfile runs, in order (also used by the tests that replay it in a virtualenv). */
export function dockerInstallCommands(model: ProjectModel): string[] {
  const cmds: string[] = [];
  if (model.lock) cmds.push("pip install --no-cache-dir -r requirements.lock");
  else if (model.dependencies.length > 0)
    cmds.push(
      `pip install --no-cache-dir ${model.dependencies.map((d) => `"${d.name}${d.specifier}"`).join(" ")}`,
    );
  cmds.push("pip install --no-cache-dir --no-deps .");
  return cmds;
}

export function renderDockerfile(model: ProjectModel): string {
  const minor = model.pythonVersion.split(".").slice(0, 2).join(".");
  const [first, ...rest] = dockerInstallCommands(model);
  const depsCopy = model.lock ? "COPY requirements.lock ./\n" : "";
  const depsStep =
    rest.length > 0
      ? `# Dependencies first: this layer is rebuilt only when they change.\n${depsCopy}RUN ${first}\n\n`
      : "";
  const codeInstall = rest.length > 0 ? rest.join(" && ") : first;
  return `# The ${model.packageName} pipeline. Build: docker build -t ${model.projectName} .
# Run with the data mounted: docker run --rm -v "$PWD/data:/data" ${model.projectName} --param data_dir=/data
FROM python:${minor}-slim

ENV PYTHONDONTWRITEBYTECODE=1 \\
    PYTHONUNBUFFERED=1 \\
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 app
WORKDIR /app

${depsStep}COPY pyproject.toml README.md ./
COPY src/ src/
RUN ${codeInstall}
COPY params.yaml ./

USER app
ENTRYPOINT ["python", "-m", "${model.packageName}"]
`;
}

export function renderDockerignore(model: ProjectModel): string {
  return `.git
.venv
venv
**/__pycache__
*.egg-info
.pytest_cache
.ruff_cache
.ipynb_checkpoints
notebooks/
tests/
${model.outputsDir}/
data/
.env
.fledge/
`;
}

/** The shell commands of the CI test job, in order (replayed by the tests). */
export function ciCommands(): string[] {
  return ['python -m pip install -e ".[dev]"', "ruff check .", "ruff format --check .", "pytest"];
}

export function renderCi(model: ProjectModel): string {
  const minor = model.pythonVersion.split(".").slice(0, 2).join(".");
  const [install, check, format, test] = ciCommands();
  return `name: ci

on:
  push:
  pull_request:

jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "${minor}"
          cache: pip
      - name: Install
        run: ${install}
      - name: Lint
        run: ${check}
      - name: Format
        run: ${format}
      - name: Test
        run: ${test}

  image:
    runs-on: ubuntu-latest
    needs: test
    steps:
      - uses: actions/checkout@v4
      - name: Build the image
        run: docker build -t ${model.projectName}:ci .
`;
}

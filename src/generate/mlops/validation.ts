/** src/<pkg>/validation.py: plain pandas checks of the input data, inferred from the data's profile. */
import { pyLiteral, pyString } from "../emit/python.js";
import type { ProjectModel } from "../model.js";
import { type ColumnProfile, type DataProfile, READ_INPUT } from "./profile.js";

/** A Python identifier from the data file's name (`customers` for data/customers.csv). */
export function fileIdentifier(profile: DataProfile): string {
  const stem = profile.file
    .split("/")
    .pop()!
    .replace(/\.[^.]*$/, "");
  const id = stem
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return /^[a-z_]/.test(id) ? id : `data_${id}`;
}

function functionName(profile: DataProfile): string {
  return `check_${fileIdentifier(profile)}`;
}

/** The null rate written beside each column's rules: "3 of 144 null (2.1%)". */
export function nullRate(c: ColumnProfile, rows: number): string {
  const rate = rows > 0 ? c.nulls / rows : 0;
  return `${c.nulls} of ${rows} null (${(rate * 100).toFixed(1)}%)`;
}

/** The report classes, the same in both kinds of validation.py (plain and pandera). */
export const REPORT_CLASSES = `@dataclass
class Violation:
    """One rule a column broke, with a few of the rows that broke it."""

    column: str
    rule: str
    examples: list[str] = field(default_factory=list)
    file: str = ""

    def __str__(self) -> str:
        shown = "; ".join(self.examples)
        return f"{self.file}: column {self.column!r}: {self.rule}" + (f" (e.g. {shown})" if shown else "")


class DataValidationError(ValueError):
    """The input data broke one or more rules; \`violations\` lists them all."""

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = violations
        lines = [f"the input data broke {len(violations)} rule(s):"]
        lines += [f"  - {v}" for v in violations]
        super().__init__("\\n".join(lines))
`;

function num(n: number, kind: ColumnProfile["kind"]): string {
  return kind === "int" ? String(Math.round(n)) : pyLiteral(n);
}

function columnChecks(c: ColumnProfile, rows: number): string[] {
  const col = pyString(c.name);
  const out: string[] = [];
  out.push(`    # ${c.name}: ${c.dtype}, ${nullRate(c, rows)}`);
  out.push(`    if ${col} in df.columns:`);
  if (c.nulls === 0) out.push(`        check_no_nulls(df, ${col}, found)`);
  // A column already empty in the notebook's data must not fail on that same data.
  else if (c.nulls < rows) out.push(`        check_not_all_null(df, ${col}, found)`);
  if (c.kind === "int" || c.kind === "float") {
    const args = [`df, ${col}, found`];
    if (c.kind === "int") args.push("integer=True");
    if (c.min !== undefined) args.push(`minimum=${num(c.min, c.kind)}`);
    if (c.max !== undefined) args.push(`maximum=${num(c.max, c.kind)}`);
    out.push(`        check_numeric(${args.join(", ")})`);
  } else if (c.kind === "bool") {
    out.push(`        check_allowed(df, ${col}, [True, False], found)`);
  } else if (c.kind === "datetime") {
    out.push(`        check_datetime(df, ${col}, found)`);
  } else if (c.allowed) {
    out.push(`        check_allowed(df, ${col}, ${pyLiteral(c.allowed)}, found)`);
  }
  // Nothing but its presence to check (require_columns does that): no empty `if` block.
  if (out.length === 2)
    return [`    # ${c.name}: empty in the notebook's data; only its presence is required`];
  return out;
}

function checkFunction(p: DataProfile): string {
  const lines = [
    "",
    "",
    `def ${functionName(p)}(df: pd.DataFrame) -> list[Violation]:`,
    `    """Rules for ${p.file} (inferred from ${p.rows} rows: ranges and allowed values as observed; widen them as needed)."""`,
    "    found: list[Violation] = []",
    `    require_columns(df, ${pyLiteral(p.columns.map((c) => c.name))}, found)`,
  ];
  for (const c of p.columns) lines.push(...columnChecks(c, p.rows));
  lines.push("    return found");
  return lines.join("\n");
}

export function renderValidation(model: ProjectModel, profiles: DataProfile[]): string {
  const pkg = model.packageName;
  const checks = profiles.map(checkFunction).join("\n");
  const table = profiles.map((p) => `    ${pyString(p.param)}: ${functionName(p)},`).join("\n");
  return `"""Checks of the ${pkg} pipeline's input data, run before the pipeline (\`python -m ${pkg}\`).

The rules were inferred by fledge from the data ${model.notebookName} read: the columns, their types,
which may be null, the observed ranges of numbers and the values of low-cardinality text columns.
They are plain pandas; edit them as your data evolves. \`validate_inputs\` runs every rule and raises
DataValidationError listing every violation (file, column, rule, examples of bad rows).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pandas as pd

#: Bad rows shown per violated rule.
MAX_EXAMPLES = 5


${REPORT_CLASSES}

def examples(df: pd.DataFrame, column: str, bad: pd.Series) -> list[str]:
    """The first bad rows of a column as 'row <index>: <value>'."""
    rows = df.loc[bad, column].head(MAX_EXAMPLES)
    return [f"row {index}: {value!r}" for index, value in rows.items()]


def require_columns(df: pd.DataFrame, columns: list[str], found: list[Violation]) -> None:
    """Every expected column is present."""
    for column in columns:
        if column not in df.columns:
            found.append(Violation(column, "missing column"))


def check_no_nulls(df: pd.DataFrame, column: str, found: list[Violation]) -> None:
    """The column was never null in the notebook's data."""
    bad = df[column].isna()
    if bad.any():
        found.append(Violation(column, f"null in {int(bad.sum())} row(s), never null before", examples(df, column, bad)))


def check_not_all_null(df: pd.DataFrame, column: str, found: list[Violation]) -> None:
    """The column may have nulls, but not only nulls."""
    if len(df) > 0 and df[column].isna().all():
        found.append(Violation(column, "every value is null"))


def check_numeric(
    df: pd.DataFrame,
    column: str,
    found: list[Violation],
    *,
    integer: bool = False,
    minimum: float | None = None,
    maximum: float | None = None,
) -> None:
    """The column holds numbers (integers when \`integer\`), within [minimum, maximum]."""
    values = df[column]
    numbers = pd.to_numeric(values, errors="coerce")
    not_number = numbers.isna() & values.notna()
    if not_number.any():
        found.append(Violation(column, f"wrong type: expected numbers, got {values.dtype}", examples(df, column, not_number)))
    if integer:
        fractional = numbers.notna() & (numbers % 1 != 0)
        if fractional.any():
            found.append(Violation(column, "wrong type: expected whole numbers", examples(df, column, fractional)))
    if minimum is not None:
        low = numbers < minimum
        if low.any():
            found.append(Violation(column, f"below the minimum {minimum}", examples(df, column, low)))
    if maximum is not None:
        high = numbers > maximum
        if high.any():
            found.append(Violation(column, f"above the maximum {maximum}", examples(df, column, high)))


def check_allowed(df: pd.DataFrame, column: str, allowed: list[Any], found: list[Violation]) -> None:
    """Non-null values are among the values seen in the notebook's data."""
    values = df[column]
    bad = values.notna() & ~values.isin(allowed)
    if bad.any():
        found.append(Violation(column, f"unexpected value(s), allowed: {allowed}", examples(df, column, bad)))


def check_datetime(df: pd.DataFrame, column: str, found: list[Violation]) -> None:
    """Non-null values are dates."""
    values = df[column]
    bad = pd.to_datetime(values, errors="coerce").isna() & values.notna()
    if bad.any():
        found.append(Violation(column, "wrong type: expected dates", examples(df, column, bad)))
${checks}


#: The rules of each data parameter (params.yaml key).
CHECKS: dict[str, Callable[[pd.DataFrame], list[Violation]]] = {
${table}
}


${READ_INPUT}

def validate_inputs(params: dict[str, Any]) -> None:
    """Check every input data file; raise DataValidationError listing every violation.

    Args:
        params: The pipeline's parameters (\`data_dir\` and the data file parameters).
    """
    found: list[Violation] = []
    data_dir = Path(params["data_dir"])
    for param, check in CHECKS.items():
        path = data_dir / str(params[param])
        if not path.is_file():
            found.append(Violation("-", "file not found", file=str(path)))
            continue
        for violation in check(read_input(path)):
            violation.file = str(params[param])
            found.append(violation)
    if found:
        raise DataValidationError(found)
`;
}

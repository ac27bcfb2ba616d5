/**
 * src/<pkg>/validation.py with pandera (`--validation pandera`): one `pa.DataFrameSchema` per input data
 * file with the same rules as the plain checks (validation.ts) — columns, dtypes, nullability (the observed
 * null rate as a comment), observed numeric ranges, allowed values of low-cardinality text columns — validated
 * lazily, and pandera's failure cases turned into the same report (file, column, rule, examples of bad rows).
 *
 * DataFrameSchema rather than DataFrameModel: real column names ("Monthly Charges", "2019") are dictionary
 * keys as they are, where a model would need an alias for each.
 */
import { pyLiteral, pyString } from "../emit/python.js";
import type { ProjectModel } from "../model.js";
import { type ColumnProfile, type DataProfile, READ_INPUT } from "./profile.js";
import { fileIdentifier, nullRate, REPORT_CLASSES } from "./validation.js";

/** pandera's requirement in the generated project (`pandera.pandas` exists since 0.24). */
export const PANDERA_REQUIREMENT = "pandera>=0.24";

function num(n: number, kind: ColumnProfile["kind"]): string {
  return kind === "int" ? String(Math.round(n)) : pyLiteral(n);
}

/**
 * The pandera dtype of a column and whether values are converted to it (coerce: "twelve" in a number column
 * is a failure case with its row; a number written as text passes, as in the plain checks).
 */
function dtypeOf(c: ColumnProfile): { dtype: string; coerce: boolean; note?: string } {
  switch (c.kind) {
    case "int":
      // pandas' nullable integers: a fraction is an error (int64 would truncate it) and a null is only a null.
      return { dtype: '"Int64"', coerce: true, note: "checked as Int64 so a fraction is not truncated" };
    case "float":
      return { dtype: "float", coerce: true };
    case "bool":
      return { dtype: '"boolean"', coerce: true };
    case "datetime":
      return { dtype: pyString(c.dtype), coerce: true };
    default:
      return { dtype: "str", coerce: false };
  }
}

function columnEntry(c: ColumnProfile, rows: number): string[] {
  const { dtype, coerce, note } = dtypeOf(c);
  const checks: string[] = [];
  // Not all null, unless it was so already (an empty column of the notebook's data stays allowed).
  if (c.nulls > 0 && c.nulls < rows) checks.push("not_all_null()");
  if ((c.kind === "int" || c.kind === "float") && c.min !== undefined && c.max !== undefined)
    checks.push(`pa.Check.in_range(${num(c.min, c.kind)}, ${num(c.max, c.kind)})`);
  if (c.kind === "string" && c.allowed) checks.push(`pa.Check.isin(${pyLiteral(c.allowed)})`);
  const args = [dtype];
  if (checks.length === 1) args.push(`checks=${checks[0]}`);
  else if (checks.length > 1) args.push(`checks=[${checks.join(", ")}]`);
  args.push(`nullable=${c.nulls > 0 ? "True" : "False"}`);
  if (coerce) args.push("coerce=True");
  return [
    `        # ${c.name}: ${c.dtype}, ${nullRate(c, rows)}${note ? `; ${note}` : ""}`,
    `        ${pyString(c.name)}: pa.Column(${args.join(", ")}),`,
  ];
}

function schemaNames(profiles: DataProfile[]): string[] {
  const used = new Set<string>();
  return profiles.map((p) => {
    const base = `${fileIdentifier(p).toUpperCase()}_SCHEMA`;
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}_${i}`;
    used.add(name);
    return name;
  });
}

function schema(p: DataProfile, name: string): string {
  const lines = [
    "",
    "",
    `#: ${p.file}, inferred from ${p.rows} rows: ranges and allowed values as observed; widen them as needed.`,
    `${name} = pa.DataFrameSchema(`,
    "    {",
  ];
  for (const c of p.columns) lines.push(...columnEntry(c, p.rows));
  lines.push("    },", `    name=${pyString(p.file)},`, ")");
  return lines.join("\n");
}

export function renderPanderaValidation(model: ProjectModel, profiles: DataProfile[]): string {
  const pkg = model.packageName;
  const names = schemaNames(profiles);
  const schemas = profiles.map((p, i) => schema(p, names[i]!)).join("\n");
  const table = profiles.map((p, i) => `    ${pyString(p.param)}: ${names[i]},`).join("\n");
  return `"""Checks of the ${pkg} pipeline's input data, run before the pipeline (\`python -m ${pkg}\`).

The rules were inferred by fledge from the data ${model.notebookName} read: the columns, their types,
which may be null, the observed ranges of numbers and the values of low-cardinality text columns.
They are pandera schemas (one \`pa.DataFrameSchema\` per data file); edit them as your data evolves.
\`validate_inputs\` validates lazily, so every broken rule is found, and raises DataValidationError listing
every violation (file, column, rule, examples of bad rows).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

#: Bad rows shown per violated rule.
MAX_EXAMPLES = 5


def not_all_null() -> pa.Check:
    """A column that may have nulls must not be only nulls."""
    return pa.Check(
        lambda values: len(values) == 0 or bool(values.notna().any()),
        ignore_na=False,
        error="every value is null",
    )
${schemas}


#: The schema of each data parameter (params.yaml key).
SCHEMAS: dict[str, pa.DataFrameSchema] = {
${table}
}


${REPORT_CLASSES}

def rule_of(check: str, column: str, df: pd.DataFrame, count: int) -> str:
    """A pandera check (as named in its failure cases) as the rule it stands for."""
    if check == "not_nullable":
        return f"null in {count} row(s), never null before"
    if dtype := re.fullmatch(r"dtype\\('(.+)'\\)", check):
        return f"wrong type: expected {dtype[1]}, got {df[column].dtype}"
    if in_range := re.fullmatch(r"in_range\\((.+), (.+)\\)", check):
        return f"out of range: expected {in_range[1]} to {in_range[2]}"
    if isin := re.fullmatch(r"isin\\((.+)\\)", check, re.DOTALL):
        return f"unexpected value(s), allowed: {isin[1]}"
    return check


def examples(df: pd.DataFrame, column: str, rows: dict[Any, Any]) -> list[str]:
    """The first bad rows as 'row <index>: <value>', with the value as the file has it."""
    try:
        ordered = sorted(rows.items())
    except TypeError:  # an index pandas cannot order
        ordered = list(rows.items())
    shown = []
    for index, failure in ordered[:MAX_EXAMPLES]:
        value = df.at[index, column] if column in df.columns and df.index.is_unique else failure
        if hasattr(value, "item"):  # a numpy scalar: show the Python value
            value = value.item()
        shown.append(f"row {index}: {value!r}")
    return shown


def is_row(index: Any) -> bool:
    """Whether a failure case names a row (a missing column or a whole-column check names none)."""
    return index is not None and not (isinstance(index, float) and math.isnan(index))


def fractions(df: pd.DataFrame, column: str) -> dict[Any, Any]:
    """Rows of a whole-number column holding a fraction (pandas refuses to convert the whole column to Int64
    at once, so pandera names no row)."""
    numbers = pd.to_numeric(df[column], errors="coerce")
    return df.loc[numbers.notna() & (numbers % 1 != 0), column].to_dict()


def all_null(df: pd.DataFrame, column: str) -> bool:
    """Whether a column is there and holds only nulls (pandas then reads it as float64)."""
    return column in df.columns and bool(df[column].isna().all())


def violations(err: SchemaErrors, df: pd.DataFrame, schema: pa.DataFrameSchema) -> list[Violation]:
    """Every rule pandera found broken, one Violation per column and rule, in the schema's column order."""
    cases: dict[tuple[str, str], dict[Any, Any]] = {}
    for case in err.failure_cases.to_dict("records"):
        # A value that cannot be converted fails both coerce_dtype('X') and dtype('X'): one rule.
        check = re.sub(r"^coerce_dtype\\(", "dtype(", str(case["check"]))
        if check == "column_in_dataframe":
            column, check = str(case["failure_case"]), "missing column"
        else:
            column = str(case["column"])
        rows = cases.setdefault((column, check), {})
        if is_row(case["index"]):
            rows.setdefault(case["index"], case["failure_case"])
    # An all-null column's type is the null rules' business; other wrong types stop the value checks.
    typed = {column for column, check in cases if check.startswith("dtype(") and not all_null(df, column)}
    order = {column: i for i, column in enumerate(schema.columns)}
    found: list[Violation] = []
    for column, check in sorted(cases, key=lambda key: (key[1] != "missing column", order.get(key[0], len(order)))):
        rows = cases[column, check]
        if check == "dtype('Int64')" and not rows and column in df.columns:
            rows = fractions(df, column)
        if check.startswith("dtype(") and column not in typed:
            continue
        if column in typed and not check.startswith("dtype(") and not rows:
            continue  # a check that could not run on values of the wrong type (pandera reports the TypeError)
        found.append(Violation(column, rule_of(check, column, df, len(rows)), examples(df, column, rows)))
    return found


${READ_INPUT}

def validate_inputs(params: dict[str, Any]) -> None:
    """Validate every input data file against its schema; raise DataValidationError listing every violation.

    Args:
        params: The pipeline's parameters (\`data_dir\` and the data file parameters).
    """
    found: list[Violation] = []
    data_dir = Path(params["data_dir"])
    for param, schema in SCHEMAS.items():
        path = data_dir / str(params[param])
        if not path.is_file():
            found.append(Violation("-", "file not found", file=str(path)))
            continue
        df = read_input(path)
        try:
            schema.validate(df, lazy=True)
        except SchemaErrors as err:
            for violation in violations(err, df, schema):
                violation.file = str(params[param])
                found.append(violation)
    if found:
        raise DataValidationError(found)
`;
}

/**
 * The profile of each input data file that validation.py's rules are inferred from: columns, dtypes,
 * null counts, numeric ranges, allowed values of low-cardinality text columns. Read at extract time by
 * the notebook's Python (pandas), the same way the generated validation reads the files.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";

export interface ColumnProfile {
  name: string;
  /** pandas dtype as text ("int64", "object"…). */
  dtype: string;
  kind: "int" | "float" | "bool" | "datetime" | "string";
  nulls: number;
  min?: number;
  max?: number;
  /** Distinct values of a low-cardinality text column, sorted. */
  allowed?: string[];
}

export interface DataProfile {
  /** The data parameter (params.yaml key) naming the file. */
  param: string;
  /** The file, relative to data_dir. */
  file: string;
  rows: number;
  columns: ColumnProfile[];
}

/** Shared by the profiler and the generated validation.py: how a data file is read. */
export const READ_INPUT = `def read_input(path: Path) -> pd.DataFrame:
    """Read a data file the way the notebook's format suggests (CSV by default)."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return pd.read_parquet(path)
    if suffix in (".xlsx", ".xls"):
        return pd.read_excel(path)
    if suffix == ".json":
        return pd.read_json(path)
    return pd.read_csv(path, sep="\\t" if suffix == ".tsv" else ",")
`;

const PROFILER = `
import json, sys
from pathlib import Path
import pandas as pd

${READ_INPUT}

out = {}
for name in sys.argv[1:]:
    try:
        df = read_input(Path(name))
    except Exception as err:
        out[name] = {"error": f"{type(err).__name__}: {err}"}
        continue
    cols = []
    for col in df.columns:
        s = df[col]
        if pd.api.types.is_bool_dtype(s):
            kind = "bool"
        elif pd.api.types.is_integer_dtype(s):
            kind = "int"
        elif pd.api.types.is_float_dtype(s):
            kind = "float"
        elif pd.api.types.is_datetime64_any_dtype(s):
            kind = "datetime"
        else:
            kind = "string"
        c = {"name": str(col), "dtype": str(s.dtype), "kind": kind, "nulls": int(s.isna().sum())}
        nn = s.dropna()
        if kind in ("int", "float") and len(nn):
            c["min"] = float(nn.min())
            c["max"] = float(nn.max())
        if kind == "string" and len(nn):
            u = nn.astype(str).unique()
            if len(u) <= 20 and len(u) <= max(2, len(nn) // 5):
                c["allowed"] = sorted(u.tolist())
        cols.append(c)
    out[name] = {"rows": len(df), "columns": cols}
print(json.dumps(out))
`;

const run = promisify(execFile);

/** Profile data files (absolute paths) with `python`; files that cannot be read are left out with a reason. */
export async function profileDataFiles(
  python: string,
  files: { param: string; file: string; path: string }[],
): Promise<{ profiles: DataProfile[]; problems: string[] }> {
  if (files.length === 0) return { profiles: [], problems: [] };
  const problems: string[] = [];
  let parsed: Record<string, { rows?: number; columns?: ColumnProfile[]; error?: string }>;
  try {
    const { stdout } = await run(python, ["-c", PROFILER, ...files.map((f) => f.path)], {
      maxBuffer: 64 * 1024 * 1024,
      timeout: 300_000,
    });
    parsed = JSON.parse(stdout);
  } catch (err) {
    return {
      profiles: [],
      problems: [`could not profile the data with ${python}: ${(err as Error).message}`],
    };
  }
  const profiles: DataProfile[] = [];
  for (const f of files) {
    const p = parsed[f.path];
    if (!p || p.error || !p.columns) {
      problems.push(`${f.file}: ${p?.error ?? "not read"}`);
      continue;
    }
    profiles.push({ param: f.param, file: f.file, rows: p.rows ?? 0, columns: p.columns });
  }
  return { profiles, problems };
}

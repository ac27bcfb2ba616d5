/**
 * The files the notebook wrote (the project's output-path parameters), fingerprinted in the kernel that ran
 * it, so the generated pipeline test can check what the pipeline writes: shape, column names and dtypes,
 * column sums and means. Only tables (CSV, TSV, parquet) become checks; other files are left to verify.
 */
import type { ProjectModel } from "../generate/model.js";
import type { WorkflowMap } from "../graph/types.js";
import type { Kernel } from "../kernel/index.js";
import { helperCall } from "./record.js";
import type { Fingerprint } from "./types.js";
import { notebookWritePath } from "./verify.js";

/** Fingerprints by parameter name; `kernel` runs in the notebook's folder after the notebook ran. */
export async function writtenTables(
  kernel: Kernel,
  model: ProjectModel,
  map: WorkflowMap,
): Promise<Record<string, Fingerprint>> {
  const out: Record<string, Fingerprint> = {};
  for (const p of model.params) {
    if (p.role !== "output" || typeof p.value !== "string" || !/\.(csv|tsv|parquet)$/i.test(p.value))
      continue;
    const step = model.steps.find((s) =>
      s.args.some((a) => a.source.kind === "param" && a.source.param === p.name),
    );
    const path = step ? notebookWritePath(map, step.name, p.value) : p.value;
    const fp = await helperCall<Fingerprint>(kernel, "fingerprint_file", [path]);
    if (fp.kind === "dataframe") out[p.name] = fp;
  }
  return out;
}

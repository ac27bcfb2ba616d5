/**
 * What the MLOps emitters need to know about a project, read from its model (pure, no I/O): which step
 * fits a model and returns it, what the model predicts on (for MLflow's input example and signature),
 * which returned values are metrics (assigned from a scikit-learn metric call), which parameters are
 * data files. Decided once here so tracking.py, serve.py and the exports agree.
 */
import type { ProjectModel, StepModel } from "../model.js";

export interface MlopsFacts {
  /** The fitted model: the name a step returns after calling `<name>.fit(…)` (or `= X(…).fit(…)`). */
  model?: { name: string; step: string };
  /** A value the pipeline returns that the model predicts on (`model.predict(<input>)`). */
  modelInput?: string;
  /** Returned names assigned from a scikit-learn metric call, in pipeline order. */
  metrics: string[];
  /** Parameters naming input data files (relative to data_dir). */
  dataParams: string[];
  /** Metric-like assignments that are not returned by their step (cannot be logged without editing it). */
  unreturnedMetrics: string[];
}

const METRIC_FN = /(?:_score|_error|_loss|_deviance)$|^(?:r2_score|matthews_corrcoef|cohen_kappa_score)$/;

function reEscape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Functions the step imports from sklearn.metrics (plain names) and module aliases (`from sklearn import metrics`). */
function metricFunctions(step: StepModel): { names: Set<string>; modules: string[] } {
  const names = new Set<string>();
  const modules: string[] = [];
  for (const line of step.imports) {
    const m = /^from\s+sklearn\.metrics\s+import\s+\(?([^)]*)\)?/.exec(line.trim());
    if (m) {
      for (const part of m[1]!.split(",")) {
        const [orig, , alias] = part.trim().split(/\s+/);
        if (orig && METRIC_FN.test(orig)) names.add(alias ?? orig);
      }
    }
    const mod = /^from\s+sklearn\s+import\s+metrics(?:\s+as\s+(\w+))?/.exec(line.trim());
    if (mod) modules.push(mod[1] ?? "metrics");
    const imp = /^import\s+sklearn\.metrics(?:\s+as\s+(\w+))?/.exec(line.trim());
    if (imp) modules.push(imp[1] ?? "sklearn.metrics");
  }
  return { names, modules };
}

export function analyseMlops(model: ProjectModel): MlopsFacts {
  const facts: MlopsFacts = { metrics: [], dataParams: [], unreturnedMetrics: [] };
  const returned = new Set<string>();
  for (const s of model.steps) for (const r of s.returns) returned.add(r.name);

  for (const s of model.steps) {
    const names = new Set(s.returns.map((r) => r.name));
    // Fitted estimators: `name.fit(` or `name = Something(...).fit(`.
    for (const m of s.body.matchAll(/^\s*(\w+)\s*=\s*[\w.]+\([^\n]*\)\s*\.fit\(/gm))
      if (names.has(m[1]!)) facts.model = { name: m[1]!, step: s.name };
    for (const m of s.body.matchAll(/^\s*(\w+)\.fit\(/gm))
      if (names.has(m[1]!)) facts.model = { name: m[1]!, step: s.name };

    const { names: fns, modules } = metricFunctions(s);
    const callees = [...[...fns].map(escape), ...modules.map((m) => `${reEscape(m)}\\.\\w+`)];
    if (callees.length === 0) continue;
    const call = new RegExp(`\\b(?:${callees.join("|")})\\(`);
    for (const m of s.body.matchAll(/^\s*(\w+)\s*=\s*([^\n]+)$/gm)) {
      if (!call.test(m[2]!)) continue;
      const name = m[1]!;
      if (names.has(name)) {
        if (!facts.metrics.includes(name)) facts.metrics.push(name);
      } else if (!facts.unreturnedMetrics.includes(name)) facts.unreturnedMetrics.push(name);
    }
  }
  if (facts.model) {
    const predict = new RegExp(
      `\\b${reEscape(facts.model.name)}\\.(?:predict|predict_proba|decision_function)\\(\\s*(\\w+)\\s*\\)`,
    );
    for (const s of model.steps) {
      const m = predict.exec(s.body);
      if (m && returned.has(m[1]!)) {
        facts.modelInput = m[1]!;
        break;
      }
    }
  }
  // Data files the pipeline reads (a data path only written to, e.g. predictions, is not an input).
  facts.dataParams = model.params
    .filter((p) => p.role === "data")
    .map((p) => p.name)
    .filter((name) => {
      const read = new RegExp(
        `\\b(?:read_\\w+|load\\w*|open|imread|loadtxt|genfromtxt)\\(\\s*${reEscape(name)}\\b`,
      );
      return model.steps.some((s) => read.test(s.body));
    });
  return facts;
}

/**
 * Vitest file order: the files measured slowest start first, so that with two workers no long file starts
 * last and leaves one core idle while it finishes. Vitest does this by itself only from the durations it
 * cached in node_modules/.vite on an earlier run; a clean clone (CI) has none and would start files in
 * order of size, which has nothing to do with how long they run. Every other file keeps vitest's own order.
 */
import { relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Measured on the 2-core machine (whole file, hooks included: the durations vitest caches in
 * node_modules/.vite after a full run), slowest first. Refresh them when they change a lot; a file missing
 * from the list only loses its head start.
 */
export const SLOW_FILES = [
  "test/mlops/tracking.test.ts",
  "test/generate/extract-fixtures.test.ts",
  "test/verify/synthetic-fixtures.test.ts",
  "test/mlops/tracking-trees.test.ts",
  "test/cli/extract.test.ts",
  "test/generate/validation-pandera.test.ts",
  "test/verify/recorded-tests.test.ts",
  "test/generate/infra.test.ts",
  "test/kernel/lifecycle.test.ts",
  "test/cli/run.test.ts",
  "test/cli/verify.test.ts",
  "test/cli/check.test.ts",
  "test/generate/validation-cli.test.ts",
  "test/verify/report-prints.test.ts",
  "test/mlops/serve.test.ts",
];

export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification): number => {
      const path = relative(spec.project.config.root, spec.moduleId).split("\\").join("/");
      const i = SLOW_FILES.indexOf(path);
      return i === -1 ? SLOW_FILES.length : i;
    };
    // Array.prototype.sort is stable: unlisted files keep vitest's order after the listed ones.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}

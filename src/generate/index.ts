/** generate/: from a notebook's workflow map to a production Python project (issue 7). */
export { DISTRIBUTIONS, distributionFor, isStdlib } from "./distributions.js";
export { addDevRequirements } from "./emit/pyproject.js";
export {
  type Analysed,
  analyseForExtract,
  type Extraction,
  type ExtractOptions,
  extractProject,
  initExtract,
} from "./extract.js";
export {
  INSTALLED_DISTRIBUTIONS_EXPR,
  type InstalledDistribution,
  lockLines,
  parseInstalled,
} from "./lock.js";
export type * from "./model.js";
export {
  type CopyData,
  type GeneratedFile,
  type GeneratedProject,
  generateProject,
  initGenerate,
} from "./project.js";
export { RUFF_VERSION, ruffFile, ruffSettings } from "./ruff.js";
export {
  applyWrites,
  MANIFEST_PATH,
  type Manifest,
  planWrites,
  readManifest,
  type WritePlan,
} from "./writer.js";

/** notebook/: reading, validating and writing Jupyter notebooks (the first stage of the pipeline). */
export {
  type CellDiff,
  compareOutputs,
  type DiffOptions,
  diffNotebooks,
  type KeyChange,
  type NotebookDiff,
  type OutputChange,
  summarizeOutput,
} from "./diff.js";
export { type RenderOptions, renderDiff, renderNotebookText } from "./diff-render.js";
export { fileError, readTextFile, writeFileAtomic } from "./fs.js";
export { addCellIds } from "./ids.js";
export { formatNumber, JsonNumber, JsonSyntaxError, numberValue, parseJson, serializeJson } from "./json.js";
export {
  isPercentPath,
  type LoadedNotebook,
  notebookLanguage,
  readNotebookFile,
  requirePythonKernel,
} from "./load.js";
export { cloneJson } from "./memo.js";
export {
  type PairingHeader,
  type PercentReadResult,
  type PercentWriteOptions,
  parsePercent,
  type SyncState,
  writePercent,
} from "./percent.js";
export { KNOWN_MINOR, type NotebookOrigin, type ParsedNotebook, parseNotebook } from "./read.js";
export {
  DEFAULT_KEEP_OUTPUT_TAGS,
  DEFAULT_VOLATILE_KEYS,
  type StripOptions,
  type StripResult,
  stripNotebook,
} from "./strip.js";
export {
  decideSync,
  mergePyIntoNotebook,
  type SyncAction,
  type SyncDecision,
  type SyncInput,
} from "./sync.js";
export { type ValidationProblem, validateNotebook } from "./validate.js";
export { isSplitMime, serializeNotebook, splitLines, type WriteOptions } from "./write.js";

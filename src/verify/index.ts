/** verify/: recording a notebook's values, recorded tests, and `fledge verify` (the public surface). */
export { compareFingerprints, floatDiff } from "./compare.js";
export { type Annotation, annotationFor, type HintAliases, recordedHints } from "./hints.js";
export { buildRecordingPlan, type Chunk, type RecordingPlan } from "./plan.js";
export { renderStepsFile, STEPS_FILE, type StepsFile, stepsFileOf, type VerifyStep } from "./project.js";
export {
  type CellFailure,
  helperCall,
  installHelper,
  type RecordedType,
  type Recording,
  recordRun,
  type StepRecording,
} from "./record.js";
export {
  DEFAULT_FIXTURE_BUDGET,
  DEFAULT_FIXTURE_ROWS,
  type RecordingOptions,
  RecordSession,
  startRecording,
} from "./session.js";
export { printedMetrics, type StepFixture } from "./tests-emitter.js";
export type { Comparison, Difference, Fingerprint, Tolerance } from "./types.js";
export { DEFAULT_TOLERANCE } from "./types.js";
export {
  loadProject,
  type StepStatus,
  type StepVerdict,
  type VerifyOptions,
  type VerifyReport,
  verifyProject,
} from "./verify.js";

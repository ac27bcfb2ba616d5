/** Running notebooks in a real Jupyter kernel: the public surface of `src/kernel/`. */
export { type ConnectionInfo, freePorts, newConnectionInfo } from "./connection.js";
export {
  type ExecuteOptions,
  type ExecuteResult,
  type ExecuteStatus,
  Kernel,
  type KernelDeath,
  type StartOptions,
  startKernel,
} from "./kernel.js";
export {
  type KernelRequest,
  kernelSearchPath,
  listKernelSpecs,
  type ResolvedKernel,
  resolveKernel,
} from "./kernelspec.js";
export { Session } from "./messages.js";
export { stripAnsi } from "./outputs.js";
export { injectParameters, type Parameter, parametersSource, parseParameter } from "./parameters.js";
export { checkPythonLiteral, decodePythonStr } from "./pyliteral.js";
export {
  type CellRun,
  cellsToRun,
  kernelRequestFor,
  type ProgressEvent,
  type RunOptions,
  type RunResult,
  type RunStatus,
  runNotebook,
} from "./runner.js";

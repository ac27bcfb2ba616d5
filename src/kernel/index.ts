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
export { stripAnsi, toStoredOutput } from "./outputs.js";
export { checkPythonLiteral, decodePythonStr } from "./pyliteral.js";

export type { SandboxLauncher } from "./contract.js";
export { buildBwrapArgv, type BwrapArgvOptions, type ResolvePath } from "./bwrap-argv.js";
export { isPathWritable, PROTECTED_SUBPATHS } from "./writable-paths.js";
export { buildSeccompFilter, type SeccompArch, type SeccompFilterOptions } from "./seccomp.js";
export { BWRAP_REQUIRED_MESSAGE, findBwrap, probeBwrap, SandboxUnavailableError } from "./bwrap-probe.js";
export { writableCacheEnv } from "./cache-env.js";
export {
  createBwrapLauncher,
  type BwrapLauncher,
  type BwrapLauncherDeps,
  type FdPassing,
  type WrappedCommand,
} from "./bwrap-launcher.js";
export { createSandboxedExecRunner, type SandboxedExecRunnerDeps } from "./sandboxed-runner.js";

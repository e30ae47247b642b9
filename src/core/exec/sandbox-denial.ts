import type { SandboxPolicy } from "../../protocol/policy.js";
import type { ExecResult } from "./contract.js";

// Phrases a sandboxed command prints when the kernel (bwrap/seccomp/landlock/seatbelt) refuses it.
// A heuristic: ordinary permission errors look the same, which is why it only drives an approval
// question and never silently re-runs anything.
const DENIAL_PATTERNS: RegExp[] = [
  /permission denied/i,
  /operation not permitted/i,
  /read-only file system/i,
  /network is unreachable/i,
  /\bEACCES\b/,
  /\bEPERM\b/,
  /\bEROFS\b/,
  /\bENETUNREACH\b/,
  /could not resolve host/i,
  /temporary failure in name resolution/i,
  /sandbox-exec/i,
  /\bseccomp\b/i,
  /\blandlock\b/i,
];

export type DenialEvidence = Pick<ExecResult, "exitCode" | "aggregatedOutput" | "stdout" | "stderr"> & {
  signal?: string | null;
  timedOut?: boolean;
};

/** True when a failed command under a restrictive sandbox printed something that smells of a denial. */
export function looksLikeSandboxDenial(result: DenialEvidence, sandbox: SandboxPolicy): boolean {
  if (sandbox.mode === "danger-full-access") return false;
  if (result.timedOut) return false;
  // seccomp kills with SIGSYS when a filtered syscall is attempted.
  if (result.signal === "SIGSYS") return true;
  if (result.exitCode === 0 || result.exitCode === null) return false;
  const text = `${result.stderr}\n${result.stdout}\n${result.aggregatedOutput}`;
  return DENIAL_PATTERNS.some((re) => re.test(text));
}

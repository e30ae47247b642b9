import type { SandboxPolicy } from "../../protocol/policy.js";

/** Turns a command + policy into the argv/env that actually runs (bwrap wrapper, or unchanged). */
export interface SandboxLauncher {
  wrap(
    req: { argv: string[]; cwd: string; env: Record<string, string> },
    policy: SandboxPolicy,
  ): Promise<{ argv: string[]; env: Record<string, string>; cleanup?: () => Promise<void> }>;
}

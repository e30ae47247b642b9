// What the interactive TUI needs from core before its first frame, without core's module graph (the model
// client, tools, sandbox, zod schemas, and the Node built-ins they load): front ends import this next to
// core/index.ts, which the TUI loads once its first frame is on screen. Only light modules below.
import { resolveCodexHome } from "./config/paths.js";
import { readRawConfig } from "./config/raw-config.js";
import { projectTrustQuestion, type TrustQuestion } from "./config/trust-prompt.js";

export { acceptProjectTrust, declineProjectTrust, type TrustQuestion } from "./config/trust-prompt.js";
export { resolveCodexHome };

export interface StartupTrustOptions {
  cwd: string;
  profile?: string;
  /** Raw `-c key=value` arguments. */
  overrides: string[];
  env: Record<string, string | undefined>;
  ignoreUserConfig: boolean;
  systemConfigPath?: string;
}

/**
 * The trust question due for this folder (core's rule, projectTrustQuestion, over the same merged layers
 * loadConfig reads), with $CODEX_HOME. No question with --ignore-user-config, nor when the configuration
 * cannot be read: the session's own loading reports that, with its one-line error.
 */
export async function startupTrustQuestion(o: StartupTrustOptions): Promise<{ codexHome: string; question: TrustQuestion | null }> {
  let raw;
  try {
    raw = await readRawConfig({
      cwd: o.cwd,
      ...(o.profile !== undefined ? { profile: o.profile } : {}),
      overrides: o.overrides,
      env: o.env,
      ignoreUserConfig: o.ignoreUserConfig,
      ...(o.systemConfigPath !== undefined ? { systemConfigPath: o.systemConfigPath } : {}),
      warnings: [],
    });
  } catch {
    return { codexHome: resolveCodexHome({ env: o.env }), question: null };
  }
  if (o.ignoreUserConfig) return { codexHome: raw.codexHome, question: null };
  const question = await projectTrustQuestion({ cwd: raw.cwd, codexHome: raw.codexHome, raw: raw.merged });
  return { codexHome: raw.codexHome, question };
}

import { projectLayerDirs } from "../config/trust.js";
import type { ResolvedConfig } from "../config/types.js";
import { createStdinPipeSource } from "../exec/stdin-pipe.js";
import { discoverHooks, hookSources, type HookTrustState } from "./discover.js";
import { createSessionHooks, type SessionHooks } from "./session-hooks.js";
import type { HookHandler } from "./types.js";

// What runtime.ts uses: the hooks of this configuration, discovered once, and per thread the
// observers that run them.

export { createSessionHooks, developerMessage, type SessionHooks } from "./session-hooks.js";
export { discoverHooks, hookSources, hookTrustHash, type DiscoveredHooks, type HookSource } from "./discover.js";
export { grantHookTrust } from "./hook-trust.js";
export { permissionView } from "./tool-input.js";
export { createHookEngine, type HookEngine, type HookReport, type HookSession } from "./engine.js";
export type { HookEventName, HookHandler } from "./types.js";

export interface ConfiguredHooks {
  handlers: HookHandler[];
  warnings: string[];
  /** Observers for one thread; undefined when no hook is configured (nothing is wrapped). */
  forThread(o: { threadId: string; env: Record<string, string>; permissionMode: string }): SessionHooks | undefined;
  /** Closes the stdin pipes kept ready for the hooks' commands (once the threads are closed). */
  dispose(): void;
}

export function configureHooks(config: ResolvedConfig, o: { env: Record<string, string | undefined> }): ConfiguredHooks {
  const home = o.env["HOME"];
  if (config.features["hooks"] === false) return { handlers: [], warnings: [], forThread: () => undefined, dispose: () => {} };
  const raw = config.raw["hooks"];
  const stateTable =
    typeof raw === "object" && raw !== null && typeof (raw as { state?: unknown }).state === "object"
      ? ((raw as { state: Record<string, HookTrustState> }).state ?? {})
      : {};
  const found = discoverHooks({
    sources: hookSources({
      codexHome: config.codexHome,
      claudeCompat: config.features["claude_hooks_compat"] === true,
      ...(home ? { home } : {}),
      ...(config.trustedProjectRoot !== undefined
        ? { trustedProjectRoot: config.trustedProjectRoot, projectLayerDirs: projectLayerDirs(config.trustedProjectRoot, config.cwd) }
        : {}),
    }),
    state: stateTable,
    bypassTrust: config.bypassHookTrust === true,
  });
  const warnings = [...found.warnings];
  if (config.bypassHookTrust === true) {
    warnings.push("`--dangerously-bypass-hook-trust` is enabled. Enabled hooks may run without review for this invocation.");
  }
  // One for every thread of this configuration; it makes nothing until a hook runs.
  const stdinPipes = createStdinPipeSource();
  return {
    handlers: found.handlers,
    warnings,
    dispose: () => stdinPipes.dispose(),
    forThread: (t) =>
      found.handlers.length === 0
        ? undefined
        : createSessionHooks({
            handlers: found.handlers,
            session: { sessionId: t.threadId, cwd: config.cwd, model: config.model, permissionMode: t.permissionMode, env: t.env },
            stdinPipes,
          }),
  };
}

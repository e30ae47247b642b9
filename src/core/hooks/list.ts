import type { ResolvedConfig } from "../config/types.js";
import { discoverHooks, hookSources, type HookTrustState } from "./discover.js";
import type { HookHandler } from "./types.js";

// Every configured hook handler with its trust and enablement, for a client to review (app-server hooks/list):
// unlike the engine's view, untrusted, modified and disabled handlers are listed too.

export type HookTrustStatus = "trusted" | "untrusted" | "modified";

export interface HookListing {
  handler: HookHandler;
  enabled: boolean;
  trustStatus: HookTrustStatus;
}

export function listHooks(config: ResolvedConfig, o: { env: Record<string, string | undefined> }): { hooks: HookListing[]; warnings: string[] } {
  const state = hookStateTable(config.raw);
  const home = o.env["HOME"];
  // Discovery without `enabled: false` so disabled handlers are found; their state is reported instead.
  const discoveryState = Object.fromEntries(Object.entries(state).map(([k, v]) => [k, { ...v, enabled: true }]));
  const found = discoverHooks({
    sources: hookSources({
      codexHome: config.codexHome,
      claudeCompat: config.features["claude_hooks_compat"] === true,
      ...(home ? { home } : {}),
      ...(config.trustedProjectRoot !== undefined ? { trustedProjectRoot: config.trustedProjectRoot } : {}),
    }),
    state: discoveryState,
    bypassTrust: false,
  });
  const hooks = [...found.handlers, ...found.untrusted]
    .sort((a, b) => a.displayOrder - b.displayOrder)
    .map((handler): HookListing => {
      const entry = state[handler.key];
      const trustStatus: HookTrustStatus =
        handler.scope === "project" || entry?.trusted_hash === handler.hash ? "trusted" : entry?.trusted_hash ? "modified" : "untrusted";
      return { handler, enabled: config.features["hooks"] !== false && entry?.enabled !== false, trustStatus };
    });
  return { hooks, warnings: found.warnings };
}

/** `[hooks.state]` of the merged config. */
function hookStateTable(raw: Record<string, unknown>): Record<string, HookTrustState> {
  const hooks = raw["hooks"];
  const state = typeof hooks === "object" && hooks !== null ? (hooks as { state?: unknown }).state : undefined;
  return typeof state === "object" && state !== null ? (state as Record<string, HookTrustState>) : {};
}

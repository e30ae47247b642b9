import type { ResolvedConfig } from "../config/types.js";

/**
 * For tests of the standalone command runner: the few config fields it reads, with `codexHome` as home and cwd,
 * a provider key named MY_PROVIDER_KEY and an environment policy that inherits everything.
 */
export function standaloneTestConfig(codexHome: string): ResolvedConfig {
  return {
    codexHome,
    cwd: codexHome,
    modelProvider: { envKey: "MY_PROVIDER_KEY" },
    shellEnvironmentPolicy: { inherit: "all", ignoreDefaultExcludes: false, exclude: [], includeOnly: [], set: {} },
  } as unknown as ResolvedConfig;
}

import { readFile } from "node:fs/promises";
import path from "node:path";
import os from "node:os";
import { ApprovalPolicyToml, ConfigToml, SandboxModeToml } from "../../protocol/config.js";
import type { AskForApproval, SandboxMode } from "../../protocol/policy.js";
import type { ResolvedConfig } from "./types.js";
import { readOtelSettings } from "../telemetry/settings.js";
import { ConfigError } from "./errors.js";
import { validateLayer } from "./validate-layer.js";
import { readRawConfig } from "./raw-config.js";
import { defaultLocalModel, OPENAI_PROVIDER_ID, OSS_PROVIDER_ID, resolveProvider } from "./providers.js";
import { unsupportedConfigWarnings, unsupportedFlagWarnings } from "./unsupported.js";
import { resolveFeatures } from "./features.js";
import { DEFAULT_MODEL, DEFAULT_OSS_MODEL } from "../model/catalog.js";

export { SYSTEM_CONFIG_PATH } from "./raw-config.js";
export const DEFAULT_PROJECT_DOC_MAX_BYTES = 32 * 1024;

export interface LoadConfigFlags {
  model?: string;
  /** Raw `-s` value; validated here so every front end gets the same message. */
  sandboxMode?: string;
  /** Raw `-a` value. */
  approvalPolicy?: string;
  oss?: boolean;
  enable?: string[];
  disable?: string[];
  addDirs?: string[];
  fullAuto?: boolean;
  dangerouslyBypass?: boolean;
  /** `--dangerously-bypass-hook-trust`. */
  bypassHookTrust?: boolean;
  /** `codex exec --trust`: trust the project of cwd (recorded in config.toml) before its layer is read. */
  trustProject?: boolean;
  strictConfig?: boolean;
  ignoreUserConfig?: boolean;
  /** `--local-provider`: which local server `--oss` talks to (`ollama`, `lmstudio`). */
  localProvider?: string;
  /** Names (commander attributes) of the command-line options given, to warn about accepted-but-ignored ones. */
  givenOptions?: string[];
}

export interface LoadConfigOptions {
  codexHome?: string;
  cwd: string;
  profile?: string;
  /** Raw `-c key=value` arguments, in command-line order. */
  overrides: string[];
  flags: LoadConfigFlags;
  env: Record<string, string | undefined>;
  /** Defaults to /etc/codex/config.toml; tests point it elsewhere. */
  systemConfigPath?: string;
}

/** Layers: defaults < system < user < profile < trusted project files < `-c` < dedicated flags. */
export async function loadConfig(opts: LoadConfigOptions): Promise<ResolvedConfig> {
  const { env, flags } = opts;
  const strict = flags.strictConfig === true;
  const warnings: string[] = [];
  const unsupportedSeen = new Set<string>();
  const { codexHome, cwd, merged, layers, activeProfile, trustedProjectRoot } = await readRawConfig({
    ...(opts.codexHome !== undefined ? { codexHome: opts.codexHome } : {}),
    cwd: opts.cwd,
    ...(opts.profile !== undefined ? { profile: opts.profile } : {}),
    overrides: opts.overrides,
    env,
    ...(opts.systemConfigPath !== undefined ? { systemConfigPath: opts.systemConfigPath } : {}),
    ignoreUserConfig: flags.ignoreUserConfig === true,
    trustProject: flags.trustProject === true,
    warnings,
    onLayer(layer) {
      warnings.push(...validateLayer(layer, { strict }));
      warnings.push(...unsupportedConfigWarnings(layer, unsupportedSeen));
    },
  });

  const parsed = ConfigToml.safeParse(merged);
  if (!parsed.success) throw new ConfigError(`invalid merged configuration: ${parsed.error.issues[0]?.message}`);
  const cfg = parsed.data;

  if (env["OPENAI_BASE_URL"]) {
    warnings.push(
      "the OPENAI_BASE_URL environment variable is deprecated and ignored; set openai_base_url in config.toml " +
        "(or pass -c openai_base_url=\"...\") instead",
    );
  }

  const providerId = flags.oss
    ? (flags.localProvider ?? cfg.oss_provider ?? OSS_PROVIDER_ID)
    : (cfg.model_provider ?? OPENAI_PROVIDER_ID);
  const modelProvider = resolveProvider({
    id: providerId,
    userProviders: cfg.model_providers ?? {},
    env,
    openaiBaseUrl: cfg.openai_base_url,
    source: flags.oss ? "--oss" : "model_provider",
  });
  const localModel = defaultLocalModel(providerId);
  const model =
    flags.model ?? (flags.oss ? (localModel ?? DEFAULT_OSS_MODEL) : (cfg.model ?? localModel ?? DEFAULT_MODEL));
  warnings.push(...unsupportedFlagWarnings(flags.givenOptions ?? []));

  const { approvalPolicy, sandboxMode } = resolvePermissions(cfg, flags, warnings);

  const feat = resolveFeatures(cfg.features, flags.enable ?? [], flags.disable ?? [], {
    suppressUnstableWarning: cfg.suppress_unstable_features_warning,
  });
  warnings.push(...feat.warnings);
  // `[otel]` is checked here, so a bad exporter table fails before anything runs (the runtime reads it again).
  warnings.push(...readOtelSettings(merged).warnings);

  const home = env["HOME"] || os.homedir();
  const absolute = (p: string): string =>
    path.resolve(cwd, p === "~" ? home : p.startsWith("~/") ? path.join(home, p.slice(2)) : p);
  const modelInstructions = await readModelInstructions(cfg, { codexHome, home });
  const sww = cfg.sandbox_workspace_write ?? {};
  const sep = cfg.shell_environment_policy ?? {};

  return {
    codexHome,
    cwd,
    model,
    modelProviderId: providerId,
    modelProvider,
    approvalPolicy,
    sandboxMode,
    sandboxWorkspaceWrite: {
      writableRoots: (sww.writable_roots ?? []).map(absolute),
      networkAccess: sww.network_access ?? false,
      excludeTmpdirEnvVar: sww.exclude_tmpdir_env_var ?? false,
      excludeSlashTmp: sww.exclude_slash_tmp ?? false,
    },
    additionalWritableRoots: (flags.addDirs ?? []).map(absolute),
    approvalsReviewer: approvalsReviewer(cfg),
    ...defined({
      modelReasoningEffort: cfg.model_reasoning_effort,
      reviewModel: cfg.review_model,
      modelReasoningSummary: cfg.model_reasoning_summary,
      modelVerbosity: cfg.model_verbosity,
      serviceTier: cfg.service_tier,
      modelContextWindow: cfg.model_context_window,
      modelAutoCompactTokenLimit: cfg.model_auto_compact_token_limit,
      instructions: cfg.instructions,
      developerInstructions: cfg.developer_instructions,
      modelInstructions,
      notify: cfg.notify,
      webSearch: cfg.web_search,
      activeProfile,
      ...(trustedProjectRoot !== undefined ? { trustedProjectRoot } : {}),
      hideAgentReasoning: cfg.hide_agent_reasoning,
      bypassHookTrust: flags.bypassHookTrust === true ? true : undefined,
      showRawAgentReasoning: cfg.show_raw_agent_reasoning,
    }),
    projectDocMaxBytes: cfg.project_doc_max_bytes ?? DEFAULT_PROJECT_DOC_MAX_BYTES,
    ...(cfg.background_terminal_max_timeout !== undefined
      ? { backgroundTerminalMaxTimeoutMs: cfg.background_terminal_max_timeout }
      : {}),
    projectDocFallbackFilenames: cfg.project_doc_fallback_filenames ?? [],
    features: feat.features,
    shellEnvironmentPolicy: {
      inherit: sep.inherit ?? "all",
      ignoreDefaultExcludes: sep.ignore_default_excludes ?? false,
      exclude: sep.exclude ?? [],
      includeOnly: sep.include_only ?? [],
      set: sep.set ?? {},
    },
    projects: Object.fromEntries(
      Object.entries(cfg.projects ?? {}).map(([p, v]) => [p, v.trust_level ? { trustLevel: v.trust_level } : {}]),
    ),
    history: {
      persistence: cfg.history?.persistence ?? "save-all",
      ...defined({ maxBytes: cfg.history?.max_bytes }),
    },
    raw: merged,
    layers,
    warnings: [...new Set(warnings)],
  };
}

/** `approvals_reviewer`; unset, an explicit `[features] guardian_approval = true` (the old switch) picks the guardian. */
function approvalsReviewer(cfg: ConfigToml): "user" | "guardian" {
  const r = cfg.approvals_reviewer;
  if (r === "guardian_subagent" || r === "auto_review") return "guardian";
  if (r === undefined && cfg.features?.["guardian_approval"] === true) return "guardian";
  return "user";
}

/**
 * `model_instructions_file` (or its older name `experimental_instructions_file`): a relative path is taken from
 * $CODEX_HOME, where the user's config.toml lives; `~/` is the home directory. Unreadable or empty is an error.
 */
async function readModelInstructions(
  cfg: ConfigToml,
  o: { codexHome: string; home: string },
): Promise<string | undefined> {
  const key = cfg.model_instructions_file !== undefined ? "model_instructions_file" : "experimental_instructions_file";
  const raw = cfg.model_instructions_file ?? cfg.experimental_instructions_file;
  if (raw === undefined) return undefined;
  const file = path.resolve(o.codexHome, raw === "~" ? o.home : raw.startsWith("~/") ? path.join(o.home, raw.slice(2)) : raw);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new ConfigError(`${key}: cannot read ${file}: ${code}`);
  }
  if (text.trim() === "") throw new ConfigError(`${key}: ${file} is empty`);
  return text;
}

function resolvePermissions(
  cfg: ConfigToml,
  flags: LoadConfigFlags,
  warnings: string[],
): { approvalPolicy: AskForApproval; sandboxMode: SandboxMode } {
  let approvalPolicy: AskForApproval = cfg.approval_policy ?? "on-request";
  let sandboxMode: SandboxMode = cfg.sandbox_mode ?? "read-only";
  if (flags.fullAuto) {
    warnings.push("--full-auto is deprecated; use --ask-for-approval on-request --sandbox workspace-write");
    approvalPolicy = "on-request";
    sandboxMode = "workspace-write";
  }
  if (flags.sandboxMode !== undefined) sandboxMode = flagValue(SandboxModeToml, flags.sandboxMode, "--sandbox");
  if (flags.approvalPolicy !== undefined) {
    approvalPolicy = flagValue(ApprovalPolicyToml, flags.approvalPolicy, "--ask-for-approval");
  }
  if (flags.dangerouslyBypass) {
    approvalPolicy = "never";
    sandboxMode = "danger-full-access";
  }
  return { approvalPolicy, sandboxMode };
}

function flagValue<T extends string>(schema: { options: readonly T[] }, value: string, flag: string): T {
  const hit = schema.options.find((o) => o === value);
  if (hit === undefined) {
    throw new ConfigError(`invalid value '${value}' for ${flag}: expected one of ${schema.options.join("|")}`);
  }
  return hit;
}

/** Drops undefined values so optional fields stay absent (exactOptionalPropertyTypes-friendly). */
function defined<T extends Record<string, unknown>>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

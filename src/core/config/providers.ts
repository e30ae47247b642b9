import type { ModelProviderToml } from "../../protocol/config.js";
import type { ModelProviderInfo } from "./types.js";
import { ConfigError } from "./errors.js";
import { DEFAULT_OSS_MODEL } from "../model/catalog.js";

export const OPENAI_PROVIDER_ID = "openai";
export const OSS_PROVIDER_ID = "oss";
export const DEFAULT_OPENAI_BASE_URL = "https://api.openai.com/v1";
export const DEFAULT_OLLAMA_PORT = 11434;

export const DEFAULT_REQUEST_MAX_RETRIES = 4;
export const DEFAULT_STREAM_MAX_RETRIES = 5;
export const DEFAULT_STREAM_IDLE_TIMEOUT_MS = 300_000;
/** Upper bound so a typo cannot make a client retry for hours. */
export const MAX_RETRIES_CAP = 100;

type Env = Record<string, string | undefined>;

export const LMSTUDIO_PROVIDER_ID = "lmstudio";
export const OLLAMA_PROVIDER_ID = "ollama";
export const DEFAULT_LMSTUDIO_PORT = 1234;
/** LM Studio names models by publisher; Ollama by tag. */
export const DEFAULT_LMSTUDIO_MODEL = "openai/gpt-oss-20b";

/** Local servers honour CODEX_OSS_BASE_URL, then CODEX_OSS_PORT, then their own default port. */
function ossBaseUrl(env: Env, defaultPort: number): string {
  const explicit = env["CODEX_OSS_BASE_URL"]?.trim();
  if (explicit) return explicit;
  const port = env["CODEX_OSS_PORT"]?.trim();
  return `http://localhost:${port && /^\d+$/.test(port) ? port : defaultPort}/v1`;
}

/** The model a local provider uses when none is named; undefined for remote providers. */
export function defaultLocalModel(providerId: string): string | undefined {
  if (providerId === LMSTUDIO_PROVIDER_ID) return DEFAULT_LMSTUDIO_MODEL;
  if (providerId === OSS_PROVIDER_ID || providerId === OLLAMA_PROVIDER_ID) return DEFAULT_OSS_MODEL;
  return undefined;
}

/** The providers every config has, before user `[model_providers]` entries are applied. */
export function builtInProviders(o: { env: Env; openaiBaseUrl?: string }): Record<string, ModelProviderToml> {
  const oss: ModelProviderToml = { name: "gpt-oss", base_url: ossBaseUrl(o.env, DEFAULT_OLLAMA_PORT), wire_api: "responses" };
  return {
    [OPENAI_PROVIDER_ID]: {
      name: "OpenAI",
      base_url: o.openaiBaseUrl ?? DEFAULT_OPENAI_BASE_URL,
      wire_api: "responses",
      requires_openai_auth: true,
      supports_websockets: true,
    },
    [OSS_PROVIDER_ID]: oss,
    [OLLAMA_PROVIDER_ID]: { ...oss, name: "Ollama" },
    [LMSTUDIO_PROVIDER_ID]: { name: "LM Studio", base_url: ossBaseUrl(o.env, DEFAULT_LMSTUDIO_PORT), wire_api: "responses" },
  };
}

const BUILT_IN_IDS = new Set([OPENAI_PROVIDER_ID, OSS_PROVIDER_ID, "ollama", "lmstudio"]);

/**
 * Resolves provider `id`. User entries replace a built-in of the same id wholesale except `openai`,
 * which upstream does not let users redefine (only `openai_base_url` moves it).
 */
export function resolveProvider(o: {
  id: string;
  userProviders: Record<string, ModelProviderToml>;
  env: Env;
  openaiBaseUrl?: string;
  source: string;
}): ModelProviderInfo {
  const builtIns = builtInProviders({ env: o.env, openaiBaseUrl: o.openaiBaseUrl });
  const user = o.id === OPENAI_PROVIDER_ID ? undefined : o.userProviders[o.id];
  const t = user ?? builtIns[o.id];
  if (!t) {
    const known = [...new Set([...Object.keys(builtIns), ...Object.keys(o.userProviders)])].sort();
    throw new ConfigError(
      `${o.source}: model_provider '${o.id}' not found; define [model_providers.${o.id}] or use one of ${known.join("|")}`,
    );
  }
  if (!t.base_url) {
    throw new ConfigError(`${o.source}: model_providers.${o.id}.base_url is required`);
  }
  const cap = (n: number | undefined, d: number): number => Math.min(n ?? d, MAX_RETRIES_CAP);
  return {
    id: o.id,
    name: t.name ?? o.id,
    baseUrl: t.base_url,
    ...(t.env_key ? { envKey: t.env_key } : {}),
    wireApi: "responses",
    queryParams: { ...(t.query_params ?? {}) },
    httpHeaders: { ...(t.http_headers ?? {}) },
    envHttpHeaders: { ...(t.env_http_headers ?? {}) },
    requestMaxRetries: cap(t.request_max_retries, DEFAULT_REQUEST_MAX_RETRIES),
    streamMaxRetries: cap(t.stream_max_retries, DEFAULT_STREAM_MAX_RETRIES),
    streamIdleTimeoutMs: t.stream_idle_timeout_ms ?? DEFAULT_STREAM_IDLE_TIMEOUT_MS,
    requiresOpenaiAuth: t.requires_openai_auth ?? false,
    builtIn: o.id === OPENAI_PROVIDER_ID && user === undefined,
    ...(t.supports_websockets !== undefined ? { supportsWebsockets: t.supports_websockets } : {}),
    ...(t.websocket_connect_timeout_ms !== undefined ? { websocketConnectTimeoutMs: t.websocket_connect_timeout_ms } : {}),
  };
}

export function isBuiltInProviderId(id: string): boolean {
  return BUILT_IN_IDS.has(id);
}

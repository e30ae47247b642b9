import fs from "node:fs/promises";
import type { ModelProviderInfo } from "../config/types.js";
import { authFilePath, readAuthFile, writeAuthFile } from "./auth-file.js";

type Env = Record<string, string | undefined>;

/** Whether requests to `provider` need a bearer key at all (local servers such as Ollama do not). */
export function providerNeedsKey(provider: ModelProviderInfo): boolean {
  return provider.envKey !== undefined || provider.builtIn || provider.requiresOpenaiAuth;
}

/** A bearer key and where it was found: an env var's name, or the auth.json path. */
export interface ResolvedApiKey {
  key: string;
  source: string;
}

/**
 * The bearer key for `provider`. Built-in/OpenAI-auth providers: CODEX_API_KEY, OPENAI_API_KEY, then
 * auth.json. Providers with `env_key`: that variable only. Others (local servers): null.
 */
export async function resolveApiKey(o: {
  codexHome: string;
  env: Env;
  provider: ModelProviderInfo;
}): Promise<string | null> {
  return (await resolveApiKeyWithSource(o))?.key ?? null;
}

/** Like resolveApiKey, also telling where the key came from (for "check the key in X" messages). */
export async function resolveApiKeyWithSource(o: {
  codexHome: string;
  env: Env;
  provider: ModelProviderInfo;
}): Promise<ResolvedApiKey | null> {
  const nonEmpty = (v: string | undefined | null): string | null => (v && v.trim() !== "" ? v.trim() : null);
  const fromVar = (name: string): ResolvedApiKey | null => {
    const key = nonEmpty(o.env[name]);
    return key === null ? null : { key, source: name };
  };
  if (o.provider.envKey !== undefined) return fromVar(o.provider.envKey);
  if (!o.provider.builtIn && !o.provider.requiresOpenaiAuth) return null;
  const fromEnv = fromVar("CODEX_API_KEY") ?? fromVar("OPENAI_API_KEY");
  if (fromEnv) return fromEnv;
  const key = nonEmpty((await readAuthFile(o.codexHome))?.OPENAI_API_KEY);
  return key === null ? null : { key, source: authFilePath(o.codexHome) };
}

/** One line telling the user how to supply a key for `provider`. */
export function missingKeyMessage(provider: ModelProviderInfo): string {
  if (provider.envKey !== undefined) {
    return `Missing API key for provider '${provider.id}': set the ${provider.envKey} environment variable.`;
  }
  return (
    "No API key found: set OPENAI_API_KEY (or CODEX_API_KEY), " +
    "or run `printenv OPENAI_API_KEY | codex login --with-api-key`."
  );
}

/** Stores an API key in auth.json (mode 0600), replacing any stored credentials. */
export async function saveApiKey(codexHome: string, key: string): Promise<void> {
  await writeAuthFile(codexHome, {
    OPENAI_API_KEY: key,
    tokens: null,
    last_refresh: new Date().toISOString(),
    auth_mode: "apikey",
  });
}

/** `API key configured - sk-proj-***ABCDE` (+ a note, as 0.169 prints it), `Logged in using ChatGPT`, or null. */
export async function loginStatus(codexHome: string): Promise<string | null> {
  const file = await readAuthFile(codexHome);
  if (!file) return null;
  if (file.OPENAI_API_KEY) {
    return `API key configured - ${maskApiKey(file.OPENAI_API_KEY)}\nAuthentication is checked when you send a request.`;
  }
  if (file.tokens) return "Logged in using ChatGPT";
  return null;
}

/** Keeps a recognisable prefix and the last 5 characters; short keys are hidden entirely. */
export function maskApiKey(key: string): string {
  const PREFIX = 8;
  const SUFFIX = 5;
  if (key.length <= PREFIX + SUFFIX) return "***";
  return `${key.slice(0, PREFIX)}***${key.slice(-SUFFIX)}`;
}

/** Deletes stored credentials; true when something was removed. */
export async function logout(codexHome: string): Promise<boolean> {
  try {
    await fs.unlink(authFilePath(codexHome));
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw e;
  }
}

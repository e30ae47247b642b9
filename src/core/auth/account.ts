import type { ModelProviderInfo } from "../config/types.js";
import { readAuthFile } from "./auth-file.js";

// The signed-in account as a client sees it (app-server account/read): what auth.json holds, for providers
// that use OpenAI auth. A provider with its own key (env_key) has no account.

export type AccountView = { type: "apiKey" } | { type: "chatgpt"; email: string | null; planType: "unknown"; workspaceName: string | null };

export interface AccountState {
  account: AccountView | null;
  requiresOpenaiAuth: boolean;
  /** auth.json's mode: `apikey`, `chatgpt`, or null when signed out. */
  authMode: "apikey" | "chatgpt" | null;
}

export async function readAccountState(o: { codexHome: string; provider: ModelProviderInfo }): Promise<AccountState> {
  const requiresOpenaiAuth = o.provider.builtIn || o.provider.requiresOpenaiAuth;
  const file = await readAuthFile(o.codexHome);
  const authMode = file?.OPENAI_API_KEY ? "apikey" : file?.tokens ? "chatgpt" : null;
  if (!requiresOpenaiAuth || authMode === null) return { account: null, requiresOpenaiAuth, authMode };
  const account: AccountView =
    authMode === "apikey" ? { type: "apiKey" } : { type: "chatgpt", email: null, planType: "unknown", workspaceName: null };
  return { account, requiresOpenaiAuth, authMode };
}

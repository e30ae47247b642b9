import { logout, readAccountState, saveApiKey } from "../../core/index.js";
import {
  AccountLoginCompleted,
  AccountUpdated,
  GetAccountParams,
  GetAccountResponse,
  LoginAccountParams,
  LoginAccountResponse,
  LogoutAccountResponse,
} from "../../protocol/app-server/account.js";
import { EmptyObject } from "../../protocol/app-server/common.js";
import { defineMethod, JsonRpcError, type MethodContext, type MethodDef } from "../method-table.js";
import { loadServerConfig } from "./server-config.js";

// `account/read`, `account/login/start` (API key: writes auth.json as `codex login --with-api-key` does) and
// `account/logout`. After a login or logout the reference sends `account/login/completed` and
// `account/updated` once the response is out; so do we.

const read = defineMethod({
  method: "account/read",
  params: GetAccountParams,
  result: GetAccountResponse,
  async handle(_p, ctx) {
    const config = await loadServerConfig(ctx);
    const state = await readAccountState({ codexHome: ctx.config.codexHome, provider: config.modelProvider });
    return { account: state.account, userId: null, requiresOpenaiAuth: state.requiresOpenaiAuth, workspaceRouting: null };
  },
});

const loginStart = defineMethod({
  method: "account/login/start",
  params: LoginAccountParams,
  result: LoginAccountResponse,
  async handle(p, ctx: MethodContext) {
    if (p.type !== "apiKey") {
      throw JsonRpcError.invalidRequest(`account/login/start: ${p.type} login is not supported by this build; use {"type":"apiKey"}`);
    }
    if (p.apiKey.trim() === "") throw new JsonRpcError(-32602, "Invalid params: apiKey: must not be empty");
    await saveApiKey(ctx.config.codexHome, p.apiKey.trim());
    ctx.afterResponse(() => {
      ctx.notify(AccountLoginCompleted, { loginId: null, success: true, error: null, onboardingEntrypoint: null });
      ctx.notify(AccountUpdated, { authMode: "apikey", planType: null });
    });
    return { type: "apiKey" as const };
  },
});

const logoutMethod = defineMethod({
  method: "account/logout",
  params: EmptyObject,
  result: LogoutAccountResponse,
  async handle(_p, ctx) {
    await logout(ctx.config.codexHome);
    ctx.afterResponse(() => ctx.notify(AccountUpdated, { authMode: null, planType: null }));
    return {};
  },
});

export const accountMethods: MethodDef[] = [read, loginStart, logoutMethod];

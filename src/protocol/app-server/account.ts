import { z } from "zod";
import type { NotificationDef } from "./jsonrpc.js";

// `account/read`, `account/login/start`, `account/logout` and their notifications (v2).

export const PlanType = z.enum([
  "free", "go", "plus", "pro", "prolite", "promax", "team", "self_serve_business_prolite",
  "self_serve_business_usage_based", "business", "ent26", "enterprise_cbp_automation",
  "enterprise_cbp_usage_based", "enterprise", "edu", "edu_plus", "edu_pro", "sci", "sci_plus", "unknown",
]).meta({ id: "PlanType" });
export const AuthMode = z.enum([
  "apikey", "chatgpt", "chatgptAuthTokens", "headers", "agentIdentity", "personalAccessToken", "bedrockApiKey",
  "bedrockAccessKeys",
]).meta({ id: "AuthMode" });

export const GetAccountParams = z.object({ refreshToken: z.boolean().optional() }).meta({ id: "GetAccountParams" });

export const Account = z.discriminatedUnion("type", [
  z.object({ type: z.literal("apiKey") }),
  z.object({ type: z.literal("chatgpt"), email: z.string().nullable(), planType: PlanType, workspaceName: z.string().nullable() }),
  z.object({ type: z.literal("amazonBedrock"), usesCodexManagedCredentials: z.boolean() }),
  z.object({ type: z.literal("gcp") }),
]).meta({ id: "Account" });

export const GetAccountResponse = z.object({
  account: Account.nullable(),
  userId: z.string().nullable(),
  requiresOpenaiAuth: z.boolean(),
  workspaceRouting: z
    .object({ chatgptAccountId: z.string(), backendOrigin: z.string(), accountRoutingOverride: z.unknown() })
    .nullable(),
}).meta({ id: "GetAccountResponse" });
export type GetAccountResponse = z.infer<typeof GetAccountResponse>;

export const LoginAccountParams = z.discriminatedUnion("type", [
  z.object({ type: z.literal("apiKey"), apiKey: z.string() }),
  z.object({
    type: z.literal("chatgpt"),
    codexStreamlinedLogin: z.boolean().optional(),
    useHostedLoginSuccessPage: z.boolean().optional(),
    appBrand: z.enum(["codex", "chatgpt"]).nullish(),
  }),
  z.object({ type: z.literal("chatgptDeviceCode") }),
  z.object({
    type: z.literal("chatgptAuthTokens"),
    accessToken: z.string(),
    chatgptAccountId: z.string(),
    chatgptPlanType: z.string().nullish(),
  }),
  z.object({ type: z.literal("amazonBedrock"), apiKey: z.string(), region: z.string() }),
  z.object({
    type: z.literal("amazonBedrockAccessKeys"),
    accessKeyId: z.string(),
    secretAccessKey: z.string(),
    sessionToken: z.string().nullish(),
    region: z.string(),
  }),
]).meta({ id: "LoginAccountParams" });
export type LoginAccountParams = z.infer<typeof LoginAccountParams>;

export const LoginAccountResponse = z.discriminatedUnion("type", [
  z.object({ type: z.literal("apiKey") }),
  z.object({ type: z.literal("chatgpt"), loginId: z.string(), authUrl: z.string() }),
  z.object({ type: z.literal("chatgptDeviceCode"), loginId: z.string(), verificationUrl: z.string(), userCode: z.string() }),
  z.object({ type: z.literal("chatgptAuthTokens") }),
  z.object({ type: z.literal("amazonBedrock") }),
]).meta({ id: "LoginAccountResponse" });
export type LoginAccountResponse = z.infer<typeof LoginAccountResponse>;

export const LogoutAccountResponse = z.object({}).meta({ id: "LogoutAccountResponse" });

export const AccountUpdatedNotification = z.object({ authMode: AuthMode.nullable(), planType: PlanType.nullable() }).meta({ id: "AccountUpdatedNotification" });
export type AccountUpdatedNotification = z.infer<typeof AccountUpdatedNotification>;

export const AccountLoginCompletedNotification = z.object({
  loginId: z.string().nullable(),
  success: z.boolean(),
  error: z.string().nullable(),
  onboardingEntrypoint: z.enum(["life_sciences"]).nullable(),
}).meta({ id: "AccountLoginCompletedNotification" });
export type AccountLoginCompletedNotification = z.infer<typeof AccountLoginCompletedNotification>;

export const AccountUpdated: NotificationDef<AccountUpdatedNotification> = { method: "account/updated", params: AccountUpdatedNotification };
export const AccountLoginCompleted: NotificationDef<AccountLoginCompletedNotification> = {
  method: "account/login/completed",
  params: AccountLoginCompletedNotification,
};

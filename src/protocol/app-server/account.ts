import { z } from "zod";

// `account/read`, `account/login/start`, `account/logout` and their notifications (v2).

export const PlanType = z.enum([
  "free", "go", "plus", "pro", "prolite", "promax", "team", "self_serve_business_prolite",
  "self_serve_business_usage_based", "business", "ent26", "enterprise_cbp_automation",
  "enterprise_cbp_usage_based", "enterprise", "edu", "edu_plus", "edu_pro", "sci", "sci_plus", "unknown",
]);
export const AuthMode = z.enum([
  "apikey", "chatgpt", "chatgptAuthTokens", "headers", "agentIdentity", "personalAccessToken", "bedrockApiKey",
  "bedrockAccessKeys",
]);

export const GetAccountParams = z.object({ refreshToken: z.boolean().optional() });

export const Account = z.discriminatedUnion("type", [
  z.object({ type: z.literal("apiKey") }),
  z.object({ type: z.literal("chatgpt"), email: z.string().nullable(), planType: PlanType, workspaceName: z.string().nullable() }),
  z.object({ type: z.literal("amazonBedrock"), usesCodexManagedCredentials: z.boolean() }),
  z.object({ type: z.literal("gcp") }),
]);

export const GetAccountResponse = z.object({
  account: Account.nullable(),
  userId: z.string().nullable(),
  requiresOpenaiAuth: z.boolean(),
  workspaceRouting: z
    .object({ chatgptAccountId: z.string(), backendOrigin: z.string(), accountRoutingOverride: z.unknown() })
    .nullable(),
});
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
]);
export type LoginAccountParams = z.infer<typeof LoginAccountParams>;

export const LoginAccountResponse = z.discriminatedUnion("type", [
  z.object({ type: z.literal("apiKey") }),
  z.object({ type: z.literal("chatgpt"), loginId: z.string(), authUrl: z.string() }),
  z.object({ type: z.literal("chatgptDeviceCode"), loginId: z.string(), verificationUrl: z.string(), userCode: z.string() }),
  z.object({ type: z.literal("chatgptAuthTokens") }),
  z.object({ type: z.literal("amazonBedrock") }),
]);
export type LoginAccountResponse = z.infer<typeof LoginAccountResponse>;

export const LogoutAccountResponse = z.object({});

export const AccountUpdatedNotification = z.object({ authMode: AuthMode.nullable(), planType: PlanType.nullable() });
export type AccountUpdatedNotification = z.infer<typeof AccountUpdatedNotification>;

export const AccountLoginCompletedNotification = z.object({
  loginId: z.string().nullable(),
  success: z.boolean(),
  error: z.string().nullable(),
  onboardingEntrypoint: z.enum(["life_sciences"]).nullable(),
});
export type AccountLoginCompletedNotification = z.infer<typeof AccountLoginCompletedNotification>;

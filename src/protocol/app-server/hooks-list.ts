import { z } from "zod";

// `hooks/list` (v2), as the reference's generated schema has it.

export const HooksListParams = z.object({ cwds: z.array(z.string()).optional(), threadId: z.string().nullish() }).meta({ id: "HooksListParams" });
export type HooksListParams = z.infer<typeof HooksListParams>;

export const HookEventNameV2 = z.enum([
  "preModelRequest", "postModelRequest", "preToolUse", "permissionRequest", "postToolUse", "preCompact",
  "postCompact", "sessionStart", "sessionEnd", "userPromptSubmit", "subagentStart", "subagentStop", "stop", "interrupt",
]);

const HookMetadataBase = z.object({
  key: z.string(),
  eventName: HookEventNameV2,
  matcher: z.string().nullable(),
  timeoutSec: z.number().int(),
  statusMessage: z.string().nullable(),
  additionalContextLimit: z.number().int().nullable(),
  sourcePath: z.string(),
  source: z.enum([
    "system", "user", "project", "mdm", "sessionFlags", "plugin", "cloudRequirements", "cloudManagedConfig",
    "legacyManagedConfigFile", "legacyManagedConfigMdm", "unknown",
  ]),
  pluginId: z.string().nullable(),
  environmentId: z.string().nullable(),
  displayOrder: z.number().int(),
  enabled: z.boolean(),
  isManaged: z.boolean(),
  currentHash: z.string(),
  trustStatus: z.enum(["managed", "untrusted", "trusted", "modified"]),
});

export const HookMetadata = z.union([
  HookMetadataBase.extend({ handlerType: z.literal("command"), command: z.string(), async: z.boolean() }),
  HookMetadataBase.extend({ handlerType: z.literal("mcpTool"), server: z.string(), tool: z.string() }),
  HookMetadataBase.extend({ handlerType: z.literal("prompt") }),
  HookMetadataBase.extend({ handlerType: z.literal("agent") }),
]).meta({ id: "HookMetadata" });
export type HookMetadata = z.infer<typeof HookMetadata>;

export const HooksListEntry = z.object({
  cwd: z.string(),
  hooks: z.array(HookMetadata),
  warnings: z.array(z.string()),
  errors: z.array(z.object({ path: z.string(), message: z.string() })),
}).meta({ id: "HooksListEntry" });
export type HooksListEntry = z.infer<typeof HooksListEntry>;

export const HooksListResponse = z.object({ data: z.array(HooksListEntry) }).meta({ id: "HooksListResponse" });
export type HooksListResponse = z.infer<typeof HooksListResponse>;

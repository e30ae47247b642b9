import { z } from "zod";

// `command/exec` and its companions (v2): a standalone command in the server's sandbox, no thread or turn.
// Shapes follow the reference's generated schema (CommandExecParams, CommandExecResponse, ...).

/** A JSON value as the wire carries it (serde_json::Value). */
export const JsonValue: z.ZodType<unknown> = z.unknown();

/** The v2 sandbox policy (`type` tagged, camelCase), as thread/turn and command/exec carry it. */
export const SandboxPolicyV2 = z.discriminatedUnion("type", [
  z.object({ type: z.literal("dangerFullAccess") }),
  z.object({ type: z.literal("readOnly"), networkAccess: z.boolean().default(false) }),
  z.object({ type: z.literal("externalSandbox"), networkAccess: z.enum(["restricted", "enabled"]).default("restricted") }),
  z.object({
    type: z.literal("workspaceWrite"),
    writableRoots: z.array(z.string()).default([]),
    networkAccess: z.boolean().default(false),
    excludeTmpdirEnvVar: z.boolean().default(false),
    excludeSlashTmp: z.boolean().default(false),
  }),
]);
export type SandboxPolicyV2 = z.infer<typeof SandboxPolicyV2>;

export const CommandExecTerminalSize = z.object({ rows: z.number().int().min(1), cols: z.number().int().min(1) });

export const CommandExecParams = z.object({
  command: z.array(z.string()),
  processId: z.string().nullish(),
  tty: z.boolean().optional(),
  streamStdin: z.boolean().optional(),
  streamStdoutStderr: z.boolean().optional(),
  outputBytesCap: z.number().int().min(0).nullish(),
  disableOutputCap: z.boolean().optional(),
  disableTimeout: z.boolean().optional(),
  timeoutMs: z.number().int().min(0).nullish(),
  cwd: z.string().nullish(),
  env: z.record(z.string(), z.string().nullable()).nullish(),
  size: CommandExecTerminalSize.nullish(),
  sandboxPolicy: SandboxPolicyV2.nullish(),
  permissionProfile: z.string().nullish(),
});
export type CommandExecParams = z.infer<typeof CommandExecParams>;

export const CommandExecResponse = z.object({ exitCode: z.number().int(), stdout: z.string(), stderr: z.string() });
export type CommandExecResponse = z.infer<typeof CommandExecResponse>;

export const CommandExecOutputDeltaNotification = z.object({
  processId: z.string(),
  stream: z.enum(["stdout", "stderr"]),
  deltaBase64: z.string(),
  capReached: z.boolean(),
});
export type CommandExecOutputDeltaNotification = z.infer<typeof CommandExecOutputDeltaNotification>;

export const CommandExecWriteParams = z.object({
  processId: z.string(),
  deltaBase64: z.string().nullish(),
  closeStdin: z.boolean().optional(),
});
export const CommandExecTerminateParams = z.object({ processId: z.string() });
export const CommandExecResizeParams = z.object({ processId: z.string(), size: CommandExecTerminalSize });
/** write / terminate / resize answer `{}`. */
export const EmptyResponse = z.object({});

import { z } from "zod";
import { SandboxPolicyWire } from "./common.js";
import type { NotificationDef } from "./jsonrpc.js";

// `command/exec` and its companions (v2): a standalone command in the server's sandbox, no thread or turn.
// Shapes follow the reference's generated schema (CommandExecParams, CommandExecResponse, ...).

/** A JSON value as the wire carries it (serde_json::Value). */
export const JsonValue: z.ZodType<unknown> = z.unknown();


/** u16 cells on the wire; zero passes the schema and is refused by the method (as the reference does). */
export const CommandExecTerminalSize = z
  .object({ rows: z.number().int().min(0).max(65535), cols: z.number().int().min(0).max(65535) })
  .meta({ id: "CommandExecTerminalSize" });
export type CommandExecTerminalSize = z.infer<typeof CommandExecTerminalSize>;

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
  sandboxPolicy: SandboxPolicyWire.nullish(),
  permissionProfile: z.string().nullish(),
}).meta({ id: "CommandExecParams" });
export type CommandExecParams = z.infer<typeof CommandExecParams>;

export const CommandExecResponse = z.object({ exitCode: z.number().int(), stdout: z.string(), stderr: z.string() }).meta({ id: "CommandExecResponse" });
export type CommandExecResponse = z.infer<typeof CommandExecResponse>;

export const CommandExecOutputDeltaNotification = z.object({
  processId: z.string(),
  stream: z.enum(["stdout", "stderr"]),
  deltaBase64: z.string(),
  capReached: z.boolean(),
}).meta({ id: "CommandExecOutputDeltaNotification" });
export type CommandExecOutputDeltaNotification = z.infer<typeof CommandExecOutputDeltaNotification>;

export const CommandExecWriteParams = z.object({
  processId: z.string(),
  deltaBase64: z.string().nullish(),
  closeStdin: z.boolean().optional(),
}).meta({ id: "CommandExecWriteParams" });
export const CommandExecTerminateParams = z.object({ processId: z.string() }).meta({ id: "CommandExecTerminateParams" });
export const CommandExecResizeParams = z.object({ processId: z.string(), size: CommandExecTerminalSize }).meta({ id: "CommandExecResizeParams" });
/** write / terminate / resize answer `{}`. */
export const EmptyResponse = z.object({});

export const CommandExecOutputDelta: NotificationDef<CommandExecOutputDeltaNotification> = {
  method: "command/exec/outputDelta",
  params: CommandExecOutputDeltaNotification,
};

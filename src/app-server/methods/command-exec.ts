import { createStandaloneCommandRunner, resolveSandboxPolicy, type ResolvedConfig } from "../../core/index.js";
import type { SandboxPolicy } from "../../protocol/policy.js";
import type { SandboxPolicyWire } from "../../protocol/app-server/common.js";
import {
  CommandExecOutputDelta,
  CommandExecParams,
  CommandExecResizeParams,
  CommandExecResponse,
  CommandExecTerminateParams,
  CommandExecWriteParams,
  EmptyResponse,
} from "../../protocol/app-server/command-exec.js";
import type { ClientHandle } from "../connection.js";
import { defineMethod, JsonRpcError, type MethodDef } from "../method-table.js";
import { loadServerConfig } from "./server-config.js";

// `command/exec`: a one-off command in the sandbox (the configured one unless the client names one), output
// buffered or streamed as `command/exec/outputDelta`, answered once the process exited. A client-supplied
// `processId` can be terminated; the process also ends when its connection closes.

/** Running commands by connection and client process id (for command/exec/terminate). */
type Running = WeakMap<ClientHandle, Map<string, AbortController>>;

export function createCommandExecMethods(): MethodDef[] {
  const running: Running = new WeakMap();
  const of = (client: ClientHandle): Map<string, AbortController> => {
    let map = running.get(client);
    if (!map) running.set(client, (map = new Map()));
    return map;
  };

  const exec = defineMethod({
    method: "command/exec",
    params: CommandExecParams,
    result: CommandExecResponse,
    async handle(p, ctx) {
      if (p.command.length === 0) throw JsonRpcError.invalidRequest("command must not be empty");
      if (p.tty || p.streamStdin || p.size) throw JsonRpcError.invalidRequest("command/exec: tty, size and streamStdin are not supported by this build");
      if (p.streamStdoutStderr && !p.processId) throw JsonRpcError.invalidRequest("command/exec: streamStdoutStderr requires processId");
      if (p.disableTimeout && p.timeoutMs != null) throw JsonRpcError.invalidRequest("command/exec: disableTimeout cannot be combined with timeoutMs");
      if (p.disableOutputCap && p.outputBytesCap != null) {
        throw JsonRpcError.invalidRequest("command/exec: disableOutputCap cannot be combined with outputBytesCap");
      }
      if (p.permissionProfile) throw JsonRpcError.invalidRequest("command/exec: permissionProfile is not supported by this build");
      // Registered before anything is awaited, so a terminate sent right after this request finds it.
      const processes = of(ctx.client);
      if (p.processId && processes.has(p.processId)) throw JsonRpcError.invalidRequest(`command/exec: processId ${p.processId} is already running`);
      const controller = new AbortController();
      if (p.processId) processes.set(p.processId, controller);
      ctx.client.whenClosed(() => controller.abort());
      const processId = p.processId ?? "";
      try {
        const config = await loadServerConfig(ctx, p.cwd);
        if (controller.signal.aborted) return { exitCode: 128 + 15, stdout: "", stderr: "" };
        return await createStandaloneCommandRunner({ config, env: ctx.config.env, secrets: [] }).run({
          argv: p.command,
          cwd: config.cwd,
          sandbox: p.sandboxPolicy ? corePolicy(p.sandboxPolicy, config, ctx.config.env) : resolveSandboxPolicy(config, { env: ctx.config.env }),
          ...(p.env ? { envOverrides: p.env } : {}),
          timeoutMs: p.disableTimeout ? null : (p.timeoutMs ?? undefined),
          outputBytesCap: p.disableOutputCap ? null : (p.outputBytesCap ?? undefined),
          ...(p.streamStdoutStderr
            ? {
                onOutput: (c) =>
                  ctx.notify(CommandExecOutputDelta, { processId, stream: c.stream, deltaBase64: c.data.toString("base64"), capReached: c.capReached }),
              }
            : {}),
          signal: controller.signal,
        });
      } catch (err) {
        if (err instanceof JsonRpcError) throw err;
        throw JsonRpcError.invalidRequest((err as Error).message);
      } finally {
        if (p.processId) processes.delete(p.processId);
      }
    },
  });

  const terminate = defineMethod({
    method: "command/exec/terminate",
    params: CommandExecTerminateParams,
    result: EmptyResponse,
    async handle(p, ctx) {
      const controller = of(ctx.client).get(p.processId);
      if (!controller) throw JsonRpcError.invalidRequest(`no running command/exec with processId ${p.processId}`);
      controller.abort();
      return {};
    },
  });

  // Without tty / streamStdin sessions there is never a process to write to or resize.
  const write = defineMethod({
    method: "command/exec/write",
    params: CommandExecWriteParams,
    result: EmptyResponse,
    async handle(p) {
      throw JsonRpcError.invalidRequest(`no command/exec with processId ${p.processId} accepts stdin (streamStdin is not supported by this build)`);
    },
  });
  const resize = defineMethod({
    method: "command/exec/resize",
    params: CommandExecResizeParams,
    result: EmptyResponse,
    async handle(p) {
      throw JsonRpcError.invalidRequest(`no command/exec with processId ${p.processId} has a terminal (tty is not supported by this build)`);
    },
  });
  return [exec, terminate, write, resize];
}

/** The wire policy as core's, with workspace roots resolved by the one writable-path rule (config/sandbox-policy). */
function corePolicy(wire: SandboxPolicyWire, config: ResolvedConfig, env: Record<string, string | undefined>): SandboxPolicy {
  switch (wire.type) {
    case "dangerFullAccess":
      return { mode: "danger-full-access" };
    case "readOnly":
      return { mode: "read-only", networkAccess: wire.networkAccess };
    case "workspaceWrite":
      return resolveSandboxPolicy({
        ...config,
        sandboxMode: "workspace-write",
        additionalWritableRoots: [],
        sandboxWorkspaceWrite: {
          writableRoots: wire.writableRoots,
          networkAccess: wire.networkAccess,
          excludeTmpdirEnvVar: wire.excludeTmpdirEnvVar,
          excludeSlashTmp: wire.excludeSlashTmp,
        },
      }, { env });
  }
}

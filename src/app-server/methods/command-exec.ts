import { existsSync } from "node:fs";
import {
  createStandaloneCommandRunner,
  createStandaloneExecRunner,
  resolveSandboxPolicy,
  type StandaloneCommandSession,
} from "../../core/index.js";
import {
  CommandExecOutputDelta,
  CommandExecParams,
  CommandExecResizeParams,
  CommandExecResponse,
  CommandExecTerminateParams,
  CommandExecWriteParams,
  EmptyResponse,
  type CommandExecTerminalSize,
} from "../../protocol/app-server/command-exec.js";
import { sandboxToCore } from "../turn-overrides.js";
import type { ClientHandle } from "../connection.js";
import { defineMethod, JsonRpcError, type MethodContext, type MethodDef } from "../method-table.js";
import { loadServerConfig } from "./server-config.js";

// `command/exec`: a one-off command in the sandbox (the configured one unless the client names one), answered
// once the process exited. Output is buffered for the answer or streamed as `command/exec/outputDelta`; with
// `tty` it runs under a pseudo-terminal (which implies both streams), with `streamStdin` it takes
// `command/exec/write`. A client-supplied `processId` names the process for write / resize / terminate, per
// connection; every process of a connection is killed when the connection closes.

/** A command/exec a client named, from the moment its request was read until its process exited. */
interface Named {
  /** Settles once the process started; null when it could not. */
  readonly session: Promise<StandaloneCommandSession | null>;
  terminated: boolean;
  /** The client closed its stdin (a write refused after that is not a process that ended). */
  stdinClosed: boolean;
}

/** One connection's commands: those it named, and every one (all end when the connection closes). */
interface ClientCommands {
  readonly named: Map<string, Named>;
  readonly all: Set<AbortController>;
  closed: boolean;
}

const INVALID_PARAMS = -32602;
const INTERNAL_ERROR = -32603;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function createCommandExecMethods(): MethodDef[] {
  const byClient = new WeakMap<ClientHandle, ClientCommands>();
  // One exec runner for the server (per CODEX_HOME), shared by the command runner each request makes with its own
  // config: the bwrap probe, the parent-death guard's setpriv probe and the seccomp program fds happen once.
  const execRunners = new Map<string, ReturnType<typeof createStandaloneExecRunner>>();
  const execRunnerFor = (codexHome: string): ReturnType<typeof createStandaloneExecRunner> => {
    let runner = execRunners.get(codexHome);
    if (!runner) execRunners.set(codexHome, (runner = createStandaloneExecRunner({ codexHome, secrets: [] })));
    return runner;
  };
  const of = (client: ClientHandle): ClientCommands => {
    let commands = byClient.get(client);
    if (!commands) {
      const created: ClientCommands = { named: new Map(), all: new Set(), closed: false };
      byClient.set(client, (commands = created));
      // Every command of a closing connection ends: its client can no longer see, feed or stop it.
      client.whenClosed(() => {
        created.closed = true;
        for (const controller of created.all) controller.abort();
      });
    }
    return commands;
  };
  const find = (ctx: MethodContext, processId: string): Named => {
    const entry = of(ctx.client).named.get(processId);
    if (!entry) throw JsonRpcError.invalidRequest(`no active command/exec for process id ${JSON.stringify(processId)}`);
    return entry;
  };

  const exec = defineMethod({
    method: "command/exec",
    params: CommandExecParams,
    result: CommandExecResponse,
    async handle(p, ctx) {
      validate(p);
      const tty = p.tty === true;
      const streamOutput = tty || p.streamStdoutStderr === true;
      // Registered before anything is awaited, so a write or terminate sent right after this request finds it.
      const commands = of(ctx.client);
      if (p.processId && commands.named.has(p.processId)) {
        throw JsonRpcError.invalidRequest(`duplicate active command/exec process id: ${JSON.stringify(p.processId)}`);
      }
      const controller = new AbortController();
      const started = deferred<StandaloneCommandSession | null>();
      const entry: Named = { session: started.promise, terminated: false, stdinClosed: false };
      const processId = p.processId ?? "";
      if (p.processId) commands.named.set(p.processId, entry);
      commands.all.add(controller);
      if (commands.closed) controller.abort();
      try {
        const config = await loadServerConfig(ctx, p.cwd);
        if (!existsSync(config.cwd)) throw new JsonRpcError(INTERNAL_ERROR, `failed to spawn command: working directory does not exist: ${config.cwd}`);
        const runner = createStandaloneCommandRunner({ config, env: ctx.config.env, secrets: [], exec: execRunnerFor(config.codexHome) });
        const request = {
          argv: p.command,
          cwd: config.cwd,
          // The wire policy as core's, by the same conversion as turn/start's (one writable-roots rule); an
          // external sandbox is not among command/exec's choices, so only the configured policy stands in.
          sandbox:
            (p.sandboxPolicy ? sandboxToCore(p.sandboxPolicy, { cwd: config.cwd, env: ctx.config.env }) : null) ??
            resolveSandboxPolicy(config, { env: ctx.config.env }),
          ...(p.env ? { envOverrides: p.env } : {}),
          timeoutMs: p.disableTimeout ? null : (p.timeoutMs ?? undefined),
          outputBytesCap: p.disableOutputCap ? null : (p.outputBytesCap ?? undefined),
          ...(streamOutput
            ? {
                onOutput: (c: { stream: "stdout" | "stderr"; data: Buffer; capReached: boolean }) =>
                  ctx.notify(CommandExecOutputDelta, { processId, stream: c.stream, deltaBase64: c.data.toString("base64"), capReached: c.capReached }),
              }
            : {}),
          signal: controller.signal,
        };
        // A command nobody can reach again runs to its end; a named one is a session (write, resize, terminate).
        if (!p.processId) return await runner.run(request);
        let session: StandaloneCommandSession;
        try {
          session = await runner.start({ ...request, tty, ...(p.size ? { size: p.size } : {}), streamStdin: p.streamStdin === true });
        } catch (err) {
          throw new JsonRpcError(INTERNAL_ERROR, `failed to spawn command: ${(err as Error).message}`);
        }
        started.resolve(session);
        if (entry.terminated) session.terminate();
        return await session.result;
      } catch (err) {
        started.resolve(null);
        if (err instanceof JsonRpcError) throw err;
        throw JsonRpcError.invalidRequest((err as Error).message);
      } finally {
        commands.all.delete(controller);
        if (p.processId) commands.named.delete(p.processId);
      }
    },
  });

  const terminate = defineMethod({
    method: "command/exec/terminate",
    params: CommandExecTerminateParams,
    result: EmptyResponse,
    async handle(p, ctx) {
      const entry = find(ctx, p.processId);
      entry.terminated = true;
      void entry.session.then((s) => s?.terminate());
      return {};
    },
  });

  const write = defineMethod({
    method: "command/exec/write",
    params: CommandExecWriteParams,
    result: EmptyResponse,
    async handle(p, ctx) {
      if (p.deltaBase64 == null && !p.closeStdin) {
        throw new JsonRpcError(INVALID_PARAMS, "command/exec/write requires deltaBase64 or closeStdin");
      }
      const entry = find(ctx, p.processId);
      if (p.deltaBase64 != null && !BASE64.test(p.deltaBase64)) {
        throw new JsonRpcError(INVALID_PARAMS, `invalid deltaBase64: ${base64Problem(p.deltaBase64)}`);
      }
      const session = await entry.session;
      if (!session?.acceptsStdin) throw JsonRpcError.invalidRequest("stdin streaming is not enabled for this command/exec");
      if (p.deltaBase64) {
        if (!session.write(Buffer.from(p.deltaBase64, "base64"))) {
          throw JsonRpcError.invalidRequest(
            entry.stdinClosed ? "stdin is already closed" : `command/exec ${JSON.stringify(p.processId)} is no longer running`,
          );
        }
      }
      if (p.closeStdin) {
        entry.stdinClosed = true;
        session.closeStdin();
      }
      return {};
    },
  });

  const resize = defineMethod({
    method: "command/exec/resize",
    params: CommandExecResizeParams,
    result: EmptyResponse,
    async handle(p, ctx) {
      validSize(p.size);
      const entry = find(ctx, p.processId);
      const session = await entry.session;
      if (!session?.tty || !session.resize(p.size)) {
        throw JsonRpcError.invalidRequest("failed to resize PTY: process is not attached to a PTY");
      }
      return {};
    },
  });
  return [exec, terminate, write, resize];
}

/** The reference's checks of a request, in its order and with its codes. */
function validate(p: CommandExecParams): void {
  if (p.command.length === 0) throw JsonRpcError.invalidRequest("command must not be empty");
  if ((p.tty || p.streamStdin || p.streamStdoutStderr) && !p.processId) {
    throw JsonRpcError.invalidRequest("command/exec tty or streaming requires a client-supplied processId");
  }
  if (p.size) {
    if (!p.tty) throw new JsonRpcError(INVALID_PARAMS, "command/exec size requires tty: true");
    validSize(p.size);
  }
  if (p.disableTimeout && p.timeoutMs != null) {
    throw new JsonRpcError(INVALID_PARAMS, "command/exec cannot set both timeoutMs and disableTimeout");
  }
  if (p.disableOutputCap && p.outputBytesCap != null) {
    throw new JsonRpcError(INVALID_PARAMS, "command/exec cannot set both outputBytesCap and disableOutputCap");
  }
  if (p.permissionProfile) throw JsonRpcError.invalidRequest("command/exec: permissionProfile is not supported by this build");
}

function validSize(size: CommandExecTerminalSize): void {
  if (size.rows === 0 || size.cols === 0) throw new JsonRpcError(INVALID_PARAMS, "command/exec size rows and cols must be greater than 0");
}

/** Where standard base64 (padded) goes wrong, worded as the reference's decoder words it. */
function base64Problem(text: string): string {
  const body = text.replace(/={1,2}$/, "");
  const bad = body.search(/[^A-Za-z0-9+/]/);
  if (bad >= 0) return `Invalid symbol ${body.charCodeAt(bad)}, offset ${bad}.`;
  return "Invalid padding";
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}


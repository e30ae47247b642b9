// One configured MCP server over the official SDK: connect (stdio or streamable HTTP) within its startup
// timeout, list its tools, call them with its tool timeout. A stdio server that exits is marked crashed
// and started again on its next use. Its stderr goes to a bounded in-memory log, never to our terminal.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport, StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import type { McpServerConfig } from "./config.js";
import { passThroughValidator } from "./schema-validator.js";
import { httpServerHeaders, stdioServerEnv } from "./server-env.js";

export interface McpToolInfo {
  name: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  annotations?: { readOnlyHint?: boolean; [k: string]: unknown };
  _meta?: Record<string, unknown>;
}

export interface McpCallResult {
  content: Array<Record<string, unknown>>;
  structuredContent?: unknown;
  isError?: boolean;
  _meta?: Record<string, unknown>;
}

export type McpConnectionState = "starting" | "ready" | "failed" | "crashed" | "closed";

export interface McpConnection {
  readonly config: McpServerConfig;
  state(): McpConnectionState;
  /** Why the server is not usable (failed or crashed), one line. */
  problem(): string | undefined;
  tools(): McpToolInfo[];
  instructions(): string | undefined;
  /** Connects (again, after a crash or close); resolves when ready or failed, never rejects. */
  start(): Promise<void>;
  /**
   * Restarts a crashed or closed server first (and one that failed to come back after it had been ready);
   * throws with a one-line message when it cannot be used.
   */
  client(): Promise<Client>;
  /** Drops the current connection (an HTTP session the server lost) and connects again; never rejects. */
  reconnect(): Promise<void>;
  /** The last lines the server wrote to stderr (bounded). */
  stderrTail(): string;
  /** The stdio server's process id while it runs. */
  pid(): number | undefined;
  close(): Promise<void>;
}

export interface McpConnectionDeps {
  config: McpServerConfig;
  env: Record<string, string | undefined>;
  cwd: string;
  clientInfo: { name: string; version: string };
  /** Told once when a running server exits or drops its connection. */
  onCrash?(message: string): void;
}

const STDERR_LOG_BYTES = 64 * 1024;
/** How long a closing stdio server gets to exit on its own once its stdin has ended. */
const CLOSE_GRACE_MS = 300;

export function createMcpConnection(deps: McpConnectionDeps): McpConnection {
  const { config } = deps;
  let state: McpConnectionState = "closed";
  let problem: string | undefined;
  let tools: McpToolInfo[] = [];
  let instructions: string | undefined;
  let current: { client: Client; transport: Transport } | undefined;
  let starting: Promise<void> | undefined;
  let stderrLog = "";
  let wasReady = false;

  const appendStderr = (chunk: Buffer | string): void => {
    stderrLog += chunk.toString();
    if (stderrLog.length > STDERR_LOG_BYTES) stderrLog = stderrLog.slice(stderrLog.length - STDERR_LOG_BYTES);
  };

  function makeTransport(): Transport {
    const t = config.transport;
    if (t.type === "stdio") {
      const transport = new StdioClientTransport({
        command: t.command,
        args: t.args,
        env: stdioServerEnv(t, deps.env),
        cwd: t.cwd ?? deps.cwd,
        stderr: "pipe",
      });
      transport.stderr?.on("data", appendStderr);
      return transport;
    }
    return new StreamableHTTPClientTransport(new URL(t.url), {
      requestInit: { headers: httpServerHeaders(t, deps.env) },
    });
  }

  async function connect(): Promise<void> {
    state = "starting";
    problem = undefined;
    // As the reference: the client can be asked for input (form and URL elicitations). Nobody answers a
    // server's own questions yet, so each is declined, as `codex exec` declines them.
    const client = new Client(
      { ...deps.clientInfo, title: "Codex" },
      { capabilities: { elicitation: { form: {}, url: {} } }, jsonSchemaValidator: passThroughValidator },
    );
    client.setRequestHandler(ElicitRequestSchema, async () => ({ action: "decline" as const }));
    const transport = makeTransport();
    const attempt = { client, transport };
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`did not start within ${config.startupTimeoutMs / 1000} s (startup_timeout_sec)`)),
        config.startupTimeoutMs,
      );
    });
    try {
      await Promise.race([
        (async () => {
          await client.connect(transport);
          const listed: McpToolInfo[] = [];
          let cursor: string | undefined;
          do {
            const page = await client.listTools(cursor ? { cursor } : undefined);
            listed.push(...(page.tools as McpToolInfo[]));
            cursor = page.nextCursor;
          } while (cursor);
          tools = listed;
          instructions = client.getInstructions();
        })(),
        deadline,
      ]);
      current = attempt;
      state = "ready";
      wasReady = true;
      client.onclose = () => {
        if (current !== attempt) return;
        current = undefined;
        state = "crashed";
        problem = `MCP server \`${config.name}\` exited${lastLine(stderrLog)}; it will be restarted on next use`;
        deps.onCrash?.(problem);
      };
    } catch (err) {
      state = "failed";
      problem = `MCP client for \`${config.name}\` failed to start: ${oneLine(err)}${lastLine(stderrLog)}`;
      await closeQuickly(attempt);
    } finally {
      clearTimeout(timer);
    }
  }

  const start = (): Promise<void> => {
    starting ??= connect().finally(() => {
      starting = undefined;
    });
    return starting;
  };

  return {
    config,
    state: () => state,
    problem: () => problem,
    tools: () => tools,
    instructions: () => instructions,
    start,
    async client() {
      if (starting) await starting;
      if (state === "crashed" || state === "closed" || (state === "failed" && wasReady)) await start();
      if (state !== "ready" || !current) throw new Error(problem ?? `MCP server \`${config.name}\` is not available`);
      return current.client;
    },
    async reconnect() {
      if (starting) await starting;
      const was = current;
      current = undefined;
      state = "closed";
      if (was) await closeQuickly(was).catch(() => {});
      await start();
    },
    stderrTail: () => stderrLog,
    pid: () => (current?.transport instanceof StdioClientTransport ? (current.transport.pid ?? undefined) : undefined),
    async close() {
      if (starting) await starting.catch(() => {});
      const was = current;
      current = undefined;
      state = "closed";
      if (was) await closeQuickly(was);
    },
  };
}

/**
 * The SDK ends a stdio server's stdin, then waits 2 s before TERM and 2 s more before KILL; a server still
 * there after a short grace is killed, so closing never waits seconds for one that ignores its stdin.
 */
async function closeQuickly(o: { client: Client; transport: Transport }): Promise<void> {
  const pid = o.transport instanceof StdioClientTransport ? o.transport.pid : null;
  const closing = o.client.close().catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<"grace">((resolve) => (timer = setTimeout(() => resolve("grace"), CLOSE_GRACE_MS)));
  if ((await Promise.race([closing, grace])) === "grace" && pid) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  clearTimeout(timer);
  await closing;
}

function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split("\n")[0]!.trim();
}

function lastLine(log: string): string {
  const lines = log.split("\n").map((l) => l.trim()).filter(Boolean);
  const last = lines[lines.length - 1];
  return last ? ` (stderr: ${last.slice(0, 200)})` : "";
}

/**
 * Whether a failed request never reached a live session of the server: the server did not know our
 * session id (it restarted and lost its sessions) or refused the connection. Such a call is safe to send
 * again on a new session; a connection reset mid-call is not (the server may have run it).
 */
export function sessionLost(err: unknown): boolean {
  // 404 is the spec's answer for an unknown session; servers built on the SDK's examples answer 400
  // "Bad Request: No valid session ID provided" instead.
  if (err instanceof StreamableHTTPError) return err.code === 404 || (err.code === 400 && /session/i.test(err.message));
  const seen = new Set<unknown>();
  for (let e: unknown = err; e instanceof Error && !seen.has(e); e = e.cause) {
    seen.add(e);
    if ((e as NodeJS.ErrnoException).code === "ECONNREFUSED") return true;
    if (e instanceof AggregateError && e.errors.some((x) => (x as NodeJS.ErrnoException).code === "ECONNREFUSED")) return true;
  }
  return false;
}

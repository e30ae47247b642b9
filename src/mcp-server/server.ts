import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { Event } from "../protocol/events.js";
import { decisionOf, ElicitationAnswer, elicitationParams } from "./approval-elicitation.js";
import { CodexSessions, type SessionsOptions, type TurnContext, type TurnOutcome } from "./sessions.js";
import { CODEX_REPLY_TOOL, CODEX_TOOL, CodexReplyArgs, CodexToolArgs } from "./tool-schemas.js";

// `codex mcp-server`: the agent as an MCP server over stdio. `tools/call codex` starts a thread and runs
// its first turn, `codex-reply` runs the next turn of one; each event of a turn goes to the client as a
// `codex/event` notification tagged with the call's request id, and the call resolves with the final
// message and the thread id (structuredContent `{threadId, content}`), or isError with the turn's error.

export interface McpServerIo extends SessionsOptions {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
}

/** Serves until stdin ends (or the client closes), then ends every turn and closes every thread. */
export async function runMcpServer(io: McpServerIo): Promise<void> {
  const sessions = new CodexSessions(io);
  const shutdown = new AbortController();
  const server = new Server(
    { name: "codex-mcp-server", title: "Codex", version: io.version },
    { capabilities: { tools: {} } },
  );

  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [CODEX_TOOL, CODEX_REPLY_TOOL] }));
  server.setRequestHandler(CallToolRequestSchema, async (req, extra): Promise<CallToolResult> => {
    const signal = AbortSignal.any([extra.signal, shutdown.signal]);
    const onEvent = (ev: Event) => {
      if (ev.msg.type === "raw_response_item") return;
      void extra
        .sendNotification({
          method: "codex/event",
          params: { _meta: { requestId: extra.requestId }, id: ev.id, msg: wireEvent(ev.msg) },
        } as never)
        .catch(() => {});
    };
    // A client that can answer elicitations is asked about approvals; others get the policy's answer.
    const ask: TurnContext["ask"] = server.getClientCapabilities()?.elicitation
      ? async (approval, o) =>
          decisionOf(
            await extra.sendRequest(
              {
                method: "elicitation/create",
                params: elicitationParams(approval, { ...o, toolCallId: String(extra.requestId) }),
              } as never,
              ElicitationAnswer,
              // A person may take their time: only the turn's end (interrupt, shutdown) cancels the ask.
              { signal, timeout: APPROVAL_TIMEOUT_MS },
            ),
          )
      : undefined;
    const name = req.params.name;
    const raw = req.params.arguments ?? {};
    if (name === CODEX_TOOL.name) {
      const args = CodexToolArgs.safeParse(raw);
      if (!args.success) return errorResult(`invalid arguments for codex: ${args.error.issues[0]?.message ?? "?"}`);
      return toResult(await sessions.start(args.data, { onEvent, signal, ask }));
    }
    if (name === CODEX_REPLY_TOOL.name) {
      const args = CodexReplyArgs.safeParse(raw);
      if (!args.success) return errorResult(`invalid arguments for codex-reply: ${args.error.issues[0]?.message ?? "?"}`);
      return toResult(await sessions.reply(args.data, { onEvent, signal, ask }));
    }
    return errorResult(`Unknown tool '${name}'`);
  });

  const transport = new StdioServerTransport(io.stdin as never, io.stdout as never);
  const closed = new Promise<void>((resolve) => {
    server.onclose = () => resolve();
    // The SDK's stdio transport does not watch for end of input: a client that goes away ends us here.
    io.stdin.once("end", () => void server.close());
    io.stdin.once("close", () => void server.close());
  });
  await server.connect(transport);
  await closed;
  shutdown.abort();
  await sessions.closeAll();
}

/** The longest a timer can wait (about 24 days): in effect, no timeout of its own. */
const APPROVAL_TIMEOUT_MS = 2 ** 31 - 1;

function toResult(o: TurnOutcome): CallToolResult {
  const result: CallToolResult = { content: [{ type: "text", text: o.text }] };
  if (o.threadId !== null) result.structuredContent = { threadId: o.threadId, content: o.text };
  if (o.isError) result.isError = true;
  return result;
}

function errorResult(text: string): CallToolResult {
  return { content: [{ type: "text", text }], isError: true };
}

/** Event fields in the wire's snake_case (`thread_id`, `last_agent_message`), as the reference sends them. */
function wireEvent(msg: Event["msg"]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(msg)) out[k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = v;
  // The reference's session_configured names the thread `session_id`.
  if (msg.type === "session_configured") out["session_id"] = msg.threadId;
  return out;
}

import { existsSync, statSync } from "node:fs";
import path from "node:path";
import {
  ConfigError,
  createCodexRuntime,
  loadConfig,
  MissingApiKeyError,
  resolveSandboxPolicy,
  type CodexRuntime,
  type Thread,
} from "../core/index.js";
import type { Event, EventMsg } from "../protocol/events.js";
import type { ReviewDecision } from "../protocol/policy.js";
import { isApprovalRequest, type ApprovalRequest } from "./approval-elicitation.js";
import { configObjectToOverrides, type CodexReplyArgs, type CodexToolArgs } from "./tool-schemas.js";

// Threads started by the `codex` tool, kept in memory for `codex-reply` (as the reference does: a thread
// lives as long as the server process). Each tool call runs one turn through the core and resolves with
// its final message or its typed error.

export interface SessionsOptions {
  env: Record<string, string | undefined>;
  cwd: string;
  version: string;
  helperBinDirs: string[];
  /** `-c` overrides given to `codex mcp-server` itself; the call's own settings come after them. */
  baseOverrides: string[];
}

export interface TurnOutcome {
  threadId: string | null;
  text: string;
  isError: boolean;
}

export interface TurnContext {
  /** Every event of the turn, for `codex/event` notifications. */
  onEvent: (ev: Event) => void;
  /** Aborted when the client cancels the call or the server shuts down. */
  signal: AbortSignal;
  /**
   * Asks the client about one approval (elicitation). Without it, approvals are answered by the
   * approval policy alone, as `codex exec` does: what the policy would ask a person is denied.
   */
  ask?: (req: ApprovalRequest, o: { threadId: string; eventId: string }) => Promise<ReviewDecision>;
}

interface Session {
  thread: Thread;
  /** The thread's own runtime (one per `codex` call), disposed with it. */
  runtime: CodexRuntime;
  busy: boolean;
}

export class CodexSessions {
  private readonly sessions = new Map<string, Session>();
  private closing = false;

  constructor(private readonly o: SessionsOptions) {}

  async start(args: CodexToolArgs, ctx: TurnContext): Promise<TurnOutcome> {
    const fail = (text: string): TurnOutcome => ({ threadId: null, text, isError: true });
    if (this.closing) return fail("the server is shutting down");
    const cwd = path.resolve(this.o.cwd, args.cwd ?? ".");
    if (!existsSync(cwd) || !statSync(cwd).isDirectory()) return fail(`working directory does not exist: ${cwd}`);
    const overrides = [...this.o.baseOverrides, ...configObjectToOverrides(args.config ?? {})];
    if (args["developer-instructions"] !== undefined) {
      overrides.push(`developer_instructions=${JSON.stringify(args["developer-instructions"])}`);
    }
    if (args["compact-prompt"] !== undefined) overrides.push(`compact_prompt=${JSON.stringify(args["compact-prompt"])}`);
    let thread: Thread;
    let runtime: CodexRuntime | undefined;
    try {
      const config = await loadConfig({
        cwd,
        profile: args.profile,
        overrides,
        flags: {
          model: args.model,
          sandboxMode: args.sandbox,
          approvalPolicy: args["approval-policy"],
          addDirs: [],
        },
        env: this.o.env,
      });
      runtime = await createCodexRuntime({
        config,
        sandboxPolicy: resolveSandboxPolicy(config),
        approvalPolicy: config.approvalPolicy,
        env: this.o.env,
        originator: this.o.env.CODEX_INTERNAL_ORIGINATOR_OVERRIDE || "codex_mcp_server",
        version: this.o.version,
        source: "mcp",
        ephemeral: false,
        interactiveApprovals: ctx.ask !== undefined,
        helperBinDirs: this.o.helperBinDirs,
        ...(args["base-instructions"] !== undefined ? { baseInstructions: args["base-instructions"] } : {}),
      });
      thread = await runtime.threads.start();
      for (const w of [...config.warnings, ...runtime.warnings]) {
        ctx.onEvent({ id: "0", msg: { type: "warning", message: w } });
      }
    } catch (err) {
      await runtime?.dispose();
      if (err instanceof ConfigError || err instanceof MissingApiKeyError) return fail(`Failed to start Codex session: ${err.message}`);
      return fail(`Failed to start Codex session: ${(err as Error).message ?? String(err)}`);
    }
    const session: Session = { thread, runtime, busy: false };
    this.sessions.set(thread.id, session);
    return this.runTurn(session, args.prompt, ctx);
  }

  async reply(args: CodexReplyArgs, ctx: TurnContext): Promise<TurnOutcome> {
    const id = args.threadId ?? args.conversationId;
    if (id === undefined) return { threadId: null, text: "either threadId or conversationId must be provided", isError: true };
    const session = this.sessions.get(id);
    if (!session) return { threadId: id, text: `Session not found for thread_id: ${id}`, isError: true };
    if (session.busy) return { threadId: id, text: `thread ${id} is already running a turn`, isError: true };
    return this.runTurn(session, args.prompt, ctx);
  }

  /** Ends every running turn and closes every thread (their rollouts are flushed). */
  async closeAll(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.sessions.values()].map(async (s) => (await s.thread.close(), await s.runtime.dispose())));
    this.sessions.clear();
  }

  private async runTurn(session: Session, prompt: string, ctx: TurnContext): Promise<TurnOutcome> {
    const { thread } = session;
    session.busy = true;
    const onAbort = () => void thread.submit({ type: "interrupt" });
    ctx.signal.addEventListener("abort", onAbort, { once: true });
    try {
      let last: string | null = null;
      await thread.submit({ type: "user_turn", items: [{ type: "text", text: prompt }] });
      // The thread's event stream is shared by its turns: read up to this turn's end, leave the rest.
      for await (const ev of thread.events()) {
        ctx.onEvent(ev);
        if (isApprovalRequest(ev.msg)) this.answer(thread, ev, ev.msg, ctx);
        // The model's questions have no form here: as exec, they are answered with no answers (never left waiting).
        if (ev.msg.type === "request_user_input") void thread.submit({ type: "user_input_answer", callId: ev.msg.callId, response: { answers: {} } });
        const end = turnEnd(ev.msg, last);
        if (ev.msg.type === "agent_message") last = ev.msg.message;
        if (end) return { threadId: thread.id, ...end };
      }
      return { threadId: thread.id, text: "the session ended before the turn finished", isError: true };
    } finally {
      ctx.signal.removeEventListener("abort", onAbort);
      session.busy = false;
    }
  }

  /** Forwards one approval to the client; the turn waits on the broker meanwhile (an interrupt ends it as abort). */
  private answer(thread: Thread, ev: Event, req: ApprovalRequest, ctx: TurnContext): void {
    const reply = (decision: ReviewDecision) =>
      void thread.submit(
        req.type === "exec_approval_request"
          ? { type: "exec_approval", callId: req.callId, decision }
          : req.type === "mcp_tool_call_approval_request"
            ? { type: "mcp_tool_approval", callId: req.callId, decision }
            : { type: "patch_approval", callId: req.callId, decision },
      );
    if (!ctx.ask) return reply("denied");
    ctx.ask(req, { threadId: thread.id, eventId: ev.id }).then(reply, () => reply(ctx.signal.aborted ? "abort" : "denied"));
  }
}

function turnEnd(msg: EventMsg, last: string | null): { text: string; isError: boolean } | null {
  switch (msg.type) {
    case "task_complete":
      return { text: msg.lastAgentMessage ?? last ?? "", isError: false };
    case "turn_failed":
      return { text: msg.error.message, isError: true };
    case "turn_aborted":
      return { text: `turn aborted: ${msg.reason}`, isError: true };
    case "shutdown_complete":
      return { text: "the session was shut down", isError: true };
    default:
      return null;
  }
}

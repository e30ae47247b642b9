// The spans of one thread, through the seams (thread observer, turn observer, model/gate/registry/compaction
// wrappers): session ─┬─ turn ─┬─ sampling request (retries, tokens; its traceparent goes on the request)
//                     │        ├─ tool call (name, duration, exit code, sandbox) ─┬─ approval
//                     │        │                                                   └─ MCP call (traceparent in `_meta`)
//                     │        └─ compaction ── sampling request (the summary)
//                     └─ compaction (manual, outside a turn)
// Loaded only when an exporter is configured (dynamic import from telemetry/index.ts).
import { trace, SpanKind, SpanStatusCode, type Context, type Span, type Tracer } from "@opentelemetry/api";
import { qualifiedCallName, type ResponseItem, type ToolCallItem } from "../../protocol/items.js";
import { redactSecrets } from "../../util/secret-redactor.js";
import type { ApprovalGate, ProposedAction } from "../approval/contract.js";
import type { CompactionHooks } from "../compaction/contract.js";
import type { ModelClient, ModelRequest, ResponseEvent, TraceContext } from "../model/contract.js";
import type { ToolContext } from "../tools/contract.js";
import type { ToolRegistry } from "../tools/registry.js";
import type { TurnOutcome } from "../turn/run-turn.js";
import type { ThreadFacts, ThreadTelemetry } from "./contract.js";
import { remoteContext } from "./remote-context.js";

export interface ThreadSpansDeps {
  tracer: Tracer;
  /** The session span's parent (an incoming traceparent, or the root). */
  parent: Context;
  facts: ThreadFacts;
  logUserPrompt: boolean;
  secrets: readonly string[];
  flush(): Promise<void>;
}

interface TurnState {
  id: string;
  span: Span;
  ctx: Context;
  tokens: { input: number; cached: number; output: number; reasoning: number; total: number };
  /** Set by onStop; the span ends there unless a stop observer continues the turn. */
  endAt?: number;
  status?: TurnOutcome["status"];
}

export function createThreadSpans(deps: ThreadSpansDeps): ThreadTelemetry {
  const { tracer, facts } = deps;
  const session = tracer.startSpan("session_loop", { attributes: { "thread.id": facts.threadId, model: facts.model } }, deps.parent);
  const sessionCtx = trace.setSpan(deps.parent, session);
  let turn: TurnState | null = null;
  const tools = new Map<string, { span: Span; ctx: Context; started: number }>();
  let compaction: { span: Span; ctx: Context } | null = null;
  let closed = false;
  const redact = (text: string): string => redactSecrets(text, [...deps.secrets]);

  const turnCtx = (): Context => compaction?.ctx ?? turn?.ctx ?? sessionCtx;
  const callCtx = (callId: string): Context => tools.get(callId)?.ctx ?? turn?.ctx ?? sessionCtx;

  const endTurn = (): void => {
    if (!turn) return;
    const t = turn;
    turn = null;
    for (const [id, tool] of tools) {
      tool.span.setStatus({ code: SpanStatusCode.ERROR, message: "turn ended before the call did" });
      tool.span.end();
      tools.delete(id);
    }
    t.span.setAttributes({
      "codex.turn.status": t.status ?? "ended",
      "codex.turn.token_usage.input_tokens": t.tokens.input,
      "codex.turn.token_usage.cached_input_tokens": t.tokens.cached,
      "codex.turn.token_usage.output_tokens": t.tokens.output,
      "codex.turn.token_usage.reasoning_output_tokens": t.tokens.reasoning,
      "codex.turn.token_usage.total_tokens": t.tokens.total,
    });
    if (t.status === "failed") t.span.setStatus({ code: SpanStatusCode.ERROR });
    t.span.end(t.endAt);
  };

  const endCompaction = (ok: boolean): void => {
    if (!compaction) return;
    if (!ok) compaction.span.setStatus({ code: SpanStatusCode.ERROR, message: "compaction did not complete" });
    compaction.span.end();
    compaction = null;
  };

  const endSession = (): void => {
    if (closed) return;
    closed = true;
    endCompaction(false);
    endTurn();
    session.end();
  };

  async function* tracedStream(model: ModelClient, req: ModelRequest, signal: AbortSignal): AsyncGenerator<ResponseEvent> {
    const turnId = req.clientMetadata?.turn_id ?? turn?.id;
    const span = tracer.startSpan(
      "codex.sampling",
      { kind: SpanKind.CLIENT, attributes: { model: req.model, ...(turnId ? { "turn.id": turnId } : {}), "thread.id": facts.threadId } },
      turnCtx(),
    );
    const forTurn = turn;
    let retries = 0;
    try {
      for await (const ev of model.stream({ ...req, traceContext: contextOf(span) }, signal)) {
        if (ev.type === "retrying") {
          retries += 1;
          span.addEvent("retrying", { attempt: ev.attempt, reason: redact(ev.reason) });
        } else if (ev.type === "completed") {
          span.setAttribute("response.id", ev.responseId);
          const u = ev.usage;
          if (u) {
            span.setAttributes({ "codex.sampling.input_tokens": u.input_tokens, "codex.sampling.output_tokens": u.output_tokens });
            if (forTurn) {
              forTurn.tokens.input += u.input_tokens;
              forTurn.tokens.cached += u.cached_input_tokens;
              forTurn.tokens.output += u.output_tokens;
              forTurn.tokens.reasoning += u.reasoning_output_tokens;
              forTurn.tokens.total += u.total_tokens;
            }
          }
        }
        yield ev;
      }
    } catch (e) {
      if (signal.aborted) span.setAttribute("aborted", true);
      else span.setStatus({ code: SpanStatusCode.ERROR, message: redact((e as Error)?.message ?? String(e)) });
      throw e;
    } finally {
      span.setAttribute("codex.sampling.retries", retries);
      span.end();
    }
  }

  const gateSpan = async <T>(action: ProposedAction, run: () => Promise<T>, decisionOf: (r: T) => string): Promise<T> => {
    const span = tracer.startSpan(
      "codex.approval",
      { attributes: { "approval.kind": action.kind, call_id: action.callId } },
      callCtx(action.callId),
    );
    try {
      const result = await run();
      span.setAttribute("approval.decision", decisionOf(result));
      return result;
    } catch (e) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: redact((e as Error)?.message ?? String(e)) });
      throw e;
    } finally {
      span.end();
    }
  };

  /** Runs a tool with the trace context of its span; a namespaced (MCP) call gets a span of its own. */
  const withCallContext = async <T>(call: ToolCallItem, ctx: ToolContext, run: (ctx: ToolContext) => Promise<T>): Promise<T> => {
    const parent = callCtx(call.call_id);
    // MCP tools are named mcp__<server>__<tool> (a namespace plus a name, or one flat name).
    const mcp = /^mcp__(.+?)__(.+)$/.exec(qualifiedCallName(call));
    if (!mcp) {
      const active = trace.getSpan(parent);
      return run(active ? { ...ctx, traceContext: contextOf(active) } : ctx);
    }
    const span = tracer.startSpan(
      "mcp.tools.call",
      { kind: SpanKind.CLIENT, attributes: { "mcp.server": mcp[1]!, "mcp.tool": mcp[2]!, call_id: call.call_id } },
      parent,
    );
    try {
      return await run({ ...ctx, traceContext: contextOf(span) });
    } catch (e) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: redact((e as Error)?.message ?? String(e)) });
      throw e;
    } finally {
      span.end();
    }
  };

  return {
    threadObserver: {
      async beforeTurn({ turnId, origin, prompt, trace: incoming }) {
        endTurn();
        const parent = incoming ? (remoteContext(incoming) ?? sessionCtx) : sessionCtx;
        const span = tracer.startSpan(
          "session_task.turn",
          {
            attributes: {
              "turn.id": turnId,
              "thread.id": facts.threadId,
              model: facts.model,
              ...(deps.logUserPrompt && origin === "user" ? { "codex.turn.user_prompt": redact(prompt) } : {}),
            },
          },
          parent,
        );
        turn = { id: turnId, span, ctx: trace.setSpan(parent, span), tokens: { input: 0, cached: 0, output: 0, reasoning: 0, total: 0 } };
        return { type: "continue" };
      },
      async onSessionEnd() {
        endSession();
      },
    },
    turnObserver: {
      beforeSampling() {
        // A stop observer continued the turn: it has not ended after all.
        if (turn) delete turn.endAt;
      },
      beforeToolCall(call) {
        const span = tracer.startSpan(
          "handle_tool_call",
          { attributes: { tool_name: qualifiedCallName(call), call_id: call.call_id, sandbox: facts.sandbox, ...(turn ? { "turn.id": turn.id } : {}) } },
          turn?.ctx ?? sessionCtx,
        );
        tools.set(call.call_id, { span, ctx: trace.setSpan(turn?.ctx ?? sessionCtx, span), started: Date.now() });
      },
      afterToolCall(call, output) {
        const tool = tools.get(call.call_id);
        if (!tool) return;
        tools.delete(call.call_id);
        const text = outputText(output);
        const exitCode = exitCodeOf(text);
        tool.span.setAttributes({ duration_ms: Date.now() - tool.started, ...(exitCode !== undefined ? { exit_code: exitCode } : {}) });
        if (exitCode !== undefined && exitCode !== 0) tool.span.setStatus({ code: SpanStatusCode.ERROR, message: `exit code ${exitCode}` });
        tool.span.end();
      },
      onStop(outcome) {
        if (!turn) return;
        turn.status = outcome.status;
        turn.endAt = Date.now();
        if (outcome.status === "failed") turn.span.setAttribute("error.message", redact(outcome.error.message));
      },
    },
    wrapModel: (model) => ({ stream: (req, signal) => tracedStream(model, req, signal) }),
    wrapGate: (gate: ApprovalGate): ApprovalGate => ({
      decide: (action, options) => gateSpan(action, () => gate.decide(action, options), (d) => d),
      review: (action, options) =>
        gateSpan(action, () => gate.review(action, options), (r) => `${r.decision}${r.sandboxed ? "" : " (unsandboxed)"}`),
    }),
    wrapRegistry: (registry: ToolRegistry): ToolRegistry => ({
      specs: () => registry.specs(),
      isMutating: (call) => registry.isMutating(call),
      isExclusive: (call) => registry.isExclusive(call),
      dispatch: (call, ctx) => withCallContext(call, ctx, (c) => registry.dispatch(call, c)),
      ...(registry.run ? { run: (call: ToolCallItem, ctx: ToolContext) => withCallContext(call, ctx, (c) => registry.run!(call, c)) } : {}),
    }),
    wrapCompactionHooks: (hooks: CompactionHooks): CompactionHooks => ({
      async preCompact(o) {
        endCompaction(false);
        const parent = turn?.ctx ?? sessionCtx;
        const span = tracer.startSpan("codex.compact", { attributes: { trigger: o.trigger, ...(o.turnId ? { "turn.id": o.turnId } : {}) } }, parent);
        compaction = { span, ctx: trace.setSpan(parent, span) };
        await hooks.preCompact(o);
      },
      async postCompact(o) {
        endCompaction(true);
        await hooks.postCompact(o);
      },
    }),
    async close() {
      endSession();
      await deps.flush();
    },
  };
}

function contextOf(span: Span): TraceContext {
  const sc = span.spanContext();
  const flags = (sc.traceFlags & 0xff).toString(16).padStart(2, "0");
  const state = sc.traceState?.serialize();
  return { traceparent: `00-${sc.traceId}-${sc.spanId}-${flags}`, ...(state ? { tracestate: state } : {}) };
}

function outputText(output: ResponseItem): string {
  const o = (output as { output?: unknown }).output;
  if (typeof o === "string") return o;
  if (Array.isArray(o)) return o.map((c) => (typeof (c as { text?: unknown }).text === "string" ? (c as { text: string }).text : "")).join("\n");
  return "";
}

/** The exit code a shell tool reports in its output ("Process exited with code 1", "Exit code: 0"). */
function exitCodeOf(text: string): number | undefined {
  const m = /(?:exited with code|exit code:?)\s*(-?\d+)/i.exec(text);
  return m ? Number(m[1]) : undefined;
}

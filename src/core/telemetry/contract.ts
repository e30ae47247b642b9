// What the runtime sees of tracing. Nothing here loads OpenTelemetry: with the exporter `none` (the default)
// there is no Telemetry at all, and the SDK stays off the start-up path.
import type { ApprovalGate } from "../approval/contract.js";
import type { CompactionHooks } from "../compaction/contract.js";
import type { ModelClient, TraceContext } from "../model/contract.js";
import type { ToolRegistry } from "../tools/registry.js";
import type { ThreadObserver } from "../thread/thread-observer.js";
import type { TurnObserver } from "../turn/observer.js";

export type { TraceContext } from "../model/contract.js";

export interface Telemetry {
  /** The spans of one thread: session, turns, sampling requests, tool calls, approvals, compactions. */
  forThread(o: ThreadFacts): ThreadTelemetry;
  /** Sends what is buffered; bounded, never throws. */
  flush(): Promise<void>;
}

export interface ThreadFacts {
  threadId: string;
  model: string;
  /** `none` (full access) or the sandbox mode name. */
  sandbox: string;
}

export interface ThreadTelemetry {
  /** Turn spans start at each prompt; the session span ends with the thread. */
  threadObserver: ThreadObserver;
  /** Tool-call spans (and the turn's status at stop). */
  turnObserver: TurnObserver;
  /** Sampling spans (retries, tokens) and the trace context of every request. */
  wrapModel(model: ModelClient): ModelClient;
  /** Approval spans. */
  wrapGate(gate: ApprovalGate): ApprovalGate;
  /** The trace context of the call span reaches tools (MCP `_meta`). */
  wrapRegistry(registry: ToolRegistry): ToolRegistry;
  /** Compaction spans, between PreCompact and PostCompact. */
  wrapCompactionHooks(hooks: CompactionHooks): CompactionHooks;
  /** Ends what is still open (thread closing) and flushes. */
  close(): Promise<void>;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** A W3C `traceparent` (and optional `tracestate`), or undefined when it is malformed or all-zero. */
export function parseTraceParent(traceparent: string | undefined, tracestate?: string): TraceContext | undefined {
  const value = traceparent?.trim().toLowerCase();
  if (!value) return undefined;
  const m = TRACEPARENT.exec(value);
  if (!m || m[1] === "ff" || /^0+$/.test(m[2]!) || /^0+$/.test(m[3]!)) return undefined;
  const state = tracestate?.trim();
  return { traceparent: value, ...(state ? { tracestate: state } : {}) };
}

import type { Event, EventMsg } from "../../protocol/events.js";
import { emptyUsage, type ResponseItem, type TokenUsage, type ToolCallItem, type UserInput } from "../../protocol/items.js";
import type { Op } from "../../protocol/ops.js";
import type { AskForApproval, ReviewDecision, SandboxPolicy } from "../../protocol/policy.js";
import { AsyncQueue } from "../../util/async-queue.js";
import type { ApprovalGate, ProposedAction } from "../approval/contract.js";
import type { ExecRunner } from "../exec/contract.js";
import type { ModelClient, ModelRequest } from "../model/contract.js";
import type { RolloutItem, RolloutWriter } from "../persistence/contract.js";
import type { ToolContext } from "../tools/contract.js";
import type { ToolRegistry } from "../tools/registry.js";
import { runTurn, type TurnOutcome } from "../turn/run-turn.js";
import type { TurnCompleteNotice } from "../hooks/notify.js";
import { addUsage } from "./usage.js";

export interface RequestDefaults {
  model: string;
  reasoning?: { effort?: string; summary?: string };
  verbosity?: string;
  parallelToolCalls: boolean;
  serviceTier?: string;
}

export interface ThreadDeps {
  id: string;
  cwd: string;
  approvalPolicy: AskForApproval;
  sandboxPolicy: SandboxPolicy;
  request: RequestDefaults;
  /** Identity of each request: HTTP headers and body client_metadata (thread ids, turn metadata). */
  requestIdentity(turnId: string): { headers: Record<string, string>; clientMetadata: Record<string, string> };
  model: ModelClient;
  registry: ToolRegistry;
  exec: ExecRunner;
  /** Builds the gate; `ask` is given only when a person can answer (TUI, app-server). */
  createApprovalGate(ask: AskPerson | undefined): ApprovalGate;
  interactiveApprovals: boolean;
  rollout: RolloutWriter | null;
  history: ResponseItem[];
  usage?: TokenUsage;
  childEnv: Record<string, string>;
  spoolDir: string;
  buildUserMessage(items: UserInput[]): Promise<ResponseItem>;
  newTurnId(): string;
  /** Called after a turn completes (the `notify` program). */
  onTurnComplete?(notice: TurnCompleteNotice): void;
  /** Events queued before anything is submitted (session_configured, load warnings). */
  initialEvents?: EventMsg[];
  onClose?(): Promise<void>;
}

/** Reaches a person for one approval; `reason` is the policy's explanation (rule justification...). */
export type AskPerson = (action: ProposedAction, context: { reason?: string }) => Promise<ReviewDecision>;

export interface Thread {
  readonly id: string;
  readonly rolloutPath: string | null;
  submit(op: Op): Promise<string>;
  events(): AsyncIterable<Event>;
  /** The model-visible history so far (a copy). */
  history(): ResponseItem[];
  close(): Promise<void>;
}

// Event types that are worth keeping in the journal (the rest are UI-only streaming noise).
const JOURNALED_EVENTS = new Set<EventMsg["type"]>([
  "user_message",
  "agent_message",
  "agent_reasoning",
  "exec_command_end",
  "patch_apply_end",
  "plan_update",
  "token_count",
  "task_started",
  "task_complete",
  "turn_failed",
  "turn_aborted",
  "mcp_tool_call_end",
  "web_search_end",
]);

export function createThread(deps: ThreadDeps): Thread {
  const queue = new AsyncQueue<Event>();
  const history: ResponseItem[] = [...deps.history];
  let usage: TokenUsage = deps.usage ?? emptyUsage();
  let submissionCounter = 0;
  let current: { controller: AbortController; done: Promise<void> } | null = null;
  let turnChain: Promise<void> = Promise.resolve();
  let journal: Promise<void> = Promise.resolve();
  const pendingApprovals = new Map<string, (decision: ReviewDecision) => void>();
  for (const msg of deps.initialEvents ?? []) queue.push({ id: "0", msg });

  const journalAppend = (item: RolloutItem): Promise<void> => {
    if (!deps.rollout) return Promise.resolve();
    const writer = deps.rollout;
    journal = journal.then(() => writer.append(item));
    return journal;
  };

  const emitFor = (submissionId: string) => (msg: EventMsg) => {
    queue.push({ id: submissionId, msg });
    if (JOURNALED_EVENTS.has(msg.type)) void journalAppend({ type: "event_msg", payload: journalForm(msg) }).catch(() => {});
  };

  const ask = (emit: (msg: EventMsg) => void): AskPerson => (action, context) =>
    new Promise<ReviewDecision>((resolve) => {
      pendingApprovals.set(action.callId, resolve);
      if (action.kind === "exec") {
        emit({
          type: "exec_approval_request",
          callId: action.callId,
          command: action.argv,
          cwd: action.cwd,
          reason: context.reason ?? action.justification ?? action.retryReason,
        });
      } else {
        emit({
          type: "apply_patch_approval_request",
          callId: action.callId,
          changes: [],
          reason: context.reason ?? action.justification,
        });
      }
    });

  async function runUserTurn(submissionId: string, op: Extract<Op, { type: "user_turn" }>, signal: AbortSignal) {
    const emit = emitFor(submissionId);
    const turnId = deps.newTurnId();
    emit({ type: "task_started", turnId });
    await journalAppend({
      type: "turn_context",
      payload: {
        turn_id: turnId,
        cwd: deps.cwd,
        approval_policy: deps.approvalPolicy,
        sandbox_policy: deps.sandboxPolicy,
        model: deps.request.model,
        effort: deps.request.reasoning?.effort,
        summary: deps.request.reasoning?.summary,
      },
    });
    let outcome: TurnOutcome;
    try {
      const userItem = await deps.buildUserMessage(op.items);
      await record([userItem]);
      emit({
        type: "user_message",
        message: op.items.flatMap((i) => (i.type === "text" ? [i.text] : [])).join("\n\n"),
        images: op.items.flatMap((i) => (i.type === "local_image" ? [i.path] : [])),
      });
      const gate = deps.createApprovalGate(deps.interactiveApprovals ? ask(emit) : undefined);
      outcome = await runTurn({
        model: deps.model,
        registry: deps.registry,
        buildRequest: (h) => buildRequest(h, turnId, op.outputSchema),
        history: () => history,
        record,
        toolContext: (call: ToolCallItem): ToolContext => ({
          cwd: deps.cwd,
          callId: call.call_id,
          sandboxPolicy: deps.sandboxPolicy,
          approvalPolicy: deps.approvalPolicy,
          env: deps.childEnv,
          exec: deps.exec,
          approval: gate,
          emit,
          signal,
          spoolDir: deps.spoolDir,
        }),
        emit,
        onUsage: (last) => {
          usage = addUsage(usage, last);
          emit({ type: "token_count", total: usage, last });
        },
        signal,
        parallelToolCalls: deps.request.parallelToolCalls,
      });
    } catch (err) {
      outcome = { status: "failed", error: { kind: "internal", message: (err as Error).message ?? String(err) } };
    }
    for (const resolve of pendingApprovals.values()) resolve("abort");
    pendingApprovals.clear();
    await journal.catch(() => {});
    if (outcome.status === "completed") {
      emit({ type: "task_complete", turnId, lastAgentMessage: outcome.lastAgentMessage });
      deps.onTurnComplete?.({
        threadId: deps.id,
        turnId,
        cwd: deps.cwd,
        inputMessages: op.items.flatMap((i) => (i.type === "text" ? [i.text] : [])),
        lastAssistantMessage: outcome.lastAgentMessage,
      });
    } else if (outcome.status === "failed") {
      emit({ type: "turn_failed", turnId, error: outcome.error });
    } else {
      emit({ type: "turn_aborted", turnId, reason: "interrupted" });
    }
    await journal.catch(() => {});
  }

  async function record(items: ResponseItem[]): Promise<void> {
    for (const item of items) {
      history.push(item);
      await journalAppend({ type: "response_item", payload: item });
    }
  }

  function buildRequest(h: readonly ResponseItem[], turnId: string, outputSchema: unknown): ModelRequest {
    const identity = deps.requestIdentity(turnId);
    return {
      model: deps.request.model,
      input: [...h],
      tools: deps.registry.specs(),
      parallelToolCalls: deps.request.parallelToolCalls,
      reasoning: deps.request.reasoning,
      verbosity: deps.request.verbosity,
      outputSchema,
      promptCacheKey: deps.id,
      serviceTier: deps.request.serviceTier,
      headers: identity.headers,
      clientMetadata: identity.clientMetadata,
    };
  }

  return {
    id: deps.id,
    rolloutPath: deps.rollout?.path ?? null,
    history: () => [...history],
    events: () => queue,
    async submit(op) {
      const submissionId = String(++submissionCounter);
      switch (op.type) {
        case "user_turn": {
          const controller = new AbortController();
          const done = turnChain.then(async () => {
            current = { controller, done };
            try {
              await runUserTurn(submissionId, op, controller.signal);
            } finally {
              current = null;
            }
          });
          turnChain = done.catch(() => {});
          break;
        }
        case "interrupt":
          current?.controller.abort();
          break;
        case "exec_approval":
        case "patch_approval": {
          const resolve = pendingApprovals.get(op.callId);
          pendingApprovals.delete(op.callId);
          resolve?.(op.decision);
          break;
        }
        case "shutdown":
          void this.close();
          break;
      }
      return submissionId;
    },
    async close() {
      current?.controller.abort();
      await turnChain;
      await journal.catch(() => {});
      await deps.onClose?.();
      await deps.rollout?.close();
      queue.push({ id: "0", msg: { type: "shutdown_complete" } });
      queue.close();
    },
  };
}

/** Token counts are journaled in Codex's shape so either implementation can resume the other's threads. */
function journalForm(msg: EventMsg): EventMsg {
  if (msg.type !== "token_count") return msg;
  return { type: "token_count", info: { total_token_usage: msg.total, last_token_usage: msg.last } } as unknown as EventMsg;
}

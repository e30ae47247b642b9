import type { Thread } from "../../core/index.js";
import type { EventMsg } from "../../protocol/events.js";
import type { UserInput } from "../../protocol/items.js";
import type { Op } from "../../protocol/ops.js";
import type { ReviewDecision } from "../../protocol/policy.js";
import type { UserInputResponse } from "../../protocol/user-input.js";
import type { TuiStore } from "../state/store.js";
import type { ApprovalRequest } from "../state/types.js";

// The TUI's only link to core: submits ops to the thread and feeds its events to the store (and to waiters).

export interface TuiController {
  readonly store: TuiStore;
  /** The current thread (throws before the first one is attached). */
  thread(): Thread;
  /** Resolves with the thread once there is one (the TUI draws before the session has started). */
  ready(): Promise<Thread>;
  /** Sets the first thread (when it was not given at creation). */
  attach(thread: Thread): void;
  submit(op: Op): Promise<void>;
  sendMessage(text: string, images: string[]): Promise<void>;
  interrupt(): Promise<void>;
  /** Answers the approval; `feedback` (with `denied`) goes to the model as the person's next message. */
  answerApproval(request: ApprovalRequest, decision: ReviewDecision, options?: { feedback?: string }): Promise<void>;
  /** Sends the person's answers to the model's questions (request_user_input). */
  answerUserInput(callId: string, response: UserInputResponse): Promise<void>;
  waitForEvent<M extends EventMsg>(predicate: (msg: EventMsg) => msg is M, options?: { timeoutMs?: number }): Promise<M>;
  switchThread(next: Thread): Promise<void>;
  /** Closes the thread; resolves when its events ended. */
  close(): Promise<void>;
  /** Resolves when the current thread's event stream has ended (closed). */
  ended(): Promise<void>;
}

export interface ControllerOptions {
  store: TuiStore;
  /** The thread; or none yet, then `attach` gives it (ops submitted before wait for it). */
  thread?: Thread;
  now?: () => number;
  /** A turn ended or an approval waits (bell / OSC 9 when the terminal is not focused). */
  onAttention?(reason: { kind: "turn_complete" | "approval"; message: string }): void;
  /**
   * The conversation a thread already has (a resumed or forked session): what the person typed and what
   * the model answered, shown again when the thread is attached. Core's rules, handed in by run-tui.
   */
  transcriptOf?(thread: Thread): Array<{ role: "user" | "assistant"; text: string }>;
}

const TURN_ENDS = new Set<EventMsg["type"]>(["task_complete", "turn_failed", "turn_aborted"]);

export function createTuiController(o: ControllerOptions): TuiController {
  const now = o.now ?? Date.now;
  let thread: Thread | null = o.thread ?? null;
  let resolveReady!: (t: Thread) => void;
  const ready = new Promise<Thread>((r) => (resolveReady = r));
  const waiters = new Set<(msg: EventMsg) => void>();
  let pump: Promise<void> = new Promise(() => {});
  if (thread) {
    resolveReady(thread);
    pump = pumpEvents(thread);
    askPendingAgain(thread);
  }
  const current = async () => thread ?? (await ready);
  const replay = (t: Thread) => {
    for (const entry of o.transcriptOf?.(t) ?? []) {
      o.store.dispatch({
        type: "push_cell",
        cell: entry.role === "user" ? { kind: "user", text: entry.text, images: [] } : { kind: "assistant", text: entry.text, streaming: false, continuation: false, final: true },
      });
    }
  };

  // A resumed thread whose approval was left unanswered (the TUI quit or crashed while asking) asks again at once.
  function askPendingAgain(t: Thread): void {
    if (t.pendingApprovals().length > 0) void t.submit({ type: "resume_pending" });
  }

  function pumpEvents(t: Thread): Promise<void> {
    return (async () => {
      for await (const ev of t.events()) {
        if (t !== thread) continue;
        o.store.dispatch({ type: "core", msg: ev.msg, now: now() });
        for (const w of [...waiters]) w(ev.msg);
        if (TURN_ENDS.has(ev.msg.type)) {
          // Background terminals outlive the turn: refresh the footer's count.
          void t.submit({ type: "list_background_terminals" });
          const last = ev.msg.type === "task_complete" ? ev.msg.lastAgentMessage : null;
          o.onAttention?.({ kind: "turn_complete", message: last ? last.slice(0, 120) : "Turn complete" });
        }
        if (ev.msg.type === "exec_approval_request") o.onAttention?.({ kind: "approval", message: `Approval requested: ${ev.msg.command.join(" ")}` });
        if (ev.msg.type === "apply_patch_approval_request") o.onAttention?.({ kind: "approval", message: "Approval requested: apply a patch" });
        if (ev.msg.type === "request_user_input") o.onAttention?.({ kind: "approval", message: `Question: ${ev.msg.questions[0]?.question ?? ""}` });
        if (ev.msg.type === "mcp_tool_call_approval_request") o.onAttention?.({ kind: "approval", message: `Approval requested: ${ev.msg.server}.${ev.msg.tool}` });
      }
    })();
  }

  const controller: TuiController = {
    store: o.store,
    thread: () => {
      if (!thread) throw new Error("the session has not started yet");
      return thread;
    },
    ready: () => ready,
    attach(t) {
      if (thread) throw new Error("a thread is attached already");
      thread = t;
      resolveReady(t);
      replay(t);
      pump = pumpEvents(t);
      askPendingAgain(t);
    },
    async submit(op) {
      if (op.type === "user_turn" || op.type === "compact") o.store.dispatch({ type: "turn_submitted", now: now() });
      await (await current()).submit(op);
    },
    async sendMessage(text, images) {
      const items: UserInput[] = [...images.map((p): UserInput => ({ type: "local_image", path: p })), ...(text ? [{ type: "text" as const, text }] : [])];
      if (items.length === 0) return;
      await controller.submit({ type: "user_turn", items });
    },
    async interrupt() {
      await thread?.submit({ type: "interrupt" });
    },
    async answerApproval(request, decision, options) {
      o.store.dispatch({ type: "approval_answered", callId: request.callId });
      const type = request.kind === "exec" ? "exec_approval" : request.kind === "patch" ? "patch_approval" : "mcp_tool_approval";
      await (await current()).submit({ type, callId: request.callId, decision });
      const feedback = options?.feedback?.trim();
      // The model reads the refusal as the call's output, then the person's words as their next message
      // (queued behind the running turn).
      if (feedback) await controller.sendMessage(feedback, []);
    },
    async answerUserInput(callId, response) {
      o.store.dispatch({ type: "user_input_answered", callId, response });
      await (await current()).submit({ type: "user_input_answer", callId, response });
    },
    waitForEvent(predicate, options) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(listener);
          reject(new Error("timed out waiting for an event"));
        }, options?.timeoutMs ?? 10_000);
        const listener = (msg: EventMsg) => {
          if (!predicate(msg)) return;
          clearTimeout(timer);
          waiters.delete(listener);
          resolve(msg);
        };
        waiters.add(listener);
      });
    },
    async switchThread(next) {
      const old = thread;
      thread = next;
      resolveReady(next);
      await old?.close();
      replay(next);
      pump = pumpEvents(next);
      askPendingAgain(next);
    },
    async close() {
      if (!thread) return;
      await thread.close();
      await pump;
    },
    ended: () => pump,
  };
  return controller;
}

import { mcpApprovalDecision, mcpApprovalElicitation, type McpToolApprovalRequest, type Thread } from "../core/index.js";
import type { EventMsg } from "../protocol/events.js";
import type { UserInput } from "../protocol/items.js";
import type { ReviewDecision } from "../protocol/policy.js";
import { Notifications as N } from "../protocol/app-server/notifications.js";
import { ServerRequests as R, type CommandExecutionApprovalDecision } from "../protocol/app-server/server-requests.js";
import type { RequestId } from "../protocol/app-server/jsonrpc.js";
import { mcpServerElicitationRequest } from "../protocol/app-server/mcp-elicitation.js";
import type { ThreadStatus } from "../protocol/app-server/thread.js";
import type { Turn } from "../protocol/app-server/turn.js";
import { uuidv7 } from "../util/ids.js";
import type { ClientHandle } from "./connection.js";
import { createChildStreams } from "./child-streams.js";
import { declinePatch, mapEvent, newMapperState, turnWire, type Out } from "./event-mapper.js";
import { threadWire } from "./thread-wire.js";
import { JsonRpcError } from "./method-table.js";
import type { ThreadRuntime } from "./runtime-factory.js";
import type { LoadedThread } from "./thread-registry.js";
import { createUserInputAsks } from "./user-input-request.js";

// One loaded thread as the app-server runs it: its events pumped through the mapper to the subscribed
// connections, approvals asked of a subscriber (and answered back as ops), turns started, steered and
// interrupted by id — an interrupt that arrives before the turn began is applied the moment it begins.

export interface ThreadFacts {
  createdAtMs: number;
  preview: string;
  forkedFromId: string | null;
  name: string | null;
  /** The root of this thread's agent tree, when it is not the root itself. */
  rootThreadId?: string;
}

export interface ThreadSession extends LoadedThread {
  facts: ThreadFacts;
  status(): ThreadStatus;
  subscribe(client: ClientHandle): void;
  /** False when the client was not subscribed. */
  unsubscribe(client: ClientHandle): boolean;
  startTurn(input: UserInput[], o: { outputSchema?: unknown; serviceTier?: string | null; trace?: { traceparent: string; tracestate?: string } }): Promise<Turn>;
  steer(input: UserInput[], expectedTurnId: string): Promise<string>;
  interrupt(turnId: string): Promise<void>;
  /** Submits an op and resolves with the first later event of `answer` type (rollback, background terminals...). */
  request<T extends EventMsg["type"]>(op: Parameters<Thread["submit"]>[0], answer: T): Promise<Extract<EventMsg, { type: T }>>;
  /** Resolves when the pump has seen the thread's end. */
  closed: Promise<void>;
}

export function createThreadSession(o: {
  thread: Thread;
  runtime: ThreadRuntime;
  facts: ThreadFacts;
  subscriber: ClientHandle;
  log(line: string): void;
}): ThreadSession {
  const { thread } = o;
  const threadId = thread.id;
  const subscribers = new Set<ClientHandle>();
  const mapper = newMapperState({ threadId, keepTurns: false });
  let running: string | null = null;
  const queuedTurns = new Set<string>();
  const interruptWhenStarted = new Set<string>();
  let waitingApprovals = 0;
  let lastTurn: string | null = null;
  // Requests still waiting for the client, by turn: a turn that ends first resolves them (as the reference:
  // serverRequest/resolved after turn/completed), and a late answer to one of them is dropped — the call is
  // asked again, under a new request, when the thread goes on.
  const outstanding = new Set<{ id: RequestId; turnId: string; settled: boolean }>();
  const answerWaiters: Array<{ type: string; resolve(msg: EventMsg): void }> = [];

  const broadcast = <P>(def: { method: string; params: unknown }, params: P) => {
    for (const client of subscribers) client.notify(def as never, params as never);
  };
  const status = (): ThreadStatus =>
    running === null
      ? { type: "idle" }
      : {
          type: "active",
          activeFlags: [...(waitingApprovals > 0 ? ["waitingOnApproval" as const] : []), ...(userInput.pending() > 0 ? ["waitingOnUserInput" as const] : [])],
        };
  const statusChanged = () => broadcast(N.threadStatusChanged, { threadId, status: status() });
  const userInput = createUserInputAsks({
    thread,
    resolved: (requestId) => broadcast(N.serverRequestResolved, { threadId, requestId }),
    statusChanged: () => running !== null && statusChanged(),
    log: o.log,
  });
  const firstSubscriber = (): ClientHandle | undefined => [...subscribers].find((c) => !c.closed);

  function subscribe(client: ClientHandle): void {
    if (subscribers.has(client)) return;
    subscribers.add(client);
    client.whenClosed(() => subscribers.delete(client));
  }
  subscribe(o.subscriber);
  // Sub-agents' own turns and items, sent to this thread's subscribers under the child's threadId.
  const children = createChildStreams({ root: mapper, rootTurnId: () => running ?? lastTurn, send: (out) => handle(out) });
  o.runtime.subAgentEvents.listen((e) => {
    if (e.rootThreadId === threadId) children.onEvent(e);
  });

  // A spawned sub-agent is a thread of its own: clients learn of it (and its parent) as a started thread.
  function announceChildren(msg: Extract<EventMsg, { type: "collab_tool_call_end" }>): void {
    const { config } = o.runtime;
    const now = Date.now();
    for (const child of msg.receiverAgents ?? []) {
      const thread = threadWire({
        id: child.threadId,
        path: null,
        cwd: config.cwd,
        createdAtMs: now,
        updatedAtMs: now,
        preview: msg.prompt ?? "",
        modelProvider: config.modelProviderId,
        model: config.model,
        cliVersion: "",
        originator: null,
        source: "subagent",
        forkedFromId: null,
        name: null,
        ephemeral: o.runtime.ephemeral,
        status: { type: "active", activeFlags: [] },
        turns: [],
        subAgent: { parentThreadId: msg.senderThreadId, agentPath: child.path, rootThreadId: o.facts.rootThreadId ?? threadId },
      });
      broadcast(N.threadStarted, { thread });
    }
  }

  function handle(out: Out): void {
    if (out.kind === "notify") return broadcast(out.def, out.params);
    const client = firstSubscriber();
    // Nobody to ask: the turn ends interrupted (the thread's journal keeps the unanswered call).
    if (!client) return void thread.submit({ type: "interrupt" });
    if (out.kind === "askUserInput") return userInput.ask(client, out.request);
    waitingApprovals++;
    statusChanged();
    const startedAtMs = Date.now();
    const { asked, answer, decide } = ask(client, out, startedAtMs);
    const entry = { id: asked.id, turnId: out.turnId, settled: false };
    outstanding.add(entry);
    const settle = (): boolean => {
      outstanding.delete(entry);
      if (entry.settled) return false;
      entry.settled = true;
      return true;
    };
    asked.result.then(
      async (result) => {
        if (!settle()) return;
        const review = decide(result);
        await answer(review);
        broadcast(N.serverRequestResolved, { threadId, requestId: asked.id });
        waitingApprovals--;
        if (running !== null) statusChanged();
        if (out.kind === "approvePatch" && review === "denied") for (const o2 of declinePatch(mapper, out.callId, Date.now())) handle(o2);
      },
      async (err: Error) => {
        if (!settle()) return;
        waitingApprovals--;
        if (client.closed) {
          o.log(`app-server: client left with an approval pending on thread ${threadId}; interrupting the turn`);
          await thread.submit({ type: "interrupt" });
          return;
        }
        o.log(`app-server: approval request failed (${err.message}); declining`);
        await answer("denied");
        broadcast(N.serverRequestResolved, { threadId, requestId: asked.id });
      },
    );
  }

  /** The server request for one approval, the op that answers it, and how its result reads as a decision. */
  function ask(client: ClientHandle, out: Exclude<Out, { kind: "notify" | "askUserInput" }>, startedAtMs: number) {
    type Asked = { asked: { id: RequestId; result: Promise<unknown> }; answer(d: ReviewDecision): Promise<unknown>; decide(result: unknown): ReviewDecision };
    const fromDecision = (result: unknown) => reviewDecision((result as { decision: CommandExecutionApprovalDecision }).decision);
    switch (out.kind) {
      case "approveCommand":
        return {
          asked: client.request(R.commandExecutionApproval, {
            kind: "command",
            threadId,
            turnId: out.turnId,
            itemId: out.callId,
            startedAtMs,
            environmentId: null,
            reason: out.reason,
            command: out.command,
            cwd: out.cwd,
            commandActions: [{ type: "unknown", command: out.command }],
            proposedExecpolicyAmendment: out.proposedPrefix,
          }),
          answer: (decision) => thread.submit({ type: "exec_approval", callId: out.callId, decision }),
          decide: fromDecision,
        } satisfies Asked;
      case "approvePatch":
        return {
          asked: client.request(R.fileChangeApproval, { threadId, turnId: out.turnId, itemId: out.callId, startedAtMs, reason: out.reason, grantRoot: null }),
          answer: (decision) => thread.submit({ type: "patch_approval", callId: out.callId, decision }),
          decide: fromDecision,
        } satisfies Asked;
      case "approveMcp": {
        // As the reference: Codex's own approval form for an MCP tool call, asked as an MCP elicitation.
        const req = out.request;
        const form = mcpApprovalElicitation(req);
        return {
          asked: client.request(mcpServerElicitationRequest, {
            threadId,
            turnId: out.turnId,
            serverName: req.server,
            mode: "form",
            message: form.message,
            requestedSchema: form.requestedSchema,
            _meta: metaAsReference(form._meta, req),
          }),
          answer: (decision) => thread.submit({ type: "mcp_tool_approval", callId: req.callId, decision }),
          decide: (result) => mcpApprovalDecision(result as { action: string; _meta?: Record<string, unknown> | null }),
        } satisfies Asked;
      }
    }
  }

  const closed = (async () => {
    for await (const ev of thread.events()) {
      const msg = ev.msg;
      for (let i = 0; i < answerWaiters.length; i++) {
        if (answerWaiters[i]!.type === msg.type) {
          answerWaiters.splice(i, 1)[0]!.resolve(msg);
          break;
        }
      }
      if (msg.type === "task_started") {
        running = msg.turnId;
        lastTurn = msg.turnId;
        queuedTurns.delete(msg.turnId);
        if (interruptWhenStarted.delete(msg.turnId)) void thread.submit({ type: "interrupt" });
      }
      for (const out of mapEvent(mapper, msg, Date.now())) handle(out);
      if (msg.type === "collab_tool_call_end" && msg.tool === "spawn_agent" && msg.status === "completed") announceChildren(msg);
      if (msg.type === "task_complete" || msg.type === "turn_failed" || msg.type === "turn_aborted") {
        running = null;
        userInput.turnEnded(msg.turnId);
        for (const entry of [...outstanding]) {
          if (entry.turnId !== msg.turnId || entry.settled) continue;
          entry.settled = true;
          outstanding.delete(entry);
          waitingApprovals--;
          broadcast(N.serverRequestResolved, { threadId, requestId: entry.id });
        }
      }
      if (msg.type === "shutdown_complete") break;
    }
    broadcast(N.threadClosed, { threadId });
  })().catch((err: Error) => o.log(`app-server: thread ${threadId} event pump failed: ${err.message}`));

  return {
    id: threadId,
    thread,
    runtime: o.runtime,
    subscribers,
    facts: o.facts,
    status,
    subscribe,
    unsubscribe: (client) => subscribers.delete(client),
    closed,
    async startTurn(input, opts) {
      const turnId = uuidv7();
      queuedTurns.add(turnId);
      await thread.submit({
        type: "user_turn",
        items: input,
        turnId,
        ...(opts.outputSchema != null ? { outputSchema: opts.outputSchema } : {}),
        ...(opts.serviceTier !== undefined ? { serviceTier: opts.serviceTier } : {}),
        ...(opts.trace ? { trace: opts.trace } : {}),
      });
      if (!o.facts.preview) o.facts.preview = input.flatMap((i) => (i.type === "text" ? [i.text] : [])).join("\n");
      // As the reference: the answer's turn has no start time yet (turn/started carries it).
      const turn = turnWire({ id: turnId, startedAtMs: 0, items: [], diff: "" }, { status: "inProgress", error: null, endedAtMs: null, view: "notLoaded" });
      return { ...turn, startedAt: null };
    },
    async steer(input, expectedTurnId) {
      const active = thread.activeTurnId();
      if (active === null) throw JsonRpcError.invalidRequest("no active turn to steer");
      if (active !== expectedTurnId) throw JsonRpcError.invalidRequest(`expected active turn id ${expectedTurnId} but found ${active}`);
      await thread.submit({ type: "steer", items: input, expectedTurnId });
      return active;
    },
    async interrupt(turnId) {
      if (running === turnId) return void (await thread.submit({ type: "interrupt" }));
      if (queuedTurns.has(turnId)) return void interruptWhenStarted.add(turnId);
      throw JsonRpcError.invalidRequest(`turn not found: ${turnId}`);
    },
    request(op, answer) {
      return new Promise((resolve) => {
        answerWaiters.push({ type: answer, resolve: resolve as (msg: EventMsg) => void });
        void thread.submit(op);
      });
    },
  };
}

/** The form's `_meta` in the reference's order, with the tool's name and annotations (what a client shows). */
function metaAsReference(meta: Record<string, unknown>, req: McpToolApprovalRequest): Record<string, unknown> {
  const { codex_approval_kind, persist, ...rest } = meta;
  return {
    codex_approval_kind,
    ...(persist !== undefined ? { persist } : {}),
    tool_name: req.tool,
    ...(req.annotations !== undefined ? { tool_annotations: req.annotations } : {}),
    ...rest,
  };
}

export function reviewDecision(d: CommandExecutionApprovalDecision): ReviewDecision {
  if (typeof d === "object") return "acceptWithExecpolicyAmendment" in d ? "approved_execpolicy_amendment" : "approved";
  switch (d) {
    case "accept":
      return "approved";
    case "acceptForSession":
      return "approved_for_session";
    case "decline":
      return "denied";
    case "cancel":
      return "abort";
  }
}

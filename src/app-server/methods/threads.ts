import { createRolloutStore, createSessionArchive, createThreadNames, ThreadNotFoundError, type Thread as CoreThread, type ThreadStartOptions } from "../../core/index.js";
import { EmptyObject } from "../../protocol/app-server/common.js";
import { Notifications as N } from "../../protocol/app-server/notifications.js";
import {
  ThreadArchiveParams,
  ThreadCompactStartParams,
  ThreadDeleteParams,
  ThreadForkParams,
  ThreadForkResponse,
  ThreadListParams,
  ThreadListResponse,
  ThreadLoadedListParams,
  ThreadLoadedListResponse,
  ThreadUnsubscribeParams,
  ThreadUnsubscribeResponse,
  ThreadReadParams,
  ThreadReadResponse,
  ThreadResumeParams,
  ThreadResumeResponse,
  ThreadRevertParams,
  ThreadRevertResponse,
  ThreadSetNameParams,
  ThreadSetNameResponse,
  ThreadStartParams,
  ThreadStartResponse,
  ThreadUnarchiveParams,
  ThreadUnarchiveResponse,
  type Thread,
} from "../../protocol/app-server/thread.js";
import type { Turn } from "../../protocol/app-server/turn.js";
import { defineMethod, JsonRpcError, type MethodContext, type MethodDef } from "../method-table.js";
import type { ThreadSettings } from "../runtime-factory.js";
import { createThreadSession, type ThreadSession } from "../thread-session.js";
import { configFacts, previewOf, summaryFacts, threadWire, turnsFromRollout } from "../thread-wire.js";
import { approvalToCore, approvalWire, sandboxWire } from "../wire-convert.js";
import { resumeSettings } from "../resume-settings.js";
import { dynamicToolsOption } from "./dynamic-tools.js";

// thread/*: start, resume, fork, list, read, archive, unarchive, delete, name/set, compact/start, revert.

type Overrides = Omit<ThreadSettings, "approvalPolicy"> & { approvalPolicy?: Parameters<typeof approvalToCore>[0] | null };

const settingsOf = (p: Overrides): ThreadSettings => ({ ...p, approvalPolicy: p.approvalPolicy ? approvalToCore(p.approvalPolicy) : null });

export function loadedThreadWire(session: ThreadSession, turns: Turn[]): Thread {
  const { config } = session.runtime;
  return threadWire({
    id: session.id,
    path: session.thread.rolloutPath,
    ...configFacts(config),
    createdAtMs: session.facts.createdAtMs,
    updatedAtMs: Date.now(),
    preview: session.facts.preview,
    cliVersion: "",
    originator: null,
    source: "vscode",
    forkedFromId: session.facts.forkedFromId,
    name: session.facts.name,
    ephemeral: session.runtime.ephemeral,
    status: session.status(),
    turns,
  });
}

function sessionResult(session: ThreadSession, turns: Turn[], ctx: MethodContext) {
  const { config, sandboxPolicy, approvalPolicy } = session.runtime;
  const thread = loadedThreadWire(session, turns);
  thread.cliVersion = ctx.config.version;
  thread.originator = ctx.connection.clientInfo.name;
  return {
    thread,
    model: config.model,
    modelProvider: config.modelProviderId,
    serviceTier: config.serviceTier ?? null,
    disabledPluginIds: [],
    cwd: config.cwd,
    instructionSources: [],
    approvalPolicy: approvalWire(approvalPolicy),
    // As the reference: the guardian (`guardian_subagent`, or its newer name) reads back as "auto_review".
    approvalsReviewer: config.approvalsReviewer === "guardian" ? ("auto_review" as const) : ("user" as const),
    sandbox: sandboxWire(sandboxPolicy),
    reasoningEffort: (config.modelReasoningEffort ?? null) as ReturnType<typeof threadWire>["reasoningEffort"],
  };
}

async function openThread(
  ctx: MethodContext,
  settings: ThreadSettings,
  open: (threads: { start(o?: ThreadStartOptions): Promise<CoreThread>; resume(t: { id: string }): Promise<CoreThread>; fork(t: { id: string }): Promise<CoreThread> }) => Promise<CoreThread>,
  facts: { forkedFromId: string | null },
): Promise<{ session: ThreadSession; lines: Awaited<ReturnType<ReturnType<typeof createRolloutStore>["read"]>> }> {
  const rt = await ctx.runtimes.create(settings, { originator: ctx.connection.clientInfo.name });
  let thread: CoreThread;
  try {
    thread = await open(rt.runtime.threads);
  } catch (err) {
    await rt.runtime.dispose();
    if (err instanceof ThreadNotFoundError) throw JsonRpcError.invalidRequest(`no rollout found for thread id ${err.threadId}`);
    throw JsonRpcError.invalidRequest((err as Error).message);
  }
  const lines = thread.rolloutPath ? await createRolloutStore({ codexHome: ctx.config.codexHome }).read(thread.rolloutPath) : [];
  const names = await createThreadNames({ codexHome: ctx.config.codexHome }).all();
  const session = createThreadSession({
    thread,
    runtime: rt,
    facts: { createdAtMs: Date.now(), preview: previewOf(lines), forkedFromId: facts.forkedFromId, name: names.get(thread.id) ?? null },
    subscriber: ctx.client,
    log: ctx.log,
  });
  ctx.threads.add(session);
  for (const w of rt.config.warnings) ctx.notify(N.configWarning, { summary: w, details: null });
  for (const w of rt.runtime.warnings) ctx.notify(N.warning, { threadId: thread.id, message: w });
  return { session, lines };
}

function requireLoaded(ctx: MethodContext, threadId: string): ThreadSession {
  const session = ctx.threads.get(threadId);
  if (!session) throw JsonRpcError.invalidRequest(`thread not found: ${threadId}`);
  return session;
}

async function rolloutOf(ctx: MethodContext, threadId: string) {
  const store = createRolloutStore({ codexHome: ctx.config.codexHome });
  const loaded = ctx.threads.get(threadId);
  const file = loaded?.thread.rolloutPath ?? (await store.find(threadId));
  if (!file) throw JsonRpcError.invalidRequest(`no rollout found for thread id ${threadId}`);
  return { file, lines: await store.read(file) };
}

export const threadMethods: MethodDef[] = [
  defineMethod({
    method: "thread/start",
    params: ThreadStartParams,
    result: ThreadStartResponse,
    async handle(p, ctx) {
      const { session } = await openThread(ctx, settingsOf(p), (t) => t.start(dynamicToolsOption(p.dynamicTools, ctx)), { forkedFromId: null });
      const result = sessionResult(session, [], ctx);
      ctx.afterResponse(() => ctx.notify(N.threadStarted, { thread: result.thread }));
      return result;
    },
  }),
  defineMethod({
    method: "thread/resume",
    params: ThreadResumeParams,
    result: ThreadResumeResponse,
    async handle(p, ctx) {
      let session = ctx.threads.get(p.threadId);
      let lines;
      if (session) {
        session.subscribe(ctx.client);
        lines = (await rolloutOf(ctx, p.threadId)).lines;
      } else {
        // A thread not loaded reopens on the model and effort it last ran with, unless the request names a model.
        const store = createRolloutStore({ codexHome: ctx.config.codexHome });
        const file = await store.find(p.threadId);
        const recorded = file ? await store.readForResume(file) : [];
        ({ session, lines } = await openThread(ctx, resumeSettings(settingsOf(p), recorded), (t) => t.resume({ id: p.threadId }), { forkedFromId: null }));
      }
      const turns = p.excludeTurns ? [] : turnsFromRollout(session.id, lines);
      // An approval left unanswered (a client that went away, a crash) is asked again, once the client has its answer.
      const resumed = session;
      if (resumed.thread.pendingApprovals().length > 0) ctx.afterResponse(() => void resumed.thread.submit({ type: "resume_pending" }));
      return { ...sessionResult(session, turns, ctx), collaborationMode: null, turnsBackwardsCursor: null, itemsBackwardsCursor: null };
    },
  }),
  defineMethod({
    method: "thread/fork",
    params: ThreadForkParams,
    result: ThreadForkResponse,
    async handle(p, ctx) {
      const { session, lines } = await openThread(ctx, settingsOf(p), (t) => t.fork({ id: p.threadId }), { forkedFromId: p.threadId });
      const result = sessionResult(session, p.excludeTurns ? [] : turnsFromRollout(session.id, lines), ctx);
      ctx.afterResponse(() => ctx.notify(N.threadStarted, { thread: { ...result.thread, turns: [] } }));
      return result;
    },
  }),
  defineMethod({
    method: "thread/list",
    params: ThreadListParams,
    result: ThreadListResponse,
    async handle(p, ctx) {
      const offset = p.cursor ? Number.parseInt(p.cursor, 10) || 0 : 0;
      const limit = p.limit ?? 25;
      if (p.archived) return { data: [], nextCursor: null, backwardsCursor: null };
      const cwds = p.cwd == null ? null : Array.isArray(p.cwd) ? p.cwd : [p.cwd];
      const store = createRolloutStore({ codexHome: ctx.config.codexHome });
      // Core lists newest first; filters that core does not take are applied here, so ask for more.
      const filtered = cwds !== null && cwds.length !== 1 || p.searchTerm || p.modelProviders || p.excludedThreadIds;
      const want = offset + limit + 1;
      const listed = await store.list({ limit: filtered ? Math.max(want * 4, 200) : want, ...(cwds?.length === 1 ? { cwd: cwds[0]! } : {}) });
      const term = p.searchTerm?.toLowerCase();
      const names = await createThreadNames({ codexHome: ctx.config.codexHome }).all();
      const rows = listed.filter(
        (s) =>
          (cwds === null || cwds.includes(s.cwd)) &&
          (!term || s.preview.toLowerCase().includes(term) || (names.get(s.id) ?? "").toLowerCase().includes(term)) &&
          (!p.modelProviders || p.modelProviders.length === 0 || p.modelProviders.includes(s.modelProvider ?? "openai")) &&
          !(p.excludedThreadIds ?? []).includes(s.id),
      );
      const page = rows.slice(offset, offset + limit);
      const data = page.map((s) =>
        threadWire(
          summaryFacts(s, { name: names.get(s.id) ?? null, status: ctx.threads.get(s.id)?.status() ?? { type: "notLoaded" }, version: ctx.config.version }),
        ),
      );
      const more = rows.length > offset + limit;
      return { data, nextCursor: more ? String(offset + limit) : null, backwardsCursor: offset > 0 ? String(Math.max(0, offset - limit)) : null };
    },
  }),
  defineMethod({
    method: "thread/read",
    params: ThreadReadParams,
    result: ThreadReadResponse,
    async handle(p, ctx) {
      const loaded = ctx.threads.get(p.threadId);
      const { lines } = await rolloutOf(ctx, p.threadId);
      const turns = p.includeTurns ? turnsFromRollout(p.threadId, lines) : [];
      if (loaded) return { thread: loadedThreadWire(loaded, turns) };
      const meta = lines.find((l) => l.type === "session_meta")?.payload as Record<string, unknown> | undefined;
      const names = await createThreadNames({ codexHome: ctx.config.codexHome }).all();
      const thread = threadWire({
        ...summaryFacts(
          {
            id: p.threadId,
            path: (await rolloutOf(ctx, p.threadId)).file,
            createdAt: String(meta?.timestamp ?? ""),
            updatedAt: lines.at(-1)?.timestamp ?? "",
            cwd: String(meta?.cwd ?? ""),
            source: String(meta?.source ?? "unknown"),
            preview: previewOf(lines),
            ...(typeof meta?.model_provider === "string" ? { modelProvider: meta.model_provider } : {}),
            ...(typeof meta?.cli_version === "string" ? { cliVersion: meta.cli_version } : {}),
            ...(typeof meta?.originator === "string" ? { originator: meta.originator } : {}),
            ...(typeof meta?.forked_from_id === "string" ? { forkedFromId: meta.forked_from_id } : {}),
          },
          { name: names.get(p.threadId) ?? null, status: { type: "notLoaded" }, version: ctx.config.version },
        ),
        turns,
      });
      return { thread };
    },
  }),
  defineMethod({
    method: "thread/archive",
    params: ThreadArchiveParams,
    result: EmptyObject,
    async handle(p, ctx) {
      await ctx.threads.unload(p.threadId);
      await archiveCall(() => createSessionArchive({ codexHome: ctx.config.codexHome }).archive(p.threadId));
      ctx.notify(N.threadArchived, { threadId: p.threadId });
      return {};
    },
  }),
  defineMethod({
    method: "thread/unarchive",
    params: ThreadUnarchiveParams,
    result: ThreadUnarchiveResponse,
    async handle(p, ctx) {
      const file = await archiveCall(() => createSessionArchive({ codexHome: ctx.config.codexHome }).unarchive(p.threadId));
      ctx.notify(N.threadUnarchived, { threadId: p.threadId });
      const lines = await createRolloutStore({ codexHome: ctx.config.codexHome }).read(file);
      const meta = lines.find((l) => l.type === "session_meta")?.payload as Record<string, unknown> | undefined;
      const summary = {
        id: p.threadId,
        path: file,
        createdAt: String(meta?.timestamp ?? ""),
        updatedAt: lines.at(-1)?.timestamp ?? "",
        cwd: String(meta?.cwd ?? ""),
        source: String(meta?.source ?? "unknown"),
        preview: previewOf(lines),
      };
      return { thread: threadWire(summaryFacts(summary, { name: null, status: { type: "notLoaded" }, version: ctx.config.version })) };
    },
  }),
  defineMethod({
    method: "thread/delete",
    params: ThreadDeleteParams,
    result: EmptyObject,
    async handle(p, ctx) {
      await ctx.threads.unload(p.threadId);
      await archiveCall(() => createSessionArchive({ codexHome: ctx.config.codexHome }).delete(p.threadId));
      ctx.notify(N.threadDeleted, { threadId: p.threadId });
      return {};
    },
  }),
  defineMethod({
    method: "thread/name/set",
    params: ThreadSetNameParams,
    result: ThreadSetNameResponse,
    async handle(p, ctx) {
      const name = p.name.trim();
      if (!name) throw JsonRpcError.invalidRequest("thread name must not be empty");
      await createThreadNames({ codexHome: ctx.config.codexHome }).set(p.threadId, name);
      const loaded = ctx.threads.get(p.threadId);
      if (loaded) loaded.facts.name = name;
      ctx.notify(N.threadNameUpdated, { threadId: p.threadId, threadName: name });
      return {};
    },
  }),
  defineMethod({
    method: "thread/compact/start",
    params: ThreadCompactStartParams,
    result: EmptyObject,
    async handle(p, ctx) {
      await requireLoaded(ctx, p.threadId).thread.submit({ type: "compact" });
      return {};
    },
  }),
  defineMethod({
    method: "thread/revert",
    params: ThreadRevertParams,
    result: ThreadRevertResponse,
    async handle(p, ctx) {
      const session = requireLoaded(ctx, p.threadId);
      if (session.status().type === "active") throw JsonRpcError.invalidRequest("cannot revert a thread while a turn is running");
      const turns = turnsFromRollout(p.threadId, (await rolloutOf(ctx, p.threadId)).lines);
      const index = turns.findIndex((t) => t.id === p.beforeTurnId);
      if (index < 0) throw JsonRpcError.invalidRequest(`turn not found: ${p.beforeTurnId}`);
      const numTurns = turns.slice(index).filter((t) => t.items.some((i) => i.type === "userMessage")).length;
      if (numTurns > 0) {
        const answer = await session.request({ type: "rollback", numTurns }, "thread_rolled_back");
        if (answer.error) throw new JsonRpcError(-32600, answer.error, { codexErrorInfo: "threadRollbackFailed" });
      }
      return { thread: loadedThreadWire(session, []), turnsBackwardsCursor: null, itemsBackwardsCursor: null };
    },
  }),
  defineMethod({
    method: "thread/unsubscribe",
    params: ThreadUnsubscribeParams,
    result: ThreadUnsubscribeResponse,
    async handle(p, ctx) {
      const session = ctx.threads.get(p.threadId);
      if (!session) return { status: "notLoaded" as const };
      return { status: session.unsubscribe(ctx.client) ? ("unsubscribed" as const) : ("notSubscribed" as const) };
    },
  }),
  defineMethod({
    method: "thread/loaded/list",
    params: ThreadLoadedListParams,
    result: ThreadLoadedListResponse,
    async handle(p, ctx) {
      const ids = ctx.threads.all().map((t) => t.id);
      const offset = p.cursor ? Number.parseInt(p.cursor, 10) || 0 : 0;
      const limit = p.limit ?? ids.length;
      return { data: ids.slice(offset, offset + limit), nextCursor: ids.length > offset + limit ? String(offset + limit) : null };
    },
  }),
];

async function archiveCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw JsonRpcError.invalidRequest((err as Error).message);
  }
}

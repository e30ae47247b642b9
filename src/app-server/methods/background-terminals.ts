import {
  ThreadBackgroundTerminalsCleanParams,
  ThreadBackgroundTerminalsCleanResponse,
  ThreadBackgroundTerminalsListParams,
  ThreadBackgroundTerminalsListResponse,
} from "../../protocol/app-server/background-terminals.js";
import { defineMethod, JsonRpcError, type MethodContext, type MethodDef } from "../method-table.js";
import { page } from "./server-config.js";

// Experimental `thread/backgroundTerminals/list` and `/clean`: a loaded thread's unified-exec sessions that
// outlived their call, and stopping them all (the thread's list/clean ops, answered through its events).

function loaded(ctx: MethodContext, threadId: string) {
  const entry = ctx.threads.get(threadId);
  if (!entry) throw JsonRpcError.invalidRequest(`thread not found: ${threadId}`);
  return entry;
}

const list = defineMethod({
  method: "thread/backgroundTerminals/list",
  params: ThreadBackgroundTerminalsListParams,
  result: ThreadBackgroundTerminalsListResponse,
  experimental: true,
  async handle(p, ctx) {
    const answer = await loaded(ctx, p.threadId).request({ type: "list_background_terminals" }, "background_terminals");
    const terminals = answer.terminals
      .filter((t) => t.running)
      .map((t) => ({
        itemId: t.callId ?? String(t.id),
        processId: String(t.id),
        command: t.command,
        cwd: t.cwd,
        osPid: t.pid,
        cpuPercent: null,
        rssKb: null,
      }));
    return page(terminals, p);
  },
});

const clean = defineMethod({
  method: "thread/backgroundTerminals/clean",
  params: ThreadBackgroundTerminalsCleanParams,
  result: ThreadBackgroundTerminalsCleanResponse,
  experimental: true,
  async handle(p, ctx) {
    await loaded(ctx, p.threadId).request({ type: "clean_background_terminals" }, "background_terminals_cleaned");
    return {};
  },
});

export const backgroundTerminalMethods: MethodDef[] = [list, clean];

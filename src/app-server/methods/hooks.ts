import { listHooks } from "../../core/index.js";
import { HooksListParams, HooksListResponse, type HookMetadata, type HooksListEntry } from "../../protocol/app-server/hooks-list.js";
import { defineMethod, JsonRpcError, type MethodContext, type MethodDef } from "../method-table.js";
import { loadServerConfig } from "./server-config.js";

// `hooks/list`: every configured hook handler per working directory (or of a loaded thread), with its trust
// status, so a client can review hooks before trusting them.

async function entryFor(ctx: MethodContext, cwd: string | undefined): Promise<HooksListEntry> {
  const config = await loadServerConfig(ctx, cwd);
  const { hooks, warnings } = listHooks(config, { env: ctx.config.env });
  return {
    cwd: config.cwd,
    hooks: hooks.map(({ handler, enabled, trustStatus }): HookMetadata => ({
      key: handler.key,
      eventName: (handler.event[0]!.toLowerCase() + handler.event.slice(1)) as HookMetadata["eventName"],
      matcher: handler.matcher ?? null,
      timeoutSec: handler.timeoutSec,
      statusMessage: handler.statusMessage ?? null,
      additionalContextLimit: null,
      sourcePath: handler.sourcePath,
      source: handler.scope,
      pluginId: null,
      environmentId: null,
      displayOrder: handler.displayOrder,
      enabled,
      isManaged: false,
      currentHash: handler.hash,
      trustStatus,
      handlerType: "command",
      command: handler.command,
      async: false,
    })),
    warnings,
    errors: [],
  };
}

const list = defineMethod({
  method: "hooks/list",
  params: HooksListParams,
  result: HooksListResponse,
  async handle(p, ctx) {
    if (p.threadId) {
      if (p.cwds && p.cwds.length > 0) throw JsonRpcError.invalidRequest("hooks/list: give either threadId or cwds, not both");
      const loaded = ctx.threads.get(p.threadId);
      if (!loaded) throw JsonRpcError.invalidRequest(`thread not found: ${p.threadId}`);
      return { data: [await entryFor(ctx, loaded.runtime.config.cwd)] };
    }
    const cwds = p.cwds && p.cwds.length > 0 ? p.cwds : [undefined];
    return { data: await Promise.all(cwds.map((cwd) => entryFor(ctx, cwd))) };
  },
});

export const hooksMethods: MethodDef[] = [list];

import path from "node:path";
import { ConfigError, loadConfig, type ResolvedConfig } from "../../core/index.js";
import { JsonRpcError, type MethodContext } from "../method-table.js";

/** The configuration as seen from `cwd` (default: the server's), with the server's own `-c` overrides. */
export async function loadServerConfig(ctx: MethodContext, cwd?: string | null): Promise<ResolvedConfig> {
  try {
    return await loadConfig({
      codexHome: ctx.config.codexHome,
      cwd: path.resolve(ctx.config.cwd, cwd ?? "."),
      overrides: ctx.config.baseOverrides,
      flags: {},
      env: ctx.config.env,
    });
  } catch (err) {
    if (err instanceof ConfigError) throw JsonRpcError.invalidRequest(err.message);
    throw err;
  }
}

/** `cursor`/`limit` paging over a list: the cursor is the index of the next item. */
export function page<T>(items: readonly T[], o: { cursor?: string | null; limit?: number | null }): { data: T[]; nextCursor: string | null } {
  const start = o.cursor ? Number(o.cursor) : 0;
  if (!Number.isInteger(start) || start < 0) {
    throw JsonRpcError.invalidRequest(`invalid cursor: ${o.cursor}`);
  }
  const end = o.limit ? Math.min(items.length, start + o.limit) : items.length;
  return { data: items.slice(start, end), nextCursor: end < items.length ? String(end) : null };
}

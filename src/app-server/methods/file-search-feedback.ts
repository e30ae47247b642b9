import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { exportFeedbackBundle, FeedbackExportError, searchFiles } from "../../core/index.js";
import {
  FeedbackUploadParams,
  FeedbackUploadResponse,
  FuzzyFileSearchParams,
  FuzzyFileSearchResponse,
} from "../../protocol/app-server/file-search-feedback.js";
import type { ClientHandle } from "../connection.js";
import { defineMethod, JsonRpcError, type MethodDef } from "../method-table.js";

// `fuzzyFileSearch` (core's file search over the given roots; a later request with the same
// `cancellationToken` cancels an earlier one, which answers no files) and `feedback/upload` (core's feedback
// bundle, written under $CODEX_HOME/feedback: nothing leaves the machine; the answer names the file).

const MAX_RESULTS = 50;

export function createFileSearchFeedbackMethods(): MethodDef[] {
  const searches = new WeakMap<ClientHandle, Map<string, AbortController>>();

  const fuzzy = defineMethod({
    method: "fuzzyFileSearch",
    params: FuzzyFileSearchParams,
    result: FuzzyFileSearchResponse,
    async handle(p, ctx) {
      if (p.roots.length === 0 || p.query === "") return { files: [] };
      let byToken = searches.get(ctx.client);
      if (!byToken) searches.set(ctx.client, (byToken = new Map()));
      const token = p.cancellationToken;
      const controller = new AbortController();
      if (token !== null) {
        byToken.get(token)?.abort();
        byToken.set(token, controller);
      }
      const roots = p.roots.map((r) => path.resolve(ctx.config.cwd, r));
      try {
        const found = await searchFiles({ query: p.query, roots, limit: MAX_RESULTS, signal: controller.signal });
        return {
          files: found.matches.map((m) => ({
            root: m.root,
            path: m.path,
            match_type: m.matchType,
            file_name: m.fileName,
            score: Math.max(0, Math.round(m.score)),
            indices: m.indices,
          })),
        };
      } catch (err) {
        if (controller.signal.aborted) return { files: [] };
        throw JsonRpcError.invalidRequest(`fuzzyFileSearch: ${(err as Error).message}`);
      } finally {
        if (token !== null && byToken.get(token) === controller) byToken.delete(token);
      }
    },
  });

  const feedback = defineMethod({
    method: "feedback/upload",
    params: FeedbackUploadParams,
    result: FeedbackUploadResponse,
    async handle(p, ctx) {
      try {
        const bundle = await exportFeedbackBundle({
          codexHome: ctx.config.codexHome,
          ...(p.threadId ? { threadId: p.threadId } : {}),
          ...(p.includeLogs === false ? { maxLogBytes: 0 } : {}),
          version: ctx.config.version,
          secrets: [ctx.config.env["OPENAI_API_KEY"], ctx.config.env["CODEX_API_KEY"]].filter((k): k is string => !!k),
        });
        return { threadId: bundle.threadId, promptHash: await promptHash(bundle.rolloutPath), bundlePath: bundle.path };
      } catch (err) {
        if (err instanceof FeedbackExportError) throw JsonRpcError.invalidRequest(err.message);
        throw err;
      }
    },
  });
  return [fuzzy, feedback];
}

/** SHA-256 of the session's base instructions with whitespace runs collapsed; null without them. */
async function promptHash(rolloutPath: string): Promise<string | null> {
  try {
    const first = (await readFile(rolloutPath, "utf8")).split("\n", 1)[0] ?? "";
    const meta = JSON.parse(first) as { type?: string; payload?: { base_instructions?: { text?: unknown } } };
    const text = meta.type === "session_meta" ? meta.payload?.base_instructions?.text : undefined;
    if (typeof text !== "string") return null;
    return createHash("sha256").update(text.trim().split(/\s+/).join(" ")).digest("hex");
  } catch {
    return null;
  }
}

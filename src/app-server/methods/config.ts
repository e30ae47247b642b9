import { configView, ConfigWriteError, writeUserConfigValues, type MergeStrategy } from "../../core/index.js";
import {
  ConfigBatchWriteParams,
  ConfigReadParams,
  ConfigReadResponse,
  ConfigValueWriteParams,
  ConfigWriteResponse,
} from "../../protocol/app-server/config.js";
import { defineMethod, JsonRpcError, type MethodContext, type MethodDef } from "../method-table.js";
import { loadServerConfig } from "./server-config.js";

// `config/read` (effective config, origins, layers), `config/value/write` and `config/batchWrite` (edit the
// user's config.toml, keeping comments and other keys; schema-checked; optimistic `expectedVersion`).

const read = defineMethod({
  method: "config/read",
  params: ConfigReadParams,
  result: ConfigReadResponse,
  async handle(p, ctx) {
    const view = configView(await loadServerConfig(ctx, p.cwd));
    return { config: view.config, origins: view.origins, layers: p.includeLayers ? view.layers : null };
  },
});

async function write(
  ctx: MethodContext,
  o: { edits: Array<{ keyPath: string; value: unknown; merge: MergeStrategy }>; filePath?: string | null; expectedVersion?: string | null },
) {
  let written: { filePath: string; version: string };
  try {
    written = await writeUserConfigValues({ codexHome: ctx.config.codexHome, edits: o.edits, filePath: o.filePath ?? null, expectedVersion: o.expectedVersion ?? null });
  } catch (err) {
    if (err instanceof ConfigWriteError) throw new JsonRpcError(-32600, err.message, { config_write_error_code: err.code });
    throw err;
  }
  // A value another layer (project, -c) sets wins over what was written: say so.
  const view = configView(await loadServerConfig(ctx));
  for (const edit of o.edits) {
    const origin = view.origins[edit.keyPath];
    if (origin && origin.name.type !== "user") {
      return {
        status: "okOverridden" as const,
        version: written.version,
        filePath: written.filePath,
        overriddenMetadata: {
          message: `${edit.keyPath} is overridden by a ${origin.name.type} layer`,
          overridingLayer: origin,
          effectiveValue: lookup(view.config, edit.keyPath),
        },
      };
    }
  }
  return { status: "ok" as const, version: written.version, filePath: written.filePath, overriddenMetadata: null };
}

function lookup(config: Record<string, unknown>, dotted: string): unknown {
  let node: unknown = config;
  for (const k of dotted.split(".")) node = node !== null && typeof node === "object" ? (node as Record<string, unknown>)[k] : undefined;
  return node ?? null;
}

const valueWrite = defineMethod({
  method: "config/value/write",
  params: ConfigValueWriteParams,
  result: ConfigWriteResponse,
  handle: (p, ctx) =>
    write(ctx, { edits: [{ keyPath: p.keyPath, value: p.value, merge: p.mergeStrategy }], filePath: p.filePath, expectedVersion: p.expectedVersion }),
});

const batchWrite = defineMethod({
  method: "config/batchWrite",
  params: ConfigBatchWriteParams,
  result: ConfigWriteResponse,
  handle: (p, ctx) =>
    write(ctx, {
      edits: p.edits.map((e) => ({ keyPath: e.keyPath, value: e.value, merge: e.mergeStrategy })),
      filePath: p.filePath,
      expectedVersion: p.expectedVersion,
    }),
});

export const configMethods: MethodDef[] = [read, valueWrite, batchWrite];

import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { NotificationDef, ServerRequestDef } from "../protocol/app-server/jsonrpc.js";
import type { MethodDef } from "./method-table.js";
import { jsonSchemaToTs } from "./schema-ts.js";

// `codex app-server generate-json-schema` / `generate-ts`: the wire's schema, from the same zod definitions the
// dispatcher validates with. Layout as the reference's: the envelopes (ClientRequest, ServerNotification,
// ServerRequest) at the top, one file per params/response type under v2/, and one bundle of every definition.

type JsonSchema = Record<string, unknown>;

export interface SchemaTables {
  methods: readonly MethodDef[];
  notifications: readonly NotificationDef[];
  serverRequests: readonly ServerRequestDef[];
}

const pascal = (method: string) =>
  method
    .split("/")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");

function idOf(schema: z.ZodType, fallback: string): string {
  const meta = z.globalRegistry.get(schema) as { id?: string } | undefined;
  return meta?.id ?? fallback;
}

/** Every named type of the tables, each as a draft-07 schema whose refs point into `definitions`. */
export function buildDefinitions(t: SchemaTables, o: { experimental: boolean }): {
  definitions: Record<string, JsonSchema>;
  clientRequests: Array<{ method: string; params: string; result: string }>;
  notifications: Array<{ method: string; params: string }>;
  serverRequests: Array<{ method: string; params: string; result: string }>;
} {
  const definitions: Record<string, JsonSchema> = {};
  const add = (schema: z.ZodType, name: string, io: "input" | "output"): string => {
    const json = z.toJSONSchema(schema, { target: "draft-7", io, unrepresentable: "any" }) as JsonSchema & { definitions?: Record<string, JsonSchema> };
    const { definitions: nested = {}, $schema: _s, $ref, ...top } = json;
    for (const [key, value] of Object.entries(nested)) definitions[key] ??= value;
    if (typeof $ref !== "string") definitions[name] ??= top;
    return name;
  };
  const clientRequests = t.methods
    .filter((m) => o.experimental || !m.experimental)
    .map((m) => ({
      method: m.method,
      params: add(m.params, idOf(m.params, `${pascal(m.method)}Params`), "input"),
      result: add(m.result, idOf(m.result, `${pascal(m.method)}Response`), "output"),
    }));
  const notifications = t.notifications
    .filter((n) => o.experimental || !n.experimental)
    .map((n) => ({ method: n.method, params: add(n.params, idOf(n.params, `${pascal(n.method)}Notification`), "output") }));
  const serverRequests = t.serverRequests.map((r) => ({
    method: r.method,
    params: add(r.params, idOf(r.params, `${pascal(r.method)}Params`), "output"),
    result: add(r.result, idOf(r.result, `${pascal(r.method)}Response`), "input"),
  }));
  return { definitions, clientRequests, notifications, serverRequests };
}

const ref = (name: string) => ({ $ref: `#/definitions/${name}` });
const REQUEST_ID = { anyOf: [{ type: "string" }, { type: "integer" }] };

function envelope(title: string, variants: Array<{ method: string; params: string }>, o: { withId: boolean }, definitions: Record<string, JsonSchema>): JsonSchema {
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title,
    oneOf: variants.map((v) => ({
      type: "object",
      title: `${pascal(v.method)}${o.withId ? "Request" : "Notification"}`,
      properties: { ...(o.withId ? { id: { $ref: "#/definitions/RequestId" } } : {}), method: { type: "string", enum: [v.method] }, params: ref(v.params) },
      required: [...(o.withId ? ["id"] : []), "method", "params"],
    })),
    definitions: { ...definitions, RequestId: REQUEST_ID },
  };
}

/** Writes the JSON Schema files; returns the paths written. */
export async function writeJsonSchema(t: SchemaTables, o: { out: string; experimental: boolean }): Promise<string[]> {
  const d = buildDefinitions(t, o);
  const files: Array<[string, JsonSchema]> = [
    ["ClientRequest.json", envelope("ClientRequest", d.clientRequests, { withId: true }, d.definitions)],
    ["ServerNotification.json", envelope("ServerNotification", d.notifications, { withId: false }, d.definitions)],
    ["ServerRequest.json", envelope("ServerRequest", d.serverRequests, { withId: true }, d.definitions)],
    ["codex_app_server_protocol.v2.schemas.json", { $schema: "http://json-schema.org/draft-07/schema#", title: "CodexAppServerProtocolV2", definitions: d.definitions }],
  ];
  const named = new Set([...d.clientRequests.flatMap((r) => [r.params, r.result]), ...d.notifications.map((n) => n.params), ...d.serverRequests.flatMap((r) => [r.params, r.result])]);
  for (const name of named) {
    files.push([path.join("v2", `${name}.json`), { $schema: "http://json-schema.org/draft-07/schema#", title: name, ...ref(name), definitions: d.definitions }]);
  }
  await mkdir(path.join(o.out, "v2"), { recursive: true });
  const written: string[] = [];
  for (const [rel, schema] of files) {
    const file = path.join(o.out, rel);
    await writeFile(file, JSON.stringify(schema, null, 2) + "\n");
    written.push(file);
  }
  return written;
}

/** Writes one TypeScript file per named type (v2/<Name>.ts) plus the three envelope unions. */
export async function writeTs(t: SchemaTables, o: { out: string; experimental: boolean }): Promise<string[]> {
  const d = buildDefinitions(t, o);
  await mkdir(path.join(o.out, "v2"), { recursive: true });
  const written: string[] = [];
  const header = "// GENERATED by `codex app-server generate-ts` from codex-ts's zod definitions. Do not edit.\n\n";
  for (const [name, schema] of Object.entries({ ...d.definitions, RequestId: REQUEST_ID })) {
    const { body, refs } = jsonSchemaToTs(schema);
    const imports = [...refs].filter((r) => r !== name).sort().map((r) => `import type { ${r} } from "./${r}";\n`).join("");
    const file = path.join(o.out, "v2", `${name}.ts`);
    await writeFile(file, header + imports + (imports ? "\n" : "") + `export type ${name} = ${body};\n`);
    written.push(file);
  }
  const union = (title: string, variants: Array<{ method: string; params: string }>, withId: boolean) => {
    const names = [...new Set(variants.map((v) => v.params))].sort();
    const imports = names.map((n) => `import type { ${n} } from "./v2/${n}";\n`).join("") + (withId ? `import type { RequestId } from "./v2/RequestId";\n` : "");
    const body = variants.map((v) => `{ "method": ${JSON.stringify(v.method)}, ${withId ? "id: RequestId, " : ""}params: ${v.params} }`).join(" | ") || "never";
    return header + imports + `\nexport type ${title} = ${body};\n`;
  };
  for (const [title, variants, withId] of [
    ["ClientRequest", d.clientRequests, true],
    ["ServerNotification", d.notifications, false],
    ["ServerRequest", d.serverRequests, true],
  ] as const) {
    const file = path.join(o.out, `${title}.ts`);
    await writeFile(file, union(title, variants, withId));
    written.push(file);
  }
  return written;
}

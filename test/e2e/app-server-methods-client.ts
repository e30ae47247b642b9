// The secondary-method e2e tests' start-up: the shared stdio client (test/support/app-server-client.ts),
// initialized with the experimental API.
import { spawnAppServer, type AppServerClient } from "../support/app-server-client.js";
import { schemaProblems } from "../support/app-server-schema.js";

export type { AppServerClient };

export async function startAppServer(o: { env: Record<string, string>; cwd: string; experimental?: boolean }): Promise<AppServerClient> {
  const client = spawnAppServer({ env: o.env, cwd: o.cwd });
  const init = await client.initialize({ experimentalApi: o.experimental ?? true });
  if (!init.result) throw new Error(`initialize failed: ${JSON.stringify(init)}\n${client.stderr()}`);
  return client;
}

/** Experimental methods: the reference's schema (generated without --experimental) has no types for them. */
const EXPERIMENTAL = /^thread\/backgroundTerminals\//;

/**
 * What the server wrote, checked against the reference's schema and ours (test/support/app-server-schema.ts),
 * leaving out answers to experimental requests.
 */
export function methodsSchemaProblems(c: AppServerClient): string[] {
  const experimentalIds = new Set(c.sent.filter((m) => typeof m.method === "string" && EXPERIMENTAL.test(m.method)).map((m) => m.id));
  return schemaProblems(c.seen.filter((m) => !("method" in m) ? !experimentalIds.has(m.id) : true), c.sent);
}

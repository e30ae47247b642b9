// The secondary-method e2e tests' start-up: the shared stdio client (test/support/app-server-client.ts),
// initialized with the experimental API.
import { spawnAppServer, type AppServerClient } from "../support/app-server-client.js";

export type { AppServerClient };

export async function startAppServer(o: { env: Record<string, string>; cwd: string; experimental?: boolean }): Promise<AppServerClient> {
  const client = spawnAppServer({ env: o.env, cwd: o.cwd });
  const init = await client.initialize({ experimentalApi: o.experimental ?? true });
  if (!init.result) throw new Error(`initialize failed: ${JSON.stringify(init)}\n${client.stderr()}`);
  return client;
}

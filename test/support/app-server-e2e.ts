// The set-up the app-server end-to-end files share: a fake Responses server and a temp env per test, `codex
// app-server` clients on that env (closed after the test), and every message those clients saw checked against
// the reference's schema and ours (app-server-schema.ts) once the test is over.
import { afterEach, beforeEach, expect } from "vitest";
import { spawnAppServer, type AppServerClient } from "./app-server-client.js";
import { schemaProblems } from "./app-server-schema.js";
import { fakeProviderConfig, makeTestEnv, type TestEnv } from "./codex-env.js";
import { startFakeResponsesServer, type FakeServer } from "./fake-responses-server.js";

export interface AppServerE2E {
  /** `codex app-server` on this test's env and repo, initialized unless `initialize: false`; closed after the test. */
  appServer(o?: { initialize?: boolean }): Promise<AppServerClient>;
  /** The fake provider's config.toml with this test's repo trusted; `extra` TOML goes before the project table. */
  trustedConfig(extra?: string): string;
}

/**
 * `assign` gets each test's server and env before the test (and before later beforeEach hooks of the file).
 * `schemaCheck: false` leaves the messages unchecked (a file that checks something else about them).
 */
export function useAppServerE2E(assign: (server: FakeServer, env: TestEnv) => void, o: { schemaCheck?: boolean } = {}): AppServerE2E {
  let current: { server: FakeServer; env: TestEnv } | undefined;
  const clients: AppServerClient[] = [];
  beforeEach(async () => {
    const server = await startFakeResponsesServer();
    current = { server, env: makeTestEnv({ baseUrl: server.url }) };
    assign(current.server, current.env);
  });
  afterEach(async () => {
    const problems = o.schemaCheck === false ? [] : clients.flatMap((c) => schemaProblems(c.seen, c.sent));
    try {
      for (const c of clients.splice(0)) if (c.child.exitCode === null && c.child.signalCode === null) await c.close();
    } finally {
      await current?.server.close();
      current?.env.cleanup();
      current = undefined;
    }
    expect(problems).toEqual([]);
  });
  const now = (): { server: FakeServer; env: TestEnv } => {
    if (!current) throw new Error("useAppServerE2E: used outside a test");
    return current;
  };
  return {
    async appServer(a = {}) {
      const { env } = now();
      const client = spawnAppServer({ env: env.env, cwd: env.repo });
      clients.push(client);
      if (a.initialize !== false) await client.initialize();
      return client;
    },
    trustedConfig(extra = "") {
      const { server, env } = now();
      return fakeProviderConfig(server.url, `${extra}\n[projects.${JSON.stringify(env.repo)}]\ntrust_level = "trusted"\n`);
    },
  };
}

// Threads through the core (no CLI) against the fake Responses server: a per-test home and repo, a runtime
// built the way a front end builds it, and a reader that follows one turn's events to its end.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach } from "vitest";
import { createCodexRuntime, loadConfig, resolveSandboxPolicy, type Thread } from "../../src/core/index.js";
import type { Event, EventMsg } from "../../src/protocol/events.js";
import type { Op } from "../../src/protocol/ops.js";
import type { AskForApproval } from "../../src/protocol/policy.js";
import { fakeProviderConfig } from "./codex-env.js";
import { startFakeResponsesServer, type FakeServer } from "./fake-responses-server.js";

export interface CoreHome {
  server: FakeServer;
  root: string;
  repo: string;
  codexHome: string;
}

/** A fresh fake server, repo and $CODEX_HOME (config pointing at the server) for every test. */
export function useCoreHome(prefix: string, onReady: (h: CoreHome) => void): void {
  let home: CoreHome | undefined;
  beforeEach(async () => {
    const server = await startFakeResponsesServer();
    const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), prefix)));
    const repo = path.join(root, "repo");
    const codexHome = path.join(root, "home", ".codex");
    mkdirSync(path.join(repo, ".git"), { recursive: true });
    mkdirSync(codexHome, { recursive: true });
    writeFileSync(path.join(codexHome, "config.toml"), fakeProviderConfig(server.url));
    home = { server, root, repo, codexHome };
    onReady(home);
  });
  afterEach(async () => {
    await home?.server.close();
    if (home) rmSync(home.root, { recursive: true, force: true });
  });
}

/** Starts a thread through createCodexRuntime, as a front end would; `resume` reopens that thread id instead. */
export async function startCoreThread(
  h: CoreHome,
  o: { sandboxMode: string; approvalPolicy: AskForApproval; interactiveApprovals: boolean; resume?: string },
): Promise<Thread> {
  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: path.dirname(h.codexHome), CODEX_HOME: h.codexHome, CODEX_API_KEY: "sk-test-key-0123456789" };
  const config = await loadConfig({ cwd: h.repo, overrides: [], flags: { sandboxMode: o.sandboxMode }, env });
  const runtime = await createCodexRuntime({
    config,
    sandboxPolicy: resolveSandboxPolicy(config),
    approvalPolicy: o.approvalPolicy,
    env,
    originator: "codex_test",
    version: "0.0.0",
    source: "cli",
    ephemeral: false,
    interactiveApprovals: o.interactiveApprovals,
  });
  return o.resume !== undefined ? runtime.threads.resume({ id: o.resume }) : runtime.threads.start();
}

/**
 * Reads events until the turn ends (task_complete, turn_failed, turn_aborted) or the stream does; fails past a
 * 15 s deadline naming what it saw. `answer` (with `thread`) lets a scripted person reply to each event with ops.
 */
export async function untilTurnEnds(
  it: AsyncIterator<Event>,
  o: { thread?: Thread; answer?: (msg: EventMsg) => Op[] } = {},
): Promise<EventMsg[]> {
  const seen: EventMsg[] = [];
  const deadline = Date.now() + 15_000;
  for (;;) {
    const next = await Promise.race([
      it.next(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`turn did not end; saw ${seen.map((m) => m.type).join(", ")}`)), deadline - Date.now())),
    ]);
    if (next.done) return seen;
    const msg = next.value.msg;
    seen.push(msg);
    if (o.thread && o.answer) for (const op of o.answer(msg)) await o.thread.submit(op);
    if (msg.type === "task_complete" || msg.type === "turn_failed" || msg.type === "turn_aborted") return seen;
  }
}

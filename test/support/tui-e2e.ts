// The set-up every TUI end-to-end file shares: a fake Responses server and temp env per test (as
// useFakeServerEnv), `codex …` started in a fresh tmux pane that is killed after the test, the fake provider's
// config with the repo trusted, and the session ids on disk.
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterEach } from "vitest";
import { CODEX_BIN, fakeProviderConfig, useFakeServerEnv, type TestEnv } from "./codex-env.js";
import type { FakeServer } from "./fake-responses-server.js";
import { startTmux, type TmuxSession } from "./tmux.js";

export interface TuiE2E {
  /** `codex ARGS` in a new tmux pane (default 100×30, TERM xterm-256color), killed after the test. */
  codex(args?: readonly string[], o?: { width?: number; height?: number; env?: Record<string, string> }): Promise<TmuxSession>;
  /** The fake provider's config.toml with this test's repo trusted; `extra` TOML goes before the project table. */
  trustedConfig(extra?: string): string;
  /** Ids of the sessions under $CODEX_HOME/sessions, from the rollout file names. */
  sessionIds(): string[];
}

export function useTuiE2E(assign: (server: FakeServer, env: TestEnv) => void): TuiE2E {
  let server: FakeServer;
  let t: TestEnv;
  useFakeServerEnv((s, e) => {
    server = s;
    t = e;
    assign(s, e);
  });
  const panes: TmuxSession[] = [];
  afterEach(async () => {
    for (const pane of panes.splice(0)) await pane.kill();
  });
  return {
    async codex(args = [], o = {}) {
      const pane = await startTmux({
        width: o.width ?? 100,
        height: o.height ?? 30,
        command: [process.execPath, CODEX_BIN, ...args],
        env: { ...t.env, TERM: "xterm-256color", ...o.env },
        cwd: t.repo,
      });
      panes.push(pane);
      return pane;
    },
    trustedConfig(extra = "") {
      return fakeProviderConfig(server.url, `${extra}\n[projects."${t.repo}"]\ntrust_level = "trusted"\n`);
    },
    sessionIds() {
      const root = path.join(t.codexHome, "sessions");
      const files = existsSync(root) ? (readdirSync(root, { recursive: true }) as string[]) : [];
      return files.flatMap((f) => /rollout-.*-([0-9a-f-]{36})\.jsonl$/.exec(f)?.[1] ?? []);
    },
  };
}

// /approvals in a real terminal (tmux) against the fake Responses server: the model reads the new permissions
// with the next prompt (core's settings updates), not only the ones the session started with.
import { expect, test } from "vitest";
import type { TestEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, textMessage } from "../support/sse.js";
import type { TmuxSession } from "../support/tmux.js";
import { useTuiE2E } from "../support/tui-e2e.js";

let server: FakeServer;
let t: TestEnv;
const tui = useTuiE2E((s, e) => {
  server = s;
  t = e;
});
let tmux: TmuxSession | undefined;

const idle = (s: string) => !s.includes("Working");
type Msg = { type: string; role?: string; content?: Array<{ text?: string }> };
const textOf = (i: unknown) => ((i as Msg).content ?? []).map((c) => c.text ?? "").join("\n");

test("/approvals → Read Only: the next request carries the read-only permissions before the prompt", async () => {
  t.writeConfig(`sandbox_mode = "workspace-write"\napproval_policy = "on-request"\n` + tui.trustedConfig());
  tmux = await tui.codex();
  const s = tmux;
  await s.waitFor("Ask Codex to do anything");
  await s.waitFor("directory:");
  server.enqueue(sse(created("r1"), textMessage("first answer"), completed("r1")));
  await s.type("first");
  await s.keys("Enter");
  await s.waitFor((screen) => screen.includes("first answer") && idle(screen));
  const first = server.requests[0]!.input as Msg[];
  expect(first.filter((i) => textOf(i).includes("<permissions instructions>")).map(textOf).join("\n")).toContain("Sandbox: workspace-write.");

  await s.type("/approvals");
  await s.keys("Enter");
  await s.waitFor("Update Model Permissions");
  await s.type("1");
  await s.waitFor(/› 1\. Read Only/);
  await s.keys("Enter");
  await s.waitFor("Permissions updated to Read Only");

  server.enqueue(sse(created("r2"), textMessage("second answer"), completed("r2")));
  await s.type("second");
  await s.keys("Enter");
  await s.waitFor((screen) => screen.includes("second answer") && idle(screen));
  const input = server.requests[1]!.input as Msg[];
  const added = input.slice(first.length);
  // The previous answer, then what changed, then the prompt.
  expect(added.map((i) => `${i.type}/${i.role}`)).toEqual(["message/assistant", "message/developer", "message/user", "message/user"]);
  expect(textOf(added[1])).toMatch(/^<permissions instructions>\nSandbox: read-only\./);
  expect(textOf(added[1])).toContain("Approvals: on-request.");
  expect(textOf(added[2])).toMatch(/^<environment_context>\n  <current_date>/);
  expect(textOf(added[2])).toContain('<file_system type="restricted"><entry access="read"><special>:root</special></entry></file_system>');
  expect(textOf(added[3])).toBe("second");
});

// CI=true in a person's environment (dev containers and some shells set it) must not blank the TUI: ink's CI
// mode writes no frame until exit, and the TUI only ever runs on a terminal someone is looking at.
import { describe, expect, test } from "vitest";
import { sse } from "../support/fake-responses-server.js";
import { completed, created, textMessage } from "../support/sse.js";
import type { FakeServer } from "../support/fake-responses-server.js";
import type { TestEnv } from "../support/codex-env.js";
import { useTuiE2E } from "../support/tui-e2e.js";

let server: FakeServer;
let t: TestEnv;
const tui = useTuiE2E((s, e) => {
  server = s;
  t = e;
});

describe("the TUI with CI=true in its environment", () => {
  test("shows the composer, streams an answer and quits as usual", async () => {
    t.writeConfig(tui.trustedConfig());
    server.enqueue(sse(created("r1"), textMessage("answer shown live"), completed("r1")));
    const s = await tui.codex([], { env: { CI: "true", CONTINUOUS_INTEGRATION: "1" } });
    await s.waitFor("Ask Codex to do anything");
    await s.type("hello");
    await s.keys("Enter");
    const screen = await s.waitFor((text) => text.includes("answer shown live") && !text.includes("Working"));
    expect(screen).toContain("hello");
    await s.keys("C-c");
    await s.waitFor("Press Ctrl+C again to quit");
    await s.keys("C-c");
    expect(await s.waitForExit()).toBe(0);
  });
});

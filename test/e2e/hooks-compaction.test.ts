// PreCompact / PostCompact fire around an auto-compaction (matcher on the trigger), and SessionStart fires
// again with source `compact` once the history has been replaced: the hooks engine wired into compaction.
import { describe, expect, test } from "vitest";
import { runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";
import { payloads, recordPayload, trustRepoByHand, writeProjectHooks } from "../hooks/hook-env.js";

let server: FakeServer;
let t: TestEnv;
useFakeServerEnv((s, e) => ((server = s), (t = e)));

const OVER = { input_tokens: 50_000, output_tokens: 100 };
const UNDER = { input_tokens: 3_000, output_tokens: 10 };

describe("compaction hooks", () => {
  test("an auto compaction mid-turn runs PreCompact, then PostCompact, then SessionStart(compact); manual matchers stay quiet", async () => {
    trustRepoByHand(t, server.url);
    writeProjectHooks(t, {
      PreCompact: [
        { matcher: "auto", hooks: [{ type: "command", command: recordPayload(t, "pre") }] },
        { matcher: "manual", hooks: [{ type: "command", command: recordPayload(t, "manualpre") }] },
      ],
      PostCompact: [{ matcher: "auto", hooks: [{ type: "command", command: recordPayload(t, "post") }] }],
      SessionStart: [
        { matcher: "startup", hooks: [{ type: "command", command: recordPayload(t, "boot") }] },
        { matcher: "compact", hooks: [{ type: "command", command: recordPayload(t, "again") }] },
      ],
    });
    server.enqueue(
      sse(created("r1"), functionCall("call_old", "exec_command", { cmd: "echo OLD" }), completed("r1", OVER)),
      sse(created("r2"), textMessage("SUMMARY"), completed("r2", UNDER)),
      sse(created("r3"), textMessage("done"), completed("r3", UNDER)),
    );
    const r = await runCodex(
      ["exec", "--json", "--dangerously-bypass-approvals-and-sandbox", "-c", "model_auto_compact_token_limit=20000", "work"],
      { env: t.env, cwd: t.repo },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(server.requests).toHaveLength(3);
    expect(server.requests[2]!.inputText()).toContain("SUMMARY");

    const [pre] = payloads(t, "pre");
    const [post] = payloads(t, "post");
    expect(pre).toMatchObject({ hook_event_name: "PreCompact", trigger: "auto", cwd: t.repo });
    expect(post).toMatchObject({ hook_event_name: "PostCompact", trigger: "auto", session_id: pre.session_id });
    expect(payloads(t, "manualpre")).toEqual([]);
    expect(payloads(t, "boot")).toHaveLength(1);
    expect(payloads(t, "again")).toMatchObject([{ hook_event_name: "SessionStart", source: "compact" }]);
  });
});

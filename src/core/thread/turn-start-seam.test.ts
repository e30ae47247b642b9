// Every turn start goes through the thread's beforeTurn seam, whatever started it: a person's prompt, another
// agent's mail (a sub-agent's task) or calls asked again. A sub-agent's settings change (a resumed child opened
// with other permissions) is told to its model in its next mail turn, before the mail, as a prompt would be.
import { describe, expect, it } from "vitest";
import type { EventMsg } from "../../protocol/events.js";
import type { ResponseItem } from "../../protocol/items.js";
import type { ApprovalGate } from "../approval/contract.js";
import { permissionsText } from "../context/permissions-text.js";
import { createSettingsUpdateObserver } from "../context/settings-update.js";
import type { ModelClient, ResponseEvent } from "../model/contract.js";
import { createToolRegistry } from "../tools/registry.js";
import { createThread, type Thread } from "./thread.js";
import type { ThreadObserver, TurnOrigin } from "./thread-observer.js";

const usage = { input_tokens: 1, cached_input_tokens: 0, output_tokens: 1, reasoning_output_tokens: 0, total_tokens: 2 };

function answeringModel(): ModelClient & { inputs: ResponseItem[][] } {
  const inputs: ResponseItem[][] = [];
  return {
    inputs,
    async *stream(req): AsyncIterable<ResponseEvent> {
      inputs.push(req.input);
      yield { type: "created", responseId: `r${inputs.length}` };
      yield { type: "output_item_done", item: { type: "message", role: "assistant", content: [{ type: "output_text", text: "ok" }] } };
      yield { type: "completed", responseId: `r${inputs.length}`, usage };
    },
  };
}

const approveAll: ApprovalGate = { decide: async () => "approved", review: async () => ({ decision: "approved", sandboxed: true }) };
const mailText = "FOLLOWUP_TASK from /root: check the logs";
const mailItem: ResponseItem = { type: "message", role: "user", content: [{ type: "input_text", text: mailText }] };

/** `mailbox`: what the agent's next step takes (the test posts before each agent turn). */
function threadWith(o: { observers: ThreadObserver[]; mailbox: ResponseItem[] }): { thread: Thread; model: ReturnType<typeof answeringModel>; ended(): Promise<EventMsg> } {
  const model = answeringModel();
  const thread = createThread({
    id: "t-seam",
    cwd: "/work/repo",
    approvalPolicy: "never",
    sandboxPolicy: { mode: "read-only", networkAccess: false },
    request: { model: "m", parallelToolCalls: false },
    requestIdentity: () => ({ headers: {}, clientMetadata: {} }),
    model,
    registry: createToolRegistry([]),
    exec: { run: async () => ({ exitCode: 0, stdout: "", stderr: "", aggregated: "", timedOut: false, durationMs: 0 }) } as never,
    createApprovalGate: () => approveAll,
    interactiveApprovals: false,
    rollout: null,
    history: [],
    childEnv: {},
    spoolDir: "/tmp",
    buildUserMessage: async (items) => ({ type: "message", role: "user", content: items.map((i) => ({ type: "input_text", text: (i as { text: string }).text })) }),
    newTurnId: () => "turn",
    threadObservers: o.observers,
    takeAgentMail: () => o.mailbox.splice(0),
  });
  const it = thread.events()[Symbol.asyncIterator]();
  const ended = async (): Promise<EventMsg> => {
    for (;;) {
      const r = await it.next();
      if (r.done) throw new Error("the thread's events ended before its turn did");
      const t = r.value.msg.type;
      if (t === "task_complete" || t === "turn_failed" || t === "turn_aborted") return r.value.msg;
    }
  };
  return { thread, model, ended };
}

const textOf = (item: ResponseItem | undefined): string =>
  ((item as { content?: Array<{ text?: string }> } | undefined)?.content ?? []).map((c) => c.text ?? "").join("");

describe("the turn-start seam", () => {
  it("a mail turn goes through it (origin agent, no prompt); a user turn as origin user", async () => {
    const seen: Array<{ origin: TurnOrigin; prompt: string; turnId: string }> = [];
    const { thread, ended } = threadWith({
      observers: [{ beforeTurn: async (p) => (seen.push({ origin: p.origin, prompt: p.prompt, turnId: p.turnId }), { type: "continue" }) }],
      mailbox: [mailItem],
    });
    await thread.submit({ type: "agent_turn" });
    expect((await ended()).type).toBe("task_complete");
    await thread.submit({ type: "user_turn", items: [{ type: "text", text: "hello" }] });
    expect((await ended()).type).toBe("task_complete");
    expect(seen).toEqual([
      { origin: "agent", prompt: "", turnId: "turn" },
      { origin: "user", prompt: "hello", turnId: "turn" },
    ]);
    await thread.close();
  });

  it("a child opened with other permissions than its model read last is told them before its mail, once", async () => {
    // The child's history told its model workspace-write / on-request; it now runs read-only / never.
    const update = createSettingsUpdateObserver({
      seen: { cwd: "/work/repo", model: "m", approvalPolicy: "on-request", sandboxPolicy: { mode: "workspace-write", networkAccess: false, writableRoots: [], excludeSlashTmp: false, excludeTmpdirEnvVar: false } },
      shell: "/bin/bash",
    });
    const second: ResponseItem = { type: "message", role: "user", content: [{ type: "input_text", text: "MESSAGE from /root: and the config" }] };
    const mailbox = [mailItem];
    const { thread, model, ended } = threadWith({ observers: [update], mailbox });
    await thread.submit({ type: "agent_turn" });
    expect((await ended()).type).toBe("task_complete");
    const first = model.inputs[0]!;
    const permissions = permissionsText({ approvalPolicy: "never", sandboxPolicy: { mode: "read-only", networkAccess: false } });
    const at = first.findIndex((i) => textOf(i) === permissions);
    expect(at).toBeGreaterThanOrEqual(0);
    // Then the environment (the sandbox changed), then the mail, last.
    expect(textOf(first[at + 1])).toContain("<environment_context>");
    expect(textOf(first.at(-1))).toBe(mailText);
    expect(at).toBe(first.length - 3);
    // The next mail turn: nothing changed, nothing told again.
    mailbox.push(second);
    await thread.submit({ type: "agent_turn" });
    expect((await ended()).type).toBe("task_complete");
    const added = model.inputs[1]!.slice(first.length);
    expect(added.map(textOf)).toEqual(["ok", "MESSAGE from /root: and the config"]);
    await thread.close();
  });
});

// Background terminals through a real thread (the core's createThread with the unified-exec tools and the local
// runner) across turns. Sessions live in the thread's process, not in a rollout, so "two turns" means two user
// turns of one thread (exec resumes in a new process, where no session survives by design).
import { readdirSync, readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import type { ApprovalGate } from "../../src/core/approval/contract.js";
import { createLocalExecRunner } from "../../src/core/exec/local-runner.js";
import type { ModelClient, ResponseEvent } from "../../src/core/model/contract.js";
import { createThread, type Thread } from "../../src/core/thread/thread.js";
import { createToolRegistry } from "../../src/core/tools/registry.js";
import { createUnifiedExecTools, type UnifiedExecTools } from "../../src/core/tools/handlers/unified-exec-sessions.js";
import type { BackgroundTerminal, EventMsg } from "../../src/protocol/events.js";
import type { ResponseItem } from "../../src/protocol/items.js";
import { realPython } from "../sandbox/support.js";
import { waitFor } from "./wait-for.js";

const usage = { input_tokens: 1, cached_input_tokens: 0, output_tokens: 1, reasoning_output_tokens: 0, total_tokens: 2 };

/** One model response: the items it returns, computed from the request's input. */
type Step = (input: ResponseItem[]) => ResponseItem[];

function scriptedModel(steps: Step[]): ModelClient & { inputs: ResponseItem[][] } {
  const inputs: ResponseItem[][] = [];
  return {
    inputs,
    async *stream(req): AsyncIterable<ResponseEvent> {
      const step = steps[inputs.length];
      inputs.push(req.input);
      if (!step) throw new Error(`scripted model: no step ${inputs.length}`);
      yield { type: "created", responseId: `r${inputs.length}` };
      for (const item of step(req.input)) yield { type: "output_item_done", item };
      yield { type: "completed", responseId: `r${inputs.length}`, usage };
    },
  };
}

const call = (callId: string, name: string, args: unknown): ResponseItem => ({
  type: "function_call",
  name,
  arguments: JSON.stringify(args),
  call_id: callId,
});
const say = (text: string): ResponseItem => ({ type: "message", role: "assistant", content: [{ type: "output_text", text }] });

function outputOf(input: ResponseItem[], callId: string): string {
  const item = input.find((i) => i.type === "function_call_output" && i.call_id === callId);
  if (!item || item.type !== "function_call_output" || typeof item.output !== "string") throw new Error(`no output for ${callId}`);
  return item.output;
}
const sessionIdIn = (text: string): number => Number(/session ID (\d+)/.exec(text)?.[1] ?? NaN);

const approveAll: ApprovalGate = {
  decide: async () => "approved",
  review: async () => ({ decision: "approved", sandboxed: true }),
};

interface Harness {
  thread: Thread;
  unified: UnifiedExecTools;
  events: EventMsg[];
  model: ReturnType<typeof scriptedModel>;
  turn(text: string): Promise<EventMsg>;
  submitAndWait<T extends EventMsg["type"]>(op: Parameters<Thread["submit"]>[0], type: T): Promise<Extract<EventMsg, { type: T }>>;
}

let open: Harness[] = [];
afterEach(async () => {
  await Promise.all(open.map((h) => h.thread.close()));
  open = [];
});

function harness(steps: Step[]): Harness {
  const unified = createUnifiedExecTools({ disposeWaitMs: 3000 });
  const model = scriptedModel(steps);
  const thread = createThread({
    id: "t-bg",
    cwd: process.cwd(),
    approvalPolicy: "never",
    sandboxPolicy: { mode: "danger-full-access" },
    request: { model: "m", parallelToolCalls: false },
    requestIdentity: () => ({ headers: {}, clientMetadata: {} }),
    model,
    registry: createToolRegistry([unified.execCommand, unified.writeStdin]),
    exec: createLocalExecRunner({ killGraceMs: 500 }),
    createApprovalGate: () => approveAll,
    interactiveApprovals: false,
    rollout: null,
    history: [],
    childEnv: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/root" },
    spoolDir: "/tmp",
    buildUserMessage: async (items) => ({
      type: "message",
      role: "user",
      content: items.map((i) => ({ type: "input_text", text: (i as { text: string }).text })),
    }),
    newTurnId: () => "turn",
    backgroundTerminals: unified.terminals,
    onClose: () => unified.dispose(),
  });
  const events: EventMsg[] = [];
  const waiters: Array<(msg: EventMsg) => boolean> = [];
  void (async () => {
    for await (const ev of thread.events()) {
      events.push(ev.msg);
      for (let i = waiters.length - 1; i >= 0; i--) if (waiters[i]!(ev.msg)) waiters.splice(i, 1);
    }
  })();
  const next = <T extends EventMsg["type"]>(type: T): Promise<Extract<EventMsg, { type: T }>> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type} event within 20 s`)), 20_000);
      waiters.push((msg) => {
        if (msg.type !== type) return false;
        clearTimeout(timer);
        resolve(msg as Extract<EventMsg, { type: T }>);
        return true;
      });
    });
  const h: Harness = {
    thread,
    unified,
    events,
    model,
    async turn(text) {
      const ended = Promise.race([next("task_complete"), next("turn_failed"), next("turn_aborted")]);
      await thread.submit({ type: "user_turn", items: [{ type: "text", text }] });
      return ended;
    },
    async submitAndWait(op, type) {
      const got = next(type);
      await thread.submit(op);
      return got;
    },
  };
  open.push(h);
  return h;
}

/** Processes (not zombies) whose process group is `pgid`. */
function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (fields[0] !== "Z" && Number(fields[2]) === pgid) members.push(Number(name));
    } catch {
      // Gone while we looked.
    }
  }
  return members;
}

describe("background terminals across turns of one thread", () => {
  it("a python REPL started in one turn is used in the next, and shutdown ends it", async () => {
    const py = realPython();
    const h = harness([
      () => [call("c1", "exec_command", { cmd: `${py} -i -q`, tty: true, login: false, yield_time_ms: 1500 })],
      (input) => [call("c2", "write_stdin", { session_id: sessionIdIn(outputOf(input, "c1")), chars: "x = 41\n", yield_time_ms: 500 })],
      () => [say("x is set")],
      (input) => [call("c3", "write_stdin", { session_id: sessionIdIn(outputOf(input, "c1")), chars: "print(x + 1)\n", yield_time_ms: 1000 })],
      () => [say("done")],
    ]);
    expect((await h.turn("start a repl")).type).toBe("task_complete");
    expect(outputOf(h.model.inputs[1]!, "c1")).toContain(">>> ");
    const [repl] = h.unified.terminals.list();
    expect(repl).toMatchObject({ running: true, tty: true });
    expect((await h.turn("use it again")).type).toBe("task_complete");
    expect(outputOf(h.model.inputs[4]!, "c3")).toContain("42");
    expect(groupMembers(repl!.pid!)).not.toEqual([]);
    await h.thread.close();
    await waitFor(() => groupMembers(repl!.pid!).length === 0, { what: "the REPL to end at shutdown" });
  });

  it("a dev server survives an interrupted turn, still serves, and the clean operation stops its whole group", async () => {
    const py = realPython();
    // A helper in the same process group, as a dev server's watcher would be.
    const cmd = `sleep 300 & exec ${py} -u -m http.server 0 --bind 127.0.0.1`;
    const h = harness([
      () => [call("c1", "exec_command", { cmd, login: false, yield_time_ms: 2000 })],
      (input) => [call("c2", "write_stdin", { session_id: sessionIdIn(outputOf(input, "c1")), chars: "", yield_time_ms: 30_000 })],
    ]);
    const ended = h.turn("start the server");
    await waitFor(() => h.model.inputs.length === 2, { what: "the model to ask for a long poll" });
    const served = outputOf(h.model.inputs[1]!, "c1");
    const port = Number(/port (\d+)/.exec(served)?.[1]);
    expect(port, served).toBeGreaterThan(0);
    await h.thread.submit({ type: "interrupt" });
    expect((await ended).type).toBe("turn_aborted");

    const listed = await h.submitAndWait({ type: "list_background_terminals" }, "background_terminals");
    expect(listed.terminals).toHaveLength(1);
    const server: BackgroundTerminal = listed.terminals[0]!;
    expect(server).toMatchObject({ running: true, tty: false, exitCode: null, command: `/bin/bash -c '${cmd}'` });
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    expect(groupMembers(server.pid!).length).toBeGreaterThanOrEqual(2);

    const cleaned = await h.submitAndWait({ type: "clean_background_terminals" }, "background_terminals_cleaned");
    expect(cleaned.stopped).toBe(1);
    expect(groupMembers(server.pid!)).toEqual([]);
    expect(h.unified.terminals.list()).toEqual([]);
    expect(h.events.find((e) => e.type === "exec_command_end")).toMatchObject({ callId: "c1", status: "failed", exitCode: 143 });
  });

  it("a command waiting on stdin comes back as a session; its later end is told to the next turn", async () => {
    const h = harness([
      () => [call("c1", "exec_command", { cmd: "read line; sleep 0.6; exit 3", tty: true, login: false, yield_time_ms: 500 })],
      () => [say("it waits")],
      (input) => [call("c2", "write_stdin", { session_id: sessionIdIn(outputOf(input, "c1")), chars: "go\n", yield_time_ms: 250 })],
      () => [say("answered")],
      () => [say("noted")],
    ]);
    expect((await h.turn("run it")).type).toBe("task_complete");
    expect(outputOf(h.model.inputs[1]!, "c1")).toContain("Process running with session ID");
    // Answer it, but with a poll too short to see the exit: the end happens unseen.
    expect((await h.turn("answer it")).type).toBe("task_complete");
    await waitFor(() => h.unified.terminals.list().every((t) => !t.running), { what: "the session to end" });
    expect((await h.turn("anything new?")).type).toBe("task_complete");
    const input = h.model.inputs[4]!;
    const lastUser = input.map((i) => i.type === "message" && i.role).lastIndexOf("user");
    const notice = input[lastUser - 1];
    expect(notice).toMatchObject({ type: "message", role: "developer" });
    expect(JSON.stringify(notice)).toContain("(/bin/bash -c 'read line; sleep 0.6; exit 3') exited with code 3");
    expect(h.unified.terminals.list()).toEqual([]);
  });
});

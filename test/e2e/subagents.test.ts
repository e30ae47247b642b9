// Multi-agent (multi_agent_v2): the root spawns children through the `collaboration` namespace; each child is
// its own thread with its own rollout, and its final answer reaches the parent as an agent_message.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { parseJsonl, runCodex, spawnCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer, type RecordedRequest } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";

let server: FakeServer;
let t: TestEnv;

useFakeServerEnv((s, e) => ((server = s), (t = e)));

const collab = (id: string, name: string, args: unknown) => functionCall(id, name, args, { namespace: "collaboration" });
const isChild = (path: string) => (r: RecordedRequest) => r.headers["x-openai-subagent"] === "collab_spawn" && turnAgent(r) === path;
const turnAgent = (r: RecordedRequest): string | undefined => JSON.parse(r.headers["x-codex-turn-metadata"] ?? "{}").agent_name;
const rootRequests = () => server.requests.filter((r) => r.headers["x-openai-subagent"] === undefined);
const agentMessages = (r: RecordedRequest) => r.input.filter((i: { type: string }) => i.type === "agent_message");
const text = (item: { content: Array<{ type: string; text?: string; encrypted_content?: string }> }) =>
  item.content.map((c) => c.text ?? c.encrypted_content ?? "").join("");

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await server.waitForRequests(server.requests.length + 1, { timeoutMs: 20_000 });
}

/** Settles once a request `pred` picks has arrived. */
function arrived(pred: (r: RecordedRequest) => boolean): Promise<void> {
  return until(() => server.requests.some(pred));
}

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

const exec = (args: string[]) => runCodex(["exec", "--json", "--enable", "multi_agent_v2", ...args], { env: t.env, cwd: t.repo });

describe("multi-agent", () => {
  test("spawn → the child works in its own thread → wait → its answer is in the parent's next request", async () => {
    const childMayAnswer = gate();
    server.enqueue(
      sse(created("r1"), collab("s1", "spawn_agent", { task_name: "worker", message: "compute 2+2", fork_turns: "none" }), completed("r1")),
      sse(created("r2"), collab("w1", "wait_agent", { timeout_ms: 60_000 }), completed("r2")),
      sse(created("r3"), textMessage("the worker says four"), completed("r3")),
    );
    server.enqueueFor(isChild("/root/worker"), { ...sse(created("c1"), textMessage("four"), completed("c1")), after: childMayAnswer.promise });
    const run = exec(["add numbers with a helper"]);
    // The child answers only once the parent has asked for its wait, so its mail arrives during the wait.
    await until(() => rootRequests().length >= 2);
    childMayAnswer.open();
    const r = await run;
    expect(r.code, r.stderr).toBe(0);
    expect(server.refusedRequests).toEqual([]);

    const root = rootRequests();
    expect(root).toHaveLength(3);
    const ns = root[0]!.body.tools.find((x: { name: string }) => x.name === "collaboration");
    expect(ns.type).toBe("namespace");
    expect(ns.tools.map((x: { name: string }) => x.name).sort()).toEqual(
      ["followup_task", "interrupt_agent", "list_agents", "send_message", "spawn_agent", "wait_agent"],
    );
    expect(root[1]!.functionCallOutput("s1").output).toBe(JSON.stringify({ task_name: "/root/worker" }));
    expect(JSON.parse(root[2]!.functionCallOutput("w1").output)).toEqual({ message: "Wait completed.", timed_out: false });
    const [answer] = agentMessages(root[2]!);
    expect(answer).toMatchObject({ type: "agent_message", author: "/root/worker", recipient: "/root" });
    expect(text(answer)).toContain("FINAL_ANSWER");
    expect(text(answer)).toContain("four");
    // Order: the wait's output comes before the mail that ended it.
    const idx = (pred: (i: any) => boolean) => root[2]!.input.findIndex(pred);
    expect(idx((i) => i.type === "agent_message")).toBeGreaterThan(idx((i) => i.call_id === "w1" && i.type === "function_call_output"));

    const child = server.requests.filter(isChild("/root/worker"));
    expect(child).toHaveLength(1);
    expect(child[0]!.headers["x-codex-parent-thread-id"]).toBe(root[0]!.headers["thread-id"]);
    expect(child[0]!.body.prompt_cache_key).toBe(root[0]!.body.prompt_cache_key);
    const task = agentMessages(child[0]!);
    expect(task).toHaveLength(1);
    expect(task[0]).toMatchObject({ author: "/root", recipient: "/root/worker" });
    expect(text(task[0])).toContain("NEW_TASK");
    expect(text(task[0])).toContain("compute 2+2");
    // fork_turns none: nothing of the parent's conversation.
    expect(child[0]!.inputText()).not.toContain("add numbers with a helper");

    const events = parseJsonl(r.stdout);
    // As the reference 0.169's exec --json: the wait is an item, the spawn is not.
    const collabItems = events.filter((e) => e.type === "item.completed" && e.item.type === "collab_tool_call");
    expect(collabItems.map((e) => e.item.tool)).toEqual(["wait"]);
    expect(collabItems[0].item.sender_thread_id).toBe(events[0].thread_id);
    const waitItem = events.find((e) => e.type === "item.completed" && e.item.type === "collab_tool_call" && e.item.tool === "wait");
    expect(waitItem.item.status).toBe("completed");
    expect(events.at(-1).type).toBe("turn.completed");

    // The child has its own rollout naming its parent, depth and path; it is not offered by `resume --last`.
    const files = listRollouts(t.codexHome);
    expect(files).toHaveLength(2);
    const metas = files.map((f) => JSON.parse(readFileSync(f, "utf8").split("\n")[0]!).payload);
    const childMeta = metas.find((m) => m.thread_source === "subagent");
    expect(childMeta.source.subagent.thread_spawn).toMatchObject({ parent_thread_id: events[0].thread_id, depth: 1, agent_path: "/root/worker" });
    expect(childMeta.session_id).toBe(events[0].thread_id);
  });

  test("bad names, duplicates and unknown targets are tool errors the model reads; a bare call is unsupported", async () => {
    server.enqueue(
      sse(
        created("r1"),
        collab("a", "spawn_agent", { task_name: "Bad-Name", message: "x" }),
        collab("b", "followup_task", { target: "nobody", message: "x" }),
        functionCall("c", "spawn_agent", { task_name: "ok", message: "x" }),
        collab("d", "send_message", { target: "/root/ghost", message: "x" }),
        collab("e", "list_agents", {}),
        completed("r1"),
      ),
      sse(created("r2"), textMessage("done"), completed("r2")),
    );
    const r = await exec(["try things"]);
    expect(r.code, r.stderr).toBe(0);
    const second = rootRequests()[1]!;
    expect(second.functionCallOutput("a").output).toBe("agent_name must use only lowercase letters, digits, and underscores");
    expect(second.functionCallOutput("b").output).toBe("live agent path `/root/nobody` not found");
    expect(second.functionCallOutput("c").output).toBe("unsupported call: spawn_agent");
    expect(second.functionCallOutput("d").output).toBe("live agent path `/root/ghost` not found");
    expect(JSON.parse(second.functionCallOutput("e").output)).toEqual({ agents: [{ agent_name: "/root", agent_status: "running" }] });
  });

  test("send_message and followup_task reach a finished child; interrupt_agent stops its running turn; list_agents", async () => {
    const first = gate();
    const second = gate();
    const third = gate();
    server.enqueue(
      sse(created("r1"), collab("s1", "spawn_agent", { task_name: "worker", message: "task one", fork_turns: "none" }), completed("r1")),
      sse(created("r2"), collab("w1", "wait_agent", {}), completed("r2")),
      sse(
        created("r3"),
        collab("m1", "send_message", { target: "worker", message: "a note" }),
        collab("f1", "followup_task", { target: "/root/worker", message: "task two" }),
        completed("r3"),
      ),
      sse(created("r4"), collab("w2", "wait_agent", {}), completed("r4")),
      sse(created("r5"), collab("f2", "followup_task", { target: "worker", message: "task three" }), completed("r5")),
      // Sent only once the child is working on task three.
      { ...sse(created("r6"), collab("i1", "interrupt_agent", { target: "worker" }), collab("l1", "list_agents", {}), completed("r6")), after: third.promise },
      sse(created("r7"), textMessage("all done"), completed("r7")),
    );
    server.enqueueFor(
      isChild("/root/worker"),
      { ...sse(created("c1"), textMessage("one"), completed("c1")), after: first.promise },
      { ...sse(created("c2"), textMessage("two"), completed("c2")), after: second.promise },
      { events: [created("c3")], then: "stall" },
    );
    const run = exec(["work with a helper"]);
    await until(() => rootRequests().length >= 2);
    first.open();
    await until(() => rootRequests().length >= 4);
    second.open();
    await until(() => server.requests.filter(isChild("/root/worker")).length >= 3);
    third.open();
    const r = await run;
    expect(r.code, r.stderr).toBe(0);
    expect(server.refusedRequests).toEqual([]);

    const child = server.requests.filter(isChild("/root/worker"));
    expect(child).toHaveLength(3);
    // The second task sees the first exchange, then the note and the new task.
    const mail2 = agentMessages(child[1]!).map(text);
    expect(mail2).toHaveLength(3);
    expect(mail2[0]).toContain("task one");
    expect(mail2[1]).toContain("MESSAGE");
    expect(mail2[1]).toContain("a note");
    expect(mail2[2]).toContain("FOLLOWUP_TASK");
    expect(mail2[2]).toContain("task two");
    expect(child[1]!.input.some((i: { type: string; role?: string }) => i.type === "message" && i.role === "assistant")).toBe(true);

    const root = rootRequests();
    expect(root[2]!.functionCallOutput("w1").output).toContain('"timed_out":false');
    expect(root[3]!.functionCallOutput("m1").output).toBe("");
    expect(root[3]!.functionCallOutput("f1").output).toBe("");
    expect(agentMessages(root[4]!).map(text).at(-1)).toContain("two");
    const last = root.at(-1)!;
    expect(JSON.parse(last.functionCallOutput("i1").output)).toEqual({ previous_status: "running" });
    const listing = JSON.parse(last.functionCallOutput("l1").output).agents;
    expect(listing[0]).toEqual({ agent_name: "/root", agent_status: "running" });
    expect(listing[1].agent_name).toBe("/root/worker");
    expect(["interrupted", "running"]).toContain(listing[1].agent_status);
  });

  test("[agents] max_depth and max_threads: a child at the depth limit gets no spawn_agent; past the count a spawn is refused", async () => {
    t.writeConfig(readFileSync(path.join(t.codexHome, "config.toml"), "utf8") + "\n[agents]\nmax_depth = 1\nmax_threads = 1\n");
    server.enqueue(
      sse(
        created("r1"),
        collab("s1", "spawn_agent", { task_name: "one", message: "x", fork_turns: "none" }),
        collab("s2", "spawn_agent", { task_name: "two", message: "y", fork_turns: "none" }),
        completed("r1"),
      ),
      // The root ends its turn only after the child has asked the model (closing the root closes the child).
      { ...sse(created("r2"), textMessage("done"), completed("r2")), after: arrived(isChild("/root/one")) },
    );
    server.enqueueFor(isChild("/root/one"), sse(created("c1"), textMessage("ok"), completed("c1")));
    const r = await exec(["spawn two"]);
    expect(r.code, r.stderr).toBe(0);
    const second = rootRequests()[1]!;
    expect(second.functionCallOutput("s1").output).toBe(JSON.stringify({ task_name: "/root/one" }));
    expect(second.functionCallOutput("s2").output).toContain("agent limit reached");
    const [child] = server.requests.filter(isChild("/root/one"));
    const ns = child!.body.tools.find((x: { name: string }) => x.name === "collaboration");
    expect(ns.tools.map((x: { name: string }) => x.name)).not.toContain("spawn_agent");
    expect(ns.tools.map((x: { name: string }) => x.name)).toContain("send_message");
  });

  test("interrupting the root interrupts its children; the child's journal ends its turn as aborted", async () => {
    server.enqueue(
      sse(created("r1"), collab("s1", "spawn_agent", { task_name: "slow", message: "take your time", fork_turns: "none" }), completed("r1")),
      sse(created("r2"), collab("w1", "wait_agent", { timeout_ms: 600_000 }), completed("r2")),
    );
    server.enqueueFor(isChild("/root/slow"), { events: [created("c1")], then: "stall" });
    const child = spawnCodex(["exec", "--json", "--enable", "multi_agent_v2", "go"], { env: t.env, cwd: t.repo });
    let stdout = "";
    child.stdout!.on("data", (d) => (stdout += d));
    const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
    await until(() => server.requests.some(isChild("/root/slow")) && rootRequests().length >= 2);
    // The wait is running once its item has started.
    while (!stdout.includes('"tool":"wait"')) await new Promise((r) => child.stdout!.once("data", r));
    child.kill("SIGINT");
    await closed;
    const events = parseJsonl(stdout);
    expect(events.at(-1)).toEqual({ type: "turn.failed", error: { message: "Turn interrupted" } });
    const childFile = listRollouts(t.codexHome).find((f) => readFileSync(f, "utf8").includes('"thread_source":"subagent"'))!;
    const lines = readFileSync(childFile, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.some((l) => l.type === "event_msg" && l.payload.type === "turn_aborted")).toBe(true);
  });

  test("a resumed root reopens an agent it spawned from its journal when given a task; listed once reopened", async () => {
    const childMayAnswer = gate();
    server.enqueue(
      sse(created("r1"), collab("s1", "spawn_agent", { task_name: "worker", message: "remember 42", fork_turns: "none" }), completed("r1")),
      sse(created("r2"), collab("w1", "wait_agent", {}), completed("r2")),
      sse(created("r3"), textMessage("noted"), completed("r3")),
    );
    server.enqueueFor(isChild("/root/worker"), { ...sse(created("c1"), textMessage("I will remember 42"), completed("c1")), after: childMayAnswer.promise });
    const run = exec(["start a worker"]);
    await until(() => rootRequests().length >= 2);
    childMayAnswer.open();
    const first = await run;
    expect(first.code, first.stderr).toBe(0);
    const rootId = parseJsonl(first.stdout)[0].thread_id;
    const before = server.requests.length;

    const resumedChildMayAnswer = gate();
    server.enqueue(
      sse(
        created("r4"),
        collab("l1", "list_agents", {}),
        collab("f1", "followup_task", { target: "worker", message: "what was the number?" }),
        collab("l2", "list_agents", {}),
        completed("r4"),
      ),
      sse(created("r5"), collab("w2", "wait_agent", {}), completed("r5")),
      sse(created("r6"), textMessage("it was 42"), completed("r6")),
    );
    server.enqueueFor(isChild("/root/worker"), { ...sse(created("c2"), textMessage("42"), completed("c2")), after: resumedChildMayAnswer.promise });
    const again = runCodex(["exec", "--json", "--enable", "multi_agent_v2", "resume", rootId, "ask the worker"], { env: t.env, cwd: t.repo });
    await until(() => rootRequests().length >= 5);
    resumedChildMayAnswer.open();
    const second = await again;
    expect(second.code, second.stderr).toBe(0);
    expect(server.refusedRequests).toEqual([]);

    const later = server.requests.slice(before);
    const rootLater = later.filter((r) => r.headers["x-openai-subagent"] === undefined);
    // As the reference 0.169: an agent of the earlier run is not listed (nor shown pending) until it is reopened.
    const listed = (id: string) => JSON.parse(rootLater[1]!.functionCallOutput(id).output).agents.map((a: { agent_name: string }) => a.agent_name);
    expect(listed("l1")).toEqual(["/root"]);
    expect(listed("l2")).toEqual(["/root", "/root/worker"]);
    expect(rootLater[1]!.functionCallOutput("f1").output).toBe("");
    const [childAgain] = later.filter(isChild("/root/worker"));
    // The reopened child continues its own journal: the first task and its answer, then the new task.
    const mail = agentMessages(childAgain!).map(text);
    expect(mail[0]).toContain("remember 42");
    expect(mail.at(-1)).toContain("what was the number?");
    expect(JSON.stringify(childAgain!.input)).toContain("I will remember 42");
    expect(agentMessages(rootLater.at(-1)!).map(text).at(-1)).toContain("42");
    expect(listRollouts(t.codexHome)).toHaveLength(2);
  });

  /**
   * A root spawns /root/worker (it answers "done once"), then the root is resumed and sends the worker a
   * followup_task ("second task"; it answers "done twice") and waits. Returns how many requests came before
   * the resume.
   */
  const spawnThenResumeWithFollowup = async (o: { spawn: Record<string, unknown>; firstArgs: string[]; resumeArgs: string[] }): Promise<number> => {
    server.enqueue(
      sse(created("r1"), collab("s1", "spawn_agent", o.spawn), completed("r1")),
      { ...sse(created("r2"), textMessage("started"), completed("r2")), after: arrived(isChild("/root/worker")) },
    );
    server.enqueueFor(isChild("/root/worker"), sse(created("c1"), textMessage("done once"), completed("c1")));
    const first = await exec([...o.firstArgs, "start a worker"]);
    expect(first.code, first.stderr).toBe(0);
    const rootId = parseJsonl(first.stdout)[0].thread_id;
    const before = server.requests.length;

    server.enqueue(
      sse(created("r3"), collab("f1", "followup_task", { target: "worker", message: "second task" }), completed("r3")),
      sse(created("r4"), collab("w1", "wait_agent", {}), completed("r4")),
      sse(created("r5"), textMessage("ok"), completed("r5")),
    );
    server.enqueueFor(isChild("/root/worker"), sse(created("c2"), textMessage("done twice"), completed("c2")));
    const again = await exec([...o.resumeArgs, "resume", rootId, "again"]);
    expect(again.code, again.stderr).toBe(0);
    return before;
  };

  test("a root resumed with another sandbox: the reopened child is told its new permissions in its mail turn, before the task", async () => {
    const before = await spawnThenResumeWithFollowup({
      spawn: { task_name: "worker", message: "first task", fork_turns: "none" },
      firstArgs: ["-s", "workspace-write"],
      resumeArgs: ["-s", "read-only"],
    });
    const [child] = server.requests.slice(before).filter(isChild("/root/worker"));
    const input = child!.input as Array<{ type: string; role?: string; content?: Array<{ text?: string }> }>;
    const body = (i: (typeof input)[number]) => (i.content ?? []).map((c) => c.text ?? "").join("");
    const added = input.slice(input.findIndex((i) => body(i) === "done once") + 1);
    // Its model read workspace-write last: read-only is told (permissions, then the environment), then the task.
    expect(added.map((i) => `${i.type}/${i.role ?? ""}`)).toEqual(["message/developer", "message/user", "agent_message/"]);
    expect(body(added[0]!)).toContain("<permissions instructions>");
    expect(body(added[0]!)).toContain("read-only");
    expect(body(added[1]!)).toContain("<environment_context>");
    expect(text(added[2] as never)).toContain("second task");
  });

  test("a resumed root reopens its child with the model and effort the child was spawned with, not config's", async () => {
    const before = await spawnThenResumeWithFollowup({
      spawn: { task_name: "worker", message: "first task", fork_turns: "none", model: "gpt-5.4", reasoning_effort: "low" },
      firstArgs: [],
      resumeArgs: [],
    });
    const settings = (r: RecordedRequest) => [r.body.model, r.body.reasoning?.effort];
    const firstChild = server.requests.slice(0, before).filter(isChild("/root/worker"));
    const reopened = server.requests.slice(before).filter(isChild("/root/worker"));
    expect(firstChild.map(settings)).toEqual([["gpt-5.4", "low"]]);
    // As the reference restores a child's stored model and effort; the root itself still runs config's.
    expect(reopened.map(settings)).toEqual([["gpt-5.4", "low"]]);
    expect(rootRequests().at(-1)!.body.model).toBe("gpt-5.5");
    // The reopened child's model is not told of a model change it did not have.
    expect(JSON.stringify(reopened[0]!.input)).not.toContain("<model_switch>");
  });

  test("human output names the agents spawned and waited for", async () => {
    server.enqueue(
      sse(created("r1"), collab("s1", "spawn_agent", { task_name: "scout", message: "look", fork_turns: "none" }), completed("r1")),
      { ...sse(created("r2"), textMessage("done"), completed("r2")), after: arrived(isChild("/root/scout")) },
    );
    server.enqueueFor(isChild("/root/scout"), sse(created("c1"), textMessage("seen"), completed("c1")));
    const r = await runCodex(["exec", "--enable", "multi_agent_v2", "go"], { env: { ...t.env, NO_COLOR: "1" }, cwd: t.repo });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("agents spawned /root/scout");
  });

  test.each([
    ["danger-full-access", true],
    ["workspace-write", false],
  ] as const)("a child runs under its parent's sandbox: -s %s, a write outside the workspace lands: %s", async (mode, lands) => {
    const { mkdtempSync, rmSync } = await import("node:fs");
    const outside = mkdtempSync("/var/tmp/codex-child-escape-");
    const target = path.join(outside, "escaped.txt");
    try {
      server.enqueue(
        sse(created("r1"), collab("s1", "spawn_agent", { task_name: "writer", message: "write it", fork_turns: "none" }), completed("r1")),
        sse(created("r2"), collab("w1", "wait_agent", { timeout_ms: 60_000 }), completed("r2")),
        sse(created("r3"), textMessage("done"), completed("r3")),
      );
      server.enqueueFor(
        isChild("/root/writer"),
        sse(created("c1"), functionCall("k1", "exec_command", { cmd: `touch ${target}`, login: false }), completed("c1")),
        sse(created("c2"), textMessage("tried"), completed("c2")),
      );
      const r = await runCodex(["exec", "--json", "--enable", "multi_agent_v2", "-s", mode, "go"], { env: t.env, cwd: t.repo });
      expect(r.code, r.stderr).toBe(0);
      expect(server.requests.filter(isChild("/root/writer"))).toHaveLength(2);
      expect(existsSync(target)).toBe(lands);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  test("without multi_agent_v2 no collaboration tools are offered", async () => {
    server.enqueue(sse(created("r1"), textMessage("hi"), completed("r1")));
    const r = await runCodex(["exec", "--json", "hello"], { env: t.env, cwd: t.repo });
    expect(r.code, r.stderr).toBe(0);
    expect(server.requests[0]!.body.tools.map((x: { name?: string }) => x.name)).not.toContain("collaboration");
  });
});

function listRollouts(codexHome: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".jsonl")) out.push(p);
    }
  };
  walk(path.join(codexHome, "sessions"));
  return out;
}

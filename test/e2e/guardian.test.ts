// Smart Approvals: with approvals_reviewer = "guardian_subagent", `codex exec -c approval_policy="on-request"` sends what would
// need a person to a guardian sub-agent, which allows (the action runs escalated) or denies it (declined, and the
// model reads the rationale). Invalid answers are retried, then the action is declined as "review failed".
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { parseJsonl, runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer, type RecordedRequest } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";

let server: FakeServer;
let t: TestEnv;

useFakeServerEnv((s, e) => ((server = s), (t = e)));

const isGuardian = (r: RecordedRequest) => r.headers["x-openai-subagent"] === "guardian";
const parentRequests = () => server.requests.filter((r) => !isGuardian(r));
const verdict = (o: Record<string, unknown>) => sse(created("g"), textMessage(JSON.stringify(o)), completed("g"));
const escalated = (id: string, file: string) =>
  functionCall(id, "exec_command", { cmd: `touch ${file}`, sandbox_permissions: "require_escalated", justification: "write the marker", login: false });

function useGuardianConfig(): void {
  const file = path.join(t.codexHome, "config.toml");
  t.writeConfig(`approvals_reviewer = "guardian_subagent"\n` + readFileSync(file, "utf8"));
}

const exec = () => runCodex(["exec", "--json", "-s", "read-only", "-c", `approval_policy="on-request"`, "make the marker"], { env: t.env, cwd: t.repo });

describe("guardian reviewer", () => {
  test("allow: the command runs outside the sandbox; the guardian's request has its own shape", async () => {
    useGuardianConfig();
    const marker = path.join(t.repo, "allowed.txt");
    server.enqueue(sse(created("r1"), escalated("c1", marker), completed("r1")), sse(created("r2"), textMessage("done"), completed("r2")));
    server.enqueueFor(isGuardian, verdict({ risk_level: "low", user_authorization: "high", outcome: "allow", rationale: "asked for" }));
    const r = await exec();
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(marker)).toBe(true);
    const [g] = server.requests.filter(isGuardian);
    const parentId = parseJsonl(r.stdout)[0].thread_id;
    expect(g!.headers["x-codex-parent-thread-id"]).toBe(parentId);
    expect(g!.body.prompt_cache_key).toBe(`guardian:${parentId}`);
    expect(g!.body.reasoning).toMatchObject({ effort: "low" });
    expect(g!.body.text.format).toMatchObject({ type: "json_schema", strict: false });
    expect(g!.body.text.format.schema.required).toEqual(["outcome"]);
    expect(g!.body.tools.map((x: { name: string }) => x.name)).toEqual(["exec_command", "write_stdin", "view_image"]);
    const asked = g!.inputText();
    expect(asked).toContain("make the marker");
    expect(asked).toContain(`touch ${marker}`);
    const item = parseJsonl(r.stdout).find((e) => e.type === "item.completed" && e.item.type === "command_execution");
    expect(item.item).toMatchObject({ status: "completed", exit_code: 0 });
  });

  test("deny: declined, not run; the model reads the rationale and is told not to work around it", async () => {
    useGuardianConfig();
    const marker = path.join(t.repo, "denied.txt");
    server.enqueue(sse(created("r1"), escalated("c1", marker), completed("r1")), sse(created("r2"), textMessage("ok"), completed("r2")));
    server.enqueueFor(isGuardian, verdict({ risk_level: "high", user_authorization: "unknown", outcome: "deny", rationale: "nobody asked for a marker" }));
    const r = await exec();
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(marker)).toBe(false);
    const out = parentRequests()[1]!.functionCallOutput("c1").output as string;
    expect(out).toContain("nobody asked for a marker");
    expect(out).toContain("Do not try to reach the same result another way");
    const item = parseJsonl(r.stdout).find((e) => e.type === "item.completed" && e.item.type === "command_execution");
    expect(item.item.status).toBe("declined");
  });

  test("three invalid answers: declined as review failed, not as unsafe; nothing runs", async () => {
    useGuardianConfig();
    const marker = path.join(t.repo, "never.txt");
    server.enqueue(sse(created("r1"), escalated("c1", marker), completed("r1")), sse(created("r2"), textMessage("ok"), completed("r2")));
    const bad = () => sse(created("g"), textMessage("sure, go ahead"), completed("g"));
    server.enqueueFor(isGuardian, bad(), bad(), bad());
    const r = await exec();
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(marker)).toBe(false);
    expect(server.requests.filter(isGuardian)).toHaveLength(3);
    const out = parentRequests()[1]!.functionCallOutput("c1").output as string;
    expect(out).toContain("review failed");
    expect(out).toContain("not a finding that it is unsafe");
  });

  test("the second review continues the first conversation with only what was added since", async () => {
    useGuardianConfig();
    const a = path.join(t.repo, "a.txt");
    const b = path.join(t.repo, "b.txt");
    server.enqueue(
      sse(created("r1"), escalated("c1", a), completed("r1")),
      sse(created("r2"), escalated("c2", b), completed("r2")),
      sse(created("r3"), textMessage("both"), completed("r3")),
    );
    server.enqueueFor(
      isGuardian,
      verdict({ outcome: "allow", rationale: "first ok" }),
      verdict({ outcome: "allow", rationale: "second ok" }),
    );
    const r = await exec();
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(a) && existsSync(b)).toBe(true);
    const [g1, g2] = server.requests.filter(isGuardian);
    expect(g2!.body.prompt_cache_key).toBe(g1!.body.prompt_cache_key);
    // Same conversation: the first review's input, then its verdict, then the new part.
    expect(g2!.body.input.slice(0, g1!.body.input.length)).toEqual(g1!.body.input);
    expect(JSON.stringify(g2!.body.input)).toContain("first ok");
    const added = g2!.body.input.slice(g1!.body.input.length + 1);
    const addedText = JSON.stringify(added);
    expect(addedText).toContain(`touch ${b}`);
    expect(addedText).not.toContain("make the marker");
  });

  test("human output says what the guardian decided and why", async () => {
    useGuardianConfig();
    server.enqueue(sse(created("r1"), escalated("c1", path.join(t.repo, "h.txt")), completed("r1")), sse(created("r2"), textMessage("ok"), completed("r2")));
    server.enqueueFor(isGuardian, verdict({ risk_level: "high", outcome: "deny", rationale: "too broad" }));
    const r = await runCodex(["exec", "-s", "read-only", "-c", `approval_policy="on-request"`, "go"], { env: { ...t.env, NO_COLOR: "1" }, cwd: t.repo });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("guardian denied (risk high): too broad");
  });

  test("without the guardian, exec still never asks: the escalation is refused by policy", async () => {
    const marker = path.join(t.repo, "policy.txt");
    server.enqueue(sse(created("r1"), escalated("c1", marker), completed("r1")), sse(created("r2"), textMessage("ok"), completed("r2")));
    const r = await exec();
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(marker)).toBe(false);
    expect(server.requests.filter(isGuardian)).toHaveLength(0);
  });
});

describe("the guardian's own tools are read-only", () => {
  test("a write the guardian attempts while investigating fails; the same path is writable to the agent itself", async () => {
    useGuardianConfig();
    const agentFile = path.join(t.repo, "agent-wrote.txt");
    const guardianFile = path.join(t.repo, "guardian-wrote.txt");
    server.enqueue(
      // The agent's own sandboxed write in the workspace works: the path is writable to a workspace-write command.
      sse(created("r1"), functionCall("c0", "exec_command", { cmd: `touch ${agentFile}`, login: false }), completed("r1")),
      sse(created("r2"), escalated("c1", path.join(t.repo, "escalated.txt")), completed("r2")),
      sse(created("r3"), textMessage("done"), completed("r3")),
    );
    server.enqueueFor(
      isGuardian,
      sse(created("g1"), functionCall("g_call", "exec_command", { cmd: `touch ${guardianFile}`, login: false }), completed("g1")),
      verdict({ outcome: "deny", rationale: "no" }),
    );
    const r = await runCodex(["exec", "--json", "-s", "workspace-write", "-c", `approval_policy="on-request"`, "go"], { env: t.env, cwd: t.repo });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(agentFile)).toBe(true);
    expect(existsSync(guardianFile)).toBe(false);
    const [, second] = server.requests.filter(isGuardian);
    expect(JSON.stringify(second!.functionCallOutput("g_call").output)).toMatch(/Read-only file system|Permission denied|exited with code [1-9]/);
  });
});

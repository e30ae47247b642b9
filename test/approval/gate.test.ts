import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import {
  createApprovalGate,
  parseRules,
  type ApprovalRequestContext,
  type ProposedAction,
} from "../../src/core/approval/index.js";
import type { ReviewDecision, SandboxPolicy } from "../../src/protocol/policy.js";

const WW: SandboxPolicy = {
  mode: "workspace-write",
  writableRoots: [],
  networkAccess: false,
  excludeTmpdirEnvVar: false,
  excludeSlashTmp: false,
};
const signal = new AbortController().signal;
const exec = (argv: string[], extra: Partial<Extract<ProposedAction, { kind: "exec" }>> = {}): ProposedAction => ({
  kind: "exec",
  callId: "c1",
  argv,
  cwd: "/repo",
  escalated: false,
  ...extra,
});

/** An asker that answers from a script and records what it was asked. */
function scriptedAsker(answers: ReviewDecision[]) {
  const asked: { action: ProposedAction; context: Omit<ApprovalRequestContext, "signal"> }[] = [];
  const ask = async (action: ProposedAction, { signal: _s, ...context }: ApprovalRequestContext) => {
    asked.push({ action, context });
    const next = answers.shift();
    if (next === undefined) throw new Error(`unexpected approval request for ${JSON.stringify(action)}`);
    return next;
  };
  return { ask, asked };
}

describe("createApprovalGate", () => {
  test("headless (no ask): an ask verdict becomes denied without waiting", async () => {
    const gate = createApprovalGate({ policy: "untrusted", sandbox: WW });
    const outcome = await gate.review(exec(["cargo", "build"]), { signal });
    expect(outcome.decision).toBe("denied");
    expect(outcome.reason).toMatch(/no one is available to approve/);
    expect(await gate.decide(exec(["ls"]), { signal })).toBe("approved");
  });

  test("headless: rejections carry the policy reason for the model", async () => {
    const gate = createApprovalGate({ policy: "never", sandbox: WW });
    const outcome = await gate.review(exec(["cargo", "build"], { escalated: true }), { signal });
    expect(outcome).toMatchObject({ decision: "denied", reason: expect.stringContaining("approval policy is Never") });
  });

  test("auto verdicts never call ask", async () => {
    const { ask, asked } = scriptedAsker([]);
    const gate = createApprovalGate({ policy: "on-request", sandbox: WW, ask });
    expect(await gate.review(exec(["cargo", "build"]), { signal })).toMatchObject({ decision: "approved", sandboxed: true });
    expect(asked).toEqual([]);
  });

  test("asks pass the reason and proposed prefix; approved escalations leave the sandbox", async () => {
    const { ask, asked } = scriptedAsker(["approved"]);
    const gate = createApprovalGate({ policy: "on-request", sandbox: WW, ask });
    const action = exec(["cargo", "publish"], { escalated: true, justification: "upload the crate" });
    expect(await gate.review(action, { signal })).toMatchObject({ decision: "approved", sandboxed: false });
    expect(asked).toEqual([{ action, context: { reason: "upload the crate", proposedPrefix: ["cargo", "publish"] } }]);
  });

  test("denied answers carry a reason", async () => {
    const { ask } = scriptedAsker(["denied"]);
    const gate = createApprovalGate({ policy: "untrusted", sandbox: WW, ask });
    expect(await gate.review(exec(["make"]), { signal })).toMatchObject({ decision: "denied", reason: "rejected by user" });
  });

  test("approved_for_session records the unwrapped argv and auto-approves the same prefix later", async () => {
    const { ask, asked } = scriptedAsker(["approved_for_session"]);
    const gate = createApprovalGate({ policy: "untrusted", sandbox: WW, ask });
    expect(await gate.decide(exec(["bash", "-lc", "npm test"]), { signal })).toBe("approved_for_session");
    expect(gate.approvedForSession()).toEqual({ commands: [["npm", "test"]], patchPaths: [], mcpTools: [] });
    expect(await gate.decide(exec(["npm", "test"]), { signal })).toBe("approved");
    expect(await gate.decide(exec(["npm", "test", "--", "-t", "x"]), { signal })).toBe("approved");
    expect(asked).toHaveLength(1);
    // A different command still asks (and the scripted asker has no answer left → throws).
    await expect(gate.decide(exec(["npm", "publish"]), { signal })).rejects.toThrow("unexpected approval request");
  });

  test("approved_for_session on a patch covers the same paths", async () => {
    const { ask, asked } = scriptedAsker(["approved_for_session"]);
    const gate = createApprovalGate({ policy: "on-request", sandbox: WW, ask });
    const patch: ProposedAction = { kind: "patch", callId: "p", paths: ["/etc/motd"], cwd: "/repo" };
    expect(await gate.decide(patch, { signal })).toBe("approved_for_session");
    expect(await gate.decide({ ...patch, callId: "p2" }, { signal })).toBe("approved");
    expect(asked).toHaveLength(1);
  });

  test("per-call policy overrides the gate's default", async () => {
    const gate = createApprovalGate({ policy: "never", sandbox: WW });
    expect(await gate.decide(exec(["make"]), { signal })).toBe("approved");
    expect(await gate.decide(exec(["make"]), { signal, policy: "untrusted" })).toBe("denied");
  });

  test("an already aborted signal returns abort without asking", async () => {
    const { ask, asked } = scriptedAsker([]);
    const gate = createApprovalGate({ policy: "untrusted", sandbox: WW, ask });
    const controller = new AbortController();
    controller.abort();
    expect(await gate.decide(exec(["make"]), { signal: controller.signal })).toBe("abort");
    expect(asked).toEqual([]);
  });

  test("rememberRule appends to default.rules and allows the prefix at once, outside the sandbox", async () => {
    const codexHome = await mkdtemp(path.join(tmpdir(), "codex-home-"));
    const { ask } = scriptedAsker([]);
    const gate = createApprovalGate({ policy: "untrusted", sandbox: WW, ask, codexHome });
    await gate.rememberRule(["make", "test"]);
    expect(await readFile(path.join(codexHome, "rules", "default.rules"), "utf8")).toBe(
      `prefix_rule(pattern=["make", "test"], decision="allow")\n`,
    );
    expect(await gate.review(exec(["make", "test", "-j4"]), { signal })).toMatchObject({ decision: "approved", sandboxed: false });
    expect(gate.rules().rules).toHaveLength(1);
  });

  test("'approve and remember' saves an allow rule for the proposed prefix; the next run is not asked", async () => {
    const codexHome = await mkdtemp(path.join(tmpdir(), "codex-home-"));
    const { ask, asked } = scriptedAsker(["approved_execpolicy_amendment"]);
    const gate = createApprovalGate({ policy: "untrusted", sandbox: WW, ask, codexHome });
    expect(await gate.decide(exec(["bash", "-lc", "cargo build --release"]), { signal })).toBe("approved_execpolicy_amendment");
    expect(asked).toHaveLength(1);
    const saved = await readFile(path.join(codexHome, "rules", "default.rules"), "utf8");
    expect(saved).toMatch(/^prefix_rule\(pattern=\["cargo", "build"/);
    // The scripted asker has no answers left: a second question would throw.
    expect(await gate.review(exec(["cargo", "build", "--release"]), { signal })).toMatchObject({ decision: "approved" });
  });

  test("rememberRule without codexHome is a clear error", async () => {
    const gate = createApprovalGate({ policy: "untrusted", sandbox: WW });
    await expect(gate.rememberRule(["make"])).rejects.toThrow("codexHome");
  });

  test("rules given to the gate apply", async () => {
    const rules = { rules: parseRules("r.rules", `prefix_rule(pattern=["curl"], decision="forbidden", justification="no network")`) };
    const gate = createApprovalGate({ policy: "never", sandbox: WW, rules });
    expect(await gate.review(exec(["curl", "x"]), { signal })).toMatchObject({
      decision: "denied",
      reason: "`curl x` rejected: no network",
    });
  });
});

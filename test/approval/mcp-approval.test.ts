import { describe, expect, test } from "vitest";
import { annotationsRequireApproval, assessMcp, MCP_REFUSED_UNDER_NEVER } from "../../src/core/approval/mcp-safety.js";
import { createApprovalGate, type ApprovalRequestContext, type ProposedAction } from "../../src/core/approval/index.js";
import type { ReviewDecision, SandboxPolicy } from "../../src/protocol/policy.js";

const WW: SandboxPolicy = { mode: "workspace-write", writableRoots: [], networkAccess: false, excludeTmpdirEnvVar: false, excludeSlashTmp: false };
const FULL: SandboxPolicy = { mode: "danger-full-access" };
const signal = new AbortController().signal;
type Mcp = Extract<ProposedAction, { kind: "mcp" }>;
const mcp = (extra: Partial<Mcp> = {}): Mcp => ({
  kind: "mcp",
  callId: "m1",
  server: "srv",
  tool: "drop_table",
  qualifiedName: "mcp__srv__drop_table",
  arguments: { name: "users" },
  approvalMode: "auto",
  ...extra,
});

function asker(answers: ReviewDecision[]) {
  const asked: ProposedAction[] = [];
  const ask = async (action: ProposedAction, _c: ApprovalRequestContext) => {
    asked.push(action);
    const next = answers.shift();
    if (next === undefined) throw new Error("unexpected ask");
    return next;
  };
  return { ask, asked };
}

describe("MCP approval (as Codex 0.169)", () => {
  test("annotations in auto mode: destructive asks even if read-only; read-only runs; none asks; closed-world non-destructive runs", () => {
    expect(annotationsRequireApproval({ destructiveHint: true, readOnlyHint: true })).toBe(true);
    expect(annotationsRequireApproval({ readOnlyHint: true })).toBe(false);
    expect(annotationsRequireApproval(undefined)).toBe(true);
    expect(annotationsRequireApproval({})).toBe(true);
    expect(annotationsRequireApproval({ destructiveHint: false })).toBe(true); // open world unless said otherwise
    expect(annotationsRequireApproval({ destructiveHint: false, openWorldHint: false })).toBe(false);
  });

  test("modes: approve never asks, prompt always asks, writes asks unless read-only", () => {
    const ro = { readOnlyHint: true };
    expect(assessMcp(mcp({ approvalMode: "approve", annotations: { destructiveHint: true } }), "on-request", WW).kind).toBe("auto");
    expect(assessMcp(mcp({ approvalMode: "prompt", annotations: ro }), "on-request", WW).kind).toBe("ask");
    expect(assessMcp(mcp({ approvalMode: "writes", annotations: ro }), "on-request", WW).kind).toBe("auto");
    expect(assessMcp(mcp({ approvalMode: "writes", annotations: { destructiveHint: false, openWorldHint: false } }), "on-request", WW).kind).toBe("ask");
  });

  test("never + full access runs without asking; never elsewhere is refused with the reference's text", async () => {
    expect(assessMcp(mcp(), "never", FULL).kind).toBe("auto");
    // on-request with full access still asks (the reference only waives it for never).
    expect(assessMcp(mcp(), "on-request", FULL).kind).toBe("ask");
    const gate = createApprovalGate({ policy: "never", sandbox: WW });
    expect(await gate.review(mcp(), { signal })).toMatchObject({ decision: "denied", reason: MCP_REFUSED_UNDER_NEVER });
  });

  test("on-request asks a person; denied stays denied; approved for session is remembered per tool (auto mode)", async () => {
    const { ask, asked } = asker(["denied", "approved_for_session"]);
    const gate = createApprovalGate({ policy: "on-request", sandbox: WW, ask });
    expect((await gate.review(mcp({ annotations: { destructiveHint: true } }), { signal })).decision).toBe("denied");
    expect((await gate.review(mcp({ annotations: { destructiveHint: true } }), { signal })).decision).toBe("approved_for_session");
    expect((await gate.review(mcp({ callId: "m3", annotations: { destructiveHint: true } }), { signal })).decision).toBe("approved");
    expect(asked.map((a) => a.callId)).toEqual(["m1", "m1"]);
    expect(gate.approvedForSession().mcpTools).toEqual(["srv/drop_table"]);
    // Another tool of the same server still asks.
    await expect(gate.review(mcp({ tool: "other" }), { signal })).rejects.toThrow(/unexpected ask/);
  });

  test("don't ask again: remembered for the session and handed to rememberMcpTool; prompt mode never remembers", async () => {
    const remembered: string[] = [];
    const { ask, asked } = asker(["approved_execpolicy_amendment", "approved_for_session", "approved_for_session"]);
    const gate = createApprovalGate({ policy: "on-request", sandbox: WW, ask, rememberMcpTool: async (s, t) => remembered.push(`${s}/${t}`) });
    expect((await gate.review(mcp(), { signal })).decision).toBe("approved_execpolicy_amendment");
    expect(remembered).toEqual(["srv/drop_table"]);
    expect((await gate.review(mcp(), { signal })).decision).toBe("approved");
    const prompt = mcp({ tool: "always_ask", approvalMode: "prompt" });
    expect((await gate.review(prompt, { signal })).decision).toBe("approved");
    expect((await gate.review(prompt, { signal })).decision).toBe("approved");
    expect(asked.map((a) => (a as Mcp).tool)).toEqual(["drop_table", "always_ask", "always_ask"]);
    expect(gate.approvedForSession().mcpTools).toEqual(["srv/drop_table"]);
  });

  test("a read-only tool never reaches the asker", async () => {
    const { ask, asked } = asker([]);
    const gate = createApprovalGate({ policy: "untrusted", sandbox: WW, ask });
    expect((await gate.review(mcp({ annotations: { readOnlyHint: true } }), { signal })).decision).toBe("approved");
    expect(asked).toEqual([]);
  });

  test("PermissionRequest hooks answer first, also under approval policy never", async () => {
    const seen: ProposedAction[] = [];
    const allow = createApprovalGate({
      policy: "never",
      sandbox: WW,
      permissionHook: async (a) => (seen.push(a), { behavior: "allow" }),
    });
    expect((await allow.review(mcp(), { signal })).decision).toBe("approved");
    const deny = createApprovalGate({ policy: "on-request", sandbox: WW, permissionHook: async () => ({ behavior: "deny", message: "no tables" }) });
    expect(await deny.review(mcp(), { signal })).toMatchObject({ decision: "denied", reason: "no tables" });
    expect(seen).toHaveLength(1);
  });
});

describe("the MCP approval as an elicitation form (for front ends that speak elicitation)", () => {
  test("form: the question, an empty schema, _meta with what to show; answers map to decisions", async () => {
    const { mcpApprovalElicitation, mcpApprovalDecision } = await import("../../src/core/index.js");
    const form = mcpApprovalElicitation({
      type: "mcp_tool_call_approval_request",
      callId: "c1",
      server: "srv",
      tool: "drop_table",
      arguments: { name: "users", cascade: true },
      message: 'Allow the srv MCP server to run tool "drop_table"?',
      toolDescription: "Deletes a table.",
      persist: ["session", "always"],
    });
    expect(form).toEqual({
      message: 'Allow the srv MCP server to run tool "drop_table"?',
      requestedSchema: { type: "object", properties: {} },
      _meta: {
        codex_approval_kind: "mcp_tool_call",
        persist: ["session", "always"],
        tool_description: "Deletes a table.",
        tool_params: { name: "users", cascade: true },
        tool_params_display: [
          { name: "cascade", value: true, display_name: "cascade" },
          { name: "name", value: "users", display_name: "name" },
        ],
      },
    });
    expect(mcpApprovalDecision({ action: "accept" })).toBe("approved");
    expect(mcpApprovalDecision({ action: "accept", _meta: { persist: "session" } })).toBe("approved_for_session");
    expect(mcpApprovalDecision({ action: "accept", _meta: { persist: "always" } })).toBe("approved_execpolicy_amendment");
    expect(mcpApprovalDecision({ action: "decline" })).toBe("denied");
    expect(mcpApprovalDecision({ action: "cancel" })).toBe("abort");
  });
});

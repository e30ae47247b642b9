import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EventMsg } from "../../src/protocol/events.js";
import type { ReviewDecision } from "../../src/protocol/policy.js";
import type { ApprovalGate, ProposedAction } from "../../src/core/approval/contract.js";
import type { ExecRunner } from "../../src/core/exec/contract.js";
import { createLocalExecRunner } from "../../src/core/exec/local-runner.js";
import type { ToolContext, ToolOutput } from "../../src/core/tools/contract.js";

export interface FakeToolContext {
  ctx: ToolContext;
  events: EventMsg[];
  approvals: ProposedAction[];
  abort: AbortController;
}

/**
 * A ToolContext over the real local runner. The approval gate answers from `decide` (default:
 * approve everything) and records what it was asked.
 */
export function fakeToolContext(
  o: Partial<Omit<ToolContext, "approval" | "emit" | "signal">> & {
    decide?: (action: ProposedAction) => ReviewDecision;
    /** A real gate instead of `decide` (records nothing in `approvals`). */
    gate?: ApprovalGate;
    exec?: ExecRunner;
  } = {},
): FakeToolContext {
  const events: EventMsg[] = [];
  const approvals: ProposedAction[] = [];
  const abort = new AbortController();
  const decide = o.decide ?? (() => "approved" as const);
  const { decide: _d, gate, ...rest } = o;
  const ctx: ToolContext = {
    cwd: process.cwd(),
    callId: "call_1",
    sandboxPolicy: { mode: "danger-full-access" },
    approvalPolicy: "on-request",
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/root" },
    exec: createLocalExecRunner({ killGraceMs: 300 }),
    spoolDir: mkdtempSync(join(tmpdir(), "fake-ctx-spool-")),
    ...rest,
    approval: gate ?? {
      decide: async (action) => {
        approvals.push(action);
        return decide(action);
      },
      review: async (action) => {
        approvals.push(action);
        const decision = decide(action);
        const approved = decision === "approved" || decision === "approved_for_session";
        const escalated = action.kind === "exec" && (action.escalated || action.retryReason !== undefined);
        return {
          decision,
          sandboxed: !(approved && escalated),
          ...(approved ? {} : { reason: "rejected by user" }),
        };
      },
    },
    emit: (msg) => events.push(msg),
    signal: abort.signal,
  };
  return { ctx, events, approvals, abort };
}

export function textOf(out: ToolOutput): string {
  if (typeof out.content !== "string") throw new Error("expected string tool output");
  return out.content;
}

/** Parse the unified-exec output header into fields. */
export function parseUnifiedOutput(text: string): {
  chunkId: string;
  wallSeconds: number;
  exitCode?: number;
  sessionId?: number;
  tokenCount: number;
  /** Lines about the session table (a pruned session) between the header and the output. */
  notices: string[];
  output: string;
} {
  const m =
    /^Chunk ID: ([0-9a-f]{6})\nWall time: (\d+\.\d{4}) seconds\n(?:Process exited with code (-?\d+)|Process running with session ID (\d+))\nOriginal token count: (\d+)\n((?:Note: [^\n]*\n)*)Output:\n([\s\S]*)$/.exec(
      text,
    );
  if (!m) throw new Error(`not a unified exec output: ${JSON.stringify(text)}`);
  return {
    chunkId: m[1]!,
    wallSeconds: Number(m[2]),
    ...(m[3] !== undefined ? { exitCode: Number(m[3]) } : {}),
    ...(m[4] !== undefined ? { sessionId: Number(m[4]) } : {}),
    tokenCount: Number(m[5]),
    notices: m[6] ? m[6].split("\n").filter((l) => l.length > 0) : [],
    output: m[7]!,
  };
}

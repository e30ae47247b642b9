import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createApprovalGate } from "../../src/core/approval/gate.js";
import type { ProposedAction } from "../../src/core/approval/contract.js";
import type { ExecRunner } from "../../src/core/exec/contract.js";
import { createLocalExecRunner } from "../../src/core/exec/local-runner.js";
import { BWRAP_REQUIRED_MESSAGE, findBwrap, probeBwrap } from "../../src/core/sandbox/bwrap-probe.js";
import { createSandboxedExecRunner } from "../../src/core/sandbox/sandboxed-runner.js";
import type { FunctionTool, ToolContext } from "../../src/core/tools/contract.js";
import { createUnifiedExecTools } from "../../src/core/tools/handlers/unified-exec-sessions.js";
import type { EventMsg } from "../../src/protocol/events.js";
import type { AskForApproval, ReviewDecision, SandboxMode, SandboxPolicy } from "../../src/protocol/policy.js";

// The approval matrix end to end: the real exec_command handler, the real approval gate and the
// real bwrap-sandboxed runner, for every approval policy × sandbox mode × kind of command, once
// with a person who approves everything and once with one who denies everything.
//
// Whether a command ran inside the sandbox is read from the command itself: every command ends in
// `grep NoNewPrivs /proc/self/status`, which prints 1 inside bwrap and 0 outside it (checked in
// beforeAll, so the probe cannot silently pass either way).

type Kind =
  /** `ls` + grep: known safe and read-only. */
  | "safe"
  /** `touch <workspace>/f`: unsafe; the read-only sandbox refuses it, workspace-write allows it. */
  | "write-workspace"
  /** `touch <outside>/f`: every sandbox refuses it; only an unsandboxed run succeeds. */
  | "write-outside"
  /** The same write with `sandbox_permissions: "require_escalated"` and a justification. */
  | "escalated";

type AskKind = "approval" | "escalation" | "retry";
/** sandboxed / unsandboxed: ran to success there; sandbox-denied: ran in the sandbox and was refused. */
type Ran = "sandboxed" | "unsandboxed" | "sandbox-denied" | "not-run";
type Status = "completed" | "failed" | "declined";

interface Expect {
  asked: AskKind[];
  ran: Ran;
  /** Statuses of the exec_command_end events, in order (none: no item was shown at all). */
  ends: Status[];
  /** For refusals: the exact text the model sees. */
  text?: string;
}

interface Row {
  policy: AskForApproval;
  mode: SandboxMode;
  kind: Kind;
  approve: Expect;
  /** Defaults to `approve` when nobody is asked. */
  deny?: Expect;
}

const JUSTIFICATION = "needs to write outside the workspace";
const RETRY_REASON = "command failed; retry without sandbox?";
const DECLINED = 'exec_command failed: CreateProcess { message: "Rejected(\\"rejected by user\\")" }';
const escalationRefused = (name: string): string =>
  `approval policy is ${name}; reject command — you cannot ask for escalated permissions if the approval policy is ${name}`;

const SANDBOXED: Expect = { asked: [], ran: "sandboxed", ends: ["completed"] };
const UNSANDBOXED: Expect = { asked: [], ran: "unsandboxed", ends: ["completed"] };
const SANDBOX_DENIED: Expect = { asked: [], ran: "sandbox-denied", ends: ["failed"] };
const ASKED_DECLINED: Expect = { asked: ["approval"], ran: "not-run", ends: ["declined"], text: DECLINED };
const refused = (name: string): Expect => ({ asked: [], ran: "not-run", ends: [], text: escalationRefused(name) });
const retryApproved: Expect = { asked: ["retry"], ran: "unsandboxed", ends: ["completed"] };
const retryDenied: Expect = { asked: ["retry"], ran: "sandbox-denied", ends: ["failed"] };

// One row per cell, derived from assess.ts (and shell-gate.ts for the on-failure retry).
const MATRIX: Row[] = [
  // untrusted: only known-safe commands run unasked; an approved command runs sandboxed, and when the
  // sandbox denies it the person is asked again whether to re-run it without the sandbox.
  { policy: "untrusted", mode: "read-only", kind: "safe", approve: SANDBOXED },
  { policy: "untrusted", mode: "read-only", kind: "write-workspace", approve: { ...retryApproved, asked: ["approval", "retry"] }, deny: ASKED_DECLINED },
  { policy: "untrusted", mode: "read-only", kind: "write-outside", approve: { ...retryApproved, asked: ["approval", "retry"] }, deny: ASKED_DECLINED },
  { policy: "untrusted", mode: "read-only", kind: "escalated", approve: refused("UnlessTrusted") },
  { policy: "untrusted", mode: "workspace-write", kind: "safe", approve: SANDBOXED },
  { policy: "untrusted", mode: "workspace-write", kind: "write-workspace", approve: { ...SANDBOXED, asked: ["approval"] }, deny: ASKED_DECLINED },
  { policy: "untrusted", mode: "workspace-write", kind: "write-outside", approve: { ...retryApproved, asked: ["approval", "retry"] }, deny: ASKED_DECLINED },
  { policy: "untrusted", mode: "workspace-write", kind: "escalated", approve: refused("UnlessTrusted") },
  { policy: "untrusted", mode: "danger-full-access", kind: "safe", approve: UNSANDBOXED },
  { policy: "untrusted", mode: "danger-full-access", kind: "write-workspace", approve: { ...UNSANDBOXED, asked: ["approval"] }, deny: ASKED_DECLINED },
  { policy: "untrusted", mode: "danger-full-access", kind: "write-outside", approve: { ...UNSANDBOXED, asked: ["approval"] }, deny: ASKED_DECLINED },
  { policy: "untrusted", mode: "danger-full-access", kind: "escalated", approve: refused("UnlessTrusted") },

  // on-failure: run sandboxed; a sandbox denial asks to re-run without it.
  { policy: "on-failure", mode: "read-only", kind: "safe", approve: SANDBOXED },
  { policy: "on-failure", mode: "read-only", kind: "write-workspace", approve: retryApproved, deny: retryDenied },
  { policy: "on-failure", mode: "read-only", kind: "write-outside", approve: retryApproved, deny: retryDenied },
  { policy: "on-failure", mode: "read-only", kind: "escalated", approve: refused("OnFailure") },
  { policy: "on-failure", mode: "workspace-write", kind: "safe", approve: SANDBOXED },
  { policy: "on-failure", mode: "workspace-write", kind: "write-workspace", approve: SANDBOXED },
  { policy: "on-failure", mode: "workspace-write", kind: "write-outside", approve: retryApproved, deny: retryDenied },
  { policy: "on-failure", mode: "workspace-write", kind: "escalated", approve: refused("OnFailure") },
  { policy: "on-failure", mode: "danger-full-access", kind: "safe", approve: UNSANDBOXED },
  { policy: "on-failure", mode: "danger-full-access", kind: "write-workspace", approve: UNSANDBOXED },
  { policy: "on-failure", mode: "danger-full-access", kind: "write-outside", approve: UNSANDBOXED },
  { policy: "on-failure", mode: "danger-full-access", kind: "escalated", approve: refused("OnFailure") },

  // on-request: sandbox failures go back to the model, which may ask to escalate (a person decides).
  { policy: "on-request", mode: "read-only", kind: "safe", approve: SANDBOXED },
  { policy: "on-request", mode: "read-only", kind: "write-workspace", approve: SANDBOX_DENIED },
  { policy: "on-request", mode: "read-only", kind: "write-outside", approve: SANDBOX_DENIED },
  { policy: "on-request", mode: "read-only", kind: "escalated", approve: { ...UNSANDBOXED, asked: ["escalation"] }, deny: { ...ASKED_DECLINED, asked: ["escalation"] } },
  { policy: "on-request", mode: "workspace-write", kind: "safe", approve: SANDBOXED },
  { policy: "on-request", mode: "workspace-write", kind: "write-workspace", approve: SANDBOXED },
  { policy: "on-request", mode: "workspace-write", kind: "write-outside", approve: SANDBOX_DENIED },
  { policy: "on-request", mode: "workspace-write", kind: "escalated", approve: { ...UNSANDBOXED, asked: ["escalation"] }, deny: { ...ASKED_DECLINED, asked: ["escalation"] } },
  { policy: "on-request", mode: "danger-full-access", kind: "safe", approve: UNSANDBOXED },
  { policy: "on-request", mode: "danger-full-access", kind: "write-workspace", approve: UNSANDBOXED },
  { policy: "on-request", mode: "danger-full-access", kind: "write-outside", approve: UNSANDBOXED },
  { policy: "on-request", mode: "danger-full-access", kind: "escalated", approve: UNSANDBOXED },

  // never: nobody is asked; failures and escalation requests go back to the model.
  { policy: "never", mode: "read-only", kind: "safe", approve: SANDBOXED },
  { policy: "never", mode: "read-only", kind: "write-workspace", approve: SANDBOX_DENIED },
  { policy: "never", mode: "read-only", kind: "write-outside", approve: SANDBOX_DENIED },
  { policy: "never", mode: "read-only", kind: "escalated", approve: refused("Never") },
  { policy: "never", mode: "workspace-write", kind: "safe", approve: SANDBOXED },
  { policy: "never", mode: "workspace-write", kind: "write-workspace", approve: SANDBOXED },
  { policy: "never", mode: "workspace-write", kind: "write-outside", approve: SANDBOX_DENIED },
  { policy: "never", mode: "workspace-write", kind: "escalated", approve: refused("Never") },
  { policy: "never", mode: "danger-full-access", kind: "safe", approve: UNSANDBOXED },
  { policy: "never", mode: "danger-full-access", kind: "write-workspace", approve: UNSANDBOXED },
  { policy: "never", mode: "danger-full-access", kind: "write-outside", approve: UNSANDBOXED },
  { policy: "never", mode: "danger-full-access", kind: "escalated", approve: refused("Never") },
];

const PROBE = "grep NoNewPrivs /proc/self/status";
const MARKER = "matrix-marker.txt";

interface Case {
  ws: string;
  outside: string;
  sandbox: SandboxPolicy;
  /** The file the command writes, if it writes one. */
  target?: string;
  args: Record<string, unknown>;
}

function makeCase(kind: Kind, mode: SandboxMode): Case {
  const ws = realpathSync(mkdtempSync(path.join(tmpdir(), "codex-matrix-ws-")));
  writeFileSync(path.join(ws, MARKER), "x");
  mkdirSync("/var/tmp", { recursive: true });
  // Outside every writable root: not under the workspace, $TMPDIR or /tmp.
  const outside = realpathSync(mkdtempSync("/var/tmp/codex-matrix-outside-"));
  const sandbox: SandboxPolicy =
    mode === "danger-full-access"
      ? { mode }
      : mode === "read-only"
        ? { mode, networkAccess: false }
        : { mode, writableRoots: [ws], networkAccess: false, excludeTmpdirEnvVar: false, excludeSlashTmp: false };
  switch (kind) {
    case "safe":
      return { ws, outside, sandbox, args: { cmd: `ls && ${PROBE}` } };
    case "write-workspace": {
      const target = path.join(ws, "f");
      return { ws, outside, sandbox, target, args: { cmd: `touch ${target} && ${PROBE}` } };
    }
    case "write-outside":
    case "escalated": {
      const target = path.join(outside, "f");
      const escalation = kind === "escalated" ? { sandbox_permissions: "require_escalated", justification: JUSTIFICATION } : {};
      return { ws, outside, sandbox, target, args: { cmd: `touch ${target} && ${PROBE}`, ...escalation } };
    }
  }
}

function baseEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/root", LANG: "C" };
}

interface Observed extends Expect {
  /** Whether the written file exists afterwards (undefined for commands that write nothing). */
  wrote?: boolean;
  asks: { kind: AskKind; reason?: string; proposedPrefix?: string[] }[];
  success: boolean;
  content: string;
}

function askKind(action: ProposedAction): AskKind {
  if (action.kind !== "exec") throw new Error(`unexpected ${action.kind} approval request`);
  if (action.retryReason !== undefined) return "retry";
  return action.escalated ? "escalation" : "approval";
}

function ranFrom(content: string, ends: Status[], events: EventMsg[]): Ran {
  const began = events.some((e) => e.type === "exec_command_begin");
  if (!began || ends.every((s) => s === "declined")) return "not-run";
  const probe = /NoNewPrivs:\s+([01])/.exec(content);
  if (probe?.[1] === "1") return "sandboxed";
  if (probe?.[1] === "0") return "unsandboxed";
  if (/Read-only file system|Permission denied/.test(content)) return "sandbox-denied";
  throw new Error(`cannot tell how the command ran from its output: ${JSON.stringify(content)}`);
}

async function runCell(
  runner: ExecRunner,
  row: Pick<Row, "policy" | "mode" | "kind">,
  answer: ReviewDecision,
): Promise<Observed> {
  const c = makeCase(row.kind, row.mode);
  const events: EventMsg[] = [];
  const asks: Observed["asks"] = [];
  const gate = createApprovalGate({
    policy: row.policy,
    sandbox: c.sandbox,
    ask: async (action, context) => {
      asks.push({
        kind: askKind(action),
        ...(context.reason !== undefined ? { reason: context.reason } : {}),
        ...(context.proposedPrefix !== undefined ? { proposedPrefix: context.proposedPrefix } : {}),
      });
      return answer;
    },
  });
  const tools = createUnifiedExecTools();
  const spoolDir = mkdtempSync(path.join(tmpdir(), "codex-matrix-spool-"));
  const ctx: ToolContext = {
    cwd: c.ws,
    callId: "call_matrix",
    sandboxPolicy: c.sandbox,
    approvalPolicy: row.policy,
    env: baseEnv(),
    exec: runner,
    approval: gate,
    emit: (msg) => events.push(msg),
    signal: new AbortController().signal,
    spoolDir,
  };
  try {
    const tool = tools.execCommand as FunctionTool<unknown>;
    const out = await tool.handle(tool.args.parse({ ...c.args, login: false, yield_time_ms: 30_000 }), ctx);
    if (typeof out.content !== "string") throw new Error("exec_command returned non-text content");
    const ends = events.flatMap((e) => (e.type === "exec_command_end" ? [e.status as Status] : []));
    return {
      asked: asks.map((a) => a.kind),
      asks,
      ran: ranFrom(out.content, ends, events),
      ends,
      ...(c.target !== undefined ? { wrote: existsSync(c.target) } : {}),
      success: out.success,
      content: out.content,
    };
  } finally {
    await tools.dispose();
    for (const dir of [c.ws, c.outside, spoolDir]) rmSync(dir, { recursive: true, force: true });
  }
}

function check(row: Row, expected: Expect, got: Observed): void {
  const where = `${row.policy} × ${row.mode} × ${row.kind}`;
  expect({ asked: got.asked, ran: got.ran, ends: got.ends }, `${where}\n${got.content}`).toEqual({
    asked: expected.asked,
    ran: expected.ran,
    ends: expected.ends,
  });
  // What the person was told: the model's justification, or why a retry is offered.
  for (const ask of got.asks) {
    if (ask.kind === "escalation") expect(ask.reason, where).toBe(JUSTIFICATION);
    if (ask.kind === "retry") expect(ask.reason, where).toBe(RETRY_REASON);
    if (ask.kind === "approval") expect(ask.proposedPrefix?.[0], where).toBe("touch");
  }
  // The observable effect agrees with how the command is said to have run.
  if (got.wrote !== undefined) {
    const shouldWrite = expected.ran === "sandboxed" || expected.ran === "unsandboxed";
    expect(got.wrote, `${where}: file written`).toBe(shouldWrite);
  }
  if (expected.text !== undefined) {
    expect(got.content, where).toBe(expected.text);
    expect(got.success, where).toBe(false);
  } else {
    const exitLine = /Process exited with code (\d+)/.exec(got.content);
    expect(exitLine?.[1] === "0", `${where}: exit code`).toBe(expected.ends.at(-1) === "completed");
    expect(got.success, where).toBe(expected.ends.at(-1) === "completed");
  }
}

let runner: ExecRunner;

beforeAll(async () => {
  const bwrap = findBwrap(process.env.PATH);
  const status = await probeBwrap(bwrap);
  if (!status.ok || bwrap === undefined) {
    throw new Error(`approval matrix needs a working bwrap (${BWRAP_REQUIRED_MESSAGE}): ${status.ok ? "not on PATH" : status.reason}`);
  }
  runner = createSandboxedExecRunner(createLocalExecRunner({ killGraceMs: 300 }));
  // The sandbox probe only means something if it reads differently inside and outside bwrap.
  const probe = async (sandbox: SandboxPolicy): Promise<string> =>
    (await runner.run({ argv: ["/bin/sh", "-c", PROBE], cwd: tmpdir(), env: baseEnv(), sandbox }, { signal: new AbortController().signal }))
      .stdout;
  expect(await probe({ mode: "danger-full-access" }), "NoNewPrivs outside the sandbox").toMatch(/NoNewPrivs:\s+0/);
  expect(await probe({ mode: "read-only", networkAccess: false }), "NoNewPrivs inside the sandbox").toMatch(/NoNewPrivs:\s+1/);
});

describe("approval matrix: exec_command × real gate × bwrap", () => {
  it("covers every policy × mode × kind exactly once", () => {
    const keys = new Set(MATRIX.map((r) => `${r.policy}/${r.mode}/${r.kind}`));
    expect(keys.size).toBe(MATRIX.length);
    expect(MATRIX.length).toBe(4 * 3 * 4);
  });

  for (const row of MATRIX) {
    const name = `${row.policy} × ${row.mode} × ${row.kind}`;
    it(name, async () => {
      check(row, row.approve, await runCell(runner, row, "approved"));
      check(row, row.deny ?? row.approve, await runCell(runner, row, "denied"));
    });
  }
});

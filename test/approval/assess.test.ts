import { describe, expect, test } from "vitest";
import {
  assess,
  parseRules,
  type Assessment,
  type ExecPolicy,
  type ProposedAction,
} from "../../src/core/approval/index.js";
import type { AskForApproval, SandboxPolicy } from "../../src/protocol/policy.js";

const CWD = "/work/repo";
const SANDBOXES: Record<SandboxPolicy["mode"], SandboxPolicy> = {
  "read-only": { mode: "read-only", networkAccess: false },
  "workspace-write": {
    mode: "workspace-write",
    writableRoots: ["/work/extra"],
    networkAccess: false,
    excludeTmpdirEnvVar: false,
    excludeSlashTmp: false,
  },
  "danger-full-access": { mode: "danger-full-access" },
};

const RETRY = "command failed; retry without sandbox?";
function exec(argv: string[], extra: Partial<Extract<ProposedAction, { kind: "exec" }>> = {}): ProposedAction {
  return { kind: "exec", callId: "c1", argv, cwd: CWD, escalated: false, ...extra };
}
const ACTIONS = {
  safe: exec(["bash", "-lc", "ls && cat x"]),
  unsafe: exec(["cargo", "build"]),
  escalated: exec(["cargo", "build"], { escalated: true, justification: "needs the network" }),
  retry: exec(["cargo", "build"], { retryReason: RETRY }),
};
type Case = keyof typeof ACTIONS;

const esc = (name: string): Assessment => ({
  kind: "reject",
  reason: `approval policy is ${name}; reject command — you cannot ask for escalated permissions if the approval policy is ${name}`,
});
const AUTO_SB: Assessment = { kind: "auto", sandboxed: true };
const AUTO_NOSB: Assessment = { kind: "auto", sandboxed: false };
const ASK_PLAIN: Assessment = { kind: "ask", proposedPrefix: ["cargo", "build"] };
const ASK_RETRY: Assessment = { kind: "ask", reason: RETRY, proposedPrefix: ["cargo", "build"] };
const ASK_ESC: Assessment = { kind: "ask", reason: "needs the network", proposedPrefix: ["cargo", "build"] };
const RETRY_NEVER: Assessment = {
  kind: "reject",
  reason: `${RETRY} (approval policy is never; not retrying without the sandbox)`,
};

// [policy, sandbox mode, case, expected]
type Row = [AskForApproval, SandboxPolicy["mode"], Case, Assessment];
const TABLE: Row[] = [];
for (const mode of ["read-only", "workspace-write", "danger-full-access"] as const) {
  const auto = mode === "danger-full-access" ? AUTO_NOSB : AUTO_SB;
  TABLE.push(
    ["untrusted", mode, "safe", auto],
    ["untrusted", mode, "unsafe", ASK_PLAIN],
    ["untrusted", mode, "escalated", esc("UnlessTrusted")],
    ["untrusted", mode, "retry", ASK_RETRY],
    ["on-failure", mode, "safe", auto],
    ["on-failure", mode, "unsafe", auto],
    ["on-failure", mode, "escalated", esc("OnFailure")],
    ["on-failure", mode, "retry", ASK_RETRY],
    ["on-request", mode, "safe", auto],
    ["on-request", mode, "unsafe", auto],
    ["on-request", mode, "escalated", mode === "danger-full-access" ? AUTO_NOSB : ASK_ESC],
    ["on-request", mode, "retry", ASK_RETRY],
    ["never", mode, "safe", auto],
    ["never", mode, "unsafe", auto],
    ["never", mode, "escalated", esc("Never")],
    ["never", mode, "retry", RETRY_NEVER],
  );
}

describe("assess decision table (exec)", () => {
  test("covers every policy × sandbox × case", () => {
    expect(TABLE).toHaveLength(4 * 3 * 4);
  });
  test.each(TABLE)("%s / %s / %s", (policy, mode, which, expected) => {
    expect(assess(ACTIONS[which], policy, SANDBOXES[mode])).toEqual(expected);
  });
});

const RULES: ExecPolicy = {
  rules: parseRules(
    "test.rules",
    `
prefix_rule(pattern=["git", "push"], decision="forbidden", justification="push from CI only")
prefix_rule(pattern=["rm"], decision="forbidden")
prefix_rule(pattern=["gh", "pr", "view"], decision="prompt", justification="reads private PRs")
prefix_rule(pattern=["npm", "publish"], decision="prompt")
prefix_rule(pattern=["cargo", ["build", "test"]], decision="allow")
`,
  ),
};
const WW = SANDBOXES["workspace-write"];

describe("assess with exec-policy rules", () => {
  test("forbidden rule rejects with its justification, under every policy", () => {
    for (const policy of ["untrusted", "on-failure", "on-request", "never"] as const) {
      expect(assess(exec(["git", "push", "origin"]), policy, WW, { rules: RULES })).toEqual({
        kind: "reject",
        reason: "`git push origin` rejected: push from CI only",
      });
    }
  });
  test("forbidden rule without justification names the prefix", () => {
    expect(assess(exec(["bash", "-lc", "ls && rm -r build"]), "never", WW, { rules: RULES })).toEqual({
      kind: "reject",
      reason: "`bash -lc 'ls && rm -r build'` rejected: policy forbids commands starting with `rm`",
    });
  });
  test("prompt rule asks even for otherwise auto commands", () => {
    expect(assess(exec(["gh", "pr", "view", "7"]), "on-request", WW, { rules: RULES })).toEqual({
      kind: "ask",
      reason: "`gh pr view 7` requires approval: reads private PRs",
    });
    expect(assess(exec(["npm", "publish"]), "on-failure", WW, { rules: RULES })).toEqual({
      kind: "ask",
      reason: "`npm publish` requires approval by policy",
    });
  });
  test("prompt rule under never is a rejection", () => {
    expect(assess(exec(["npm", "publish"]), "never", WW, { rules: RULES })).toEqual({
      kind: "reject",
      reason: "approval required by policy, but AskForApproval is set to Never",
    });
  });
  test("allow rule runs outside the sandbox, even under untrusted", () => {
    expect(assess(exec(["cargo", "test"]), "untrusted", WW, { rules: RULES })).toEqual(AUTO_NOSB);
    expect(assess(exec(["bash", "-lc", "cargo build && cargo test"]), "on-request", WW, { rules: RULES })).toEqual(AUTO_NOSB);
  });
  test("allow rule covering only part of a script keeps the sandbox", () => {
    expect(assess(exec(["bash", "-lc", "cargo build && make"]), "on-request", WW, { rules: RULES })).toEqual(AUTO_SB);
    expect(assess(exec(["bash", "-lc", "cargo build && make"]), "untrusted", WW, { rules: RULES })).toEqual({
      kind: "ask",
      proposedPrefix: ["make"],
    });
  });
  test("strictest verdict across the parts of a script wins", () => {
    expect(assess(exec(["bash", "-lc", "cargo build && git push"]), "on-request", WW, { rules: RULES }).kind).toBe("reject");
  });
});

describe("assess heuristics", () => {
  test("a forced rm is asked about, and refused under never", () => {
    expect(assess(exec(["rm", "-rf", "build"]), "on-request", WW)).toEqual({ kind: "ask", proposedPrefix: ["rm", "-rf", "build"] });
    expect(assess(exec(["rm", "-rf", "build"]), "never", SANDBOXES["danger-full-access"])).toEqual({
      kind: "reject",
      reason: "`rm -rf build` rejected: blocked by policy",
    });
  });
  test("a forced rm hidden in an unparseable script is still caught", () => {
    expect(assess(exec(["bash", "-lc", "cd $(mktemp -d) && rm -rf x"]), "never", WW).kind).toBe("reject");
  });
  test("unparseable scripts are not safe under untrusted", () => {
    expect(assess(exec(["bash", "-lc", "ls > out.txt"]), "untrusted", WW).kind).toBe("ask");
  });
  test("session approval by argv prefix turns an ask into auto", () => {
    const sessionApproved = { commands: [["cargo", "build"]] };
    expect(assess(exec(["cargo", "build", "--release"]), "untrusted", WW, { sessionApproved })).toEqual(AUTO_SB);
    expect(assess(exec(["bash", "-lc", "cargo build"]), "untrusted", WW, { sessionApproved })).toEqual(AUTO_SB);
    expect(assess(exec(["cargo", "test"]), "untrusted", WW, { sessionApproved }).kind).toBe("ask");
    expect(assess(ACTIONS.retry, "on-failure", WW, { sessionApproved })).toEqual(AUTO_NOSB);
  });
  test("session approval never overrides a forbidden rule", () => {
    const sessionApproved = { commands: [["git", "push"]] };
    expect(assess(exec(["git", "push"]), "untrusted", WW, { rules: RULES, sessionApproved }).kind).toBe("reject");
  });
});

describe("assess patches", () => {
  const patch = (paths: string[]): ProposedAction => ({ kind: "patch", callId: "p1", paths, cwd: CWD });
  const inside = patch(["src/a.ts", "/work/extra/b.ts", "/tmp/scratch.txt"]);
  const outside = patch(["/etc/hosts"]);
  const gitDir = patch([".git/config"]);

  test.each([
    ["on-request", "workspace-write", inside, AUTO_SB],
    ["never", "workspace-write", inside, AUTO_SB],
    ["on-request", "workspace-write", outside, { kind: "ask" }],
    ["on-request", "workspace-write", gitDir, { kind: "ask" }],
    ["never", "workspace-write", outside, { kind: "reject", reason: "writing outside of the project; rejected by user approval settings" }],
    ["never", "read-only", inside, { kind: "reject", reason: "writing is blocked by read-only sandbox; rejected by user approval settings" }],
    ["on-request", "read-only", inside, { kind: "ask" }],
    ["on-failure", "workspace-write", outside, AUTO_SB],
    ["untrusted", "workspace-write", inside, { kind: "ask" }],
    ["never", "danger-full-access", outside, AUTO_NOSB],
    ["on-request", "danger-full-access", outside, AUTO_NOSB],
  ] as [AskForApproval, SandboxPolicy["mode"], ProposedAction, Assessment][])("%s / %s / %j", (policy, mode, action, expected) => {
    expect(assess(action, policy, SANDBOXES[mode])).toEqual(expected);
  });

  test("an empty patch is rejected", () => {
    expect(assess(patch([]), "on-request", WW)).toEqual({ kind: "reject", reason: "empty patch" });
  });
  test("paths approved for the session auto-approve", () => {
    expect(assess(outside, "on-request", WW, { sessionApproved: { patchPaths: new Set(["/etc/hosts"]) } })).toEqual(AUTO_SB);
  });
});

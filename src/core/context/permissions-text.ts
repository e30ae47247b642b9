import type { AskForApproval, SandboxPolicy } from "../../protocol/policy.js";

const SANDBOX: Record<SandboxPolicy["mode"], string> = {
  "read-only": "Sandbox: read-only. You can read any file, but commands cannot write to disk.",
  "workspace-write":
    "Sandbox: workspace-write. Commands can read anywhere and write inside the workspace roots and temp folders; .git, .agents and .codex stay read-only.",
  "danger-full-access": "Sandbox: none. Commands run with the person's full permissions, so take extra care.",
};

const APPROVAL: Record<AskForApproval, string> = {
  untrusted: "Approvals: untrusted. Anything beyond well-known read-only commands is shown to the person for approval first.",
  "on-request":
    "Approvals: on-request. Commands run in the sandbox; when one truly needs more access, ask for escalation with a short justification and the person decides.",
  "on-failure":
    "Approvals: on-failure. Commands run in the sandbox first; if the sandbox blocks one, the person is asked whether to rerun it without the sandbox.",
  never:
    "Approvals: never. Nobody will be asked, so you cannot get more access than you have; work within it, and when something cannot be done say so in your final message.",
};

/** A short developer note, in our own words, describing what the agent may do this session. */
export function permissionsText(o: { approvalPolicy: AskForApproval; sandboxPolicy: SandboxPolicy }): string {
  const network =
    o.sandboxPolicy.mode === "danger-full-access"
      ? "Network: enabled."
      : o.sandboxPolicy.networkAccess
        ? "Network: enabled."
        : "Network: disabled inside the sandbox.";
  return [
    "<permissions instructions>",
    SANDBOX[o.sandboxPolicy.mode],
    network,
    APPROVAL[o.approvalPolicy],
    "</permissions instructions>",
  ].join("\n");
}

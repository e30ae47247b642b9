import { existsSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import { workspaceWritePolicy } from "../core/index.js";
import type { Op } from "../protocol/ops.js";
import type { SandboxPolicy } from "../protocol/policy.js";
import type { TurnStartParams } from "../protocol/app-server/turn.js";
import { JsonRpcError } from "./method-table.js";
import type { ThreadRuntime } from "./runtime-factory.js";
import { approvalToCore } from "./wire-convert.js";

// turn/start's settings overrides, as the reference applies them (0.169, observed against the fake server):
// cwd, approval policy, reviewer, sandbox, model, effort, summary and service tier hold for this turn and the
// next ones (core's override_turn_context, sent before the turn); outputSchema is this turn's only (user_turn).
// `personality` no longer selects a style in the reference either: accepted, nothing changes.

type OverrideOp = Extract<Op, { type: "override_turn_context" }>;

export interface TurnOverrides {
  /** The op to submit before the turn; null when the request changes nothing. */
  op: OverrideOp | null;
  /** The thread's settings after the overrides (what thread/read and sub-agents report from now on). */
  next: Pick<ThreadRuntime, "config" | "sandboxPolicy" | "approvalPolicy">;
  /** Overrides accepted but not applied, each with why (for a `warning`). */
  ignored: string[];
}

export function turnOverrides(p: TurnStartParams, rt: ThreadRuntime, o: { env: Record<string, string | undefined> }): TurnOverrides {
  const op: OverrideOp = { type: "override_turn_context" };
  const ignored: string[] = [];
  const config = { ...rt.config };
  let sandboxPolicy = rt.sandboxPolicy;
  let approvalPolicy = rt.approvalPolicy;

  if (p.cwd != null) {
    const cwd = path.resolve(rt.config.cwd, p.cwd);
    if (!existsSync(cwd) || !statSync(cwd).isDirectory()) throw JsonRpcError.invalidRequest(`turn/start: cwd is not a directory: ${cwd}`);
    if (cwd !== rt.config.cwd) {
      op.cwd = cwd;
      config.cwd = cwd;
      // Workspace-write follows the working directory: the new one is writable, the old one no longer.
      if (p.sandboxPolicy == null && sandboxPolicy.mode === "workspace-write") {
        const old = realpathOr(rt.config.cwd);
        sandboxPolicy = workspaceWritePolicy({ ...sandboxPolicy, cwd, roots: sandboxPolicy.writableRoots.filter((r) => r !== old), env: o.env });
        op.sandboxPolicy = sandboxPolicy;
      }
    }
  }
  if (p.sandboxPolicy != null) {
    const policy = sandboxToCore(p.sandboxPolicy, { cwd: config.cwd, env: o.env });
    if (policy) {
      sandboxPolicy = policy;
      op.sandboxPolicy = policy;
    } else ignored.push(`\`sandboxPolicy\` ${p.sandboxPolicy.type} is not supported; the thread's sandbox applies`);
  }
  if (p.approvalPolicy != null) {
    approvalPolicy = approvalToCore(p.approvalPolicy);
    op.approvalPolicy = approvalPolicy;
    if (typeof p.approvalPolicy !== "string") ignored.push("a granular `approvalPolicy` is not supported; it applies as on-request (every approval asked)");
  }
  if (p.approvalsReviewer != null) {
    op.approvalsReviewer = p.approvalsReviewer === "user" ? "user" : "guardian";
    config.approvalsReviewer = op.approvalsReviewer;
  }
  if (p.model != null) {
    op.model = p.model;
    config.model = p.model;
  }
  if (p.effort != null) {
    op.effort = p.effort;
    config.modelReasoningEffort = p.effort;
  }
  if (p.summary != null) {
    op.summary = p.summary;
    config.modelReasoningSummary = p.summary;
  }
  // As the reference: a null tier is given (not left out) to go back to the default one.
  if (p.serviceTier !== undefined) {
    op.serviceTier = p.serviceTier;
    if (p.serviceTier === null) delete config.serviceTier;
    else config.serviceTier = p.serviceTier;
  }
  if (p.disabledPluginIds && p.disabledPluginIds.length > 0) ignored.push("`disabledPluginIds`: plugins are not supported; nothing to disable");
  if (p.toolOutput != null) ignored.push("`toolOutput` is not supported; it was not added to the history");
  if (p.collaborationMode != null) ignored.push("`collaborationMode` is not supported; the thread's mode applies");
  const changes = Object.keys(op).length > 1;
  return { op: changes ? op : null, next: { config, sandboxPolicy, approvalPolicy }, ignored };
}

/** A client's sandbox policy as core's; null for one core cannot enforce (an external sandbox). */
export function sandboxToCore(p: NonNullable<TurnStartParams["sandboxPolicy"]>, o: { cwd: string; env: Record<string, string | undefined> }): SandboxPolicy | null {
  switch (p.type) {
    case "dangerFullAccess":
      return { mode: "danger-full-access" };
    case "readOnly":
      return { mode: "read-only", networkAccess: p.networkAccess };
    case "workspaceWrite":
      return workspaceWritePolicy({
        cwd: o.cwd,
        roots: p.writableRoots,
        networkAccess: p.networkAccess,
        excludeTmpdirEnvVar: p.excludeTmpdirEnvVar,
        excludeSlashTmp: p.excludeSlashTmp,
        env: o.env,
      });
    case "externalSandbox":
      return null;
  }
}

function realpathOr(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

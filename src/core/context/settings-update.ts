import type { MessageItem, ResponseItem } from "../../protocol/items.js";
import { AskForApproval, SandboxPolicy } from "../../protocol/policy.js";
import type { TurnContextLine } from "../persistence/contract.js";
import type { ThreadObserver, PromptSettings } from "../thread/thread-observer.js";
import { environmentContextXml, localDate, localTimezone } from "./environment-context.js";
import { permissionsText } from "./permissions-text.js";

// Settings changed between turns reach the model (as the reference does, observed on 0.169): before the
// input of the first turn after a change (a prompt, or a sub-agent's mail), a developer note for a new model, a developer
// <permissions instructions> message when the approval policy, the sandbox or the working directory changed,
// and an <environment_context> user message when the sandbox or the directory changed (cwd and shell only
// when the directory did). They are recorded like any item, so a resumed thread's history holds them too.

/** What the model was told last, per setting; a setting missing is unknown (told again). */
export type SeenSettings = Partial<PromptSettings>;

function message(role: "developer" | "user", text: string): MessageItem {
  return { type: "message", role, content: [{ type: "input_text", text }] };
}

function samePolicy(a: SandboxPolicy | undefined, b: SandboxPolicy): boolean {
  if (!a || a.mode !== b.mode) return false;
  if (a.mode === "read-only" && b.mode === "read-only") return a.networkAccess === b.networkAccess;
  if (a.mode === "workspace-write" && b.mode === "workspace-write") {
    const roots = (p: typeof a) => [...p.writableRoots].sort().join("\n");
    return a.networkAccess === b.networkAccess && a.excludeSlashTmp === b.excludeSlashTmp && a.excludeTmpdirEnvVar === b.excludeTmpdirEnvVar && roots(a) === roots(b);
  }
  return true;
}

export function modelSwitchText(o: { from: string | undefined; to: string }): string {
  const from = o.from ? ` (it was ${o.from})` : "";
  return [
    "<model_switch>",
    `From here on this conversation runs on ${o.to}${from}. Carry on from where it stands; the instructions above still apply.`,
    "</model_switch>",
  ].join("\n");
}

/** The items telling the model what changed since `seen`; empty when nothing did. */
export function settingsUpdateItems(o: { seen: SeenSettings; current: PromptSettings; shell: string; now: Date; timezone: string }): ResponseItem[] {
  const { seen, current } = o;
  const cwdChanged = seen.cwd !== current.cwd;
  const sandboxChanged = !samePolicy(seen.sandboxPolicy, current.sandboxPolicy);
  const items: ResponseItem[] = [];
  if (seen.model !== current.model) items.push(message("developer", modelSwitchText({ from: seen.model, to: current.model })));
  if (cwdChanged || sandboxChanged || seen.approvalPolicy !== current.approvalPolicy) {
    items.push(message("developer", permissionsText({ approvalPolicy: current.approvalPolicy, sandboxPolicy: current.sandboxPolicy })));
  }
  if (cwdChanged || sandboxChanged) {
    items.push(
      message(
        "user",
        environmentContextXml({
          cwd: current.cwd,
          shell: o.shell,
          currentDate: localDate(o.now),
          timezone: o.timezone,
          sandboxPolicy: current.sandboxPolicy,
          cwdAndShell: cwdChanged,
        }),
      ),
    );
  }
  return items;
}

/**
 * The settings a rollout's last turn ran with (what its model read last). Reads our sandbox shape and the
 * reference's (`type`, snake_case fields); what it cannot read stays unknown.
 */
export function seenFromTurnContext(line: TurnContextLine): SeenSettings {
  const seen: SeenSettings = {};
  if (typeof line.cwd === "string") seen.cwd = line.cwd;
  if (typeof line.model === "string") seen.model = line.model;
  const approval = AskForApproval.safeParse(line.approval_policy);
  if (approval.success) seen.approvalPolicy = approval.data;
  const sandbox = parseSandbox(line.sandbox_policy);
  if (sandbox) seen.sandboxPolicy = sandbox;
  return seen;
}

function parseSandbox(raw: unknown): SandboxPolicy | undefined {
  const ours = SandboxPolicy.safeParse(raw);
  if (ours.success) return ours.data;
  const r = raw as { type?: unknown; network_access?: unknown; writable_roots?: unknown; exclude_tmpdir_env_var?: unknown; exclude_slash_tmp?: unknown } | null;
  if (!r || typeof r !== "object") return undefined;
  const theirs = SandboxPolicy.safeParse({
    mode: r.type,
    networkAccess: r.network_access === true,
    writableRoots: Array.isArray(r.writable_roots) ? r.writable_roots : [],
    excludeTmpdirEnvVar: r.exclude_tmpdir_env_var === true,
    excludeSlashTmp: r.exclude_slash_tmp === true,
  });
  return theirs.success ? theirs.data : undefined;
}

/**
 * A thread observer adding the update items before a prompt's user message. `seen`: what the thread's
 * history told the model (a fresh thread: the settings its initial context was built with; a resumed one:
 * its last turn's). Put it after observers that may block a prompt: a blocked prompt records nothing.
 */
export function createSettingsUpdateObserver(o: { seen: SeenSettings; shell: string; now?: () => Date; timezone?: () => string }): ThreadObserver {
  let seen: SeenSettings = { ...o.seen };
  return {
    async beforeTurn({ settings }) {
      if (!settings) return { type: "continue" };
      const before = settingsUpdateItems({
        seen,
        current: settings,
        shell: o.shell,
        now: (o.now ?? (() => new Date()))(),
        timezone: (o.timezone ?? localTimezone)(),
      });
      seen = { ...settings };
      return before.length > 0 ? { type: "continue", before } : { type: "continue" };
    },
  };
}

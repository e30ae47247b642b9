import type { EventMsg } from "../protocol/events.js";
import type { SandboxPolicy } from "../protocol/policy.js";

// Human `codex exec` output: the transcript on stderr, only the final message on stdout (exec-jsonl.md §6).

export interface HumanWriter {
  stderr(text: string): void;
  stdout(text: string): void;
}

export interface HumanHeader {
  version: string;
  cwd: string;
  model: string;
  provider: string;
  approval: string;
  sandbox: SandboxPolicy;
  reasoningEffort: string | null;
  reasoningSummary: string | null;
  threadId: string;
  /** $TMPDIR, so the label can name it as the reference does. */
  tmpdir?: string;
}

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  cyan(s: string): string;
  magenta(s: string): string;
  green(s: string): string;
  red(s: string): string;
}

export function makeStyle(options: { color: boolean }): Style {
  const wrap = (code: string) => (s: string) => (options.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  return {
    bold: wrap("1"),
    dim: wrap("2"),
    cyan: wrap("36"),
    magenta: wrap("35"),
    green: wrap("32"),
    red: wrap("31"),
  };
}

/** `workspace-write [workdir, /tmp, $TMPDIR, /extra]` as the reference prints it. */
export function sandboxLabel(policy: SandboxPolicy, cwd: string, tmpdir?: string): string {
  if (policy.mode !== "workspace-write") return policy.mode;
  const implicit = new Set([cwd, "/tmp", ...(tmpdir ? [tmpdir, tmpdir.replace(/\/+$/, "")] : [])]);
  const roots = [
    "workdir",
    ...(policy.excludeSlashTmp ? [] : ["/tmp"]),
    ...(policy.excludeTmpdirEnvVar ? [] : ["$TMPDIR"]),
    ...policy.writableRoots.filter((r) => !implicit.has(r)),
  ];
  return `workspace-write [${roots.join(", ")}]${policy.networkAccess ? " (network access enabled)" : ""}`;
}

export class HumanRenderer {
  private lastMessage: string | null = null;
  private totalTokens = 0;
  private contextLeft: number | undefined;

  constructor(
    private readonly out: HumanWriter,
    private readonly style: Style,
  ) {}

  header(h: HumanHeader, prompt: string): void {
    const lines = [
      `OpenAI Codex v${h.version}`,
      "--------",
      `${this.style.bold("workdir:")} ${h.cwd}`,
      `${this.style.bold("model:")} ${h.model}`,
      `${this.style.bold("provider:")} ${h.provider}`,
      `${this.style.bold("approval:")} ${h.approval}`,
      `${this.style.bold("sandbox:")} ${sandboxLabel(h.sandbox, h.cwd, h.tmpdir)}`,
      `${this.style.bold("reasoning effort:")} ${h.reasoningEffort ?? "none"}`,
      `${this.style.bold("reasoning summaries:")} ${h.reasoningSummary ?? "none"}`,
      `${this.style.bold("session id:")} ${h.threadId}`,
      "--------",
      this.style.cyan("user"),
      prompt,
    ];
    this.out.stderr(lines.join("\n") + "\n");
  }

  /** Returns true when the event ended the turn. */
  handle(msg: EventMsg): void {
    const s = this.style;
    switch (msg.type) {
      case "agent_reasoning":
        this.out.stderr(`${s.magenta(s.bold("thinking"))}\n${s.dim(msg.text)}\n`);
        break;
      case "agent_message":
        this.lastMessage = msg.message;
        this.out.stderr(`${s.magenta(s.bold("codex"))}\n${msg.message}\n`);
        break;
      case "exec_command_begin":
        this.out.stderr(`${s.magenta(s.bold("exec"))}\n${s.bold(msg.command)} in ${msg.cwd}\n`);
        break;
      case "exec_command_end": {
        const tail = tailLines(msg.aggregatedOutput, 20);
        if (msg.status === "declined") {
          this.out.stderr(`${s.red("declined")}: ${msg.command}\n`);
        } else if (msg.exitCode === 0) {
          this.out.stderr(`${s.green(` succeeded in ${msg.durationMs}ms:`)}\n${s.dim(tail)}`);
        } else {
          this.out.stderr(`${s.red(` exited ${msg.exitCode ?? "?"} in ${msg.durationMs}ms:`)}\n${s.dim(tail)}`);
        }
        break;
      }
      case "patch_apply_begin":
        this.out.stderr(`${s.magenta(s.bold("apply patch"))}\n`);
        break;
      case "patch_apply_end":
        this.out.stderr(`patch: ${msg.success ? s.green("completed") : s.red("failed")}\n`);
        for (const c of msg.changes) this.out.stderr(`${c.path}\n`);
        if (msg.success && msg.diff) this.out.stderr(s.dim(msg.diff.endsWith("\n") ? msg.diff : `${msg.diff}\n`));
        if (!msg.success) this.out.stderr(`${msg.output}\n`);
        break;
      case "plan_update":
        this.out.stderr(
          `${s.magenta(s.bold("plan"))}\n` +
            msg.plan.map((p) => `${p.status === "completed" ? "[x]" : p.status === "in_progress" ? "[~]" : "[ ]"} ${p.step}`).join("\n") +
            "\n",
        );
        break;
      case "mcp_tool_call_begin":
        this.out.stderr(`${s.magenta(s.bold("tool"))} ${msg.server}.${msg.tool}\n`);
        break;
      case "mcp_tool_call_end":
        if (msg.error !== undefined || msg.isError) {
          this.out.stderr(`${msg.server}.${msg.tool} ${s.red("failed")}${msg.error !== undefined ? `: ${msg.error}` : ""}\n`);
        }
        break;
      case "web_search_end":
        this.out.stderr(`${s.magenta(s.bold("web search"))} ${msg.query}\n`);
        break;
      case "collab_tool_call_end": {
        // Sub-agents: which agent was started, messaged, waited for or stopped.
        const who = (msg.receiverAgents ?? []).map((a) => a.path).join(", ");
        const verb = { spawn_agent: "spawned", send_input: "sent to", wait: "waited for agents", close_agent: "interrupted" }[msg.tool];
        const line = `${s.magenta(s.bold("agents"))} ${verb}${who ? ` ${who}` : ""}`;
        this.out.stderr(`${line}${msg.status === "failed" ? ` ${s.red("(failed)")}` : ""}\n`);
        break;
      }
      case "guardian_review_started":
        this.out.stderr(`${s.dim("reviewing the request with the guardian…")}\n`);
        break;
      case "guardian_review_completed": {
        const verdict = { approved: s.green("approved"), denied: s.red("denied"), failed: s.red("review failed"), aborted: s.dim("aborted") }[msg.status];
        const risk = msg.riskLevel ? ` (risk ${msg.riskLevel})` : "";
        this.out.stderr(`${s.bold("guardian")} ${verdict}${risk}${msg.rationale ? `: ${msg.rationale}` : ""}\n`);
        break;
      }
      case "warning":
        this.out.stderr(`${s.red("warning:")} ${msg.message}\n`);
        break;
      case "stream_error":
        this.out.stderr(`${s.dim(msg.message)}\n`);
        break;
      // As the reference's exec prints them: `hook: Stop`, then `hook: Stop Blocked`; what the hook said follows, indented.
      case "hook_started":
        this.out.stderr(`hook: ${msg.run.eventName}\n`);
        break;
      case "hook_completed": {
        const word = msg.run.status.charAt(0).toUpperCase() + msg.run.status.slice(1);
        const status = msg.run.status === "completed" ? s.green(word) : msg.run.status === "failed" ? s.red(word) : word;
        this.out.stderr(`hook: ${msg.run.eventName} ${status}\n`);
        // Observed: 0.169 prints no entries for SessionStart runs (context, systemMessage, stop reason).
        if (msg.run.eventName === "SessionStart") break;
        for (const e of msg.run.entries) this.out.stderr(`  ${e.kind === "error" ? s.red(e.kind) : e.kind}: ${e.text}\n`);
        break;
      }
      case "background_event":
        this.out.stderr(`${s.dim(msg.message)}\n`);
        break;
      case "token_count":
        this.totalTokens = msg.total.total_tokens || msg.total.input_tokens + msg.total.output_tokens;
        if (msg.contextLeftPercent !== undefined) this.contextLeft = msg.contextLeftPercent;
        break;
      case "context_compacted":
        this.out.stderr(
          `${s.magenta(s.bold("context compacted"))} ${msg.tokensBefore.toLocaleString("en-US")} → ${msg.tokensAfter.toLocaleString("en-US")} tokens\n`,
        );
        break;
      case "task_complete":
        if (msg.lastAgentMessage !== null) this.lastMessage = msg.lastAgentMessage;
        this.out.stderr(`${s.magenta(s.bold("tokens used"))}\n${this.totalTokens.toLocaleString("en-US")}\n`);
        if (this.contextLeft !== undefined) this.out.stderr(`${s.dim(`context left: ${this.contextLeft}%`)}\n`);
        if (this.lastMessage !== null) this.out.stdout(`${this.lastMessage}\n`);
        break;
      case "turn_failed":
        this.out.stderr(`${s.red("ERROR:")} ${msg.error.message}\n`);
        break;
      case "turn_aborted":
        this.out.stderr(`${s.red("ERROR:")} turn interrupted\n`);
        break;
      default:
        break;
    }
  }
}

function tailLines(text: string, n: number): string {
  if (text === "") return "";
  const lines = text.replace(/\n$/, "").split("\n");
  const shown = lines.length > n ? [`… +${lines.length - n} lines`, ...lines.slice(-n)] : lines;
  return shown.join("\n") + "\n";
}

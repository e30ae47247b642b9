import type { EventMsg, PlanItem } from "../protocol/events.js";
import type { TokenUsage } from "../protocol/items.js";

// Maps core events to `codex exec --json` events (exec-jsonl.md §3–4). Item ids are `item_<n>`,
// counted per process; callIds tie started/completed pairs together.

export type ExecItem = { id: string; type: string } & Record<string, unknown>;
export type ExecJsonEvent =
  | { type: "thread.started"; thread_id: string }
  | { type: "turn.started" }
  | { type: "item.started" | "item.updated" | "item.completed"; item: ExecItem }
  | { type: "turn.completed"; usage: ExecUsage }
  | { type: "turn.failed"; error: { message: string } }
  | { type: "error"; message: string };

export interface ExecUsage {
  input_tokens: number;
  cached_input_tokens: number;
  cache_write_input_tokens: number;
  output_tokens: number;
  reasoning_output_tokens: number;
}

export function toExecUsage(u: TokenUsage): ExecUsage {
  return {
    input_tokens: u.input_tokens,
    cached_input_tokens: u.cached_input_tokens,
    cache_write_input_tokens: 0,
    output_tokens: u.output_tokens,
    reasoning_output_tokens: u.reasoning_output_tokens,
  };
}

export class ExecJsonMapper {
  private nextId = 0;
  private readonly running = new Map<string, ExecItem>();
  private todo: ExecItem | null = null;
  private usage: ExecUsage = toExecUsage({
    input_tokens: 0,
    cached_input_tokens: 0,
    output_tokens: 0,
    reasoning_output_tokens: 0,
    total_tokens: 0,
  });

  map(msg: EventMsg): ExecJsonEvent[] {
    switch (msg.type) {
      case "session_configured":
        return [{ type: "thread.started", thread_id: msg.threadId }];
      case "task_started":
        return [{ type: "turn.started" }];
      case "agent_message":
        return [this.completedNew({ type: "agent_message", text: msg.message })];
      case "agent_reasoning":
        return [this.completedNew({ type: "reasoning", text: msg.text })];
      case "warning":
        return [this.completedNew({ type: "error", message: msg.message })];
      case "stream_error":
        return [{ type: "error", message: msg.message }];
      case "exec_command_begin":
        return [
          this.start(msg.callId, {
            type: "command_execution",
            command: msg.command,
            aggregated_output: "",
            exit_code: null,
            status: "in_progress",
          }),
        ];
      case "exec_command_end":
        return [
          this.finish(msg.callId, {
            type: "command_execution",
            command: msg.command,
            aggregated_output: msg.aggregatedOutput,
            exit_code: msg.exitCode,
            status: msg.status,
          }),
        ];
      case "patch_apply_begin":
        return [this.start(msg.callId, { type: "file_change", changes: fileChanges(msg.changes), status: "in_progress" })];
      case "patch_apply_end":
        return [
          this.finish(msg.callId, {
            type: "file_change",
            changes: fileChanges(msg.changes),
            status: msg.success ? "completed" : "failed",
          }),
        ];
      case "mcp_tool_call_begin":
        return [
          this.start(msg.callId, {
            type: "mcp_tool_call",
            server: msg.server,
            tool: msg.tool,
            arguments: msg.arguments,
            result: null,
            error: null,
            status: "in_progress",
          }),
        ];
      case "mcp_tool_call_end":
        return [
          this.finish(msg.callId, {
            type: "mcp_tool_call",
            server: msg.server,
            tool: msg.tool,
            arguments: msg.arguments,
            result: msg.result ? { content: msg.result.content, structured_content: msg.result.structured_content ?? null } : null,
            error: msg.error !== undefined ? { message: msg.error } : null,
            status: msg.error !== undefined || msg.isError === true ? "failed" : "completed",
          }),
        ];
      case "web_search_begin":
        return [this.start(msg.callId, { type: "web_search", query: "", action: { type: "other" } })];
      case "web_search_end":
        return [this.finish(msg.callId, { type: "web_search", query: msg.query, action: msg.action })];
      case "collab_tool_call_begin":
        // As the reference 0.169 (multi_agent_v2): only a wait is an item; a spawn, message, follow-up or
        // interrupt shows none (nor the spawned agent's model and effort, which the app-server shows).
        if (msg.tool !== "wait") return [];
        return [
          this.start(msg.callId, {
            type: "collab_tool_call",
            tool: msg.tool,
            sender_thread_id: msg.senderThreadId,
            receiver_thread_ids: msg.receiverThreadIds,
            prompt: msg.prompt,
            agents_states: {},
            status: "in_progress",
          }),
        ];
      case "collab_tool_call_end":
        if (msg.tool !== "wait") return [];
        return [
          this.finish(msg.callId, {
            type: "collab_tool_call",
            tool: msg.tool,
            sender_thread_id: msg.senderThreadId,
            receiver_thread_ids: msg.receiverThreadIds,
            prompt: msg.prompt,
            agents_states: msg.agentsStates,
            status: msg.status,
          }),
        ];
      case "plan_update":
        return [this.planUpdate(msg.plan)];
      case "hook_started":
      case "hook_completed":
        // The reference's exec --json shows no hook items (a blocked command simply has none).
        return [];
      case "token_count":
        this.usage = toExecUsage(msg.total);
        return [];
      case "task_complete":
        return [...this.closeOpenItems(), { type: "turn.completed", usage: this.usage }];
      case "turn_failed":
        return [
          ...this.closeOpenItems(),
          { type: "error", message: msg.error.message },
          { type: "turn.failed", error: { message: msg.error.message } },
        ];
      case "turn_aborted": {
        const message = "Turn interrupted";
        return [...this.closeOpenItems(), { type: "error", message }, { type: "turn.failed", error: { message } }];
      }
      default:
        return [];
    }
  }

  private newItem(fields: Omit<ExecItem, "id">): ExecItem {
    return { id: `item_${this.nextId++}`, ...fields } as ExecItem;
  }

  private completedNew(fields: Omit<ExecItem, "id">): ExecJsonEvent {
    return { type: "item.completed", item: this.newItem(fields) };
  }

  private start(callId: string, fields: Omit<ExecItem, "id">): ExecJsonEvent {
    const item = this.newItem(fields);
    this.running.set(callId, item);
    return { type: "item.started", item };
  }

  private finish(callId: string, fields: Omit<ExecItem, "id">): ExecJsonEvent {
    const started = this.running.get(callId);
    this.running.delete(callId);
    const item = started ? ({ id: started.id, ...fields } as ExecItem) : this.newItem(fields);
    return { type: "item.completed", item };
  }

  private planUpdate(plan: PlanItem[]): ExecJsonEvent {
    const items = plan.map((p) => ({ text: p.step, completed: p.status === "completed" }));
    if (!this.todo) {
      this.todo = this.newItem({ type: "todo_list", items });
      return { type: "item.started", item: this.todo };
    }
    this.todo = { ...this.todo, items };
    return { type: "item.updated", item: this.todo };
  }

  /**
   * At turn end: the plan completes, and so does any other open item. A command still running is a background
   * terminal that outlives its call: like the reference, its item stays in_progress (no item.completed at turn
   * end) and completes, with the same id, if its end is reported later.
   */
  private closeOpenItems(): ExecJsonEvent[] {
    const out: ExecJsonEvent[] = [];
    if (this.todo) {
      out.push({ type: "item.completed", item: this.todo });
      this.todo = null;
    }
    for (const [callId, item] of this.running) {
      if (item.type === "command_execution") continue;
      out.push({ type: "item.completed", item: { ...item, status: "completed" } });
      this.running.delete(callId);
    }
    return out;
  }
}

function fileChanges(changes: Array<{ path: string; kind: string }>): Array<{ path: string; kind: string }> {
  return changes.map((c) => ({ path: c.path, kind: c.kind }));
}

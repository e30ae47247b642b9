import type { ResponseItem } from "../../protocol/items.js";
import type { AgentTree } from "./agent-tree.js";

/** Where a thread sits in an agent tree: its path, its parent, and the tree it belongs to. */
export interface AgentSeat {
  tree: AgentTree;
  path: string;
  depth: number;
  /** Null for the root agent. */
  parentThreadId: string | null;
  rootThreadId: string;
  model?: string;
  reasoningEffort?: string;
}

/**
 * The seat of an agent reopened from its journal: it runs with the model and effort its last turn ran with
 * (what its spawn resolved, or a later override), as the reference restores a child's stored model and effort;
 * config's would silently swap the model of a child spawned with another one.
 */
export function seatAsRecorded(seat: AgentSeat, recorded: { model: string; effort?: string }): AgentSeat {
  const { reasoningEffort: _dropped, ...rest } = seat;
  return { ...rest, model: recorded.model, ...(recorded.effort ? { reasoningEffort: recorded.effort } : {}) };
}

/** session_meta fields of a sub-agent's rollout (the reference's layout). */
export function subagentSessionMeta(seat: AgentSeat): Record<string, unknown> {
  return {
    session_id: seat.rootThreadId,
    parent_thread_id: seat.parentThreadId,
    source: {
      subagent: {
        thread_spawn: {
          parent_thread_id: seat.parentThreadId,
          depth: seat.depth,
          agent_path: seat.path,
          agent_nickname: null,
          agent_role: null,
        },
      },
    },
    thread_source: "subagent",
    agent_path: seat.path,
  };
}

const developer = (text: string): ResponseItem => ({ type: "message", role: "developer", content: [{ type: "input_text", text }] });

export function rootAgentMessage(): ResponseItem {
  return developer(
    "You are `/root`, the agent the person talks to. The `collaboration` tools let you hand parts of the work to other " +
      "agents: `spawn_agent` starts one on a task, `followup_task` gives an existing agent a new task, `send_message` " +
      "leaves it a note, `wait_agent` waits until one of them reports, `list_agents` and `interrupt_agent` show and stop " +
      "them. Agents you start have your tools and your permissions, no more. Start agents only when the person or the " +
      "project's instructions ask for it, or when the work splits into parts that can really proceed on their own; each " +
      "agent's final answer reaches you as a message.",
  );
}

export function childAgentMessage(seat: AgentSeat, parentPathText: string): ResponseItem {
  return developer(
    `You are \`${seat.path}\`, an agent started by \`${parentPathText}\` for one task, which arrives as a message. ` +
      "Do it with your tools, then end your turn with your final answer: that text is what the agent that started you " +
      "receives. The `collaboration` tools let you message other agents of the tree by path and, where allowed, start " +
      "helpers of your own.",
  );
}

/** The items a new thread starts from, with the agent's own developer message after the other developer messages. */
export function withAgentMessage(items: ResponseItem[], message: ResponseItem): ResponseItem[] {
  let at = 0;
  for (let i = 0; i < items.length; i++) {
    const it = items[i] as { type?: string; role?: string };
    if (it.type === "message" && it.role === "developer") at = i + 1;
  }
  return [...items.slice(0, at), message, ...items.slice(at)];
}

/**
 * The parent's history as a child's starting point: calls still in flight (the spawn itself) have no
 * output yet, and the API refuses a call without one, so they are left out.
 */
export function forkedHistory(parent: readonly ResponseItem[]): ResponseItem[] {
  const answered = new Set<string>();
  for (const item of parent) {
    const t = item.type;
    if (t === "function_call_output" || t === "custom_tool_call_output" || t === "tool_search_output") {
      answered.add(String((item as { call_id?: unknown }).call_id));
    }
  }
  return parent.filter((item) => {
    const t = item.type;
    if (t !== "function_call" && t !== "custom_tool_call" && t !== "tool_search_call" && t !== "local_shell_call") return true;
    return answered.has(String((item as { call_id?: unknown }).call_id));
  });
}

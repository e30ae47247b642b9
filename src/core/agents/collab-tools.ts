import { z } from "zod";
import type { CollabToolKind, EventMsg, SpawnedAgentSettings } from "../../protocol/events.js";
import { defineTool, ToolError, type FunctionTool, type ToolContext, type ToolHandler, type ToolOutput, type ToolSpec } from "../tools/contract.js";
import type { ToolSource } from "../tools/registry.js";
import { resolveTargetPath } from "./agent-path.js";
import { AgentError, type AgentListing, type AgentStatus, type AgentTree } from "./agent-tree.js";

// The `collaboration` namespace: six tools through which an agent spawns, messages, waits for and stops
// other agents of its tree. Registered as `collaboration__<tool>`, so only a call that names the
// namespace reaches them (a bare `spawn_agent` is an unsupported call, as in the reference).

export const COLLABORATION_NAMESPACE = "collaboration";

const WAIT_DEFAULT_MS = 30_000;
const WAIT_MIN_MS = 10_000;
const WAIT_MAX_MS = 3_600_000;

export interface CollabToolsOptions {
  tree: AgentTree;
  /** The calling agent's path and thread. */
  self: { path: string; threadId: string };
  /** False at the depth limit: the agent may talk to others but not spawn. */
  canSpawn: boolean;
  /** The model and effort a child runs with, given what it asks for (shown with the spawn; config's for what it leaves out). */
  childSettings(asked: { model?: string; reasoningEffort?: string }): SpawnedAgentSettings;
}

const str = (description: string, extra: Record<string, unknown> = {}) => ({ type: "string", description, ...extra });
const schema = (properties: Record<string, unknown>, required: string[]) => ({
  type: "object",
  properties,
  ...(required.length > 0 ? { required } : {}),
  additionalProperties: false,
});

export function statusJson(status: AgentStatus): unknown {
  return status;
}

function listingJson(a: AgentListing): { agent_name: string; agent_status: unknown } {
  return { agent_name: a.path, agent_status: statusJson(a.status) };
}

function statesOf(agents: AgentListing[]): Record<string, { status: string; message?: string }> {
  const out: Record<string, { status: string; message?: string }> = {};
  for (const a of agents) {
    if (!a.threadId) continue;
    const s = a.status;
    if (typeof s === "string") out[a.threadId] = { status: s };
    else if ("completed" in s) out[a.threadId] = { status: "completed", ...(s.completed !== null ? { message: s.completed } : {}) };
    else out[a.threadId] = { status: "errored", message: s.errored };
  }
  return out;
}

export function createCollabTools(o: CollabToolsOptions): ToolHandler[] {
  const { tree, self } = o;

  /** Runs a collaboration call between begin/end events; AgentErrors become text for the model. */
  async function visible(
    ctx: ToolContext,
    shown: { tool: CollabToolKind; prompt: string | null; receivers: () => string[]; spawnedWith?: SpawnedAgentSettings } | null,
    run: () => Promise<string>,
  ): Promise<ToolOutput> {
    const base = shown
      ? {
          callId: ctx.callId,
          tool: shown.tool,
          senderThreadId: self.threadId,
          prompt: shown.prompt,
          ...(shown.spawnedWith ? { spawnedWith: shown.spawnedWith } : {}),
        }
      : null;
    if (base) ctx.emit({ type: "collab_tool_call_begin", ...base, receiverThreadIds: shown!.receivers() });
    const end = (status: "completed" | "failed"): EventMsg | null =>
      base
        ? {
            type: "collab_tool_call_end",
            ...base,
            receiverThreadIds: shown!.receivers(),
            agentsStates: statesOf(tree.list().filter((a) => shown!.receivers().includes(a.threadId))),
            status,
            receiverAgents: tree
              .list()
              .filter((a) => shown!.receivers().includes(a.threadId))
              .map((a) => ({ threadId: a.threadId, path: a.path })),
          }
        : null;
    try {
      const content = await run();
      const ev = end("completed");
      if (ev) ctx.emit(ev);
      return { content, success: true };
    } catch (err) {
      const ev = end("failed");
      if (ev) ctx.emit(ev);
      if (err instanceof AgentError) throw ToolError.toModel(err.message);
      throw err;
    }
  }

  const receiversFor = (target: () => string | undefined) => () => {
    const t = target();
    if (t === undefined) return [];
    // By path, thread id, or a task name relative to the caller (as the tools accept it).
    const resolved = resolveTargetPath(self.path, t);
    const found = tree.list().find((a) => a.path === t || a.threadId === t || a.path === resolved);
    return found?.threadId ? [found.threadId] : [];
  };

  const spawn: FunctionTool<{ task_name: string; message: string; fork_turns?: string; model?: string; reasoning_effort?: string }> =
    defineTool({
      name: `${COLLABORATION_NAMESPACE}__spawn_agent`,
      description:
        "Start a new agent on a task. It runs in the background with the same tools and permissions as you; its path is " +
        "your own path plus `/<task_name>` (from `/root`, task `tests` becomes `/root/tests`), and you can address it by " +
        "that path or, from where you are, by the task name alone. Its final answer arrives in your mailbox when it " +
        "finishes (use wait_agent). `fork_turns: \"all\"` (the default) starts it with this conversation; `\"none\"` " +
        "starts it with only the task, so put everything it needs in the message.",
      args: z.object({
        task_name: z.string(),
        message: z.string(),
        fork_turns: z.enum(["all", "none"]).optional(),
        model: z.string().optional(),
        reasoning_effort: z.string().optional(),
      }),
      parameters: schema(
        {
          fork_turns: str("History the agent starts from: `all` (default, this conversation) or `none` (only the task)."),
          message: str("The task for the new agent, in plain text.", { encrypted: true }),
          model: str("A different model for the agent; leave out to use yours."),
          reasoning_effort: str("A different reasoning effort for the agent; leave out to use yours."),
          task_name: str("Name of the task: lowercase letters, digits and underscores; it becomes the last part of the agent's path."),
        },
        ["task_name", "message"],
      ),
      isMutating: () => true,
      handle: (args, ctx) => {
        let spawned: string | undefined;
        // As the reference: the child starts from the spawner's turn (its model and effort, an override
        // included); what the call names replaces them.
        const model = args.model || ctx.turn?.model;
        const reasoningEffort = args.reasoning_effort || ctx.turn?.reasoningEffort;
        const spawnedWith = o.childSettings({ ...(model ? { model } : {}), ...(reasoningEffort ? { reasoningEffort } : {}) });
        return visible(ctx, { tool: "spawn_agent", prompt: args.message, receivers: receiversFor(() => spawned), spawnedWith }, async () => {
          // The child runs with what the spawn shows.
          const r = await tree.spawn(self.path, {
            taskName: args.task_name,
            message: args.message,
            forkTurns: args.fork_turns ?? "all",
            model: spawnedWith.model,
            ...(spawnedWith.reasoningEffort ? { reasoningEffort: spawnedWith.reasoningEffort } : {}),
          });
          spawned = r.path;
          return JSON.stringify({ task_name: r.path });
        });
      },
    });

  const send = defineTool({
    name: `${COLLABORATION_NAMESPACE}__send_message`,
    description:
      "Put a message in another agent's mailbox (by path, or task name relative to you). It reads it at its next step; " +
      "an idle agent is not started by it (use followup_task for that).",
    args: z.object({ target: z.string(), message: z.string() }),
    parameters: schema(
      {
        message: str("The message text.", { encrypted: true }),
        target: str("Path or relative task name of the agent to message."),
      },
      ["target", "message"],
    ),
    isMutating: () => true,
    handle: (args, ctx) =>
      visible(ctx, { tool: "send_input", prompt: args.message, receivers: receiversFor(() => args.target) }, async () => {
        await tree.send(self.path, args.target, args.message);
        return "";
      }),
  });

  const followup = defineTool({
    name: `${COLLABORATION_NAMESPACE}__followup_task`,
    description:
      "Give an existing agent (not /root) another task. An idle agent starts working on it at once; a busy one gets it " +
      "at its next step.",
    args: z.object({ target: z.string(), message: z.string() }),
    parameters: schema(
      {
        message: str("The new task, in plain text.", { encrypted: true }),
        target: str("Path or relative task name of the agent (as spawn_agent returned it)."),
      },
      ["target", "message"],
    ),
    isMutating: () => true,
    handle: (args, ctx) =>
      visible(ctx, { tool: "send_input", prompt: args.message, receivers: receiversFor(() => args.target) }, async () => {
        await tree.followup(self.path, args.target, args.message);
        return "";
      }),
  });

  const wait = defineTool({
    name: `${COLLABORATION_NAMESPACE}__wait_agent`,
    description:
      "Wait until any agent has sent you something (a message or a final answer), or until the timeout. The answer only " +
      "says whether something arrived; what arrived follows as messages.",
    args: z.object({ timeout_ms: z.number().optional() }),
    parameters: schema(
      { timeout_ms: { type: "number", description: `How long to wait, in ms (default ${WAIT_DEFAULT_MS}, from ${WAIT_MIN_MS} to ${WAIT_MAX_MS}).` } },
      [],
    ),
    isMutating: () => false,
    handle: (args, ctx) =>
      visible(ctx, { tool: "wait", prompt: null, receivers: () => [] }, async () => {
        const ms = Math.min(WAIT_MAX_MS, Math.max(WAIT_MIN_MS, Math.trunc(args.timeout_ms ?? WAIT_DEFAULT_MS)));
        const r = await tree.wait(self.path, ms, ctx.signal);
        return JSON.stringify(r.timedOut ? { message: "Wait timed out.", timed_out: true } : { message: "Wait completed.", timed_out: false });
      }),
  });

  const interrupt = defineTool({
    name: `${COLLABORATION_NAMESPACE}__interrupt_agent`,
    description: "Stop what an agent is doing now and get the status it had. It stays reachable for messages and follow-up tasks.",
    args: z.object({ target: z.string() }),
    parameters: schema({ target: str("Path or relative task name of the agent to interrupt.") }, ["target"]),
    isMutating: () => true,
    handle: (args, ctx) =>
      visible(ctx, { tool: "close_agent", prompt: null, receivers: receiversFor(() => args.target) }, async () => {
        const previous = await tree.interrupt(self.path, args.target);
        return JSON.stringify({ previous_status: statusJson(previous) });
      }),
  });

  const list = defineTool({
    name: `${COLLABORATION_NAMESPACE}__list_agents`,
    description: "List the live agents of this tree with their status, optionally only those under a path.",
    args: z.object({ path_prefix: z.string().optional() }),
    parameters: schema({ path_prefix: str("Only agents at or below this path (no trailing slash); leave out for all.") }, []),
    isMutating: () => false,
    handle: (args, ctx) =>
      visible(ctx, null, async () => JSON.stringify({ agents: tree.list(args.path_prefix).map(listingJson) })),
  });

  return [followup, interrupt, list, send, ...(o.canSpawn ? [spawn] : []), wait];
}

/** The tools as a registry source whose spec is one `namespace` entry. */
export function collabToolSource(tools: ToolHandler[]): ToolSource {
  const spec: ToolSpec = {
    type: "namespace",
    name: COLLABORATION_NAMESPACE,
    description: "Start other agents and work with them.",
    tools: tools.map((t) => {
      const s = t.kind === "function" ? { type: "function", name: t.name, description: t.description, strict: false, parameters: t.parameters } : null;
      return { ...s!, name: t.name.slice(COLLABORATION_NAMESPACE.length + 2) };
    }),
  };
  return { tools: () => tools, specs: () => [spec] };
}

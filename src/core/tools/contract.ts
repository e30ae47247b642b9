import { z } from "zod";
import type { EventMsg } from "../../protocol/events.js";
import type { ResponseItem, ToolCallItem, ToolOutputContent } from "../../protocol/items.js";
import type { AskForApproval, SandboxPolicy } from "../../protocol/policy.js";
import type { UserInputQuestion, UserInputResponse } from "../../protocol/user-input.js";
import type { ApprovalGate } from "../approval/contract.js";
import type { ExecRunner } from "../exec/contract.js";

/** Everything a tool may use. No tool sees the thread, the session or the config object. */
export interface ToolContext {
  cwd: string;
  callId: string;
  /** The response item id of the call (`fc_…`), when the model gave one (MCP `_meta.itemId`). */
  itemId?: string;
  sandboxPolicy: SandboxPolicy;
  approvalPolicy: AskForApproval;
  /** Environment for child processes, already filtered by shell_environment_policy. */
  env: Record<string, string>;
  exec: ExecRunner;
  approval: ApprovalGate;
  emit: (msg: EventMsg) => void;
  signal: AbortSignal;
  /** Directory for spooled output of this thread. */
  spoolDir: string;
  /**
   * The turn this call belongs to (MCP calls carry it in `_meta`); `metadata` is the turn-metadata object;
   * `model` and `reasoningEffort` are what the turn's requests ask for (a per-turn override included).
   */
  turn?: { threadId: string; turnId: string; metadata?: Record<string, unknown>; model?: string; reasoningEffort?: string };
  /**
   * The turn's before/after seam (hooks…) for calls a tool makes itself — code mode's `tools.<name>()` —
   * so they are judged like direct calls. Absent outside a turn's tool round.
   */
  nestedCallSeam?: NestedCallSeam;
  /** The W3C trace context of this call's span, when tracing is on (MCP calls send it in `_meta`). */
  traceContext?: { traceparent: string; tracestate?: string };
  /**
   * Records `item` in the history right after this call's output (code mode's `notify()`: more outputs for
   * the exec call id, as the reference records them). Absent outside a turn's tool round.
   */
  recordAfterOutput?(item: ResponseItem): void;
  /**
   * Asks the person the model's questions (`request_user_input`) and waits for the answers; null when the
   * ask ended unanswered (`signal`: the call's, which also ends when a sibling call fails the round). Absent
   * when nobody can answer (exec, a sub-agent).
   */
  askUser?(questions: UserInputQuestion[], o: { isBlocking: boolean; signal: AbortSignal }): Promise<UserInputResponse | "cancelled" | null>;
}

export interface NestedCallSeam {
  before(
    call: ToolCallItem,
  ): Promise<
    | { type: "continue" }
    | { type: "block"; reason: string }
    | { type: "replace"; output: string }
    | { type: "rewrite"; call: ToolCallItem }
    | void
  >;
  after(call: ToolCallItem, output: ResponseItem): Promise<void>;
}

export interface ToolOutput {
  /** What the model sees: a string, or content items (text/images). */
  content: ToolOutputContent;
  success: boolean;
  /** Tool search only: the tool specs found (they go back in a `tool_search_output`). */
  tools?: unknown[];
  /** The result as data, for callers that are programs (code mode's `tools.<name>()`), when it differs from the text. */
  structured?: unknown;
}

/** respond_to_model: the text goes back to the model; fatal: the turn fails; abort_turn: a person ended the turn. */
export type ToolErrorKind = "respond_to_model" | "fatal" | "abort_turn";

export class ToolError extends Error {
  constructor(
    message: string,
    readonly kind: ToolErrorKind,
  ) {
    super(message);
    this.name = "ToolError";
  }
  static toModel(message: string): ToolError {
    return new ToolError(message, "respond_to_model");
  }
  static fatal(message: string): ToolError {
    return new ToolError(message, "fatal");
  }
  static abortTurn(message: string): ToolError {
    return new ToolError(message, "abort_turn");
  }
}

/** How the model sees the tool: a JSON function, or a freeform (custom) tool with a grammar. */
export type ToolSpec =
  | {
      type: "function";
      name: string;
      description: string;
      strict: boolean;
      parameters: Record<string, unknown>;
    }
  | {
      type: "custom";
      name: string;
      description: string;
      format: { type: "grammar"; syntax: "lark"; definition: string } | { type: "text" };
    }
  | ({ type: "web_search" } & Record<string, unknown>)
  | ({ type: "tool_search" } & Record<string, unknown>)
  /** A group of function tools the model calls with `namespace` set (the `collaboration` tools, dynamic tools). */
  | ({ type: "namespace" } & Record<string, unknown>);

export interface FunctionTool<A> {
  kind: "function";
  name: string;
  description: string;
  args: z.ZodType<A>;
  /** A JSON schema to send instead of the one derived from `args` (tools whose schema comes from elsewhere: MCP). */
  parameters?: Record<string, unknown>;
  /** True when the call may change state; mutating calls never run in parallel with others. */
  isMutating(args: A): boolean;
  /** True when calls of this tool may run alongside each other even though they mutate (shell commands). */
  supportsParallel?: boolean;
  handle(args: A, ctx: ToolContext): Promise<ToolOutput>;
}

export interface FreeformTool {
  kind: "freeform";
  name: string;
  description: string;
  grammar: string;
  isMutating(input: string): boolean;
  supportsParallel?: boolean;
  handle(input: string, ctx: ToolContext): Promise<ToolOutput>;
}

export type ToolHandler = FunctionTool<any> | FreeformTool;

export function defineTool<A>(tool: Omit<FunctionTool<A>, "kind">): FunctionTool<A> {
  return { kind: "function", ...tool };
}

export function defineFreeformTool(tool: Omit<FreeformTool, "kind">): FreeformTool {
  return { kind: "freeform", ...tool };
}

export function toolSpec(tool: ToolHandler): ToolSpec {
  if (tool.kind === "freeform") {
    return {
      type: "custom",
      name: tool.name,
      description: tool.description,
      format: { type: "grammar", syntax: "lark", definition: tool.grammar },
    };
  }
  if (tool.parameters) {
    return { type: "function", name: tool.name, description: tool.description, strict: false, parameters: tool.parameters };
  }
  const schema = z.toJSONSchema(tool.args, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  delete schema.$schema;
  return { type: "function", name: tool.name, description: tool.description, strict: false, parameters: schema };
}

import { z } from "zod";

// Responses API input/output items. Known variants are typed; unknown variants round-trip unchanged
// (the API grows new item types and we must resend history verbatim with store:false).

export const InputText = z.object({ type: z.literal("input_text"), text: z.string() });
export const InputImage = z.object({
  type: z.literal("input_image"),
  image_url: z.string().optional(),
  file_id: z.string().optional(),
  detail: z.enum(["auto", "low", "high", "original"]).optional(),
});
export const OutputText = z.object({
  type: z.literal("output_text"),
  text: z.string(),
  annotations: z.array(z.unknown()).optional(),
});
export const ContentItem = z.union([InputText, InputImage, OutputText]);
export type ContentItem = z.infer<typeof ContentItem>;

export const MessageItem = z.looseObject({
  type: z.literal("message"),
  id: z.string().optional(),
  role: z.enum(["developer", "user", "assistant", "system"]),
  content: z.array(z.looseObject({ type: z.string() })),
  phase: z.enum(["commentary", "partial_answer", "final_answer"]).optional(),
});
export type MessageItem = z.infer<typeof MessageItem>;

export const ReasoningItem = z.looseObject({
  type: z.literal("reasoning"),
  id: z.string().optional(),
  summary: z.array(z.looseObject({ type: z.string(), text: z.string() })).default([]),
  content: z.array(z.looseObject({ type: z.string(), text: z.string() })).nullable().optional(),
  encrypted_content: z.string().nullable().optional(),
});
export type ReasoningItem = z.infer<typeof ReasoningItem>;

export const FunctionCallItem = z.looseObject({
  type: z.literal("function_call"),
  id: z.string().optional(),
  name: z.string(),
  namespace: z.string().optional(),
  arguments: z.string(),
  call_id: z.string(),
  status: z.string().optional(),
});
export type FunctionCallItem = z.infer<typeof FunctionCallItem>;

export const CustomToolCallItem = z.looseObject({
  type: z.literal("custom_tool_call"),
  id: z.string().optional(),
  name: z.string(),
  input: z.string(),
  call_id: z.string(),
  status: z.string().optional(),
});
export type CustomToolCallItem = z.infer<typeof CustomToolCallItem>;

export const ToolOutputContent = z.union([z.string(), z.array(z.union([InputText, InputImage]))]);
export type ToolOutputContent = z.infer<typeof ToolOutputContent>;

export const FunctionCallOutputItem = z.looseObject({
  type: z.literal("function_call_output"),
  id: z.string().optional(),
  call_id: z.string(),
  output: ToolOutputContent,
});
export type FunctionCallOutputItem = z.infer<typeof FunctionCallOutputItem>;

export const CustomToolCallOutputItem = z.looseObject({
  type: z.literal("custom_tool_call_output"),
  id: z.string().optional(),
  call_id: z.string(),
  output: ToolOutputContent,
});
export type CustomToolCallOutputItem = z.infer<typeof CustomToolCallOutputItem>;

export const WebSearchCallItem = z.looseObject({
  type: z.literal("web_search_call"),
  id: z.string().optional(),
  status: z.string().optional(),
  action: z.looseObject({ type: z.string() }).optional(),
});
export type WebSearchCallItem = z.infer<typeof WebSearchCallItem>;

/** Any item we do not model; kept as-is so history resends it verbatim. */
export const OtherItem = z.looseObject({ type: z.string() });

export const ResponseItem = z.union([
  MessageItem,
  ReasoningItem,
  FunctionCallItem,
  CustomToolCallItem,
  FunctionCallOutputItem,
  CustomToolCallOutputItem,
  WebSearchCallItem,
  OtherItem,
]);
export type ResponseItem =
  | MessageItem
  | ReasoningItem
  | FunctionCallItem
  | CustomToolCallItem
  | FunctionCallOutputItem
  | CustomToolCallOutputItem
  | WebSearchCallItem
  | ({ type: string } & Record<string, unknown>);

export type ToolCallItem = FunctionCallItem | CustomToolCallItem;

export function isToolCall(item: ResponseItem): item is ToolCallItem {
  return item.type === "function_call" || item.type === "custom_tool_call";
}

/**
 * The tool a call names, qualified: a call into a namespaced tool (`namespace: "mcp__srv", name: "get_sum"`,
 * after tool search) is `mcp__srv__get_sum`, as the registry and hook matchers know it.
 */
export function qualifiedCallName(call: ToolCallItem): string {
  return call.type === "function_call" && call.namespace ? `${call.namespace}__${call.name}` : call.name;
}

/** Marks the function-call view of a client-executed `tool_search_call` (its answer is a `tool_search_output`). */
export const TOOL_SEARCH_ORIGIN = "tool_search_call";

/**
 * A client-executed `tool_search_call` as the call `tool_search` the registry dispatches; the history keeps
 * the original item. Null for any other item.
 */
export function toolSearchCallView(item: ResponseItem): FunctionCallItem | null {
  if (item.type !== "tool_search_call") return null;
  const call = item as { call_id?: unknown; execution?: unknown; arguments?: unknown; id?: unknown };
  if (typeof call.call_id !== "string" || (call.execution !== undefined && call.execution !== "client")) return null;
  const args = typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments ?? {});
  return { type: "function_call", name: "tool_search", call_id: call.call_id, arguments: args, origin: TOOL_SEARCH_ORIGIN };
}

export function isToolSearchView(call: ResponseItem): boolean {
  return (call as { origin?: unknown }).origin === TOOL_SEARCH_ORIGIN;
}

export const TokenUsage = z.object({
  input_tokens: z.number(),
  cached_input_tokens: z.number(),
  output_tokens: z.number(),
  reasoning_output_tokens: z.number(),
  total_tokens: z.number(),
});
export type TokenUsage = z.infer<typeof TokenUsage>;

export const emptyUsage = (): TokenUsage => ({
  input_tokens: 0,
  cached_input_tokens: 0,
  output_tokens: 0,
  reasoning_output_tokens: 0,
  total_tokens: 0,
});

/** What a person (or SDK) submits as one turn's input. */
export const UserInput = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text"), text: z.string() }),
  z.object({ type: z.literal("local_image"), path: z.string() }),
  z.object({ type: z.literal("image"), image_url: z.string() }),
]);
export type UserInput = z.infer<typeof UserInput>;

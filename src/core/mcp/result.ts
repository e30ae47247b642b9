// An MCP CallToolResult as the model sees it (the reference's shape: a "Wall time" header, then the
// structured content as JSON, or the content blocks with images as input images) and as the
// mcp_tool_call_end event carries it.
import type { ToolOutputContent } from "../../protocol/items.js";
import type { McpCallResult } from "./connection.js";

type ContentItem = Exclude<ToolOutputContent, string>[number];

export function modelOutputOf(result: McpCallResult, elapsedMs: number): ToolOutputContent {
  const header = `Wall time: ${(elapsedMs / 1000).toFixed(4)} seconds\nOutput:`;
  if (result.structuredContent !== undefined && result.structuredContent !== null) {
    return `${header}\n${JSON.stringify(result.structuredContent)}`;
  }
  return [{ type: "input_text", text: header }, ...result.content.map(contentItem)];
}

function contentItem(block: Record<string, unknown>): ContentItem {
  if (block.type === "text" && typeof block.text === "string") return { type: "input_text", text: block.text };
  if (block.type === "image" && typeof block.data === "string") {
    const mime = typeof block.mimeType === "string" ? block.mimeType : "image/png";
    return { type: "input_image", image_url: `data:${mime};base64,${block.data}`, detail: "original" };
  }
  if (block.type === "resource_link") {
    return { type: "input_text", text: `Resource link: ${String(block.uri)}${block.name ? ` (${String(block.name)})` : ""}` };
  }
  if (block.type === "resource" && block.resource && typeof block.resource === "object") {
    const r = block.resource as Record<string, unknown>;
    if (typeof r.text === "string") return { type: "input_text", text: r.text };
  }
  if (block.type === "audio") {
    return { type: "input_text", text: `[audio content, ${String(block.mimeType ?? "unknown type")}, not shown]` };
  }
  return { type: "input_text", text: JSON.stringify(block) };
}

/** The event's result: content blocks as the server sent them, structured content under the reference's key. */
export function eventResultOf(result: McpCallResult): { content: unknown[]; structured_content: unknown } {
  return { content: result.content, structured_content: result.structuredContent ?? null };
}

/**
 * What `await tools.mcp__…()` resolves to in code mode: the CallToolResult with the keys the server set, as
 * the reference 0.169 hands it to the script (an `isError` result is a value, not an exception).
 */
export function scriptResultOf(result: McpCallResult): Record<string, unknown> {
  return {
    content: result.content,
    ...(result.structuredContent !== undefined && result.structuredContent !== null ? { structuredContent: result.structuredContent } : {}),
    ...(result.isError === true ? { isError: true } : {}),
    ...(result._meta !== undefined ? { _meta: result._meta } : {}),
  };
}

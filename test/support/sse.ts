// Builders for Responses API SSE events, so tests script model turns in one readable line each.
// Each builder returns plain event objects (or arrays of them); `sseBody` serialises a list.

export type SseEvent = { type: string } & Record<string, unknown>;

/** A verbatim chunk of SSE text (e.g. a malformed data line); the fake server writes it unchanged. */
export class RawSse {
  constructor(readonly text: string) {}
}

export type SseChunk = SseEvent | RawSse;

/** Anything builders return: a single event or a sequence; `flattenEvents` accepts nested lists. */
export type SseInput = SseChunk | readonly SseInput[];

export function flattenEvents(input: readonly SseInput[]): SseChunk[] {
  const out: SseChunk[] = [];
  for (const part of input) {
    if (Array.isArray(part)) out.push(...flattenEvents(part));
    else out.push(part as SseChunk);
  }
  return out;
}

export function created(id = "resp_1"): SseEvent {
  return { type: "response.created", response: { id } };
}

export interface UsageInput {
  input_tokens?: number;
  cached_tokens?: number;
  output_tokens?: number;
  reasoning_tokens?: number;
  total_tokens?: number;
}

export function completed(id = "resp_1", usage?: UsageInput): SseEvent {
  const u = usage ?? {};
  const input = u.input_tokens ?? 10;
  const output = u.output_tokens ?? 5;
  return {
    type: "response.completed",
    response: {
      id,
      usage: {
        input_tokens: input,
        input_tokens_details: { cached_tokens: u.cached_tokens ?? 0 },
        output_tokens: output,
        output_tokens_details: { reasoning_tokens: u.reasoning_tokens ?? 0 },
        total_tokens: u.total_tokens ?? input + output,
      },
    },
  };
}

export function failed(code: string, message = `failed: ${code}`): SseEvent {
  return { type: "response.failed", response: { id: "resp_failed", error: { code, message } } };
}

/** Message item events: added, one delta per chunk, done with the full text. */
export function textMessage(text: string, opts: { id?: string; chunks?: string[] } = {}): SseEvent[] {
  const id = opts.id ?? "msg_1";
  const chunks = opts.chunks ?? [text];
  return [
    {
      type: "response.output_item.added",
      output_index: 0,
      item: { type: "message", id, role: "assistant", status: "in_progress", content: [] },
    },
    ...chunks.map((delta) => ({
      type: "response.output_text.delta",
      item_id: id,
      output_index: 0,
      content_index: 0,
      delta,
    })),
    {
      type: "response.output_item.done",
      output_index: 0,
      item: {
        type: "message",
        id,
        role: "assistant",
        status: "completed",
        content: [{ type: "output_text", text, annotations: [] }],
      },
    },
  ];
}

export function reasoning(summary: string, opts: { id?: string; encrypted?: string } = {}): SseEvent[] {
  const id = opts.id ?? "rs_1";
  return [
    {
      type: "response.output_item.added",
      item: { type: "reasoning", id, summary: [], content: null, encrypted_content: null },
    },
    { type: "response.reasoning_summary_part.added", item_id: id, summary_index: 0 },
    { type: "response.reasoning_summary_text.delta", item_id: id, summary_index: 0, delta: summary },
    {
      type: "response.output_item.done",
      item: {
        type: "reasoning",
        id,
        summary: [{ type: "summary_text", text: summary }],
        content: null,
        encrypted_content: opts.encrypted ?? null,
      },
    },
  ];
}

export function functionCall(callId: string, name: string, args: unknown, opts: { id?: string; namespace?: string } = {}): SseEvent[] {
  const item = {
    type: "function_call",
    id: opts.id ?? `fc_${callId}`,
    status: "completed",
    name,
    ...(opts.namespace ? { namespace: opts.namespace } : {}),
    arguments: typeof args === "string" ? args : JSON.stringify(args),
    call_id: callId,
  };
  return [
    { type: "response.output_item.added", item: { ...item, status: "in_progress", arguments: "" } },
    { type: "response.output_item.done", item },
  ];
}

export function customToolCall(callId: string, name: string, input: string, opts: { id?: string } = {}): SseEvent[] {
  const item = {
    type: "custom_tool_call",
    id: opts.id ?? `ctc_${callId}`,
    status: "completed",
    call_id: callId,
    name,
    input,
  };
  return [
    { type: "response.output_item.added", item: { ...item, status: "in_progress", input: "" } },
    { type: "response.output_item.done", item },
  ];
}

/** A data line that is not JSON; the client must skip it. */
export function malformed(data = "{not json"): RawSse {
  return new RawSse(`event: response.output_text.delta\ndata: ${data}\n\n`);
}

export function sseFrame(chunk: SseChunk): string {
  if (chunk instanceof RawSse) return chunk.text;
  return `event: ${chunk.type}\ndata: ${JSON.stringify(chunk)}\n\n`;
}

export function sseBody(events: readonly SseInput[]): string {
  return flattenEvents(events).map(sseFrame).join("");
}

// Shared setup for model-client tests: a provider pointing at the fake server and a client whose sleeps
// resolve at once but are recorded, so retry paths run fast and their delays can be asserted.
import type { ModelProviderInfo } from "../../src/core/config/types.js";
import type { ModelClient, ModelRequest, ResponseEvent } from "../../src/core/model/contract.js";
import { createResponsesClient, type ResponsesClientDeps } from "../../src/core/model/responses-client.js";

export const TEST_KEY = "sk-test-SECRET-0123456789";

export function testProvider(baseUrl: string, over: Partial<ModelProviderInfo> = {}): ModelProviderInfo {
  return {
    id: "mock",
    name: "mock",
    baseUrl,
    envKey: "MOCK_API_KEY",
    wireApi: "responses",
    queryParams: {},
    httpHeaders: {},
    envHttpHeaders: {},
    requestMaxRetries: 0,
    streamMaxRetries: 0,
    streamIdleTimeoutMs: 2_000,
    requiresOpenaiAuth: false,
    builtIn: false,
    ...over,
  };
}

export function testRequest(over: Partial<ModelRequest> = {}): ModelRequest {
  return {
    model: "gpt-5.5",
    input: [{ type: "message", role: "user", content: [{ type: "input_text", text: "say hi" }] }],
    tools: [],
    parallelToolCalls: true,
    promptCacheKey: "thread-1",
    headers: {},
    ...over,
  };
}

export interface Harness {
  client: ModelClient;
  sleeps: number[];
}

export function makeClient(
  provider: ModelProviderInfo,
  over: Partial<ResponsesClientDeps> = {},
): Harness {
  const sleeps: number[] = [];
  const client = createResponsesClient({
    provider,
    auth: async () => TEST_KEY,
    originator: "codex_exec",
    version: "0.169.0",
    random: () => 0.5,
    sleep: async (ms, signal) => {
      if (signal.aborted) throw Object.assign(new Error("aborted"), { name: "AbortError" });
      sleeps.push(ms);
    },
    env: {},
    osInfo: { name: "Debian", version: "12.0.0", arch: "x86_64" },
    ...over,
  });
  return { client, sleeps };
}

/** Drains a stream; returns the events and the error it ended with (if any). */
export async function collect(
  stream: AsyncIterable<ResponseEvent>,
): Promise<{ events: ResponseEvent[]; error?: unknown }> {
  const events: ResponseEvent[] = [];
  try {
    for await (const ev of stream) events.push(ev);
    return { events };
  } catch (error) {
    return { events, error };
  }
}

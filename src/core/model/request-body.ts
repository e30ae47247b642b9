// The JSON body of `POST /responses`, as Codex sends it (store:false, whole history every time).
import type { ModelRequest } from "./contract.js";

export const OUTPUT_SCHEMA_NAME = "codex_output_schema";

export function buildRequestBody(req: ModelRequest): Record<string, unknown> {
  const reasoning = buildReasoning(req.reasoning);
  const text: Record<string, unknown> = {};
  if (req.verbosity) text.verbosity = req.verbosity;
  if (req.outputSchema !== undefined) {
    text.format = { type: "json_schema", name: OUTPUT_SCHEMA_NAME, strict: req.outputSchemaStrict ?? true, schema: req.outputSchema };
  }
  // Key order mirrors the reference so recorded bodies diff cleanly.
  return {
    model: req.model,
    stream: true,
    input: req.input,
    ...(req.omitTools ? {} : { tools: req.tools }),
    tool_choice: "auto",
    parallel_tool_calls: req.parallelToolCalls,
    ...(reasoning ? { reasoning } : {}),
    store: false,
    // Encrypted reasoning must come back so it can be resent with store:false.
    include: reasoning ? ["reasoning.encrypted_content"] : [],
    prompt_cache_key: req.promptCacheKey,
    ...(Object.keys(text).length > 0 ? { text } : {}),
    ...(req.serviceTier ? { service_tier: req.serviceTier } : {}),
    ...(req.clientMetadata && Object.keys(req.clientMetadata).length > 0
      ? { client_metadata: req.clientMetadata }
      : {}),
  };
}

/** Undefined when the caller sends no reasoning settings (model without reasoning support). */
function buildReasoning(r: ModelRequest["reasoning"]): Record<string, string> | undefined {
  if (!r) return undefined;
  const out: Record<string, string> = {};
  if (r.effort) out.effort = r.effort;
  if (r.summary) out.summary = r.summary;
  return Object.keys(out).length > 0 ? out : undefined;
}

// Codex hands a server's structured content on as it came (the model sees it; nothing acts on its shape),
// so the SDK's output-schema check is a pass-through. The build replaces the SDK's ajv provider with the same.
import type { jsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/types.js";

export const passThroughValidator: jsonSchemaValidator = {
  getValidator: () => (data) => ({ valid: true, data: data as never, errorMessage: undefined }),
};

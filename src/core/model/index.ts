// Public surface of the model client.
export * from "./contract.js";
export { createResponsesClient, type ResponsesClientDeps } from "./responses-client.js";
export { DEFAULT_REQUEST_MAX_RETRIES, DEFAULT_STREAM_MAX_RETRIES, DEFAULT_STREAM_IDLE_TIMEOUT_MS } from "./responses-client.js";
export { buildRequestBody } from "./request-body.js";
export { userAgent, detectOsInfo, detectTerminal, type OsInfo } from "./request-headers.js";
export { modelInfo, DEFAULT_MODEL, DEFAULT_OSS_MODEL, type ModelInfo, type ModelInfoOverrides } from "./catalog.js";
export {
  CONTEXT_WINDOW_MESSAGE,
  QUOTA_MESSAGE,
  USAGE_NOT_INCLUDED_MESSAGE,
  STREAM_CLOSED_REASON,
  IDLE_TIMEOUT_REASON,
} from "./model-errors.js";
export { mapUsage } from "./sse-events.js";

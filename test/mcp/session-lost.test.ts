import { StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { describe, expect, test } from "vitest";
import { sessionLost } from "../../src/core/mcp/connection.js";

describe("sessionLost: which failed HTTP requests are safe to send again on a new session", () => {
  test("unknown session (404, or the SDK examples' 400) and a refused connection are; other failures are not", () => {
    expect(sessionLost(new StreamableHTTPError(404, "Error POSTing to endpoint: Session not found"))).toBe(true);
    expect(sessionLost(new StreamableHTTPError(400, "Error POSTing to endpoint: Bad Request: No valid session ID provided"))).toBe(true);
    expect(sessionLost(new StreamableHTTPError(400, "Error POSTing to endpoint: Parse error"))).toBe(false);
    expect(sessionLost(new StreamableHTTPError(500, "boom"))).toBe(false);
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    expect(sessionLost(new TypeError("fetch failed", { cause: refused }))).toBe(true);
    const reset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    expect(sessionLost(new TypeError("fetch failed", { cause: reset }))).toBe(false);
    expect(sessionLost(new Error("request timed out"))).toBe(false);
  });
});

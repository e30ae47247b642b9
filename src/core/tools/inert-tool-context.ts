import type { EventMsg } from "../../protocol/events.js";
import type { ToolContext } from "./contract.js";

/**
 * For unit tests of handlers that neither run commands nor ask for approval: a read-only context whose emitted
 * events land in `events`, whose exec refuses and whose gate lets everything run sandboxed; `over` replaces fields.
 */
export function inertToolContext(events: EventMsg[], over: Partial<ToolContext> = {}): ToolContext {
  return {
    cwd: "/",
    callId: "call_1",
    sandboxPolicy: { mode: "read-only", networkAccess: false },
    approvalPolicy: "never",
    env: {},
    exec: {
      run: async () => {
        throw new Error("no exec");
      },
    },
    approval: { decide: async () => ({ type: "run", sandboxed: true }) } as never,
    emit: (m) => events.push(m),
    signal: new AbortController().signal,
    spoolDir: "/tmp",
    ...over,
  };
}

import type { NotificationDef, ServerRequestDef } from "../../protocol/app-server/jsonrpc.js";
import { AutoReviewNotifications } from "../../protocol/app-server/auto-review.js";
import { InitializeParams, InitializeResponse } from "../../protocol/app-server/initialize.js";
import { mcpServerElicitationRequest } from "../../protocol/app-server/mcp-elicitation.js";
import { Notifications } from "../../protocol/app-server/notifications.js";
import { ServerRequests } from "../../protocol/app-server/server-requests.js";
import { defineMethod, type MethodDef } from "../method-table.js";
import { secondaryMethods, secondaryNotifications, secondaryServerRequests } from "./secondary.js";
import { threadMethods } from "./threads.js";
import { turnMethods } from "./turns.js";

// The single list of app-server methods, notifications and server requests (see method-table.ts).
// Each area adds one spread line; order does not matter (a duplicate method fails at start-up).

/** `initialize` is answered by the connection itself (connection.ts); listed for the schema export. */
const initializeMethod = defineMethod({
  method: "initialize",
  params: InitializeParams,
  result: InitializeResponse,
  handle: async () => {
    throw new Error("initialize is handled by the connection");
  },
});

export const ALL_METHODS: MethodDef[] = [initializeMethod, ...threadMethods, ...turnMethods, ...secondaryMethods()];

export const ALL_NOTIFICATIONS: NotificationDef[] = [...Object.values(Notifications), ...secondaryNotifications, ...Object.values(AutoReviewNotifications)];

export const ALL_SERVER_REQUESTS: ServerRequestDef[] = [...Object.values(ServerRequests), ...secondaryServerRequests, mcpServerElicitationRequest];

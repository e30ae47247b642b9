import type { NotificationDef, ServerRequestDef } from "../../protocol/app-server/jsonrpc.js";
import { AccountLoginCompleted, AccountUpdated } from "../../protocol/app-server/account.js";
import { CommandExecOutputDelta } from "../../protocol/app-server/command-exec.js";
import { DynamicToolCallRequest } from "../../protocol/app-server/dynamic-tools.js";
import type { MethodDef } from "../method-table.js";
import { accountMethods } from "./account.js";
import { backgroundTerminalMethods } from "./background-terminals.js";
import { createCommandExecMethods } from "./command-exec.js";
import { createFileSearchFeedbackMethods } from "./file-search-feedback.js";
import { configMethods } from "./config.js";
import { hooksMethods } from "./hooks.js";
import { mcpServerStatusMethods } from "./mcp-server-status.js";
import { modelMethods } from "./models.js";

// The secondary methods (command/exec, config, models, account, hooks, MCP status, background terminals,
// fuzzy file search, feedback),
// their notifications and server requests, as one entry each for methods/index.ts.

export function secondaryMethods(): MethodDef[] {
  return [
    ...createCommandExecMethods(),
    ...configMethods,
    ...modelMethods,
    ...accountMethods,
    ...hooksMethods,
    ...mcpServerStatusMethods,
    ...backgroundTerminalMethods,
    ...createFileSearchFeedbackMethods(),
  ];
}

export const secondaryNotifications: NotificationDef[] = [
  CommandExecOutputDelta as NotificationDef,
  AccountUpdated as NotificationDef,
  AccountLoginCompleted as NotificationDef,
];

export const secondaryServerRequests: ServerRequestDef[] = [DynamicToolCallRequest as ServerRequestDef];

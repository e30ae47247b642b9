import type { EventMsg } from "../protocol/events.js";
import { AutoReviewNotifications as AR } from "../protocol/app-server/auto-review.js";
import type { ThreadItem } from "../protocol/app-server/items.js";
import { Notifications as N } from "../protocol/app-server/notifications.js";
import { dynamicToolCallItem } from "./methods/dynamic-tools.js";
import type { MapCtx } from "./mapper-state.js";
import { agentActivity, collabItem, reviewCompleted, reviewStarted, showsAtBegin } from "./wire-agents.js";
import { fileChangesWire } from "./wire-convert.js";
import { commandItem, mcpItem, webAction } from "./wire-items.js";

// What the model's tools do: commands, patches, plans, dynamic and MCP calls, reviews, sub-agent calls,
// searches and images; approvals to ask come out as `approve*` outputs.

/** Maps `msg` when it is one of this part's events; false when it is not. */
export function mapToolEvent(c: MapCtx, msg: EventMsg): boolean {
  const { s, out, nowMs, threadId, turnId, notify, start, complete, finishOpenText } = c;
  switch (msg.type) {
    case "exec_command_begin":
      if (!s.turn) break;
      s.asking.delete(msg.callId);
      finishOpenText();
      if (!s.open.has(msg.callId)) start(commandItem(msg.callId, msg.command, msg.cwd));
      break;
    case "exec_command_output_delta":
      if (!s.turn) break;
      notify(N.commandExecutionOutputDelta, { threadId, turnId, itemId: msg.callId, delta: msg.chunk });
      break;
    case "exec_command_end": {
      if (!s.turn) break;
      const begun = s.open.get(msg.callId) as Extract<ThreadItem, { type: "commandExecution" }> | undefined;
      complete({
        ...(begun ?? commandItem(msg.callId, msg.command, msg.cwd ?? "")),
        status: msg.status,
        aggregatedOutput: msg.aggregatedOutput,
        exitCode: msg.exitCode,
        durationMs: Math.round(msg.durationMs),
      });
      break;
    }
    case "exec_approval_request": {
      if (!s.turn) break;
      finishOpenText();
      const command = msg.command.join(" ");
      if (!s.open.has(msg.callId)) start(commandItem(msg.callId, command, msg.cwd));
      s.asking.add(msg.callId);
      out.push({ kind: "approveCommand", callId: msg.callId, turnId, command, cwd: msg.cwd, reason: msg.reason ?? null, proposedPrefix: msg.proposedPrefix ?? null });
      break;
    }
    case "apply_patch_approval_request":
      if (!s.turn) break;
      finishOpenText();
      if (!s.open.has(msg.callId)) start({ type: "fileChange", id: msg.callId, changes: fileChangesWire(msg.changes), status: "inProgress" });
      s.asking.add(msg.callId);
      out.push({ kind: "approvePatch", callId: msg.callId, turnId, reason: msg.reason ?? null });
      break;
    case "patch_apply_begin":
      if (!s.turn) break;
      s.asking.delete(msg.callId);
      finishOpenText();
      if (!s.open.has(msg.callId)) start({ type: "fileChange", id: msg.callId, changes: fileChangesWire(msg.changes), status: "inProgress" });
      break;
    case "patch_apply_end": {
      if (!s.turn) break;
      const declined = !msg.success && /rejected by user/.test(msg.output);
      complete({ type: "fileChange", id: msg.callId, changes: fileChangesWire(msg.changes), status: msg.success ? "completed" : declined ? "declined" : "failed" });
      if (msg.success && msg.diff) {
        s.turn.diff += msg.diff.endsWith("\n") ? msg.diff : msg.diff + "\n";
        notify(N.turnDiffUpdated, { threadId, turnId, diff: s.turn.diff });
      }
      break;
    }
    case "plan_update":
      if (!s.turn) break;
      notify(N.turnPlanUpdated, {
        threadId,
        turnId,
        explanation: msg.explanation ?? null,
        plan: msg.plan.map((p) => ({ step: p.step, status: p.status === "in_progress" ? "inProgress" : p.status })),
      });
      break;
    case "dynamic_tool_call_begin":
    case "dynamic_tool_call_end": {
      if (!s.turn) break;
      const call = dynamicToolCallItem(msg)!;
      if (call.phase === "completed") complete(call.item);
      else {
        finishOpenText();
        start(call.item);
      }
      break;
    }
    case "mcp_tool_call_begin":
      if (!s.turn) break;
      s.asking.delete(msg.callId);
      finishOpenText();
      if (!s.open.has(msg.callId)) start({ ...mcpItem(msg.callId, msg.server, msg.tool, msg.arguments), readOnlyHint: msg.readOnlyHint ?? null });
      break;
    case "mcp_tool_call_end": {
      if (!s.turn) break;
      const failed = msg.error !== undefined || msg.isError === true;
      const begun = s.open.get(msg.callId) as Extract<ThreadItem, { type: "mcpToolCall" }> | undefined;
      complete({
        ...mcpItem(msg.callId, msg.server, msg.tool, msg.arguments),
        readOnlyHint: begun?.readOnlyHint ?? null,
        status: failed ? "failed" : "completed",
        result: msg.result ? { content: msg.result.content, structuredContent: msg.result.structured_content ?? null, _meta: null } : null,
        error: msg.error !== undefined ? { message: msg.error } : null,
      });
      break;
    }
    case "mcp_tool_call_approval_request":
      if (!s.turn) break;
      finishOpenText();
      // As the reference: the call's item starts before the question is asked.
      if (!s.open.has(msg.callId)) start({ ...mcpItem(msg.callId, msg.server, msg.tool, msg.arguments), readOnlyHint: msg.annotations?.readOnlyHint ?? null });
      s.asking.add(msg.callId);
      out.push({ kind: "approveMcp", turnId, request: msg });
      break;
    case "request_user_input":
      // As the reference: no item of its own; the text before the question is complete when it is asked.
      if (!s.turn) break;
      finishOpenText();
      out.push({ kind: "askUserInput", request: msg });
      break;
    case "guardian_review_started":
      if (!s.turn) break;
      notify(AR.autoApprovalReviewStarted, reviewStarted(s.reviews, msg, { threadId, turnId, nowMs }));
      break;
    case "guardian_review_completed":
      if (!s.turn) break;
      notify(AR.autoApprovalReviewCompleted, reviewCompleted(s.reviews, msg, { threadId, turnId, nowMs }));
      break;
    case "collab_tool_call_begin":
      if (!s.turn) break;
      finishOpenText();
      if (showsAtBegin(msg)) start(collabItem(msg));
      break;
    case "collab_tool_call_end": {
      if (!s.turn) break;
      complete(agentActivity(msg) ?? collabItem(msg));
      break;
    }
    case "web_search_end":
      if (!s.turn) break;
      complete({ type: "webSearch", id: msg.callId, query: msg.query, action: webAction(msg.action) });
      break;
    case "view_image":
      if (!s.turn) break;
      complete({ type: "imageView", id: msg.callId, path: msg.path });
      break;
    default:
      return false;
  }
  return true;
}

import { createApprovalGate } from "../../src/core/approval/index.js";
import { describe, expect, it } from "vitest";
import type { FunctionTool, ToolContext } from "../../src/core/tools/contract.js";
import { shellCommandTool } from "../../src/core/tools/handlers/shell-command.js";
import { fakeToolContext, textOf } from "./fake-tool-context.js";

const tool = shellCommandTool as FunctionTool<unknown>;
const run = (args: Record<string, unknown>, ctx: ToolContext) => tool.handle(tool.args.parse(args), ctx);

describe("shell_command", () => {
  it("runs to completion and formats exit code, wall time and output", async () => {
    const { ctx, events } = fakeToolContext();
    const out = await run({ command: "echo hi; echo err >&2; exit 2", login: false }, ctx);
    expect(textOf(out)).toMatch(/^Exit code: 2\nWall time: \d+(\.\d)? seconds\nOutput:\nhi\nerr\n$/);
    expect(out.success).toBe(false);
    expect(events.map((e) => e.type)).toEqual([
      "exec_command_begin",
      "exec_command_output_delta",
      "exec_command_output_delta",
      "exec_command_end",
    ]);
    expect(events.at(-1)).toMatchObject({ command: "/bin/bash -c 'echo hi; echo err >&2; exit 2'", exitCode: 2, status: "failed" });
  });

  it("reports a timeout as exit code 124 with a note", async () => {
    const { ctx } = fakeToolContext();
    const out = await run({ command: "echo before; sleep 10", login: false, timeout_ms: 300 }, ctx);
    expect(textOf(out)).toMatch(/^Exit code: 124\nWall time: [\d.]+ seconds\nOutput:\ncommand timed out after 300 milliseconds\nbefore\n$/);
  });

  it("truncates very long output head+tail", async () => {
    const { ctx } = fakeToolContext();
    const text = textOf(await run({ command: "seq 1 100000", login: false }, ctx));
    expect(text).toMatch(/Output:\n1\n2\n[\s\S]*\[\.\.\. \d+ bytes omitted \.\.\.\][\s\S]*\n100000\n$/);
    expect(Buffer.byteLength(text)).toBeLessThan(41_000);
  });

  it("shares the decline handling", async () => {
    const { ctx, events } = fakeToolContext({ decide: () => "denied" });
    const out = await run({ command: "true" }, ctx);
    expect(out).toEqual({
      content: 'shell_command failed: CreateProcess { message: "Rejected(\\"rejected by user\\")" }',
      success: false,
    });
    expect(events.map((e) => e.type)).toEqual(["exec_command_begin", "exec_command_end"]);
  });

  it("shares the never-escalate rule", async () => {
    const gate = createApprovalGate({ policy: "never", sandbox: { mode: "read-only", networkAccess: false } });
    const { ctx } = fakeToolContext({ approvalPolicy: "never", gate });
    const out = await run({ command: "true", sandbox_permissions: "require_escalated" }, ctx);
    expect(textOf(out)).toMatch(/^approval policy is Never; reject command/);
  });
});

import { z } from "zod";
import type { SandboxPolicy } from "../../../protocol/policy.js";
import type { ExecResult } from "../../exec/contract.js";
import { execEventReporter } from "../../exec/exec-events.js";
import { gateShellCall, planShellCall, retryPolicyAfterDenial } from "./shell-gate.js";
import { defineTool, type FunctionTool, type ToolContext, type ToolOutput } from "../contract.js";
import { exitStatusForModel, formatShellCommandOutput } from "./exec-output-format.js";
import { sharedShellArgs } from "./shell-args.js";

export const DEFAULT_SHELL_COMMAND_TIMEOUT_MS = 10_000;
/** Exit status reported for a command killed by its timeout, as coreutils `timeout` does. */
export const TIMEOUT_EXIT_CODE = 124;
const MAX_MODEL_OUTPUT_BYTES = 10_000 * 4;

export const ShellCommandArgs = z.object({
  command: z.string().describe("Shell script to run."),
  ...sharedShellArgs,
  timeout_ms: z.number().int().positive().optional().describe("Kill the command after this many milliseconds."),
});
export type ShellCommandArgs = z.infer<typeof ShellCommandArgs>;

const DESCRIPTION =
  "Run a shell script to completion and return its exit code and output. Set workdir rather than using cd.";

export function createShellCommandTool(opts: { shell?: string } = {}): FunctionTool<ShellCommandArgs> {
  const shell = opts.shell ?? "/bin/bash";
  return defineTool<ShellCommandArgs>({
    name: "shell_command",
    description: DESCRIPTION,
    args: ShellCommandArgs,
    isMutating: () => true,
    supportsParallel: true,
    handle: (args, ctx) => runShellCommand(shell, args, ctx),
  });
}

export const shellCommandTool = createShellCommandTool();

async function runShellCommand(shell: string, args: ShellCommandArgs, ctx: ToolContext): Promise<ToolOutput> {
  const plan = planShellCall("shell_command", { ...args, script: args.command, shell }, ctx);
  const { argv, cwd } = plan;
  const gate = await gateShellCall(plan, ctx);
  if (gate.kind === "respond") return gate.output;

  const timeoutMs = args.timeout_ms ?? DEFAULT_SHELL_COMMAND_TIMEOUT_MS;
  const events = execEventReporter({ emit: ctx.emit, callId: ctx.callId, argv, cwd });
  events.begin();
  let sandbox: SandboxPolicy = gate.sandbox;
  let result: ExecResult;
  for (let attempt = 0; ; attempt++) {
    try {
      result = await ctx.exec.run(
        { argv, cwd, env: ctx.env, sandbox, timeoutMs },
        { signal: ctx.signal, onOutput: (chunk) => events.output(chunk) },
      );
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      events.failed(message);
      return { content: `shell_command failed: ${message}`, success: false };
    }
    if (attempt > 0) break;
    const retry = await retryPolicyAfterDenial(plan, ctx, { sandboxDenied: result.sandboxDenied, sandboxUsed: sandbox });
    if (!retry) break;
    sandbox = retry;
  }
  const exitCode = result.timedOut ? TIMEOUT_EXIT_CODE : exitStatusForModel(result);
  const prefix = result.timedOut ? `command timed out after ${timeoutMs} milliseconds\n` : "";
  const totals = result.outputTotals && {
    bytes: result.outputTotals.bytes + Buffer.byteLength(prefix),
    lines: result.outputTotals.lines + (prefix ? 1 : 0),
  };
  events.end({ exitCode, signal: null }, result.aggregatedOutput);
  const content = formatShellCommandOutput({
    exitCode,
    wallTimeMs: result.durationMs,
    output: prefix + result.aggregatedOutput,
    maxBytes: MAX_MODEL_OUTPUT_BYTES,
    ...(totals ? { totals } : {}),
    ...(result.spoolPath ? { spoolPath: result.spoolPath } : {}),
  });
  return { content, success: exitCode === 0 };
}

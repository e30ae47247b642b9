import { z } from "zod";
import type { SandboxPolicy } from "../../../protocol/policy.js";
import { withUnifiedExecEnv } from "../../exec/child-env.js";
import type { ExecExit, OutputChunk } from "../../exec/contract.js";
import { execEventReporter } from "../../exec/exec-events.js";
import { looksLikeSandboxDenial } from "../../exec/sandbox-denial.js";
import { LiveProcess, type PendingOutput, type PrunedSession, type SessionTable } from "../../exec/session-store.js";
import { gateShellCall, planShellCall, retryPolicyAfterDenial } from "./shell-gate.js";
import { defineTool, type FunctionTool, type ToolContext, type ToolOutput } from "../contract.js";
import { exitStatusForModel, formatUnifiedExecOutput } from "./exec-output-format.js";
import { sharedShellArgs } from "./shell-args.js";

export const MIN_YIELD_TIME_MS = 250;
export const MAX_YIELD_TIME_MS = 30_000;
export const DEFAULT_EXEC_YIELD_TIME_MS = 10_000;
export const DEFAULT_MAX_OUTPUT_TOKENS = 10_000;

export function clampMs(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.floor(value)));
}

export const ExecCommandArgs = z.object({
  cmd: z.string().describe("Shell command to run."),
  ...sharedShellArgs,
  shell: z.string().optional().describe("Shell binary to run the command with (default /bin/bash)."),
  tty: z.boolean().default(false).describe("Allocate a terminal; needed to send input later with write_stdin."),
  yield_time_ms: z
    .number()
    .optional()
    .describe("How long to wait for output before returning while the command keeps running (ms)."),
  max_output_tokens: z.number().int().positive().optional().describe("Cap on output tokens returned."),
});
export type ExecCommandArgs = z.infer<typeof ExecCommandArgs>;

const DESCRIPTION = [
  "Run a shell command and return its output. If it is still running after yield_time_ms, it keeps running",
  "in the background and a session ID is returned; use write_stdin with that ID to poll for more output",
  "(or, with tty=true, to type input).",
].join(" ");

/** What exec_command shares with write_stdin and dispose (one per thread). */
export interface UnifiedExecState {
  table: SessionTable;
  defaultShell: string;
  /** Aborted on dispose; long-lived processes are tied to it rather than to a single turn. */
  lifetime: AbortSignal;
}

/** What the model is told when opening a session stopped an older one. */
export function prunedNotice(p: PrunedSession, cap: number): string {
  return `Note: background terminal session ${p.id} (${p.command}) was stopped and its session ID released: at most ${cap} sessions stay open, and it was the least recently used.`;
}

/** What the model is told when the table nears its cap. */
export function crowdedNotice(open: number, cap: number): string {
  return `Note: ${open} background terminal sessions are open and at most ${cap} can be; finish or reuse the ones you no longer need, or the least recently used will be stopped to make room.`;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function createExecCommandTool(state: UnifiedExecState): FunctionTool<ExecCommandArgs> {
  return defineTool<ExecCommandArgs>({
    name: "exec_command",
    description: DESCRIPTION,
    args: ExecCommandArgs,
    isMutating: () => true,
    supportsParallel: true,
    handle: (args, ctx) => runExecCommand(state, args, ctx),
  });
}

async function runExecCommand(state: UnifiedExecState, args: ExecCommandArgs, ctx: ToolContext): Promise<ToolOutput> {
  const plan = planShellCall("exec_command", { ...args, script: args.cmd, shell: args.shell || state.defaultShell }, ctx);
  const { argv, cwd } = plan;
  const gate = await gateShellCall(plan, ctx);
  if (gate.kind === "respond") return gate.output;

  const yieldMs = clampMs(args.yield_time_ms ?? DEFAULT_EXEC_YIELD_TIME_MS, MIN_YIELD_TIME_MS, MAX_YIELD_TIME_MS);
  const maxOutputTokens = args.max_output_tokens ?? DEFAULT_MAX_OUTPUT_TOKENS;
  const began = Date.now();
  const env = withUnifiedExecEnv(ctx.env);
  const events = execEventReporter({ emit: ctx.emit, callId: ctx.callId, argv, cwd });
  const onOutput = (chunk: OutputChunk): void => events.output(chunk);
  const finished = (exit: ExecExit, output: PendingOutput & { spoolPath?: string }): ToolOutput => {
    const exitCode = exitStatusForModel(exit);
    const text = formatUnifiedExecOutput({
      wallTimeMs: Date.now() - began,
      exitCode,
      output: output.text,
      totalBytes: output.totalBytes,
      spoolPath: output.spoolPath,
      maxOutputTokens,
    });
    const wall_time_seconds = (Date.now() - began) / 1000;
    // What code mode's `tools.exec_command()` resolves to.
    const structured = { wall_time_seconds, exit_code: exitCode, output: output.text };
    return { content: text, success: exitCode === 0, structured };
  };
  const failedToStart = (err: unknown): ToolOutput => {
    const message = errorMessage(err);
    events.failed(message);
    return { content: `exec_command failed: ${message}`, success: false };
  };

  events.begin();
  let sandbox: SandboxPolicy = gate.sandbox;
  for (let attempt = 0; ; attempt++) {
    const mayRetry = attempt === 0;
    const start = ctx.exec.start?.bind(ctx.exec);
    if (!start) {
      // A runner without long-lived processes: run to completion (the turn's abort still applies).
      let result;
      try {
        result = await ctx.exec.run({ argv, cwd, env, sandbox }, { signal: ctx.signal, onOutput });
      } catch (err) {
        return failedToStart(err);
      }
      if (mayRetry) {
        const retry = await retryPolicyAfterDenial(plan, ctx, { sandboxDenied: result.sandboxDenied, sandboxUsed: sandbox });
        if (retry) {
          sandbox = retry;
          continue;
        }
      }
      events.end(result, result.aggregatedOutput);
      return finished(result, {
        text: result.aggregatedOutput,
        totalBytes: result.outputTotals?.bytes ?? 0,
        spoolPath: result.spoolPath,
      });
    }

    const live = new LiveProcess();
    try {
      const proc = await start(
        { argv, cwd, env, sandbox, tty: args.tty },
        {
          signal: state.lifetime,
          onOutput: (chunk) => {
            live.record(chunk);
            onOutput(chunk);
          },
        },
      );
      live.attach(proc);
    } catch (err) {
      return failedToStart(err);
    }
    live.endReporter = (exit) => events.end(exit, live.aggregatedOutput());
    await live.waitForExit({ ms: yieldMs, signal: ctx.signal });

    if (!live.exit && ctx.signal.aborted) {
      // Interrupting a turn does not kill what it started: the process becomes a background terminal
      // (listed, stopped by the clean operation or at shutdown; its end is told to the next turn).
      const { id } = state.table.addPruning(live, { command: events.command, cwd, callId: ctx.callId });
      state.table.announceLater(id);
      void live.exited.then((exit) => live.reportEnd(exit));
      throw new Error("exec_command aborted");
    }
    if (live.exit) {
      const exit = live.exit;
      const aggregated = live.aggregatedOutput();
      if (mayRetry) {
        const evidence = { ...exit, aggregatedOutput: aggregated, stdout: aggregated, stderr: "" };
        const sandboxDenied = looksLikeSandboxDenial(evidence, sandbox);
        const retry = await retryPolicyAfterDenial(plan, ctx, { sandboxDenied, sandboxUsed: sandbox });
        if (retry) {
          sandbox = retry;
          continue;
        }
      }
      live.reportEnd(exit);
      return finished(exit, { ...live.takePending(), spoolPath: live.proc.spoolPath });
    }

    // Still running: the session table owns it now; its end is reported when it exits.
    const { id: sessionId, pruned, open } = state.table.addPruning(live, { command: events.command, cwd, callId: ctx.callId });
    const notices = pruned.map((p) => prunedNotice(p, state.table.capacity));
    if (open >= state.table.warnAt) notices.push(crowdedNotice(open, state.table.capacity));
    void live.exited.then((exit) => live.reportEnd(exit));
    const pending = live.takePending();
    const text = formatUnifiedExecOutput({
      wallTimeMs: Date.now() - began,
      sessionId,
      notices,
      output: pending.text,
      totalBytes: pending.totalBytes,
      spoolPath: live.proc.spoolPath,
      maxOutputTokens,
    });
    const structured = { wall_time_seconds: (Date.now() - began) / 1000, session_id: sessionId, output: pending.text };
    return { content: text, success: true, structured };
  }
}

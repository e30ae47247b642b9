import { z } from "zod";
import { defineTool, type FunctionTool, type ToolOutput } from "../contract.js";
import {
  clampMs,
  DEFAULT_MAX_OUTPUT_TOKENS,
  MAX_YIELD_TIME_MS,
  MIN_YIELD_TIME_MS,
  type UnifiedExecState,
} from "./exec-command.js";
import { exitStatusForModel, formatUnifiedExecOutput } from "./exec-output-format.js";

export const DEFAULT_WRITE_STDIN_YIELD_TIME_MS = 250;
/** An empty poll waits at least this long: polling in a tight loop wastes the model's turns. */
export const MIN_EMPTY_YIELD_TIME_MS = 5_000;
export const DEFAULT_MAX_BACKGROUND_POLL_MS = 300_000;

export const WriteStdinArgs = z.object({
  session_id: z.number().int().describe("Session ID returned by exec_command."),
  chars: z.string().default("").describe("Characters to send to the process's stdin; empty to just poll."),
  yield_time_ms: z.number().optional().describe("How long to wait for output before returning (ms)."),
  max_output_tokens: z.number().int().positive().optional().describe("Cap on output tokens returned."),
});
export type WriteStdinArgs = z.infer<typeof WriteStdinArgs>;

const DESCRIPTION =
  "Send characters to a running exec_command session (tty sessions only) or poll it for new output; " +
  "returns what the process printed since the last call.";

export function createWriteStdinTool(
  state: UnifiedExecState,
  options: { maxBackgroundPollMs?: number } = {},
): FunctionTool<WriteStdinArgs> {
  const maxPoll = Math.max(MIN_EMPTY_YIELD_TIME_MS, options.maxBackgroundPollMs ?? DEFAULT_MAX_BACKGROUND_POLL_MS);
  return defineTool<WriteStdinArgs>({
    name: "write_stdin",
    description: DESCRIPTION,
    args: WriteStdinArgs,
    isMutating: () => true,
    supportsParallel: true,
    async handle(args, ctx): Promise<ToolOutput> {
      const began = Date.now();
      const live = state.table.get(args.session_id);
      if (!live) return { content: `write_stdin failed: Unknown process id ${args.session_id}`, success: false };
      if (args.chars.length > 0 && !live.exit) {
        if (!live.proc.tty) {
          return {
            content:
              "write_stdin failed: stdin is closed for this session; rerun exec_command with tty=true to keep stdin open",
            success: false,
          };
        }
        live.proc.write(args.chars);
      }
      const requested = Math.max(MIN_YIELD_TIME_MS, args.yield_time_ms ?? DEFAULT_WRITE_STDIN_YIELD_TIME_MS);
      const waitMs =
        args.chars.length === 0
          ? clampMs(requested, MIN_EMPTY_YIELD_TIME_MS, maxPoll)
          : clampMs(requested, MIN_YIELD_TIME_MS, MAX_YIELD_TIME_MS);
      await live.waitForExit({ ms: waitMs, signal: ctx.signal });
      const maxOutputTokens = args.max_output_tokens ?? DEFAULT_MAX_OUTPUT_TOKENS;
      const pending = live.takePending();
      const shown = { output: pending.text, totalBytes: pending.totalBytes, spoolPath: live.proc.spoolPath, maxOutputTokens };
      const wallTimeMs = Date.now() - began;
      if (live.exit) {
        // The model has now seen how it ended; forget the session.
        state.table.remove(args.session_id);
        const exitCode = exitStatusForModel(live.exit);
        return { content: formatUnifiedExecOutput({ wallTimeMs, exitCode, ...shown }), success: true };
      }
      const text = formatUnifiedExecOutput({ wallTimeMs, sessionId: args.session_id, ...shown });
      return { content: text, success: true };
    },
  });
}

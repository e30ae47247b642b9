import type { EventMsg } from "../../protocol/events.js";
import { commandDisplay } from "./command-display.js";
import type { ExecExit, OutputChunk } from "./contract.js";
import { signalExitCode } from "./process-group.js";

export interface ExecEventReporter {
  readonly command: string;
  begin(): void;
  output(chunk: OutputChunk): void;
  /** `exit` undefined: still running when its owner went away (reported as completed, exit null). */
  end(exit: ExecExit | undefined, aggregatedOutput: string): void;
  /** The command never ran (spawn failure, sandbox unavailable). */
  failed(message: string): void;
  declined(): void;
}

/** The exec_command_begin / output_delta / end events of one shell tool call. */
export function execEventReporter(o: {
  emit: (msg: EventMsg) => void;
  callId: string;
  argv: string[];
  cwd: string;
}): ExecEventReporter {
  const command = commandDisplay(o.argv);
  const began = Date.now();
  const end = (exitCode: number | null, aggregatedOutput: string, status: "completed" | "failed" | "declined"): void =>
    o.emit({ type: "exec_command_end", callId: o.callId, command, exitCode, aggregatedOutput, status, durationMs: Date.now() - began });
  return {
    command,
    begin: () => o.emit({ type: "exec_command_begin", callId: o.callId, command, argv: o.argv, cwd: o.cwd }),
    output: (chunk) =>
      o.emit({ type: "exec_command_output_delta", callId: o.callId, stream: chunk.stream, chunk: chunk.text }),
    end(exit, aggregatedOutput) {
      if (!exit) return end(null, aggregatedOutput, "completed");
      const code = exit.exitCode ?? signalExitCode(exit.signal) ?? -1;
      end(code, aggregatedOutput, code === 0 ? "completed" : "failed");
    },
    failed: (message) => end(null, message, "failed"),
    declined: () => end(null, "", "declined"),
  };
}

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

/** Most bytes in one exec_command_output_delta (split at UTF-8 boundaries), as the reference. */
export const OUTPUT_DELTA_MAX_BYTES = 8192;
/**
 * Most exec_command_output_delta events of one call, as the reference: a flood (or a dev server running for
 * hours) cannot pile up unbounded events in a slow front end. The output itself is still collected in full.
 */
export const MAX_OUTPUT_DELTAS_PER_CALL = 10_000;

/** `text` cut into pieces of at most `maxBytes` UTF-8 bytes, never inside a character. */
export function splitUtf8(text: string, maxBytes: number): string[] {
  if (text.length * 3 <= maxBytes) return [text];
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= maxBytes) return [text];
  const pieces: string[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = Math.min(bytes.length, start + maxBytes);
    // Back off continuation bytes (10xxxxxx) so the cut falls between characters.
    while (end < bytes.length && end > start && (bytes[end]! & 0xc0) === 0x80) end--;
    pieces.push(bytes.toString("utf8", start, end));
    start = end;
  }
  return pieces;
}

/** The exec_command_begin / output_delta / end events of one shell tool call. */
export function execEventReporter(o: {
  emit: (msg: EventMsg) => void;
  callId: string;
  argv: string[];
  cwd: string;
  /** A command the person typed (`!cmd`), not the model. */
  source?: "user_shell";
}): ExecEventReporter {
  const command = commandDisplay(o.argv);
  const source = o.source ? { source: o.source } : {};
  const began = Date.now();
  let deltas = 0;
  const end = (exitCode: number | null, aggregatedOutput: string, status: "completed" | "failed" | "declined"): void =>
    o.emit({ type: "exec_command_end", callId: o.callId, command, exitCode, aggregatedOutput, status, durationMs: Date.now() - began, ...source, argv: o.argv, cwd: o.cwd });
  return {
    command,
    begin: () => o.emit({ type: "exec_command_begin", callId: o.callId, command, argv: o.argv, cwd: o.cwd, ...source }),
    output(chunk) {
      if (deltas >= MAX_OUTPUT_DELTAS_PER_CALL) return;
      for (const piece of splitUtf8(chunk.text, OUTPUT_DELTA_MAX_BYTES)) {
        if (deltas >= MAX_OUTPUT_DELTAS_PER_CALL) return;
        deltas++;
        o.emit({ type: "exec_command_output_delta", callId: o.callId, stream: chunk.stream, chunk: piece });
      }
    },
    end(exit, aggregatedOutput) {
      if (!exit) return end(null, aggregatedOutput, "completed");
      const code = exit.exitCode ?? signalExitCode(exit.signal) ?? -1;
      end(code, aggregatedOutput, code === 0 ? "completed" : "failed");
    },
    failed: (message) => end(null, message, "failed"),
    declined: () => end(null, "", "declined"),
  };
}

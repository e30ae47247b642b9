import type { ExecExit } from "../../exec/contract.js";
import { signalExitCode } from "../../exec/process-group.js";
import { shortHex } from "../../../util/ids.js";
import { truncateMiddle, utf8Length } from "../../../util/truncate.js";

/** Rough token estimate used for output budgets: ~4 bytes per token. */
export function approxTokenCount(text: string): number {
  return Math.ceil(utf8Length(text) / 4);
}

/** The exit status shown to the model: signals map to 128+n as a shell would report them. */
export function exitStatusForModel(exit: ExecExit): number {
  return exit.exitCode ?? signalExitCode(exit.signal) ?? -1;
}

export interface UnifiedExecOutput {
  wallTimeMs: number;
  /** Set when the process finished. */
  exitCode?: number;
  /** Set while the process keeps running. */
  sessionId?: number;
  output: string;
  maxOutputTokens: number;
  /** Chunk id; random when omitted. */
  chunkId?: string;
}

/** The text `exec_command` / `write_stdin` return to the model. */
export function formatUnifiedExecOutput(o: UnifiedExecOutput): string {
  const lines = [`Chunk ID: ${o.chunkId ?? shortHex(6)}`, `Wall time: ${(o.wallTimeMs / 1000).toFixed(4)} seconds`];
  if (o.sessionId !== undefined) lines.push(`Process running with session ID ${o.sessionId}`);
  else lines.push(`Process exited with code ${o.exitCode ?? -1}`);
  lines.push(`Original token count: ${approxTokenCount(o.output)}`);
  const { text } = truncateMiddle(o.output, Math.max(0, o.maxOutputTokens) * 4);
  return `${lines.join("\n")}\nOutput:\n${text}`;
}

/** The text `shell_command` returns: exit code, wall time rounded to 0.1 s, bounded output. */
export function formatShellCommandOutput(o: { exitCode: number; wallTimeMs: number; output: string; maxBytes: number }): string {
  const seconds = Math.round(o.wallTimeMs / 100) / 10;
  const { text } = truncateMiddle(o.output, o.maxBytes);
  return `Exit code: ${o.exitCode}\nWall time: ${seconds} seconds\nOutput:\n${text}`;
}

import type { ExecExit, OutputTotals } from "../../exec/contract.js";
import { signalExitCode } from "../../exec/process-group.js";
import { shortHex } from "../../../util/ids.js";
import { truncateMiddle, utf8Length } from "../../../util/truncate.js";

/** Rough token estimate used for output budgets: ~4 bytes per token. */
export function approxTokenCount(text: string): number {
  return tokensForBytes(utf8Length(text));
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
  /** The output (possibly already a bounded capture of a longer one). */
  output: string;
  /** How many bytes the output really was; default: the size of `output`. */
  totalBytes?: number;
  /** Where the whole output is, when it was spooled. */
  spoolPath?: string;
  maxOutputTokens: number;
  /** Chunk id; random when omitted. */
  chunkId?: string;
  /** Lines for the model about the session table (a pruned session), shown before the output. */
  notices?: string[];
}

/** The text `exec_command` / `write_stdin` return to the model; the token count is of the real output. */
export function formatUnifiedExecOutput(o: UnifiedExecOutput): string {
  const lines = [`Chunk ID: ${o.chunkId ?? shortHex(6)}`, `Wall time: ${(o.wallTimeMs / 1000).toFixed(4)} seconds`];
  if (o.sessionId !== undefined) lines.push(`Process running with session ID ${o.sessionId}`);
  else lines.push(`Process exited with code ${o.exitCode ?? -1}`);
  const totalBytes = Math.max(o.totalBytes ?? 0, utf8Length(o.output));
  lines.push(`Original token count: ${tokensForBytes(totalBytes)}`);
  lines.push(...(o.notices ?? []));
  const { text } = truncateMiddle(o.output, Math.max(0, o.maxOutputTokens) * 4, boundedCapture(o, totalBytes));
  return `${lines.join("\n")}\nOutput:\n${text}`;
}

export interface ShellCommandOutput {
  exitCode: number;
  wallTimeMs: number;
  output: string;
  maxBytes: number;
  /** The real size of `output` when it is a bounded capture of a longer one. */
  totals?: OutputTotals;
  spoolPath?: string;
}

/**
 * The text `shell_command` returns: exit code, wall time rounded to 0.1 s, bounded output; when the
 * output was cut, the real number of lines (as the reference reports it) and, in the marker, the real size.
 */
export function formatShellCommandOutput(o: ShellCommandOutput): string {
  const seconds = Math.round(o.wallTimeMs / 100) / 10;
  const shownBytes = utf8Length(o.output);
  const totalBytes = Math.max(o.totals?.bytes ?? 0, shownBytes);
  const { text, truncated } = truncateMiddle(o.output, o.maxBytes, boundedCapture(o, totalBytes));
  const header = [`Exit code: ${o.exitCode}`, `Wall time: ${seconds} seconds`];
  if (truncated) header.push(`Total output lines: ${o.totals?.lines ?? countLines(o.output)}`);
  return `${header.join("\n")}\nOutput:\n${text}`;
}

/** Tokens the model is told an output of `bytes` bytes has: bytes/4 rounded up, as the reference estimates. */
export function tokensForBytes(bytes: number): number {
  return Math.ceil(bytes / 4);
}

function boundedCapture(o: { output: string; spoolPath?: string }, totalBytes: number): { totalBytes?: number; detail?: string } {
  const detail = o.spoolPath ? `full output: ${o.spoolPath}` : undefined;
  return totalBytes > utf8Length(o.output) || detail ? { totalBytes, detail } : {};
}

function countLines(text: string): number {
  if (text.length === 0) return 0;
  let n = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) n++;
  return text.endsWith("\n") ? n : n + 1;
}

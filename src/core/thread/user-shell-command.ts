// A command the person typed (the TUI's `!cmd`, app-server thread/shellCommand): it runs in the person's own
// login shell in the thread's cwd, outside the sandbox (they typed it; nobody needs to approve it), with its
// output streamed as exec events marked `source: "user_shell"`; afterwards the command and its result are
// recorded in the history as a user message so the model sees what was run (Codex's <user_shell_command>
// record). It runs like a turn: task_started, then task_complete or turn_aborted.
import type { EventMsg } from "../../protocol/events.js";
import type { ResponseItem } from "../../protocol/items.js";
import type { ExecRunner } from "../exec/contract.js";
import { execEventReporter } from "../exec/exec-events.js";

/** Codex gives a person's shell command an hour. */
const USER_SHELL_TIMEOUT_MS = 60 * 60 * 1000;
const ABORTED_MESSAGE = "command aborted by user";

export interface UserShellCommandDeps {
  command: string;
  cwd: string;
  env: Record<string, string>;
  /** The person's shell (`$SHELL`), `/bin/bash` when unknown. */
  shell: string;
  exec: ExecRunner;
  emit(msg: EventMsg): void;
  record(items: ResponseItem[]): Promise<void>;
  signal: AbortSignal;
  callId: string;
}

/** Runs the command; resolves once its record is in the history (or it was interrupted). */
export async function runUserShellCommand(d: UserShellCommandDeps): Promise<{ aborted: boolean }> {
  const argv = [d.shell, "-lc", d.command];
  const events = execEventReporter({ emit: d.emit, callId: d.callId, argv, cwd: d.cwd, source: "user_shell" });
  const recordResult = (exitCode: number, durationMs: number, output: string) =>
    d.record([userShellRecord({ command: d.command, exitCode, durationMs, output })]);
  events.begin();
  let result;
  try {
    result = await d.exec.run(
      { argv, cwd: d.cwd, env: d.env, timeoutMs: USER_SHELL_TIMEOUT_MS, sandbox: { mode: "danger-full-access" } },
      { signal: d.signal, onOutput: (c) => events.output(c) },
    );
  } catch (err) {
    result = null;
    if (!d.signal.aborted) {
      const message = `execution error: ${(err as Error).message ?? String(err)}`;
      await recordResult(-1, 0, message);
      events.failed(message);
      return { aborted: false };
    }
  }
  if (d.signal.aborted || result === null) {
    await recordResult(-1, 0, ABORTED_MESSAGE);
    events.failed(ABORTED_MESSAGE);
    return { aborted: true };
  }
  events.end({ exitCode: result.exitCode, signal: result.signal }, result.aggregatedOutput);
  await recordResult(result.exitCode ?? -1, result.durationMs, result.aggregatedOutput);
  return { aborted: false };
}

/** The history record of a person's shell command, in Codex's form (the model reads it on the next turn). */
export function userShellRecord(o: { command: string; exitCode: number; durationMs: number; output: string }): ResponseItem {
  const text = [
    "<user_shell_command>",
    "<command>",
    o.command,
    "</command>",
    "<result>",
    `Exit code: ${o.exitCode}`,
    `Duration: ${(o.durationMs / 1000).toFixed(4)} seconds`,
    "Output:",
    o.output,
    "</result>",
    "</user_shell_command>",
  ].join("\n");
  return { type: "message", role: "user", content: [{ type: "input_text", text }] };
}

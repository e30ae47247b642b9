// A long session for the resume benchmark, in the rollout layout both codex-ts and the reference read:
// $CODEX_HOME/sessions/YYYY/MM/DD/rollout-<time>-<id>.jsonl, a session_meta line, a turn_context, then
// `items` response items (user question, exec_command call, its output, assistant answer, repeated).
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

export const BENCH_SESSION_ID = "01a21ec4-0000-7000-8000-0000000be1c4";

/** Writes the rollout and returns its path; `items` must be a multiple of 4. */
export function writeRollout({ codexHome, cwd, items }) {
  const dir = path.join(codexHome, "sessions", "2026", "11", "27");
  mkdirSync(dir, { recursive: true });
  const ts = "2026-11-27T20:00:00.000Z";
  const line = (type, payload) => JSON.stringify({ timestamp: ts, type, payload });
  const out = [
    line("session_meta", {
      id: BENCH_SESSION_ID,
      timestamp: ts,
      cwd,
      originator: "codex_exec",
      cli_version: "0.169.0",
      source: "exec",
      model_provider: "bench",
    }),
    line("turn_context", { turn_id: "t0", cwd, approval_policy: "never", sandbox_policy: { type: "read-only" }, model: "gpt-5.5" }),
  ];
  const text = (role, kind, t) => ({ type: "message", role, content: [{ type: kind, text: t }] });
  for (let i = 0; i < items / 4; i++) {
    const callId = `call_${i}`;
    out.push(
      line("response_item", text("user", "input_text", `question ${i}: what does line ${i} of the file say?`)),
      line("response_item", {
        type: "function_call",
        name: "exec_command",
        arguments: JSON.stringify({ cmd: `sed -n ${i + 1}p notes.txt` }),
        call_id: callId,
      }),
      line("response_item", {
        type: "function_call_output",
        call_id: callId,
        output: `Chunk ID: ${String(i).padStart(6, "0")}\nWall time: 0.0010 seconds\nProcess exited with code 0\nOutput:\nline ${i} of the notes\n`,
      }),
      line("response_item", text("assistant", "output_text", `Line ${i} says "line ${i} of the notes".`)),
    );
  }
  const file = path.join(dir, `rollout-2026-11-27T20-00-00-${BENCH_SESSION_ID}.jsonl`);
  writeFileSync(file, out.join("\n") + "\n");
  return file;
}

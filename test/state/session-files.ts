// Writes rollout files straight to disk (the layout and lines our writer produces), for index tests and benches.
import { mkdirSync, writeFileSync, utimesSync } from "node:fs";
import path from "node:path";
import { rolloutPathFor } from "../../src/core/persistence/rollout-path.js";

export interface FakeSession {
  codexHome: string;
  id: string;
  date: Date;
  cwd: string;
  /** First user prompt; none leaves the session unlisted (nobody prompted it). */
  prompt?: string;
  source?: string;
  model?: string;
  forkedFrom?: string;
  /** Extra raw JSON lines appended after the prompt. */
  extra?: unknown[];
  /** Where the file goes; the dated sessions/ path by default. */
  file?: string;
}

export function sessionLines(s: FakeSession): string[] {
  const ts = s.date.toISOString();
  const lines: unknown[] = [
    {
      timestamp: ts,
      type: "session_meta",
      payload: {
        id: s.id,
        timestamp: ts,
        cwd: s.cwd,
        originator: "codex_exec",
        cli_version: "0.1.0",
        source: s.source ?? "exec",
        model_provider: "openai",
        ...(s.forkedFrom ? { forked_from_id: s.forkedFrom } : {}),
      },
    },
    {
      timestamp: ts,
      type: "turn_context",
      payload: { turn_id: "t1", cwd: s.cwd, approval_policy: "never", sandbox_policy: { mode: "read-only" }, model: s.model ?? "gpt-5.5" },
    },
  ];
  if (s.prompt !== undefined) {
    lines.push({ timestamp: ts, type: "response_item", payload: { type: "message", role: "user", content: [{ type: "input_text", text: s.prompt }] } });
    lines.push({ timestamp: ts, type: "event_msg", payload: { type: "user_message", message: s.prompt } });
  }
  lines.push(...(s.extra ?? []));
  return lines.map((l) => JSON.stringify(l));
}

/** Writes the session's file (mtime = its date) and returns its path. */
export function writeSession(s: FakeSession): string {
  const file = s.file ?? rolloutPathFor({ codexHome: s.codexHome, date: s.date, threadId: s.id });
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, sessionLines(s).join("\n") + "\n");
  utimesSync(file, s.date, s.date);
  return file;
}

/** A UUID-shaped id from a number, sortable. */
export const fakeId = (n: number): string => `0199${n.toString(16).padStart(4, "0")}-0000-7000-8000-${n.toString(16).padStart(12, "0")}`;

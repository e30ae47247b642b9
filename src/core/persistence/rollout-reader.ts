import { open, readFile } from "node:fs/promises";
import { StringDecoder } from "node:string_decoder";
import type { RolloutLine } from "./contract.js";
import { fromRolloutEvent } from "./event-codec.js";

const KNOWN_TYPES = new Set(["session_meta", "turn_context", "response_item", "event_msg", "compacted"]);

/** A parsed `{timestamp, type, payload}` envelope whose type we may not know. */
export interface RawRolloutLine {
  timestamp: string;
  type: string;
  payload: unknown;
}

function parseEnvelope(text: string): RawRolloutLine | null {
  const trimmed = text.endsWith("\r") ? text.slice(0, -1) : text;
  if (trimmed.trim() === "") return null;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return null;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.timestamp !== "string" || typeof v.type !== "string" || !("payload" in v)) return null;
  if (v.payload === null || typeof v.payload !== "object") return null;
  // Every reader gets a thread's events back in their in-memory form, whichever form the file holds.
  const payload = v.type === "event_msg" ? fromRolloutEvent(v.payload as Record<string, unknown>) : v.payload;
  return { timestamp: v.timestamp, type: v.type, payload };
}

/**
 * Every complete, well-formed line. Text after the last newline is a torn write from a crash and is
 * dropped even when it happens to parse: only newline-terminated lines were ever fully appended.
 */
export function parseRolloutText(text: string): RawRolloutLine[] {
  const parts = text.split("\n");
  parts.pop();
  const out: RawRolloutLine[] = [];
  for (const part of parts) {
    const line = parseEnvelope(part);
    if (line) out.push(line);
  }
  return out;
}

export async function readRawRollout(path: string): Promise<RawRolloutLine[]> {
  return parseRolloutText(await readFile(path, "utf8"));
}

export function isKnownRolloutLine(line: RawRolloutLine): line is RolloutLine & RawRolloutLine {
  return KNOWN_TYPES.has(line.type);
}

export async function readRollout(path: string): Promise<RolloutLine[]> {
  return (await readRawRollout(path)).filter(isKnownRolloutLine);
}

/** Bytes read per step when scanning a rollout's head (a session_meta with base instructions is ~20 KiB). */
const HEAD_CHUNK = 64 * 1024;

/**
 * Reads a rollout's lines in order until `visit` returns "stop", a chunk at a time, so listings read only
 * a file's head instead of whole multi-megabyte transcripts. A last line without its newline is still
 * offered (a session still being written).
 */
export async function scanRolloutHead(
  path: string,
  visit: (line: RawRolloutLine) => "stop" | "continue",
): Promise<void> {
  const handle = await open(path, "r");
  try {
    const decoder = new StringDecoder("utf8");
    const buf = Buffer.allocUnsafe(HEAD_CHUNK);
    let pending = "";
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, HEAD_CHUNK, null);
      if (bytesRead === 0) break;
      pending += decoder.write(buf.subarray(0, bytesRead));
      let from = 0;
      for (let nl = pending.indexOf("\n"); nl >= 0; nl = pending.indexOf("\n", from)) {
        const line = parseEnvelope(pending.slice(from, nl));
        from = nl + 1;
        if (line && visit(line) === "stop") return;
      }
      pending = pending.slice(from);
    }
    const last = parseEnvelope(pending + decoder.end());
    if (last) visit(last);
  } finally {
    await handle.close();
  }
}

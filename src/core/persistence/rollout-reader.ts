import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import type { RolloutLine } from "./contract.js";

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
  return { timestamp: v.timestamp, type: v.type, payload: v.payload };
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

/**
 * Streams a rollout's lines in order until `visit` returns "stop"; lets listings read only a
 * file's head instead of whole multi-megabyte transcripts.
 */
export async function scanRolloutHead(
  path: string,
  visit: (line: RawRolloutLine) => "stop" | "continue",
): Promise<void> {
  const stream = createReadStream(path, { encoding: "utf8" });
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const text of rl) {
      const line = parseEnvelope(text);
      if (line && visit(line) === "stop") break;
    }
  } finally {
    rl.close();
    stream.destroy();
  }
}

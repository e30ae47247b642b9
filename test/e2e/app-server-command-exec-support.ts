// Helpers of the command/exec e2e tests: streamed output as text, and waiting (with a deadline) for a
// condition no message announces, such as a process disappearing.
import fs from "node:fs";
import type { Message } from "../support/app-server-client.js";

/** Everything `command/exec/outputDelta` carried for `processId` (optionally one stream), decoded. */
export function deltaText(seen: readonly Message[], processId: string, stream?: "stdout" | "stderr"): string {
  return seen
    .filter((m) => m.method === "command/exec/outputDelta" && m.params.processId === processId && (!stream || m.params.stream === stream))
    .map((m) => Buffer.from(m.params.deltaBase64, "base64").toString())
    .join("");
}

/** Resolves once `condition()` holds, checking every 25 ms; rejects naming `what` after `timeoutMs`. */
export function waitUntil(condition: () => boolean, o: { what: string; timeoutMs?: number }): Promise<void> {
  const deadline = Date.now() + (o.timeoutMs ?? 20_000);
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (condition()) return resolve();
      if (Date.now() > deadline) return reject(new Error(`waited ${o.timeoutMs ?? 20_000} ms for ${o.what}`));
      setTimeout(check, 25);
    };
    check();
  });
}

/** True while `pid` is a live process (a zombie awaiting its reaper counts as gone: it runs nothing). */
export function processAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The state follows the parenthesised command name, which may itself contain spaces.
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

export function waitGone(pid: number): Promise<void> {
  return waitUntil(() => !processAlive(pid), { what: `process ${pid} to end` });
}

import { describe, expect, it } from "vitest";
import type { EventMsg } from "../../protocol/events.js";
import { execEventReporter, MAX_OUTPUT_DELTAS_PER_CALL, OUTPUT_DELTA_MAX_BYTES, splitUtf8 } from "./exec-events.js";

describe("exec output deltas", () => {
  it("split a big chunk into pieces of at most 8 KiB, never inside a character", () => {
    const text = `${"a".repeat(8191)}é${"€".repeat(5000)}z`;
    const pieces = splitUtf8(text, OUTPUT_DELTA_MAX_BYTES);
    expect(pieces.join("")).toBe(text);
    expect(pieces.length).toBeGreaterThan(2);
    for (const p of pieces) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(OUTPUT_DELTA_MAX_BYTES);
    expect(pieces[0]).toBe("a".repeat(8191));
  });

  it("stop after 10,000 per call while the end still carries the output", () => {
    const events: EventMsg[] = [];
    const r = execEventReporter({ emit: (m) => events.push(m), callId: "c", argv: ["x"], cwd: "/" });
    r.begin();
    for (let i = 0; i < MAX_OUTPUT_DELTAS_PER_CALL + 50; i++) r.output({ stream: "stdout", text: "line\n" });
    r.output({ stream: "stdout", text: "x".repeat(100_000) });
    r.end({ exitCode: 0, signal: null }, "all of it");
    expect(events.filter((e) => e.type === "exec_command_output_delta")).toHaveLength(MAX_OUTPUT_DELTAS_PER_CALL);
    expect(events.at(-1)).toMatchObject({ type: "exec_command_end", aggregatedOutput: "all of it", status: "completed" });
  });
});

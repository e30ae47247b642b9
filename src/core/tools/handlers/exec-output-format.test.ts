import { describe, expect, it } from "vitest";
import { commandDisplay } from "../../exec/command-display.js";
import { HeadTailBuffer } from "../../exec/head-tail-buffer.js";
import { approxTokenCount, formatShellCommandOutput, formatUnifiedExecOutput } from "./exec-output-format.js";

describe("exec output formats", () => {
  it("formats a finished process", () => {
    expect(
      formatUnifiedExecOutput({ chunkId: "be1be5", wallTimeMs: 12.3, exitCode: 0, output: "hello\n", maxOutputTokens: 100 }),
    ).toBe("Chunk ID: be1be5\nWall time: 0.0123 seconds\nProcess exited with code 0\nOriginal token count: 2\nOutput:\nhello\n");
  });

  it("formats a running session with a random 6-hex chunk id", () => {
    const text = formatUnifiedExecOutput({ wallTimeMs: 1500, sessionId: 3, output: "", maxOutputTokens: 10 });
    expect(text).toMatch(/^Chunk ID: [0-9a-f]{6}\nWall time: 1\.5000 seconds\nProcess running with session ID 3\nOriginal token count: 0\nOutput:\n$/);
  });

  it("truncates output beyond max_output_tokens*4 bytes but reports the original count", () => {
    const output = "x".repeat(1000);
    const text = formatUnifiedExecOutput({ chunkId: "000000", wallTimeMs: 0, exitCode: 1, output, maxOutputTokens: 10 });
    expect(text).toContain("Original token count: 250\n");
    expect(text).toContain("Output:\n" + "x".repeat(20) + "\n[... 960 bytes omitted ...]\n" + "x".repeat(20));
  });

  it("reports the real size of a bounded capture, not the size of what was kept", () => {
    const b = new HeadTailBuffer(50_000, 50_000);
    for (let i = 0; i < 100; i++) b.push(Buffer.from("y".repeat(9_999) + "\n"));
    const capture = b.toText({ markerDetail: "full output: /spool/x.log" });
    const totals = { bytes: b.totalBytes, lines: b.totalLines };
    expect(totals).toEqual({ bytes: 1_000_000, lines: 100 });

    const shell = formatShellCommandOutput({ exitCode: 0, wallTimeMs: 0, output: capture, maxBytes: 1000, totals, spoolPath: "/spool/x.log" });
    expect(shell).toMatch(/^Exit code: 0\nWall time: 0 seconds\nTotal output lines: 100\nOutput:\ny{500}\n\[\.\.\. 999000 of 1000000 bytes omitted; full output: \/spool\/x\.log \.\.\.\]\n\n?y+\n$/);

    const unified = formatUnifiedExecOutput({ chunkId: "000000", wallTimeMs: 0, exitCode: 0, output: capture, totalBytes: 1_000_000, maxOutputTokens: 250 });
    expect(unified).toContain("Original token count: 250000\n");
    expect(unified).toContain("[... 999000 of 1000000 bytes omitted ...]");
  });

  it("formats shell_command output", () => {
    expect(formatShellCommandOutput({ exitCode: 2, wallTimeMs: 1234, output: "no\n", maxBytes: 100 })).toBe(
      "Exit code: 2\nWall time: 1.2 seconds\nOutput:\nno\n",
    );
    expect(formatShellCommandOutput({ exitCode: 0, wallTimeMs: 20, output: "", maxBytes: 100 })).toBe(
      "Exit code: 0\nWall time: 0 seconds\nOutput:\n",
    );
  });

  it("quotes the display command only where needed", () => {
    expect(commandDisplay(["/bin/bash", "-lc", "ls"])).toBe("/bin/bash -lc ls");
    expect(commandDisplay(["/bin/bash", "-c", "cat hello.txt"])).toBe("/bin/bash -c 'cat hello.txt'");
    expect(commandDisplay(["/bin/bash", "-lc", "echo 'a b'"])).toBe(`/bin/bash -lc 'echo '"'"'a b'"'"''`);
  });

  it("estimates tokens as bytes/4 rounded up", () => {
    expect([approxTokenCount(""), approxTokenCount("abcde"), approxTokenCount("é")]).toEqual([0, 2, 1]);
  });
});

describe("exitStatusForModel", () => {
  it("maps signals to 128+n", async () => {
    const { exitStatusForModel } = await import("./exec-output-format.js");
    expect(exitStatusForModel({ exitCode: 3, signal: null })).toBe(3);
    expect(exitStatusForModel({ exitCode: null, signal: "SIGKILL" })).toBe(137);
    expect(exitStatusForModel({ exitCode: null, signal: null })).toBe(-1);
  });
});

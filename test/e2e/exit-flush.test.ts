// Output still queued for a full pipe when the command ends reaches the reader: bin/codex.js waits for
// stdout/stderr to drain before it exits. The reader here does not read until the child has either exited
// or waited a while with its output pending (a slow `| tail`), then reads everything.
import { expect, test } from "vitest";
import { spawnCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import type { FakeServer } from "../support/fake-responses-server.js";

let server: FakeServer;
let t: TestEnv;
useFakeServerEnv((s, e) => ((server = s), (t = e)));

test("a slow reader of a long human transcript still gets the last line (the error)", async () => {
  // The human header echoes the prompt: ~1 MB of stderr, far more than a pipe holds.
  const child = spawnCodex(["exec"], { env: t.env, cwd: t.repo, stdin: "x".repeat(1_048_577) });
  child.stderr!.pause();
  child.stdout!.resume();
  // Not reading: the child fills the pipe and reaches its exit path with output queued.
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 1_500);
    child.once("exit", () => (clearTimeout(timer), resolve()));
  });
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  child.stderr!.resume();
  const code = await new Promise<number | null>((resolve) => child.once("close", (c) => resolve(c)));
  expect(code).not.toBe(0);
  expect(server.requests).toHaveLength(0);
  expect(stderr.trimEnd().split("\n").at(-1)).toBe("ERROR: Input exceeds the maximum length of 1048576 characters.");
});

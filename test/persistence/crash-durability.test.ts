import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createRolloutStore } from "../../src/core/persistence/rollout-store.js";
import { parseRolloutText } from "../../src/core/persistence/rollout-reader.js";
import { uuidv7 } from "../../src/util/ids.js";

const here = path.dirname(fileURLToPath(import.meta.url));
let dir: string;
let childJs: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "rollout-crash-"));
  childJs = path.join(dir, "child.mjs");
  await build({
    entryPoints: [path.join(here, "append-loop-child.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile: childJs,
    logLevel: "silent",
  });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("every append reported as done survives kill -9 mid-stream", async () => {
  const codexHome = path.join(dir, "home");
  const threadId = uuidv7();
  const child = spawn(process.execPath, [childJs, codexHome, threadId], { stdio: ["ignore", "pipe", "pipe"] });
  const reported: string[] = [];
  let rolloutPath: string | undefined;
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));

  // Kill once enough appends are acknowledged; the child is writing more at that moment.
  const killed = new Promise<void>((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`child made no progress; stderr: ${stderr}`)), 30_000);
    let buf = "";
    child.stdout.on("data", (chunk: Buffer) => {
      buf += chunk.toString();
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith("path ")) rolloutPath = line.slice(5);
        else if (line.startsWith("done ")) reported.push(line.slice(5));
        if (reported.length === 200 && child.exitCode === null) {
          clearTimeout(deadline);
          child.kill("SIGKILL");
        }
      }
    });
    child.on("exit", (_code, signal) => {
      clearTimeout(deadline);
      if (signal === "SIGKILL") resolve();
      else reject(new Error(`child exited without being killed; stderr: ${stderr}`));
    });
  });
  await killed;

  expect(rolloutPath).toBeDefined();
  const store = createRolloutStore({ codexHome });
  expect(await store.find(threadId)).toBe(rolloutPath);
  const lines = await store.read(rolloutPath!);
  expect(lines[0]?.type).toBe("session_meta");
  const journaled = lines
    .filter((l) => l.type === "event_msg")
    .map((l) => String((l.payload as { message: string }).message).split(" ")[0]);
  // Every acknowledged append is on disk, in order, and nothing is duplicated.
  expect(reported.length).toBeGreaterThanOrEqual(200);
  expect(journaled.slice(0, reported.length)).toEqual(reported);
  expect(new Set(journaled).size).toBe(journaled.length);
  // Raw text agrees with read(): only a possible torn tail is dropped.
  const raw = await readFile(rolloutPath!, "utf8");
  expect(parseRolloutText(raw).length).toBe(lines.length);
});

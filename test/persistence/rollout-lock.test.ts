import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { acquireRolloutLock, lockPathFor, SessionInUseError } from "../../src/core/persistence/rollout-lock.js";

let dir: string;
let rollout: string;
const ID = "01a21ec4-0000-7000-8000-00000000beef";

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "rollout-lock-"));
  rollout = path.join(dir, `rollout-2026-12-01T00-00-00-${ID}.jsonl`);
  await writeFile(rollout, "");
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A pid that is certainly dead: a child that already exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return Number(r.stdout.toString());
}

test("a live holder keeps the lock: the second taker is told who holds it", async () => {
  const lock = await acquireRolloutLock(rollout, { pid: process.ppid });
  await expect(acquireRolloutLock(rollout, { pid: deadPid() + 1_000_000 })).rejects.toThrow(
    new SessionInUseError(ID, process.ppid),
  );
  expect((await readFile(lockPathFor(rollout), "utf8")).trim()).toBe(String(process.ppid));
  await lock.release();
});

test("a lock left by a dead process is taken over; release removes it", async () => {
  await writeFile(lockPathFor(rollout), `${deadPid()}\n`);
  const lock = await acquireRolloutLock(rollout);
  expect((await readFile(lockPathFor(rollout), "utf8")).trim()).toBe(String(process.pid));
  await lock.release();
  expect(existsSync(lockPathFor(rollout))).toBe(false);
});

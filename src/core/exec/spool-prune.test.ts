import { mkdtempSync, utimesSync, writeFileSync, existsSync, mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "vitest";
import { pruneSpool } from "./spool-prune.js";

test("old spool files go, recent files and directories stay, a missing dir is fine", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "spool-"));
  const now = Date.now();
  const old = path.join(dir, "old.log");
  const fresh = path.join(dir, "fresh.log");
  writeFileSync(old, "x");
  writeFileSync(fresh, "y");
  mkdirSync(path.join(dir, "sub"));
  const eightDaysAgo = (now - 8 * 24 * 3600 * 1000) / 1000;
  utimesSync(old, eightDaysAgo, eightDaysAgo);
  expect(await pruneSpool(dir, { now })).toBe(1);
  expect(existsSync(old)).toBe(false);
  expect(existsSync(fresh)).toBe(true);
  expect(existsSync(path.join(dir, "sub"))).toBe(true);
  expect(await pruneSpool(path.join(dir, "missing"))).toBe(0);
});

import { mkdtempSync, readFileSync, appendFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "vitest";
import { createThreadNames } from "./thread-names.js";

test("the last name of a thread wins; torn lines are skipped; the file is Codex's session_index.jsonl", async () => {
  const codexHome = mkdtempSync(path.join(os.tmpdir(), "names-"));
  const names = createThreadNames({ codexHome });
  expect(await names.all()).toEqual(new Map());
  await names.set("a", "first");
  await names.set("b", "other");
  appendFileSync(path.join(codexHome, "session_index.jsonl"), '{"id":"a","thread_na\n');
  await names.set("a", "second");
  expect(await names.all()).toEqual(new Map([["a", "second"], ["b", "other"]]));
  const first = JSON.parse(readFileSync(path.join(codexHome, "session_index.jsonl"), "utf8").split("\n")[0]!);
  expect(Object.keys(first)).toEqual(["id", "thread_name", "updated_at"]);
});

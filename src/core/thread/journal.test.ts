import { expect, test } from "vitest";
import type { RolloutItem, RolloutWriter } from "../persistence/contract.js";
import { createJournal } from "./journal.js";

/** A writer that fails the writes it is told to fail, and keeps what it "wrote". */
function flakyWriter(failures: number) {
  const written: string[] = [];
  let left = failures;
  const writer: RolloutWriter = {
    path: "/sessions/rollout-x.jsonl",
    async append(item: RolloutItem) {
      await Promise.resolve();
      if (left > 0) {
        left--;
        throw new Error("ENOSPC: no space left on device");
      }
      written.push((item.payload as { message: string }).message);
    },
    close: async () => {},
  };
  return { writer, written };
}

const line = (message: string): RolloutItem => ({ type: "event_msg", payload: { type: "agent_message", message } });

test("a failed write is reported once, kept, and written (in order) with the next entry", async () => {
  const { writer, written } = flakyWriter(1);
  const warnings: string[] = [];
  const journal = createJournal({ writer, warn: (m) => void warnings.push(m) });
  await journal.append(line("one"));
  expect(written).toEqual([]);
  expect(warnings).toEqual([
    "failed to write session journal /sessions/rollout-x.jsonl: ENOSPC: no space left on device; 1 line(s) are kept and written again with the next entry",
  ]);
  await journal.append(line("two"));
  await journal.append(line("three"));
  expect(written).toEqual(["one", "two", "three"]);
  await journal.close();
  expect(warnings).toHaveLength(1);
});

test("lines that can never be written are counted in a warning at close", async () => {
  const { writer, written } = flakyWriter(1_000);
  const warnings: string[] = [];
  const journal = createJournal({ writer, warn: (m) => void warnings.push(m) });
  await Promise.all([journal.append(line("a")), journal.append(line("b"))]);
  await journal.append(line("c"));
  await journal.close();
  expect(written).toEqual([]);
  expect(warnings).toHaveLength(2);
  expect(warnings[1]).toBe(
    "3 line(s) of this session could not be written to /sessions/rollout-x.jsonl: ENOSPC: no space left on device; resuming it will miss them",
  );
});

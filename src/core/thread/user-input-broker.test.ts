import { expect, test } from "vitest";
import type { EventMsg } from "../../protocol/events.js";
import { createUserInputBroker } from "./user-input-broker.js";

const ask = (callId: string) => ({ callId, questions: [], isBlocking: false });

test("a question ended by the signal or abortAll is unanswered (once); an answered one is not", async () => {
  const broker = createUserInputBroker();
  const asker = broker.asker(() => {}, "t1");
  const answered = asker(ask("a"), new AbortController().signal);
  const controller = new AbortController();
  const interrupted = asker(ask("b"), controller.signal);
  const shutdown = asker(ask("c"), new AbortController().signal);
  expect(broker.answer("a", { answers: {} })).toBe(true);
  controller.abort();
  expect(broker.pending()).toBe(1);
  broker.abortAll();
  expect(await Promise.all([answered, interrupted, shutdown])).toEqual([{ answers: {} }, null, null]);
  expect(broker.answer("b", { answers: {} })).toBe(false);
  expect([broker.takeUnanswered("a"), broker.takeUnanswered("b"), broker.takeUnanswered("c"), broker.takeUnanswered("b")]).toEqual([false, true, true, false]);
  // Asked with a signal already aborted: never shown, still to be asked.
  const aborted = new AbortController();
  aborted.abort();
  expect(await asker(ask("d"), aborted.signal)).toBeNull();
  expect(broker.takeUnanswered("d")).toBe(true);
});

test("with a journal, the question is emitted once it is written, and not at all when the turn ended meanwhile", async () => {
  const broker = createUserInputBroker();
  const events: string[] = [];
  let release!: () => void;
  const written = new Promise<void>((r) => (release = r));
  const asker = broker.asker((m: EventMsg) => void events.push(`emit ${m.type}`), "t1", {
    journal: async (m) => {
      events.push(`journal ${m.type}`);
      await written;
    },
  });
  const asked = asker(ask("q1"), new AbortController().signal);
  expect(events).toEqual(["journal request_user_input"]);
  release();
  await written;
  await new Promise((r) => setImmediate(r));
  expect(events).toEqual(["journal request_user_input", "emit request_user_input"]);
  broker.answer("q1", { answers: { x: { answers: ["y"] } } });
  expect(await asked).toEqual({ answers: { x: { answers: ["y"] } } });

  const controller = new AbortController();
  const late = broker.asker((m) => void events.push(`late ${m.type}`), "t2", { journal: () => new Promise((r) => setImmediate(r)) })(ask("q2"), controller.signal);
  controller.abort();
  expect(await late).toBeNull();
  await new Promise((r) => setImmediate(r));
  expect(events.some((e) => e.startsWith("late"))).toBe(false);
  expect(broker.takeUnanswered("q2")).toBe(true);
});

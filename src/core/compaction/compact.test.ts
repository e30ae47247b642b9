import { describe, expect, test } from "vitest";
import type { EventMsg } from "../../protocol/events.js";
import type { ResponseItem } from "../../protocol/items.js";
import { ModelError } from "../model/contract.js";
import type { HistoryPort } from "../turn/history-port.js";
import { compactHistory } from "./compact.js";
import type { CompactionSettings } from "./contract.js";

const msg = (role: string, text: string): ResponseItem =>
  ({ type: "message", role, content: [{ type: role === "assistant" ? "output_text" : "input_text", text }] }) as ResponseItem;

function fakePort(o: { history: ResponseItem[]; answers: Array<string | Error>; tokens?: number }) {
  const events: EventMsg[] = [];
  let replaced: ResponseItem[] | null = null;
  let asked = 0;
  const port: HistoryPort = {
    history: () => replaced ?? o.history,
    contextTokens: () => o.tokens ?? 0,
    async sampleText() {
      const a = o.answers[asked++];
      if (a instanceof Error) throw a;
      return a ?? "";
    },
    async replaceHistory(r) {
      replaced = r.items;
    },
    emit: (m) => events.push(m),
    turnId: "t1",
  };
  return { port, events, replaced: () => replaced, asked: () => asked };
}

const hookCalls: string[] = [];
const settings = (over: Partial<CompactionSettings> = {}): CompactionSettings => ({
  limit: 1_000,
  usableWindow: 100_000,
  userMessageBudget: 20_000,
  maxAttempts: 3,
  hooks: {
    preCompact: async (o) => void hookCalls.push(`pre:${o.trigger}:${o.turnId}`),
    postCompact: async (o) => void hookCalls.push(`post:${o.trigger}:${o.turnId}`),
  },
  ...over,
});
const signal = new AbortController().signal;
const bigHistory = [msg("user", "task"), { type: "function_call_output", call_id: "c", output: "o".repeat(20_000) } as ResponseItem];

describe("compactHistory", () => {
  test("replaces the history, reports tokens before/after and runs the hooks around it", async () => {
    hookCalls.length = 0;
    const f = fakePort({ history: bigHistory, answers: ["short summary"], tokens: 9_000 });
    const r = await compactHistory(f.port, settings(), { trigger: "auto", signal });
    expect(r.tokensBefore).toBe(9_000);
    expect(r.tokensAfter).toBeLessThan(200);
    expect(JSON.stringify(f.replaced())).toContain("short summary");
    expect(f.events).toContainEqual({ type: "context_compacted", trigger: "auto", tokensBefore: 9_000, tokensAfter: r.tokensAfter });
    expect(hookCalls).toEqual(["pre:auto:t1", "post:auto:t1"]);
  });

  test("never makes the history larger: a summary bigger than what it replaces is not installed", async () => {
    const small = [msg("user", "hi"), msg("assistant", "hello")];
    const manual = fakePort({ history: small, answers: ["x".repeat(5_000)] });
    await compactHistory(manual.port, settings(), { trigger: "manual", signal });
    expect(manual.replaced()).toBeNull();
    const auto = fakePort({ history: small, answers: ["x".repeat(5_000)], tokens: 5_000 });
    await expect(compactHistory(auto.port, settings(), { trigger: "auto", signal })).rejects.toMatchObject({
      error: { kind: "context_window_exceeded" },
    });
    expect(auto.replaced()).toBeNull();
  });

  test("still over the limit after compaction: the smaller history is kept and the turn gets the typed error", async () => {
    const f = fakePort({ history: bigHistory, answers: ["summary"], tokens: 9_000 });
    const err = await compactHistory(f.port, settings({ limit: 5 }), { trigger: "auto", signal }).catch((e) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as ModelError).error.kind).toBe("context_window_exceeded");
    expect((err as ModelError).message).toContain("still holds");
    expect(f.replaced()).not.toBeNull();
  });

  test("three failed summaries in a row: the typed error naming the last failure; two failures then success is fine", async () => {
    const failing = fakePort({ history: bigHistory, answers: [new Error("e1"), new Error("e2"), new Error("e3"), "late"] });
    const err = (await compactHistory(failing.port, settings(), { trigger: "auto", signal }).catch((e) => e)) as ModelError;
    expect(err.error.kind).toBe("context_window_exceeded");
    expect(err.message).toContain("compaction failed 3 times in a row (last error: e3)");
    expect(failing.asked()).toBe(3);
    const flaky = fakePort({ history: bigHistory, answers: [new Error("e1"), "", "third time"] });
    await compactHistory(flaky.port, settings(), { trigger: "manual", signal });
    expect(JSON.stringify(flaky.replaced())).toContain("third time");
    expect(flaky.events.filter((e) => e.type === "warning")).toHaveLength(2);
  });
});

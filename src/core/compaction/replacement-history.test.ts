import { describe, expect, test } from "vitest";
import type { ResponseItem } from "../../protocol/items.js";
import { buildReplacementHistory } from "./replacement-history.js";
import { summaryRequestInput } from "./summary-request.js";
import { DROPPED_OUTPUT_MARKER, SUMMARY_PREFIX } from "./summary-text.js";

const msg = (role: string, text: string): ResponseItem =>
  ({ type: "message", role, content: [{ type: role === "assistant" ? "output_text" : "input_text", text }] }) as ResponseItem;
const text = (item: ResponseItem): string => ((item as { content: Array<{ text: string }> }).content[0]!.text);
const call = (id: string): ResponseItem => ({ type: "function_call", call_id: id, name: "exec_command", arguments: "{}" }) as ResponseItem;
const output = (id: string, out: string): ResponseItem => ({ type: "function_call_output", call_id: id, output: out }) as ResponseItem;

const BASE = "base instructions";
const history: ResponseItem[] = [
  msg("developer", BASE),
  msg("user", "<environment_context>\n  <cwd>/r</cwd>\n</environment_context>"),
  msg("user", "first prompt"),
  call("c1"),
  output("c1", "tool output one"),
  msg("assistant", "an answer"),
  msg("user", `${SUMMARY_PREFIX}\n\nan older summary`),
  msg("user", "second prompt"),
];

describe("buildReplacementHistory", () => {
  test("keeps instructions, environment context and the person's prompts, then one summary message; calls and answers go", () => {
    const r = buildReplacementHistory({ history, summary: "NEW SUMMARY", userMessageBudget: 20_000, baseInstructionsText: BASE });
    expect(r.items.map(text)).toEqual([
      BASE,
      "<environment_context>\n  <cwd>/r</cwd>\n</environment_context>",
      "first prompt",
      "second prompt",
      `${SUMMARY_PREFIX}\n\nNEW SUMMARY`,
    ]);
    expect(r.message).toBe(`${SUMMARY_PREFIX}\n\nNEW SUMMARY`);
    // The journaled form leaves out the base instructions (session_meta keeps them).
    expect(r.journaled.map(text)).toEqual(r.items.slice(1).map(text));
    expect(r.tokens).toBeGreaterThan(0);
  });

  test("the budget keeps the newest prompts; the one crossing it is cut, older ones are dropped", () => {
    const long: ResponseItem[] = [
      msg("user", "oldest " + "a".repeat(4000)),
      msg("user", "middle " + "b".repeat(4000)),
      msg("user", "newest " + "c".repeat(400)),
    ];
    // 4 bytes per token: the newest (~102 tokens) fits in 300, the middle one is cut to the rest.
    const r = buildReplacementHistory({ history: long, summary: "S", userMessageBudget: 300 });
    const texts = r.items.map(text);
    expect(texts).toHaveLength(3);
    expect(texts[0]!.startsWith("middle ")).toBe(true);
    expect(texts[0]!.length).toBeLessThan(4000);
    expect(texts[0]).toContain("omitted");
    expect(texts[1]!.startsWith("newest ")).toBe(true);
    expect(texts.some((t) => t.startsWith("oldest"))).toBe(false);
  });

  test("a reference summary from an earlier compaction is not kept as a prompt", () => {
    const r = buildReplacementHistory({
      history: [msg("user", "Another language model started to solve this problem and produced a summary of x"), msg("user", "q")],
      summary: "S",
      userMessageBudget: 100,
    });
    expect(r.items.map(text)).toEqual(["q", `${SUMMARY_PREFIX}\n\nS`]);
  });
});

describe("summaryRequestInput", () => {
  const items: ResponseItem[] = [msg("user", "go"), call("a"), output("a", "x".repeat(8000)), call("b"), output("b", "y".repeat(8000))];

  test("fits as is: the history plus the instruction, nothing dropped", () => {
    const { input, dropped } = summaryRequestInput(items, 100_000);
    expect(dropped).toBe(0);
    expect(input.slice(0, -1)).toEqual(items);
    expect(text(input.at(-1)!)).toContain("hand-off note");
  });

  test("too big: the oldest outputs give way first, calls stay paired", () => {
    const { input, dropped } = summaryRequestInput(items, 2_800);
    expect(dropped).toBe(1);
    expect((input[2] as { output: string }).output).toBe(DROPPED_OUTPUT_MARKER);
    expect((input[4] as { output: string }).output).toBe("y".repeat(8000));
    expect(input.filter((i) => i.type === "function_call")).toHaveLength(2);
  });
});

import { createElement } from "react";
import { render } from "ink-testing-library";
import { describe, expect, test, vi } from "vitest";
import { KeyRouter } from "../../src/tui/components/key-router.js";
import { TrustPrompt } from "../../src/tui/trust/trust-prompt.js";
const inRouter = (el: ReturnType<typeof createElement>) => createElement(KeyRouter, null, el);

describe("TrustPrompt frames", () => {
  test("a new folder: the path, the question, two choices; Enter trusts, 2 declines, Ctrl+C quits", async () => {
    const onAnswer = vi.fn();
    const { lastFrame, stdin, unmount } = render(inRouter(createElement(TrustPrompt, { question: { root: "/work/app", reason: "new", changes: null }, onAnswer })));
    const frame = lastFrame()!;
    expect(frame).toContain("Folder access");
    expect(frame).toContain("/work/app");
    expect(frame).toContain("Trust this folder?");
    expect(frame).toContain("› 1. Trust and continue");
    expect(frame).toContain("  2. Continue without trusting");
    expect(frame).not.toContain("changed since");
    stdin.write("\r");
    await vi.waitFor(() => expect(onAnswer).toHaveBeenLastCalledWith("trust"));
    stdin.write("2");
    await vi.waitFor(() => expect(onAnswer).toHaveBeenLastCalledWith("decline"));
    stdin.write("\u0003");
    await vi.waitFor(() => expect(onAnswer).toHaveBeenLastCalledWith("quit"));
    unmount();
  });

  test("changed content: says what changed; arrows then Enter pick the second choice", async () => {
    const onAnswer = vi.fn();
    const question = {
      root: "/work/app",
      reason: "changed" as const,
      changes: [
        { kind: "changed" as const, what: "hook script .codex/stop.sh" },
        { kind: "added" as const, what: "MCP servers in .codex/config.toml" },
      ],
    };
    const { lastFrame, stdin, unmount } = render(inRouter(createElement(TrustPrompt, { question, onAnswer })));
    expect(lastFrame()).toContain("changed since you trusted it:");
    expect(lastFrame()).toMatch(/changed\s+hook script \.codex\/stop\.sh/);
    expect(lastFrame()).toMatch(/added\s+MCP servers in \.codex\/config\.toml/);
    expect(lastFrame()).toContain("Trust this folder again?");
    stdin.write("\u001B[B");
    await vi.waitFor(() => expect(lastFrame()).toContain("› 2. Continue without trusting"));
    stdin.write("\r");
    await vi.waitFor(() => expect(onAnswer).toHaveBeenCalledWith("decline"));
    unmount();
  });

  test("changed without a record: says it cannot say what", () => {
    const { lastFrame, unmount } = render(
      createElement(TrustPrompt, { question: { root: "/w", reason: "changed", changes: null }, onAnswer: () => {} }),
    );
    expect(lastFrame()).toContain("not on record");
    unmount();
  });
});

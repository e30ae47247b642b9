import { createElement as h } from "react";
import { afterEach, describe, expect, test } from "vitest";
import type { ResolvedConfig } from "../../core/index.js";
import type { PromptHistory } from "../input/prompt-history.js";
import { createTuiController } from "../session/controller.js";
import { createTuiStore } from "../state/store.js";
import { initialState } from "../state/types.js";
import type { SlashCommand } from "../slash/registry.js";
import { shellCommandAddon, slashPopupAddon } from "../slash/commands/composer-addons.js";
import { renderInTerminal, scriptedThread, type FakeTerminal } from "../testing-harness.js";
import { App } from "./app.js";

let term: FakeTerminal | undefined;
afterEach(() => {
  term?.unmount();
  term = undefined;
});

/** A file history of `entries` (newest first) that records what is sent and counts reads. */
function fileHistory(entries: string[]) {
  const recorded: string[] = [];
  let reads = 0;
  let pos = 0;
  const history: PromptHistory = {
    async older(limit) {
      reads++;
      const out = entries.slice(pos, pos + limit);
      pos += out.length;
      return out;
    },
    record: (text) => void recorded.push(text),
  };
  return { history, recorded, reads: () => reads };
}

function setup(history: PromptHistory) {
  const thread = scriptedThread();
  const store = createTuiStore(initialState({ version: "1.2.3" }));
  const controller = createTuiController({ store, thread });
  const model: SlashCommand = { name: "model", description: "choose the model", run: () => {} };
  term = renderInTerminal(
    h(App, {
      controller,
      cwd: "/repo",
      context: { config: () => ({ cwd: "/repo" }) as ResolvedConfig, runtime: () => ({ threads: {} as never, warnings: [], flushLogs: () => {}, dispose: async () => {} }), exit: () => {} },
      extensions: { commands: [model], composerAddons: [slashPopupAddon(() => [model]), shellCommandAddon()] },
      promptHistory: history,
    }),
    { columns: 80 },
  );
  return { thread, term };
}

const composerLine = (text: string) => text.split("\n").find((l) => l.startsWith("› ")) ?? "";

describe("composer history across sessions", () => {
  test("Up walks this session's prompts first, then older ones from the file; Down comes back to the draft", async () => {
    const file = fileHistory(["from file 2", "from file 2", "from file 1"]);
    const { thread, term } = setup(file.history);
    await term.waitForText("Ask Codex");
    // Nothing is read from the file before Up needs it.
    term.type("sent now\r");
    await thread.waitForOp((o) => o.type === "user_turn");
    expect(file.recorded).toEqual(["sent now"]);
    expect(file.reads()).toBe(0);
    term.type("my draft");
    await term.waitForText("› my draft");
    term.type("\x1b[A");
    await term.waitForText((t) => composerLine(t) === "› sent now");
    term.type("\x1b[A");
    await term.waitForText((t) => composerLine(t) === "› from file 2");
    term.type("\x1b[A");
    await term.waitForText((t) => composerLine(t) === "› from file 1");
    // The oldest: Up stays.
    term.type("\x1b[A");
    await term.waitForText((t) => composerLine(t) === "› from file 1");
    for (const expected of ["› from file 2", "› sent now", "› my draft"]) {
      term.type("\x1b[B");
      await term.waitForText((t) => composerLine(t) === expected);
    }
  });

  test("slash commands are not recorded; a recalled /model keeps the popup closed so Up goes on through the history", async () => {
    const file = fileHistory(["older prompt"]);
    const { term } = setup(file.history);
    await term.waitForText("Ask Codex");
    term.type("/model\r");
    await term.waitForText((t) => composerLine(t).includes("Ask Codex"));
    expect(file.recorded).toEqual([]);
    term.type("\x1b[A");
    const recalled = await term.waitForText((t) => composerLine(t) === "› /model");
    expect(recalled).not.toContain("choose the model");
    term.type("\x1b[A");
    await term.waitForText((t) => composerLine(t) === "› older prompt");
  });

  test("a !command is recorded with its ! and recalled by Up", async () => {
    const file = fileHistory([]);
    const { thread, term } = setup(file.history);
    await term.waitForText("Ask Codex");
    term.type("!ls -la\r");
    const op = await thread.waitForOp((o) => o.type === "run_user_shell_command");
    expect(op).toEqual({ type: "run_user_shell_command", command: "ls -la" });
    expect(file.recorded).toEqual(["!ls -la"]);
    term.type("\x1b[A");
    await term.waitForText((t) => composerLine(t) === "› !ls -la");
  });
});

import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createElement as h } from "react";
import { afterEach, describe, expect, test } from "vitest";
import { createFileIndex, type ResolvedConfig } from "../../core/index.js";
import { createTuiController } from "../session/controller.js";
import { mentionAddon } from "../slash/commands/composer-addons.js";
import { createTuiStore } from "../state/store.js";
import { initialState } from "../state/types.js";
import { renderInTerminal, scriptedThread, type FakeTerminal } from "../testing-harness.js";
import { App } from "./app.js";

let term: FakeTerminal | undefined;
let root: string | undefined;
afterEach(() => {
  term?.unmount();
  term = undefined;
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

function setup() {
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), "composer-mention-")));
  mkdirSync(path.join(root, "src"));
  writeFileSync(path.join(root, "src", "main.ts"), "");
  writeFileSync(path.join(root, "README.md"), "");
  const index = createFileIndex(root);
  const thread = scriptedThread();
  const store = createTuiStore(initialState({ version: "1.2.3" }));
  const controller = createTuiController({ store, thread });
  term = renderInTerminal(
    h(App, {
      controller,
      cwd: root,
      context: { config: () => ({ cwd: root }) as ResolvedConfig, runtime: () => ({ threads: {} as never, warnings: [], flushLogs: () => {}, dispose: async () => {} }), exit: () => {} },
      extensions: { composerAddons: [mentionAddon(() => index)] },
    }),
    { columns: 80 },
  );
  return { thread, term };
}

const LEFT = "\x1b[D";

describe("@ mention anywhere in the composer", () => {
  test("the popup follows the token under the cursor; Tab replaces just that token, the rest stays", async () => {
    const { thread, term } = setup();
    await term.waitForText("Ask Codex");
    term.type("fix @mai then run it");
    await term.waitForText("› fix @mai then run it");
    // At the end of the text the cursor is in no mention: no popup.
    expect(term.text()).not.toContain("src/main.ts");
    // Back into `@mai` (12 to the left: past " then run it" to just after "i").
    term.type(LEFT.repeat(12));
    await term.waitForText("src/main.ts");
    term.type("\t");
    await term.waitForText("› fix src/main.ts then run it");
    // The cursor went after the inserted path: typing goes there.
    term.type("X");
    await term.waitForText("› fix src/main.ts Xthen run it");
    term.type("\r");
    const op = await thread.waitForOp((o) => o.type === "user_turn");
    expect(op).toEqual({ type: "user_turn", items: [{ type: "text", text: "fix src/main.ts Xthen run it" }] });
  });

  test("Enter in the middle picks the match instead of sending; a token at the start works too", async () => {
    const { thread, term } = setup();
    await term.waitForText("Ask Codex");
    term.type("@READ is the file");
    await term.waitForText("› @READ is the file");
    term.type("\x1b[H"); // Home: the cursor at the `@`
    await term.waitForText("README.md");
    term.type("\r");
    await term.waitForText("› README.md is the file");
    expect(thread.ops.filter((o) => o.type === "user_turn")).toEqual([]);
  });
});

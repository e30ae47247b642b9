// Composer helpers: the `/` command popup (prefix filter over the registered commands, ↑/↓, Tab completes,
// Enter runs the highlighted one), the `@` file mention popup (fuzzy search over the repository's files; Tab
// or Enter inserts the path) and `!cmd` (Enter runs the rest of the line as the person's own shell command).
import { Box, Text } from "ink";
import { useLayoutEffect, useSyncExternalStore } from "react";
import type { FileIndex, FileMatch } from "../../../core/index.js";
import { MentionPopup } from "../../mention/mention-popup.js";
import { insertMention, mentionAt } from "../../mention/mention-token.js";
import { useFileSearch } from "../../mention/use-file-search.js";
import type { ComposerAddon, SlashCommand, SlashContext } from "../registry.js";
import { createPopupStore, type PopupStore } from "./popup-store.js";
import { useColor } from "../../components/theme.js";

const MAX_ROWS = 8;

/** The command being typed: `/prefix` with nothing after it yet. */
export function slashPrefix(text: string): string | null {
  const m = /^\/([^\s/]*)$/.exec(text);
  return m ? m[1]! : null;
}

export function matchingCommands(commands: readonly SlashCommand[], prefix: string): SlashCommand[] {
  return commands.filter((c) => c.name.startsWith(prefix));
}

export function runCommand(ctx: SlashContext, command: SlashCommand, args: string): void {
  if (ctx.state().turn && !command.availableDuringTask) {
    ctx.pushCell({ kind: "warning", message: `'/${command.name}' is disabled while a task is in progress.` });
    return;
  }
  Promise.resolve(command.run(ctx, args)).catch((err: unknown) =>
    ctx.pushCell({ kind: "error", message: `/${command.name}: ${(err as Error).message ?? String(err)}`, errorKind: "internal" }),
  );
}

export function slashPopupAddon(commands: () => readonly SlashCommand[]): ComposerAddon {
  const store = createPopupStore<SlashCommand>();
  const open = (text: string) => slashPrefix(text) !== null && store.get().dismissedFor !== text;
  return {
    id: "tuicmds.slash-popup",
    render: ({ text }) => (open(text) ? <SlashPopup store={store} prefix={slashPrefix(text)!} commands={commands()} /> : null),
    onKey(key, { text, setText, ctx }) {
      if (!open(text)) return false;
      const matches = matchingCommands(commands(), slashPrefix(text)!);
      const selected = Math.min(store.get().selected, Math.max(0, matches.length - 1));
      if (key.type !== "key") {
        if (key.type === "text" || key.type === "paste") store.set({ selected: 0 });
        return false;
      }
      switch (key.name) {
        case "up":
          store.set({ selected: Math.max(0, selected - 1) });
          return true;
        case "down":
          store.set({ selected: Math.min(matches.length - 1, selected + 1) });
          return true;
        case "tab": {
          const m = matches[selected];
          if (m) setText(`/${m.name} `);
          return true;
        }
        case "escape":
          store.set({ dismissedFor: text });
          return true;
        case "enter": {
          const m = matches[selected];
          // An exact name (or alias) goes the ordinary way: the composer submits it and the app runs it.
          if (!m || commands().some((c) => c.name === slashPrefix(text) || c.aliases?.includes(slashPrefix(text)!))) return false;
          setText("");
          store.set({ selected: 0 });
          runCommand(ctx, m, "");
          return true;
        }
        case "backspace":
          store.set({ selected: 0 });
          return false;
        default:
          return false;
      }
    },
  };
}

function SlashPopup({ store, prefix, commands }: { store: PopupStore<SlashCommand>; prefix: string; commands: readonly SlashCommand[] }) {
  const color = useColor();
  const state = useSyncExternalStore(store.subscribe, store.get);
  const matches = matchingCommands(commands, prefix);
  if (matches.length === 0) return <Text dimColor>  no matches</Text>;
  const selected = Math.min(state.selected, matches.length - 1);
  const first = Math.max(0, Math.min(selected - MAX_ROWS + 1, matches.length - MAX_ROWS));
  const shown = matches.slice(first, first + MAX_ROWS);
  const width = Math.max(...shown.map((c) => c.name.length)) + 3;
  return (
    <Box flexDirection="column">
      {shown.map((c) => {
        const isSelected = c === matches[selected];
        const line = `${isSelected ? "›" : " "} ${`/${c.name}`.padEnd(width)}${c.description}`;
        return isSelected ? (
          <Text key={c.name} color={color("cyan")} wrap="truncate-end">
            {line}
          </Text>
        ) : (
          <Text key={c.name} wrap="truncate-end">
            {line}
          </Text>
        );
      })}
    </Box>
  );
}

export function mentionAddon(index: () => FileIndex): ComposerAddon {
  const store = createPopupStore<FileMatch>();
  // The token under the cursor, wherever it is in the text.
  const token = (text: string, cursor: number) => (store.get().dismissedFor === text ? null : mentionAt(text, cursor));
  return {
    id: "tuicmds.mention",
    render: ({ text, cursor }) => {
      const t = token(text, cursor);
      return t ? <MentionList store={store} index={index()} query={t.query} /> : null;
    },
    onKey(key, { text, cursor, setText }) {
      const t = token(text, cursor);
      if (!t) return false;
      const { matches } = store.get();
      const selected = Math.min(store.get().selected, Math.max(0, matches.length - 1));
      if (key.type !== "key") {
        if (key.type === "text") store.set({ selected: 0 });
        return false;
      }
      switch (key.name) {
        case "up":
          store.set({ selected: Math.max(0, selected - 1) });
          return true;
        case "down":
          store.set({ selected: Math.min(Math.max(0, matches.length - 1), selected + 1) });
          return true;
        case "tab":
        case "enter": {
          const m = matches[selected];
          if (!m) return key.name === "tab";
          const next = insertMention(text, t, m.path);
          setText(next.text, { cursor: next.cursor });
          store.set({ selected: 0, matches: [] });
          return true;
        }
        case "escape":
          store.set({ dismissedFor: text });
          return true;
        default:
          return false;
      }
    },
  };
}

function MentionList({ store, index, query }: { store: PopupStore<FileMatch>; index: FileIndex; query: string }) {
  const state = useSyncExternalStore(store.subscribe, store.get);
  const { matches, searching } = useFileSearch(index, query);
  // Before the frame's keys are handled (a layout effect runs in the commit): Tab right after the matches
  // show must find them in the store.
  useLayoutEffect(() => {
    store.set({ matches });
  }, [matches, store]);
  const columns = process.stdout.columns ?? 80;
  return <MentionPopup query={query} matches={matches} selected={Math.min(state.selected, Math.max(0, matches.length - 1))} searching={searching} width={columns - 2} />;
}

/** `!cmd` + Enter: the person's own shell command (their shell, outside the sandbox), recorded for the model. */
export function shellCommandAddon(): ComposerAddon {
  const command = (text: string) => (text.startsWith("!") && !text.includes("\n") ? text.slice(1).trim() : null);
  return {
    id: "tuicmds.shell-command",
    render: ({ text }) => (command(text) !== null ? <Text dimColor>  ! runs a shell command in your shell, outside the sandbox</Text> : null),
    onKey(key, { text, setText, remember, ctx }) {
      if (key.type !== "key" || key.name !== "enter") return false;
      const cmd = command(text);
      if (cmd === null || cmd === "") return false;
      // Recalled with its `!`, as the reference keeps it.
      remember?.(text);
      setText("");
      void ctx.submit({ type: "run_user_shell_command", command: cmd });
      return true;
    },
  };
}

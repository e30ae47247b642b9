import type { ReactNode } from "react";
import type { CodexRuntime, ResolvedConfig, Thread } from "../../core/index.js";
import type { EventMsg } from "../../protocol/events.js";
import type { Op } from "../../protocol/ops.js";
import type { KeyEvent } from "../input/keys.js";
import type { NewCell, OverlayState, TuiState } from "../state/types.js";

/*
 * Extension points of the TUI (for slash commands, pickers, popups). Nothing here knows a particular command.
 *
 * - A slash command is { name, description, run(ctx, args) }. Typing `/name args` + Enter in the composer runs
 *   it (the composer never sends such text to the model when the name is registered). `run` gets a
 *   SlashContext: submit an op, push a history cell, open/close an overlay, read state, wait for an event,
 *   set the composer's text, switch to another thread (/new, /resume, /fork), exit.
 * - An overlay is a view that takes the keyboard above the composer (pickers, /model, the trust prompt...).
 *   Register an OverlayRenderer under an id; `ctx.openOverlay({ id, props })` shows it; its component receives
 *   the props and the context and calls `useKeyHandler` (src/tui/components/key-router.tsx) for its keys;
 *   `ctx.closeOverlay(id)` removes it. The approval overlay is built in and comes before any other overlay.
 * - A composer addon sees the composer's text (the `/` popup, `@` file mention): `render` draws above the input,
 *   `onKey` may take a key first (return true when it handled it) and edit the text through `setText`.
 * Pass all three to runTui / <App> through `TuiExtensions`.
 */

export interface SlashContext {
  /** Submits an op to the current thread (`user_turn` and `compact` show the Working line until they end). */
  submit(op: Op): Promise<void>;
  /** Sends text (and images) as the person's next message, exactly like typing it and pressing Enter. */
  sendMessage(text: string, options?: { images?: string[] }): Promise<void>;
  /** Adds a finished cell to the history (printed once into the scrollback). */
  pushCell(cell: NewCell): void;
  openOverlay(overlay: OverlayState): void;
  closeOverlay(id?: string): void;
  /** The current view state (session, turn, token counts, ...). */
  state(): TuiState;
  /** Resolves with the first event (after this call) the predicate accepts; rejects after `timeoutMs` (default 10 s). */
  waitForEvent<M extends EventMsg>(predicate: (msg: EventMsg) => msg is M, options?: { timeoutMs?: number }): Promise<M>;
  setComposerText(text: string): void;
  /**
   * Config, runtime (thread manager for /new /resume /fork, warnings) and the current thread of this session.
   * The first frame is drawn while they load: each throws until then; `ready()` waits for all three.
   */
  readonly config: () => ResolvedConfig;
  readonly runtime: () => CodexRuntime;
  readonly thread: () => Thread;
  ready(): Promise<void>;
  /** Replaces the current thread (closing the old one); its events then drive the screen. */
  switchThread(next: Thread): Promise<void>;
  /** Ends the TUI (closing the thread). */
  exit(): void;
}

export interface SlashCommand {
  name: string;
  description: string;
  aliases?: string[];
  /** Runs while a turn is in progress too (default false: the composer says to wait). */
  availableDuringTask?: boolean;
  run(ctx: SlashContext, args: string): void | Promise<void>;
}

export interface OverlayRenderer {
  id: string;
  render(props: { overlay: OverlayState; ctx: SlashContext }): ReactNode;
}

export interface ComposerAddonProps {
  text: string;
  /** Where the cursor is in `text`. */
  cursor: number;
  /** Replaces the text; the cursor goes to `cursor` (default: the end). */
  setText(text: string, options?: { cursor?: number }): void;
  /** Remembers `text` as sent (Up recalls it; written to history.jsonl) when an addon sends it itself (`!cmd`). */
  remember?(text: string): void;
  ctx: SlashContext;
}

export interface ComposerAddon {
  id: string;
  render?(props: ComposerAddonProps): ReactNode;
  /** Return true when the key was handled (the composer then ignores it). */
  onKey?(key: KeyEvent, props: ComposerAddonProps): boolean;
}

export interface TuiExtensions {
  commands?: SlashCommand[];
  overlays?: OverlayRenderer[];
  composerAddons?: ComposerAddon[];
}

export interface SlashRegistry {
  list(): SlashCommand[];
  find(name: string): SlashCommand | undefined;
  /** Commands whose name starts with `prefix` (without the slash), in registration order. */
  matching(prefix: string): SlashCommand[];
}

export function createSlashRegistry(commands: SlashCommand[]): SlashRegistry {
  const byName = new Map<string, SlashCommand>();
  for (const c of commands) {
    for (const n of [c.name, ...(c.aliases ?? [])]) if (!byName.has(n)) byName.set(n, c);
  }
  return {
    list: () => [...commands],
    find: (name) => byName.get(name),
    matching: (prefix) => commands.filter((c) => c.name.startsWith(prefix)),
  };
}

/** `/name rest` -> { name, args }; null when the text is not a slash command line. */
export function parseSlashLine(text: string): { name: string; args: string } | null {
  const m = /^\/([A-Za-z0-9_:.-]+)(?:\s+([\s\S]*))?$/.exec(text.trim());
  return m ? { name: m[1]!, args: (m[2] ?? "").trim() } : null;
}

import { Box, Static } from "ink";
import { useCallback, useLayoutEffect, useMemo, useRef, useSyncExternalStore } from "react";
import type { ReviewDecision } from "../../protocol/policy.js";
import type { TuiController } from "../session/controller.js";
import { createSlashRegistry, parseSlashLine, type SlashContext, type TuiExtensions } from "../slash/registry.js";
import type { KeyEvent } from "../input/keys.js";
import type { PromptHistory } from "../input/prompt-history.js";
import { ApprovalOverlay } from "./approval-overlay.js";
import { Composer, type ComposerSubmission } from "./composer.js";
import { Footer, WorkingLine } from "./footer.js";
import { HistoryCell } from "./history-cell.js";
import { KEY_PRIORITY, KeyRouter, useKeyHandler } from "./key-router.js";
import { UserInputOverlay } from "./user-input-overlay.js";

// The screen: finished cells in <Static> (printed once into the terminal's scrollback), then the live region:
// running cells, the Working line, the approval or another overlay, the composer and the footer.

export interface AppProps {
  controller: TuiController;
  /** Everything a slash command may use besides the controller (config, runtime, exit...). */
  context: Pick<SlashContext, "config" | "runtime" | "exit">;
  /** The session's working directory (image paths resolve against it). */
  cwd: string;
  extensions?: TuiExtensions;
  initialImages?: string[];
  onFocusChange?(focused: boolean): void;
  /** The terminal's answers to queries (the OSC 11 background colour). */
  onTerminalReply?(text: string): void;
  now?: () => number;
  /** The persisted prompt history (Up reaches earlier sessions; what is sent is recorded). */
  promptHistory?: PromptHistory;
  /** Keys typed before this settles wait for it (the slash commands still loading at the first frame). */
  holdKeysUntil?: Promise<unknown>;
}

export function App(props: AppProps) {
  return (
    <KeyRouter
      {...(props.onFocusChange ? { onFocusChange: props.onFocusChange } : {})}
      {...(props.onTerminalReply ? { onTerminalReply: props.onTerminalReply } : {})}
      {...(props.holdKeysUntil ? { holdKeysUntil: props.holdKeysUntil } : {})}
    >
      <Screen {...props} />
    </KeyRouter>
  );
}

const QUIT_HINT = "Press Ctrl+C again to quit";

function Screen({ controller, context, cwd, extensions, initialImages, now, promptHistory }: AppProps) {
  const store = controller.store;
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const setComposerText = useRef<(t: string) => void>(() => {});
  const composerEmpty = useRef(true);
  const lastCtrlC = useRef(0);
  const registry = useMemo(() => createSlashRegistry(extensions?.commands ?? []), [extensions?.commands]);

  const ctx = useMemo<SlashContext>(
    () => ({
      config: () => context.config(),
      runtime: () => context.runtime(),
      exit: () => context.exit(),
      ready: async () => void (await controller.ready()),
      submit: (op) => controller.submit(op),
      sendMessage: (text, o) => controller.sendMessage(text, o?.images ?? []),
      pushCell: (cell) => store.dispatch({ type: "push_cell", cell }),
      openOverlay: (overlay) => store.dispatch({ type: "open_overlay", overlay }),
      closeOverlay: (id) => store.dispatch({ type: "close_overlay", ...(id !== undefined ? { id } : {}) }),
      state: () => store.getState(),
      waitForEvent: (predicate, o) => controller.waitForEvent(predicate, o),
      setComposerText: (t) => setComposerText.current(t),
      thread: () => controller.thread(),
      switchThread: (next) => controller.switchThread(next),
    }),
    [controller, context, store],
  );

  const onSubmit = useCallback(
    (s: ComposerSubmission) => {
      const slash = s.images.length === 0 ? parseSlashLine(s.text) : null;
      const command = slash ? registry.find(slash.name) : undefined;
      if (slash && command) {
        if (store.getState().turn && !command.availableDuringTask) {
          store.dispatch({ type: "push_cell", cell: { kind: "warning", message: `'/${slash.name}' is disabled while a task is in progress.` } });
          return;
        }
        Promise.resolve(command.run(ctx, slash.args)).catch((err: unknown) =>
          store.dispatch({ type: "push_cell", cell: { kind: "error", message: `/${slash.name}: ${(err as Error).message ?? String(err)}`, errorKind: "internal" } }),
        );
        return;
      }
      void controller.sendMessage(s.text, s.images);
      // What was sent (not slash commands) goes to history.jsonl for later sessions.
      if (s.text.trim() !== "") promptHistory?.record(s.text);
    },
    [controller, ctx, registry, store, promptHistory],
  );

  // App-wide keys, after overlays and the composer had their chance.
  useKeyHandler(
    (key: KeyEvent) => {
      if (key.type === "key" && key.name === "escape") {
        if (store.getState().overlay) {
          store.dispatch({ type: "close_overlay" });
          return true;
        }
        if (store.getState().turn) void controller.interrupt();
        return true;
      }
      if (key.type === "ctrl" && key.letter === "c") {
        const t = (now ?? Date.now)();
        if (store.getState().turn) {
          void controller.interrupt();
          lastCtrlC.current = 0;
          return true;
        }
        if (t - lastCtrlC.current < 2000) {
          context.exit();
          return true;
        }
        lastCtrlC.current = t;
        store.dispatch({ type: "hint", text: QUIT_HINT });
        return true;
      }
      if (key.type === "ctrl" && key.letter === "d" && composerEmpty.current) {
        context.exit();
        return true;
      }
      return false;
    },
    { priority: KEY_PRIORITY.app },
  );

  // <Static> wrote these cells during this commit (ink renders static output at once): the terminal's
  // scrollback holds them now, so the state lets them go.
  useLayoutEffect(() => {
    const last = state.history.at(-1);
    if (last) store.dispatch({ type: "scrollback_written", throughId: last.id });
  }, [state.history, store]);

  const approval = state.approvals[0];
  const question = approval ? undefined : state.userInputs[0];
  const overlayRenderer = state.overlay ? extensions?.overlays?.find((o) => o.id === state.overlay!.id) : undefined;
  const decide = (decision: ReviewDecision, o?: { feedback?: string }) => {
    if (approval) void controller.answerApproval(approval, decision, o);
  };

  return (
    <Box flexDirection="column">
      {/* Keyed by the writes: after cells were dropped from the state, a fresh <Static> prints whatever is left. */}
      <Static key={state.scrollback.writes} items={state.history}>
        {(cell) => <HistoryCell key={cell.id} cell={cell} />}
      </Static>
      {state.live.map((cell) => (
        <HistoryCell key={cell.id} cell={cell} />
      ))}
      <WorkingLine turn={state.turn} status={state.status} {...(now ? { now } : {})} />
      {approval ? (
        <ApprovalOverlay key={approval.callId} request={approval} queued={state.approvals.length - 1} cwd={state.session?.cwd ?? ""} onDecision={decide} />
      ) : question ? (
        <UserInputOverlay
          key={question.callId}
          prompt={question}
          queued={state.userInputs.length - 1}
          onAnswer={(response) => void controller.answerUserInput(question.callId, response)}
          onCancel={() => void controller.cancelUserInput(question.callId)}
        />
      ) : overlayRenderer && state.overlay ? (
        <Box flexDirection="column">{overlayRenderer.render({ overlay: state.overlay, ctx })}</Box>
      ) : null}
      <Composer
        cwd={state.session?.cwd ?? cwd}
        onSubmit={onSubmit}
        active={!approval && !question && !overlayRenderer}
        ctx={ctx}
        {...(extensions?.composerAddons ? { addons: extensions.composerAddons } : {})}
        {...(initialImages ? { initialImages } : {})}
        {...(promptHistory ? { history: promptHistory } : {})}
        bindSetText={(fn) => void (setComposerText.current = fn)}
        onEmptyChange={(e) => {
          composerEmpty.current = e;
          if (!e && store.getState().hint === QUIT_HINT) store.dispatch({ type: "hint", text: null });
        }}
      />
      <Footer state={state} />
    </Box>
  );
}

import { render } from "ink";
import path from "node:path";
import type { CodexRuntime, ResolvedConfig } from "../core/index.js";
import { useEffect, useMemo, useState, type ReactNode } from "react";
import type { OverlayState } from "./state/types.js";
import { App } from "./components/app.js";
import { ThemeContext, themeFromEnv, type Theme } from "./components/theme.js";
import { createTuiController, type TuiController } from "./session/controller.js";
import { createNotifier, notificationSettings, type NotificationSettings } from "./session/notifications.js";
import { loadSessionConfig, SessionOpenError, startSession } from "./session/open-session.js";
import type { TuiExtensions } from "./slash/registry.js";
import { prepareStart } from "./picker/prepare-start.js";
import { createTuiExtensions } from "./slash/commands/index.js";
import { createTuiStore } from "./state/store.js";
import { initialState } from "./state/types.js";
import { createResizeGuard, terminalReflows } from "./terminal/resize-guard.js";
import { createBackgroundProbe, type BackgroundProbe } from "./terminal/background-probe.js";
import { createPromptHistory } from "./input/prompt-history.js";
import type { TuiArgs, TuiCore, TuiIo } from "./tui-args.js";

// Entry of the interactive TUI (its own ES module chunk, dist/tui.js: ink and React load only here).

export type { TuiArgs, TuiCore, TuiIo } from "./tui-args.js";
export type { TuiExtensions } from "./slash/registry.js";

/** Terminal modes: focus reporting (notifications only when unfocused) and bracketed paste. */
const MODES_ON = "\x1b[?1004h\x1b[?2004h";
const MODES_OFF = "\x1b[?2004l\x1b[?1004l";

export interface RunTuiOptions {
  /** Core (or its import still under way: the first frame does not wait for it). */
  core: TuiCore | Promise<TuiCore>;
  extensions?: TuiExtensions;
  /** An overlay to open before anything else (the trust prompt, the resume picker). */
  initialOverlay?: OverlayState;
}

/** Runs the interactive session until the person quits; resolves with the exit code. */
export async function runTui(given: TuiArgs, io: TuiIo, options: RunTuiOptions): Promise<number> {
  // The trust question and the resume/fork picker come before the session opens (they need core).
  const core = await options.core;
  const prepared = await prepareStart(given, io, core);
  if (prepared === null) return 0;
  const args = prepared;
  // The first frame goes up at once; the configuration, the runtime and the first thread start meanwhile.
  // If they fail (bad config, no API key), the frame is taken away again and the error is all that shows.
  let config: ResolvedConfig | null = null;
  let runtime: CodexRuntime | null = null;
  const store = createTuiStore(initialState({ version: io.version }));
  const starting = (async () => {
    const loaded = await loadSessionConfig(args, io, core);
    config = loaded;
    for (const w of loaded.warnings) store.dispatch({ type: "push_cell", cell: { kind: "warning", message: w } });
    return startSession(loaded, args, io, core);
  })().then(
    (session) => ({ session, error: null }),
    (error: unknown) => ({ session: null, error }),
  );
  if (options.initialOverlay) store.dispatch({ type: "open_overlay", overlay: options.initialOverlay });

  let notify: NotificationSettings | null = null;
  const notifier = createNotifier({
    settings: () => (notify ??= config ? notificationSettings(config.raw, io.env) : null),
    tmux: Boolean(io.env.TMUX),
    write: (text) => void io.stdout.write(text),
  });
  const controller: TuiController = createTuiController({
    store,
    onAttention: (reason) => notifier.attention(reason),
    // A resumed or forked session shows its conversation again (what the person typed, what the model said).
    transcriptOf: (t) =>
      t.history().flatMap((item): Array<{ role: "user" | "assistant"; text: string }> => {
        if (core.isInjectedContextMessage(item)) return [];
        const said = core.userText(item);
        if (said !== null) return [{ role: "user", text: said }];
        const answer = core.assistantText(item);
        return answer !== null ? [{ role: "assistant", text: answer }] : [];
      }),
  });

  let resolveExit!: () => void;
  const exited = new Promise<void>((r) => (resolveExit = r));
  const notStarted = () => new Error("the session has not started yet");
  const context = {
    config: () => config ?? (() => { throw notStarted(); })(),
    runtime: () => runtime ?? (() => { throw notStarted(); })(),
    exit: () => resolveExit(),
  };

  // Raw mode before the first frame: keys typed as soon as it shows must not be cooked (echoed, held for a line).
  if (io.stdin.isTTY) io.stdin.setRawMode(true);
  io.stdout.write(MODES_ON);
  // The background colour is asked for now and answered while the first frame is drawn (it never waits for it).
  const theme = themeFromEnv(io.env);
  const background = createBackgroundProbe({ write: (text) => void io.stdout.write(text) });
  if (theme.color && io.stdin.isTTY && io.stdout.isTTY) background.start();
  const terminal = createResizeGuard(io.stdout, { reflows: terminalReflows(io.env) });
  const cwd = path.resolve(io.cwd, args.cd ?? ".");
  const images = args.images.map((p) => path.resolve(cwd, p));
  const codexHome = core.resolveCodexHome({ env: io.env });
  const extensions = options.extensions ?? (await createTuiExtensions(core, { codexHome, cwd }));
  // history.jsonl: its end is taken now, so this session's own prompts come from memory, not twice.
  const promptHistory = createPromptHistory({
    reader: core.createHistoryReader({ codexHome }),
    append: async (text) => {
      await controller.ready();
      // The thread the prompt went to (after /new or /resume, not the first one).
      await runtime?.history?.append(controller.thread().id, text);
    },
  });
  const instance = render(
    <Root
      theme={theme}
      background={background}
      app={
        <App
          controller={controller}
          context={context}
          cwd={cwd}
          extensions={extensions}
          {...(args.prompt === undefined && images.length > 0 ? { initialImages: images } : {})}
          onFocusChange={(f) => notifier.setFocused(f)}
          onTerminalReply={(text) => void background.reply(text)}
          promptHistory={promptHistory}
        />
      }
    />,
    {
      stdout: terminal as unknown as NodeJS.WriteStream,
      stdin: io.stdin,
      stderr: io.stderr as NodeJS.WriteStream,
      exitOnCtrlC: false,
      patchConsole: false,
      // ink's default 30 fps holds a keystroke's frame up to 34 ms behind the previous one; frames are small.
      maxFps: 120,
    },
  );
  const restoreTerminal = () => {
    instance.unmount();
    terminal.dispose();
    if (io.stdin.isTTY) io.stdin.setRawMode(false);
    io.stdout.write(MODES_OFF);
  };

  const started = await starting;
  if (!started.session) {
    // Nothing ran: take the frame away and say why, as if nothing had been drawn.
    instance.clear();
    restoreTerminal();
    const err = started.error;
    io.stderr.write(`Error: ${err instanceof SessionOpenError || err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  runtime = started.session.runtime;
  for (const w of runtime.warnings) store.dispatch({ type: "push_cell", cell: { kind: "warning", message: w } });
  controller.attach(started.session.thread);
  if (args.prompt !== undefined && (args.prompt !== "" || images.length > 0)) void controller.sendMessage(args.prompt, images);
  // The thread can also end by itself (shutdown from elsewhere).
  void controller.ended().then(() => resolveExit());
  await exited;
  restoreTerminal();
  await controller.close();
  const threadId = store.getState().session?.threadId;
  if (threadId && (store.getState().scrollback.userMessages > 0 || store.getState().history.some((c) => c.kind === "user"))) {
    io.stdout.write(`To continue this session, run codex resume ${threadId}\n`);
  }
  return 0;
}

/**
 * Provides the theme: re-themed when the terminal says its background is light (or dark after all); loads the
 * syntax highlighter after the first frame (it is big and not needed to start), in the background's shades.
 */
function Root({ theme, app, background }: { theme: Theme; app: ReactNode; background: BackgroundProbe }) {
  const [light, setLight] = useState(theme.light);
  const [highlight, setHighlight] = useState<Theme["highlight"]>(null);
  useEffect(() => background.subscribe(setLight), [background]);
  useEffect(() => {
    if (!theme.color) return;
    let cancelled = false;
    void import("./markdown/highlight.js").then(({ createHighlighter }) => {
      if (!cancelled) setHighlight(() => createHighlighter({ light }));
    });
    return () => {
      cancelled = true;
    };
  }, [theme, light]);
  const current = useMemo(() => ({ ...theme, light, highlight }), [theme, light, highlight]);
  return <ThemeContext.Provider value={current}>{app}</ThemeContext.Provider>;
}

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
import type { TuiArgs, TuiCore, TuiIo, TuiStartup } from "./tui-args.js";

// Entry of the interactive TUI (its own ES module chunk, dist/tui.js: ink and React load only here).

export type { TuiArgs, TuiCore, TuiIo, TuiStartup } from "./tui-args.js";
export type { TuiExtensions } from "./slash/registry.js";

/** Terminal modes: focus reporting (notifications only when unfocused) and bracketed paste. */
const MODES_ON = "\x1b[?1004h\x1b[?2004h";
const MODES_OFF = "\x1b[?2004l\x1b[?1004l";

export interface RunTuiOptions {
  /**
   * Core, or its loader: called once the first frame is on screen (in the built CLI loading core evaluates
   * its whole module graph on the main thread, ~50 ms the frame does not wait for).
   */
  core: TuiCore | Promise<TuiCore> | (() => Promise<TuiCore>);
  /** core/startup: the trust question (and $CODEX_HOME) before core loads. */
  startup: TuiStartup;
  extensions?: TuiExtensions;
  /** An overlay to open before anything else (the trust prompt, the resume picker). */
  initialOverlay?: OverlayState;
}

/** Runs the interactive session until the person quits; resolves with the exit code. */
export async function runTui(given: TuiArgs, io: TuiIo, options: RunTuiOptions): Promise<number> {
  let coreLoad: Promise<TuiCore> | null = null;
  const coreOption = options.core;
  // A loader that throws is a failed load (the session's start reports it), not an exception out of runTui.
  const loadCore = () => (coreLoad ??= (async () => (typeof coreOption === "function" ? coreOption() : coreOption))());
  // The trust question and the resume/fork picker come before the session opens (only the picker needs core).
  const prepared = await prepareStart(given, io, { startup: options.startup, core: loadCore });
  if (prepared === null) return 0;
  const args = prepared;
  // The first frame goes up at once; core, the configuration, the runtime and the first thread load after it.
  // If they fail (bad config, no API key), the frame is taken away again and the error is all that shows.
  let core: TuiCore | null = null;
  let config: ResolvedConfig | null = null;
  let runtime: CodexRuntime | null = null;
  const store = createTuiStore(initialState({ version: io.version }));
  let frameUp!: () => void;
  const firstFrame = new Promise<void>((resolve) => (frameUp = resolve));
  // Core once the first frame is written (setImmediate: after the frame's synchronous write to the terminal).
  const coreReady = firstFrame.then(() => new Promise<void>((resolve) => setImmediate(resolve))).then(loadCore);
  const starting = (async () => {
    const c = (core = await coreReady);
    const loaded = await loadSessionConfig(args, io, c);
    config = loaded;
    for (const w of loaded.warnings) store.dispatch({ type: "push_cell", cell: { kind: "warning", message: w } });
    return startSession(loaded, args, io, c);
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
        const c = loadedCore();
        if (c.isInjectedContextMessage(item)) return [];
        const said = c.userText(item);
        if (said !== null) return [{ role: "user", text: said }];
        const answer = c.assistantText(item);
        return answer !== null ? [{ role: "assistant", text: answer }] : [];
      }),
  });

  let resolveExit!: () => void;
  const exited = new Promise<void>((r) => (resolveExit = r));
  const notStarted = () => new Error("the session has not started yet");
  const loadedCore = () => core ?? (() => { throw notStarted(); })();
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
  const codexHome = options.startup.resolveCodexHome({ env: io.env });
  // The slash commands need core: keys typed before they are there wait for them (KeyRouter holds them).
  const extensions: TuiExtensions | Promise<TuiExtensions | undefined> =
    options.extensions ??
    coreReady
      .then((c) => createTuiExtensions(c, { codexHome, cwd }))
      .catch((err: unknown) => {
        store.dispatch({ type: "push_cell", cell: { kind: "warning", message: `slash commands are unavailable: ${err instanceof Error ? err.message : String(err)}` } });
        return undefined;
      });
  let extensionsShown!: () => void;
  const keysWait = new Promise<void>((resolve) => (extensionsShown = resolve));
  // history.jsonl: its end is taken when core is there (before the session, so before any prompt is recorded);
  // this session's own prompts come from memory, not twice.
  const historyReader = coreReady.then((c) => c.createHistoryReader({ codexHome }));
  historyReader.catch(() => {}); // a core that failed to load is reported by the session's start
  const promptHistory = createPromptHistory({
    reader: { older: async (limit) => (await historyReader).older(limit) },
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
        <LateExtensions extensions={extensions} onShown={extensionsShown}>
          {(loaded) => (
            <App
              controller={controller}
              context={context}
              cwd={cwd}
              {...(loaded ? { extensions: loaded } : {})}
              {...(args.prompt === undefined && images.length > 0 ? { initialImages: images } : {})}
              onFocusChange={(f) => notifier.setFocused(f)}
              onTerminalReply={(text) => void background.reply(text)}
              promptHistory={promptHistory}
              {...(extensions instanceof Promise ? { holdKeysUntil: keysWait } : {})}
            />
          )}
        </LateExtensions>
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
  frameUp();
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
 * The app with the slash commands once they are there (they need core, which loads after the first frame);
 * `onShown` when the app has been drawn with them (or without, when they failed): held keys go on then.
 */
function LateExtensions(p: {
  extensions: TuiExtensions | Promise<TuiExtensions | undefined>;
  onShown(): void;
  children(extensions: TuiExtensions | undefined): ReactNode;
}) {
  const [loaded, setLoaded] = useState<{ value: TuiExtensions | undefined } | null>(
    p.extensions instanceof Promise ? null : { value: p.extensions },
  );
  useEffect(() => {
    if (!(p.extensions instanceof Promise)) return;
    let live = true;
    void p.extensions.then((value) => {
      if (live) setLoaded({ value });
    });
    return () => {
      live = false;
    };
  }, [p.extensions]);
  useEffect(() => {
    if (loaded) p.onShown();
  }, [loaded]);
  return <>{p.children(loaded?.value)}</>;
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

import { render } from "ink";
import { useEffect, useState, type ReactNode } from "react";
import type { OverlayState } from "./state/types.js";
import { App } from "./components/app.js";
import { ThemeContext, themeFromEnv, type Theme } from "./components/theme.js";
import { createTuiController, type TuiController } from "./session/controller.js";
import { notificationSequence, notificationSettings } from "./session/notifications.js";
import { openSession, SessionOpenError, type OpenedSession } from "./session/open-session.js";
import type { TuiExtensions } from "./slash/registry.js";
import { prepareStart } from "./picker/prepare-start.js";
import { createTuiExtensions } from "./slash/commands/index.js";
import { createTuiStore } from "./state/store.js";
import { initialState } from "./state/types.js";
import { createResizeGuard } from "./terminal/resize-guard.js";
import type { TuiArgs, TuiCore, TuiIo } from "./tui-args.js";

// Entry of the interactive TUI (its own ES module chunk, dist/tui.js: ink and React load only here).

export type { TuiArgs, TuiCore, TuiIo } from "./tui-args.js";
export type { TuiExtensions } from "./slash/registry.js";

/** Terminal modes: focus reporting (notifications only when unfocused) and bracketed paste. */
const MODES_ON = "\x1b[?1004h\x1b[?2004h";
const MODES_OFF = "\x1b[?2004l\x1b[?1004l";

export interface RunTuiOptions {
  core: TuiCore;
  extensions?: TuiExtensions;
  /** An overlay to open before anything else (the trust prompt, the resume picker). */
  initialOverlay?: OverlayState;
}

/** Runs the interactive session until the person quits; resolves with the exit code. */
export async function runTui(given: TuiArgs, io: TuiIo, options: RunTuiOptions): Promise<number> {
  // tuicmds: the trust question and the resume/fork picker come before the session opens.
  const args = await prepareStart(given, io, options.core);
  if (args === null) return 0;
  let session: OpenedSession;
  try {
    session = await openSession(args, io, options.core);
  } catch (err) {
    if (err instanceof SessionOpenError) {
      io.stderr.write(`Error: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const { config, runtime } = session;
  const extensions = options.extensions ?? (await createTuiExtensions(options.core, { codexHome: config.codexHome, cwd: config.cwd }));
  const store = createTuiStore(initialState({ version: io.version }));
  for (const w of [...config.warnings, ...runtime.warnings]) store.dispatch({ type: "push_cell", cell: { kind: "warning", message: w } });
  if (options.initialOverlay) store.dispatch({ type: "open_overlay", overlay: options.initialOverlay });

  const notify = notificationSettings(config.raw, io.env);
  let focused = true;
  const controller: TuiController = createTuiController({
    store,
    thread: session.thread,
    onAttention(reason) {
      if (focused || !notify.kinds.has(reason.kind)) return;
      io.stdout.write(notificationSequence(reason.message, { method: notify.method, tmux: Boolean(io.env.TMUX) }));
    },
  });

  let resolveExit!: () => void;
  const exited = new Promise<void>((r) => (resolveExit = r));
  const context = { config, runtime, exit: () => resolveExit() };

  io.stdout.write(MODES_ON);
  const baseTheme = themeFromEnv(io.env);
  const terminal = createResizeGuard(io.stdout);
  const instance = render(
    <Root
      theme={baseTheme}
      app={
        <App
          controller={controller}
          context={context}
          extensions={extensions}
          {...(args.prompt === undefined && args.images.length > 0 ? { initialImages: args.images.map((p) => resolveFrom(config.cwd, p)) } : {})}
          onFocusChange={(f) => void (focused = f)}
        />
      }
    />,
    { stdout: terminal as unknown as NodeJS.WriteStream, stdin: io.stdin, stderr: io.stderr as NodeJS.WriteStream, exitOnCtrlC: false, patchConsole: false },
  );
  if (args.prompt !== undefined && (args.prompt !== "" || args.images.length > 0)) {
    void controller.sendMessage(args.prompt, args.images.map((p) => resolveFrom(config.cwd, p)));
  }
  // The thread can also end by itself (shutdown from elsewhere).
  void controller.ended().then(() => resolveExit());
  await exited;
  instance.unmount();
  terminal.dispose();
  io.stdout.write(MODES_OFF);
  await controller.close();
  const threadId = store.getState().session?.threadId;
  if (threadId && store.getState().history.some((c) => c.kind === "user")) {
    io.stdout.write(`To continue this session, run codex resume ${threadId}\n`);
  }
  return 0;
}

function resolveFrom(cwd: string, p: string): string {
  return p.startsWith("/") ? p : `${cwd}/${p}`;
}

/** Provides the theme; loads the syntax highlighter after the first frame (it is big and not needed to start). */
function Root({ theme, app }: { theme: Theme; app: ReactNode }) {
  const [current, setCurrent] = useState(theme);
  useEffect(() => {
    if (!theme.color) return;
    let cancelled = false;
    void import("./markdown/highlight.js").then(({ createHighlighter }) => {
      if (!cancelled) setCurrent((t) => ({ ...t, highlight: createHighlighter() }));
    });
    return () => {
      cancelled = true;
    };
  }, [theme]);
  return <ThemeContext.Provider value={current}>{app}</ThemeContext.Provider>;
}

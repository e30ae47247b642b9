import { useStdin } from "ink";
import { createContext, useContext, useEffect, useMemo, useRef, type ReactNode } from "react";
import { createKeyDecoder, type KeyEvent } from "../input/keys.js";

// Keys go to the active handler of the highest priority first (approval 30 > overlay 20 > composer 10 >
// app-wide keys 0; the newest first among equals); a handler returns true when it took the key, otherwise
// the next one sees it.

type Handler = (key: KeyEvent) => boolean;

interface Entry {
  ref: { current: Handler };
  priority: number;
}

interface Router {
  add(entry: Entry): () => void;
}

export const KEY_PRIORITY = { app: 0, composer: 10, overlay: 20, approval: 30 } as const;

const RouterContext = createContext<Router | null>(null);

export interface KeyRouterProps {
  children: ReactNode;
  onFocusChange?(focused: boolean): void;
  /** The terminal's replies to queries (OSC strings such as the background colour); never keys. */
  onTerminalReply?(text: string): void;
  /**
   * Keys typed before this settles are held and then handed on in order (the TUI's first frame is up before
   * core and the slash commands are loaded: a "/status" typed at once must find its command).
   */
  holdKeysUntil?: Promise<unknown>;
}

export function KeyRouter({ children, onFocusChange, onTerminalReply, holdKeysUntil }: KeyRouterProps) {
  const { internal_eventEmitter: emitter, setRawMode, isRawModeSupported } = useStdin();
  const handlers = useRef<Entry[]>([]);
  const focusRef = useRef(onFocusChange);
  focusRef.current = onFocusChange;
  const replyRef = useRef(onTerminalReply);
  replyRef.current = onTerminalReply;
  const router = useMemo<Router>(
    () => ({
      add(entry) {
        // Stable sort: equal priorities keep mount order, the newest is tried first (iterated from the end).
        handlers.current = [...handlers.current, entry].sort((a, b) => a.priority - b.priority);
        return () => {
          handlers.current = handlers.current.filter((h) => h !== entry);
        };
      },
    }),
    [],
  );
  // Held keys (null once released); the promise is read once, at mount.
  const held = useRef<KeyEvent[] | null>(holdKeysUntil ? [] : null);
  const holdRef = useRef(holdKeysUntil);
  useEffect(() => {
    if (isRawModeSupported) setRawMode(true);
    const decoder = createKeyDecoder();
    let live = true;
    const deliver = (key: KeyEvent) => {
      const stack = handlers.current;
      for (let i = stack.length - 1; i >= 0; i--) if (stack[i]!.ref.current(key)) break;
    };
    const onInput = (data: string) => {
      for (const key of decoder.push(data)) {
        if (key.type === "focus") {
          focusRef.current?.(key.focused);
          continue;
        }
        if (key.type === "osc") {
          replyRef.current?.(key.text);
          continue;
        }
        if (held.current) held.current.push(key);
        else deliver(key);
      }
    };
    const release = () => {
      const keys = held.current ?? [];
      held.current = null;
      if (live) for (const key of keys) deliver(key);
    };
    if (held.current) void holdRef.current?.then(release, release);
    emitter.on("input", onInput);
    return () => {
      live = false;
      emitter.off("input", onInput);
      if (isRawModeSupported) setRawMode(false);
    };
  }, [emitter, setRawMode, isRawModeSupported]);
  return <RouterContext.Provider value={router}>{children}</RouterContext.Provider>;
}

/** Registers a key handler while `active` (default true), at `priority` (default KEY_PRIORITY.overlay). */
export function useKeyHandler(handler: Handler, options: { active?: boolean; priority?: number } = {}): void {
  const router = useContext(RouterContext);
  const ref = useRef(handler);
  ref.current = handler;
  const active = options.active ?? true;
  const priority = options.priority ?? KEY_PRIORITY.overlay;
  useEffect(() => {
    if (!router || !active) return;
    return router.add({ ref, priority });
  }, [router, active, priority]);
}

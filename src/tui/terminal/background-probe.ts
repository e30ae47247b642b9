import { isLightRgb, OSC11_QUERY, parseOsc11Reply } from "./background.js";

// Asks the terminal for its background once at start, without waiting: the first frame is drawn with the
// COLORFGBG guess (or dark) and re-themed when the answer comes. An answer later than `timeoutMs` after the
// query is ignored (the session has been drawn in its colours too long to switch), and a terminal that
// never answers changes nothing.

export interface BackgroundProbe {
  /** Sends the query (once). */
  start(): void;
  /** A reply from the terminal (an OSC string); true when it was the awaited answer. */
  reply(text: string): boolean;
  /** Called with `light` when the answer arrives in time. */
  subscribe(listener: (light: boolean) => void): () => void;
}

export function createBackgroundProbe(o: { write(text: string): void; timeoutMs?: number; now?: () => number }): BackgroundProbe {
  const now = o.now ?? Date.now;
  const timeoutMs = o.timeoutMs ?? 1000;
  let sentAt: number | null = null;
  let answered = false;
  const listeners = new Set<(light: boolean) => void>();
  return {
    start() {
      if (sentAt !== null) return;
      sentAt = now();
      o.write(OSC11_QUERY);
    },
    reply(text) {
      const rgb = parseOsc11Reply(text);
      if (!rgb || sentAt === null || answered) return false;
      answered = true;
      if (now() - sentAt > timeoutMs) return false;
      const light = isLightRgb(rgb);
      for (const l of [...listeners]) l(light);
      return true;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

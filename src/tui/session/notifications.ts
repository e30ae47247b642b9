// Desktop notification when the person is not looking: OSC 9 where the terminal shows it, else the bell.
// Config: `[tui] notifications = true | false | ["agent-turn-complete", "approval-requested"]`,
// `notification_method = "auto" | "osc9" | "bel"`.

export type AttentionKind = "turn_complete" | "approval";

export interface NotificationSettings {
  kinds: Set<AttentionKind>;
  method: "osc9" | "bel";
}

const CONFIG_KINDS: Record<string, AttentionKind> = { "agent-turn-complete": "turn_complete", "approval-requested": "approval" };

export function notificationSettings(raw: Record<string, unknown>, env: Record<string, string | undefined>): NotificationSettings {
  const tui = (raw.tui ?? {}) as Record<string, unknown>;
  const setting = tui.notifications ?? true;
  const kinds = new Set<AttentionKind>();
  if (setting === true) for (const k of Object.values(CONFIG_KINDS)) kinds.add(k);
  else if (Array.isArray(setting)) for (const s of setting) if (typeof s === "string" && CONFIG_KINDS[s]) kinds.add(CONFIG_KINDS[s]);
  const method = tui.notification_method === "osc9" || tui.notification_method === "bel" ? tui.notification_method : autoMethod(env);
  return { kinds, method };
}

/** Terminals known to show OSC 9 as a desktop notification. */
function autoMethod(env: Record<string, string | undefined>): "osc9" | "bel" {
  const program = env.TERM_PROGRAM ?? "";
  if (/^(iTerm\.app|WezTerm|ghostty)$/i.test(program) || env.KITTY_WINDOW_ID || env.TERM === "xterm-kitty" || env.WT_SESSION) return "osc9";
  return "bel";
}

/** The bytes to write for one notification (inside tmux, OSC 9 passes through the DCS wrapper). */
export function notificationSequence(message: string, o: { method: "osc9" | "bel"; tmux: boolean }): string {
  if (o.method === "bel") return "\x07";
  const clean = message.replace(/[\x00-\x1f\x7f]/g, " ").slice(0, 200);
  const osc = `\x1b]9;${clean}\x07`;
  return o.tmux ? `\x1bPtmux;${osc.replace(/\x1b/g, "\x1b\x1b")}\x1b\\` : osc;
}

export interface Notifier {
  setFocused(focused: boolean): void;
  /** A turn ended or an approval waits: notify when the terminal is not focused and the kind is enabled. */
  attention(reason: { kind: AttentionKind; message: string }): void;
}

/** `settings` is read when first needed (the configuration loads while the first frame is up). */
export function createNotifier(o: { settings: () => NotificationSettings | null; tmux: boolean; write(text: string): void }): Notifier {
  // Terminals that do not report focus never send "focus out": they count as focused (no notifications).
  let focused = true;
  return {
    setFocused(f) {
      focused = f;
    },
    attention(reason) {
      const settings = focused ? null : o.settings();
      if (!settings || !settings.kinds.has(reason.kind)) return;
      o.write(notificationSequence(reason.message, { method: settings.method, tmux: o.tmux }));
    },
  };
}

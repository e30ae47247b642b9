// `codex resume` / `codex fork` without an id: shows the session picker on its own (before the main app
// starts) and resolves with the person's choice. The main app then resumes/forks the picked id, starts a new
// session (Esc), or exits (Ctrl+C).
import { showUntilAnswered } from "../components/pre-session-screen.js";
import type { TuiCore } from "../tui-args.js";
import { SessionPicker } from "./session-picker.js";
import { loadSessionRows, type LoadSessionRowsOptions } from "./session-rows.js";

export type SessionPick = { type: "picked"; id: string; path: string } | { type: "new" } | { type: "quit" };

export async function pickSession(
  core: TuiCore,
  o: LoadSessionRowsOptions & { kind: "resume" | "fork"; stdin?: NodeJS.ReadStream; stdout?: NodeJS.WriteStream },
): Promise<SessionPick> {
  const rows = await loadSessionRows(core, o);
  return showUntilAnswered<SessionPick>(
    (finish) => (
      <SessionPicker
        kind={o.kind}
        rows={rows}
        showCwd={o.all}
        now={Date.now()}
        onPick={(row) => finish({ type: "picked", id: row.id, path: row.path })}
        onNew={() => finish({ type: "new" })}
        onQuit={() => finish({ type: "quit" })}
      />
    ),
    o,
  );
}

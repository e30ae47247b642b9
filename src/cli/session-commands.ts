import { createRolloutStore, loadConfig } from "../core/index.js";
import { runExec } from "../headless/run-exec.js";
import { toExecArgs } from "./exec-options.js";
import { processIo } from "./process-io.js";

// `codex resume` / `codex fork` at the CLI level. In a terminal they open the TUI: on the session given (ID or
// --last), or on the session picker without one. Without a terminal, with a prompt they run one headless turn
// on the session; without one they list sessions (the picker's data) or say how to go on.

/** Runs `codex resume|fork [SESSION] [PROMPT]`; resolves with the exit code. */
export async function runSessionCommand(
  kind: "resume" | "fork",
  session: string | undefined,
  prompt: string | undefined,
  given: { parent: Record<string, unknown>; own: Record<string, unknown> },
  version: string,
): Promise<number> {
  const { parent, own: opts } = given;
  const last = Boolean(opts.last);
  const [id, text] = last ? [undefined, session ?? prompt] : [session, prompt];
  if (process.stdin.isTTY && process.stdout.isTTY) return runInTui(kind, { id, last, text, parent, opts, version });
  if (!id && !last) return listSessions(opts);
  const args = toExecArgs(parent, opts, text ?? "");
  args.skipGitRepoCheck = true;
  if (kind === "fork") {
    const source = id ?? (await newestSessionId(opts));
    if (!source) {
      process.stderr.write("Error: No saved sessions found\n");
      return 1;
    }
    args.fork = { sessionId: source };
  } else {
    args.resume = { sessionId: id, last, all: Boolean(opts.all) };
  }
  if (text === undefined) {
    process.stderr.write(
      `The interactive TUI is not available in this build yet. Continue the session with:\n  codex exec ${kind} ${id ?? "--last"} "<prompt>"\n`,
    );
    return 0;
  }
  return runExec(args, processIo(version));
}

async function runInTui(
  kind: "resume" | "fork",
  o: {
    id: string | undefined;
    last: boolean;
    text: string | undefined;
    parent: Record<string, unknown>;
    opts: Record<string, unknown>;
    version: string;
  },
): Promise<number> {
  const { runTuiCommand, toTuiArgs } = await import("./commands/tui.js");
  const args = toTuiArgs(o.parent, o.opts, o.text);
  const all = Boolean(o.opts.all);
  if (!o.id && !o.last) {
    args.pickSession = { kind, all, includeNonInteractive: Boolean(o.opts.includeNonInteractive) };
  } else if (kind === "resume") {
    args.resume = { sessionId: o.id, last: o.last, all };
  } else {
    const source = o.id ?? (await newestSessionId(o.opts));
    if (!source) {
      process.stderr.write("Error: No saved sessions found\n");
      return 1;
    }
    args.fork = { sessionId: source };
  }
  return runTuiCommand(args, o.version);
}

async function sessionStore(opts: Record<string, unknown>) {
  const config = await loadConfig({
    cwd: process.cwd(),
    profile: opts.profile as string | undefined,
    overrides: (opts.config as string[] | undefined) ?? [],
    flags: { enable: [], disable: [], addDirs: [] },
    env: process.env,
  });
  const warn = (m: string) => void process.stderr.write(`warning: ${m}\n`);
  return { store: createRolloutStore({ codexHome: config.codexHome, warn }), cwd: config.cwd };
}

async function newestSessionId(opts: Record<string, unknown>): Promise<string | null> {
  const { store, cwd } = await sessionStore(opts);
  const [newest] = await store.list({ limit: 1, cwd: opts.all ? undefined : cwd });
  return newest?.id ?? null;
}

async function listSessions(opts: Record<string, unknown>): Promise<number> {
  const { store, cwd } = await sessionStore(opts);
  const sessions = (await store.list({ limit: 50, cwd: opts.all ? undefined : cwd })).filter(
    (s) => Boolean(opts.includeNonInteractive) || s.source !== "exec",
  );
  if (sessions.length === 0) {
    process.stderr.write("No saved sessions found (sessions from `codex exec` are listed with --include-non-interactive)\n");
    return 1;
  }
  for (const s of sessions) {
    process.stdout.write(`${s.id}  ${s.updatedAt}  ${s.cwd}  ${s.preview.replace(/\s+/g, " ").slice(0, 60)}\n`);
  }
  return 0;
}

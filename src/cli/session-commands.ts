import type { Command } from "commander";
import { createRolloutStore, loadConfig } from "../core/index.js";
import { runExec } from "../headless/run-exec.js";
import { addExecOptions, toExecArgs } from "./exec-options.js";
import { processIo } from "./process-io.js";

// `codex resume` / `codex fork` at the CLI level. The TUI comes later: with a prompt they run one
// headless turn on the session; without one they list sessions (the picker's data) or say how to go on.

export function registerSessionCommands(program: Command, version: string): void {
  for (const kind of ["resume", "fork"] as const) {
    addExecOptions(
      program
        .command(kind)
        .description(kind === "resume" ? "continue a saved session" : "copy a saved session under a new id")
        .argument("[session]", "session id (UUID)")
        .argument("[prompt]", "prompt for the next turn")
        .option("--last", "the most recent session")
        .option("--all", "do not restrict to the current directory")
        .option("--include-non-interactive", "also list sessions started by `codex exec`"),
    ).action(async (session: string | undefined, prompt: string | undefined, opts: Record<string, unknown>) => {
      const last = Boolean(opts.last);
      const [id, text] = last ? [undefined, session ?? prompt] : [session, prompt];
      if (!id && !last) {
        process.exitCode = await listSessions(opts);
        return;
      }
      const args = toExecArgs({}, opts, text ?? "");
      args.skipGitRepoCheck = true;
      if (kind === "fork") {
        if (!id) {
          const newest = await newestSessionId(opts);
          if (!newest) {
            process.stderr.write("Error: No saved sessions found\n");
            process.exitCode = 1;
            return;
          }
          args.fork = { sessionId: newest };
        } else {
          args.fork = { sessionId: id };
        }
      } else {
        args.resume = { sessionId: id, last, all: Boolean(opts.all) };
      }
      if (text === undefined) {
        process.stderr.write(
          `The interactive TUI is not available in this build yet. Continue the session with:\n  codex exec ${kind} ${id ?? (last ? "--last" : "")} "<prompt>"\n`,
        );
        process.exitCode = id || last ? 0 : 1;
        return;
      }
      process.exitCode = await runExec(args, processIo(version));
    });
  }
}

async function sessionStore(opts: Record<string, unknown>) {
  const config = await loadConfig({
    cwd: process.cwd(),
    profile: opts.profile as string | undefined,
    overrides: (opts.config as string[] | undefined) ?? [],
    flags: { enable: [], disable: [], addDirs: [] },
    env: process.env,
  });
  return { store: createRolloutStore({ codexHome: config.codexHome }), cwd: config.cwd };
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

// What runs before the interactive session opens: the trust question for a project nobody decided about (so a
// trusted project's own layer is in the config the session loads), then the session picker when `codex
// resume` / `codex fork` came without an id. Null: the person quit. The trust question needs only
// core/startup; core itself is loaded here only for the picker (which lists sessions).
import path from "node:path";
import { askProjectTrust } from "../trust/ask-project-trust.js";
import type { TuiArgs, TuiCore, TuiIo, TuiStartup } from "../tui-args.js";
import { pickSession } from "./pick-session.js";

export async function prepareStart(
  args: TuiArgs,
  io: TuiIo,
  o: { startup: TuiStartup; core: () => Promise<TuiCore> },
): Promise<TuiArgs | null> {
  const cwd = args.cd ? path.resolve(io.cwd, args.cd) : io.cwd;
  const { codexHome, question } = await o.startup.startupTrustQuestion({
    cwd,
    ...(args.profile !== undefined ? { profile: args.profile } : {}),
    overrides: args.configOverrides,
    env: io.env,
    ignoreUserConfig: args.ignoreUserConfig,
  });
  if (question !== null) {
    const trust = await askProjectTrust(o.startup, { question, codexHome }, { stdin: io.stdin, stdout: io.stdout });
    if (trust === "quit") return null;
  }
  if (!args.pickSession) return args;
  const core = await o.core();
  try {
    await core.loadConfig({
      cwd,
      profile: args.profile,
      overrides: args.configOverrides,
      flags: { enable: [], disable: [], addDirs: [], ignoreUserConfig: args.ignoreUserConfig },
      env: io.env,
    });
  } catch {
    // A bad config is reported by the session opening right after, with its one-line error.
    return args;
  }
  const { kind, all, includeNonInteractive } = args.pickSession;
  const pick = await pickSession(core, { kind, codexHome, cwd, all, includeNonInteractive, stdin: io.stdin, stdout: io.stdout });
  const { pickSession: _done, resume: _r, fork: _f, ...rest } = args;
  if (pick.type === "quit") return null;
  if (pick.type === "new") return rest;
  return kind === "resume" ? { ...rest, resume: { sessionId: pick.id, last: false, all } } : { ...rest, fork: { sessionId: pick.id } };
}

import { existsSync, statSync } from "node:fs";
import path from "node:path";
import type { CodexRuntime, ResolvedConfig, Thread } from "../../core/index.js";
import type { TuiArgs, TuiCore, TuiIo } from "../tui-args.js";

// Config, runtime and the first thread of an interactive session: what `codex exec` does, but with the
// configured approval policy and a person to answer approvals.

export interface OpenedSession {
  config: ResolvedConfig;
  runtime: CodexRuntime;
  thread: Thread;
}

export class SessionOpenError extends Error {}

/** Step one, before anything is drawn: the configuration (bad input fails here, with nothing on screen). */
export async function loadSessionConfig(args: TuiArgs, io: TuiIo, core: TuiCore): Promise<ResolvedConfig> {
  const { ConfigError, loadConfig } = core;
  const cwd = args.cd ? path.resolve(io.cwd, args.cd) : io.cwd;
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) throw new SessionOpenError(`working directory does not exist: ${cwd}`);
  let config: ResolvedConfig;
  try {
    config = await loadConfig({
      cwd,
      profile: args.profile,
      overrides: args.configOverrides,
      flags: {
        model: args.model,
        sandboxMode: args.sandbox,
        approvalPolicy: args.approval,
        oss: args.oss,
        enable: args.enable,
        disable: args.disable,
        addDirs: args.addDirs.map((d) => path.resolve(cwd, d)),
        fullAuto: args.fullAuto,
        dangerouslyBypass: args.dangerouslyBypass,
        bypassHookTrust: args.bypassHookTrust === true,
        strictConfig: args.strictConfig,
        ignoreUserConfig: args.ignoreUserConfig,
        ...(args.localProvider !== undefined ? { localProvider: args.localProvider } : {}),
        ...(args.givenOptions ? { givenOptions: args.givenOptions } : {}),
      },
      env: io.env,
    });
  } catch (err) {
    if (err instanceof ConfigError) throw new SessionOpenError(err.message);
    throw err;
  }
  return config;
}

/** Step two, while the first frame is up: the runtime and the first thread. */
export async function startSession(config: ResolvedConfig, args: TuiArgs, io: TuiIo, core: TuiCore): Promise<OpenedSession> {
  const { createCodexRuntime, MissingApiKeyError, resolveSandboxPolicy } = core;
  const cwd = config.cwd;
  let runtime: CodexRuntime;
  try {
    runtime = await createCodexRuntime({
      config,
      sandboxPolicy: resolveSandboxPolicy(config),
      approvalPolicy: config.approvalPolicy,
      env: io.env,
      originator: io.env.CODEX_INTERNAL_ORIGINATOR_OVERRIDE || "codex_cli_rs",
      version: io.version,
      source: "cli",
      ephemeral: false,
      interactiveApprovals: true,
      helperBinDirs: io.helperBinDirs,
    });
  } catch (err) {
    if (err instanceof MissingApiKeyError) throw new SessionOpenError(err.message);
    throw err;
  }
  let thread: Thread;
  try {
    thread = await core.openRequestedThread(runtime.threads, args, { cwd });
  } catch (err) {
    throw new SessionOpenError((err as Error).message ?? String(err));
  }
  return { config, runtime, thread };
}

import type { Command } from "commander";
import { ancestorOptions, toExecArgs } from "../exec-options.js";
import { processIo } from "../process-io.js";
import type { TuiArgs } from "../../tui/tui-args.js";

// `codex [PROMPT]`: the interactive TUI, with the options of `codex exec` plus -a.

export const NOT_A_TERMINAL =
  "Error: the interactive TUI needs a terminal (stdin and stdout must be a TTY). For scripts and pipes use `codex exec \"...\"`.";

export function toTuiArgs(parent: Record<string, unknown>, own: Record<string, unknown>, prompt: string | undefined): TuiArgs {
  const e = toExecArgs(parent, own, prompt);
  const approval = (own.askForApproval ?? parent.askForApproval) as string | undefined;
  return {
    ...(e.prompt !== undefined ? { prompt: e.prompt } : {}),
    ...(e.model !== undefined ? { model: e.model } : {}),
    ...(e.profile !== undefined ? { profile: e.profile } : {}),
    configOverrides: e.configOverrides,
    enable: e.enable,
    disable: e.disable,
    ...(e.sandbox !== undefined ? { sandbox: e.sandbox } : {}),
    ...(approval !== undefined ? { approval } : {}),
    fullAuto: e.fullAuto,
    dangerouslyBypass: e.dangerouslyBypass,
    bypassHookTrust: e.bypassHookTrust === true,
    ...(e.cd !== undefined ? { cd: e.cd } : {}),
    addDirs: e.addDirs,
    images: e.images,
    oss: e.oss,
    ...(e.localProvider !== undefined ? { localProvider: e.localProvider } : {}),
    ...(e.givenOptions ? { givenOptions: e.givenOptions.filter((o) => o !== "askForApproval") } : {}),
    strictConfig: e.strictConfig,
    ignoreUserConfig: e.ignoreUserConfig,
  };
}

/** Runs the TUI for `args`; resolves with the exit code. Refuses without a terminal. */
export async function runTuiCommand(args: TuiArgs, version: string): Promise<number> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    process.stderr.write(`${NOT_A_TERMINAL}\n`);
    return 1;
  }
  // The first frame needs only core/startup (the trust question): core itself is loaded by runTui once that
  // frame is on screen (in the CommonJS bundle import() evaluates core's whole module graph synchronously).
  const startup = await import("../../core/startup.js");
  const { runTui } = await import("./tui-loader.js").then((m) => m.loadTui());
  const io = processIo(version);
  return runTui(
    args,
    {
      stdin: process.stdin,
      stdout: process.stdout,
      stderr: process.stderr,
      env: io.env,
      cwd: io.cwd,
      version,
      helperBinDirs: io.helperBinDirs,
    },
    { core: () => import("../../core/index.js"), startup },
  );
}

/** The root command's action: `codex [PROMPT]`. */
export function tuiAction(version: string) {
  return async (prompt: string | undefined, opts: Record<string, unknown>, cmd: Command) => {
    process.exitCode = await runTuiCommand(toTuiArgs(ancestorOptions(cmd), opts, prompt), version);
  };
}

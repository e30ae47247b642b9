import { spawn, type StdioOptions } from "node:child_process";
import { constants as osConstants } from "node:os";
import { Command } from "commander";
import { createBwrapLauncher, type BwrapLauncher } from "../../core/index.js";
import type { SandboxPolicy } from "../../protocol/policy.js";

/** What the command asks the config loader for; a subset of core's LoadConfigOptions. */
export interface SandboxConfigRequest {
  cwd: string;
  profile?: string;
  overrides: string[];
  flags: { sandboxMode?: string; addDirs: string[] };
  env: Record<string, string | undefined>;
}

export interface SandboxCommandDeps {
  loadConfig: (opts: SandboxConfigRequest) => Promise<{ sandboxPolicy: SandboxPolicy; cwd: string; env: Record<string, string> }>;
  /** Injected by tests; default: a bwrap launcher passing the seccomp fd as fd 3. */
  launcher?: BwrapLauncher;
  stderr?: (text: string) => void;
  setExitCode?: (code: number) => void;
}

/** First words the pre-0.169 `codex sandbox <platform> CMD…` form used. */
const LEGACY_SELECTORS = new Set(["linux", "macos", "seatbelt", "landlock", "windows"]);

interface SandboxOpts {
  sandbox?: string;
  fullAuto?: boolean;
  config?: string[];
  cd?: string;
  profile?: string;
  addDir?: string[];
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function addSandboxOptions(cmd: Command): Command {
  return cmd
    .option("-s, --sandbox <mode>", "read-only | workspace-write | danger-full-access (default read-only)")
    .option("--full-auto", "shorthand for --sandbox workspace-write")
    .option("-c, --config <key=value>", "override a config value (repeatable)", collect)
    .option("-C, --cd <dir>", "working directory (and workspace root) for the command")
    .option("-p, --profile <name>", "config profile")
    .option("--add-dir <dir>", "extra writable root (repeatable)", collect)
    .argument("<command...>", "the command to run, after `--` if it has options of its own")
    .passThroughOptions();
}

/**
 * `codex sandbox [opts] [--] CMD…` plus the legacy spellings `codex sandbox linux …` and `codex debug landlock …`.
 * Options must come before the command, so the program has to stop parsing its own options at the subcommand.
 */
export function registerSandboxCommand(program: Command, deps: SandboxCommandDeps): void {
  const stderr = deps.stderr ?? ((t: string) => void process.stderr.write(t));
  const setExitCode = deps.setExitCode ?? ((c: number) => void (process.exitCode = c));
  program.enablePositionalOptions();

  const execute = async (argv: string[], opts: SandboxOpts): Promise<void> => {
    setExitCode(await runSandboxed(argv, opts, { ...deps, stderr }));
  };

  addSandboxOptions(program.command("sandbox").description("run a command under the Codex sandbox")).action(
    async (words: string[], opts: SandboxOpts) => {
      const [first, ...rest] = words;
      if (first !== undefined && LEGACY_SELECTORS.has(first) && rest.length > 0) {
        stderr(`warning: \`codex sandbox ${first} …\` is deprecated; use \`codex sandbox [--] COMMAND…\` (runs on this platform's sandbox)\n`);
        const legacy = await parseLegacy(rest);
        return execute(legacy.command, mergeOpts(opts, legacy.opts));
      }
      return execute(words, opts);
    },
  );

  let debug = program.commands.find((c) => c.name() === "debug");
  if (!debug) debug = program.command("debug").description("debugging tools");
  debug.enablePositionalOptions();
  addSandboxOptions(debug.command("landlock", { hidden: true }).description("legacy alias of `codex sandbox`")).action(
    async (words: string[], opts: SandboxOpts) => {
      stderr("warning: `codex debug landlock` is deprecated; use `codex sandbox [--] COMMAND…`\n");
      return execute(words, opts);
    },
  );
}

/** Re-parses what follows a legacy selector, since the old form took its options after the selector. */
async function parseLegacy(words: string[]): Promise<{ command: string[]; opts: SandboxOpts }> {
  let result: { command: string[]; opts: SandboxOpts } = { command: [], opts: {} };
  const cmd = addSandboxOptions(new Command("sandbox")).exitOverride();
  cmd.action((command: string[], opts: SandboxOpts) => {
    result = { command, opts };
  });
  await cmd.parseAsync(words, { from: "user" });
  return result;
}

function mergeOpts(a: SandboxOpts, b: SandboxOpts): SandboxOpts {
  return {
    ...a,
    ...Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined)),
    config: [...(a.config ?? []), ...(b.config ?? [])],
    addDir: [...(a.addDir ?? []), ...(b.addDir ?? [])],
  };
}

async function runSandboxed(
  argv: string[],
  opts: SandboxOpts,
  deps: SandboxCommandDeps & { stderr: (t: string) => void },
): Promise<number> {
  if (argv.length === 0) {
    deps.stderr("Error: codex sandbox: no command given\n");
    return 2;
  }
  const overrides = opts.config ?? [];
  // Default read-only unless a flag or `-c sandbox_mode=…` says otherwise.
  const sandboxMode =
    opts.sandbox ?? (opts.fullAuto ? "workspace-write" : overrides.some((o) => o.trim().startsWith("sandbox_mode")) ? undefined : "read-only");
  const config = await deps.loadConfig({
    cwd: opts.cd ?? process.cwd(),
    profile: opts.profile,
    overrides,
    flags: { sandboxMode, addDirs: opts.addDir ?? [] },
    env: process.env,
  });
  const launcher = deps.launcher ?? createBwrapLauncher({ fdPassing: "inherit" });
  const wrapped = await launcher.wrap({ argv, cwd: config.cwd, env: config.env }, config.sandboxPolicy);
  const [file, ...args] = wrapped.argv;
  const stdio: StdioOptions = ["inherit", "inherit", "inherit", ...(wrapped.extraFds ?? [])];
  try {
    return await new Promise<number>((resolve) => {
      const child = spawn(file ?? "", args, { cwd: config.cwd, env: wrapped.env, stdio });
      // --new-session takes the command out of our terminal's process group, so pass Ctrl-C on ourselves.
      const forward = (sig: NodeJS.Signals) => () => child.kill(sig);
      const onInt = forward("SIGINT");
      const onTerm = forward("SIGTERM");
      process.on("SIGINT", onInt);
      process.on("SIGTERM", onTerm);
      const done = (code: number): void => {
        process.off("SIGINT", onInt);
        process.off("SIGTERM", onTerm);
        resolve(code);
      };
      child.once("error", (err) => {
        deps.stderr(`Error: failed to start ${argv[0]}: ${err.message}\n`);
        done(127);
      });
      child.once("exit", (code, signal) => {
        const signo = signal ? (osConstants.signals as Record<string, number | undefined>)[signal] : undefined;
        done(code ?? (signo !== undefined ? 128 + signo : 1));
      });
    });
  } finally {
    await wrapped.cleanup?.();
    wrapped.afterExit?.();
  }
}

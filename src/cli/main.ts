import { Command, CommanderError, Option } from "commander";
import { addExecOptions, ancestorOptions, toExecArgs } from "./exec-options.js";
import { processIo } from "./process-io.js";
import { registerReviewCommand } from "./commands/review.js";

declare const CODEX_TS_VERSION: string;
export const VERSION = typeof CODEX_TS_VERSION === "string" ? CODEX_TS_VERSION : "0.0.0-dev";

// Start-up cost is mostly compiling code, so only commander and the option tables load eagerly;
// the agent (core, headless) and the rarer subcommands are imported when a command needs them.

const runExecLazily = async (...args: Parameters<typeof import("../headless/run-exec.js").runExec>) =>
  (await import("../headless/run-exec.js")).runExec(...args);

type Registrar = (program: Command) => Promise<void>;

const LAZY_COMMANDS: Record<string, Registrar> = {
  login: async (program) => (await import("./commands/login.js")).registerLoginCommands(program),
  features: async (program) => {
    const [{ registerFeaturesCommand }, { loadConfig }] = await Promise.all([
      import("./commands/features.js"),
      import("../core/index.js"),
    ]);
    registerFeaturesCommand(program, (o: Record<string, unknown>) =>
      loadConfig({
        cwd: process.cwd(),
        profile: o.profile as string | undefined,
        overrides: (o.config as string[] | undefined) ?? [],
        flags: { enable: (o.enable as string[]) ?? [], disable: (o.disable as string[]) ?? [], addDirs: [] },
        env: process.env,
      }),
    );
  },
  sandbox: async (program) => {
    const [{ registerSandboxCommand }, core] = await Promise.all([import("./commands/sandbox.js"), import("../core/index.js")]);
    registerSandboxCommand(program, {
      loadConfig: async (o: Parameters<typeof core.loadConfig>[0]) => {
        const config = await core.loadConfig(o);
        const sandboxPolicy = core.resolveSandboxPolicy(config);
        // The same environment model commands get: secrets and excluded names never reach the child.
        const env = core.buildChildEnv(config.shellEnvironmentPolicy, process.env, {
          secretsToDrop: config.modelProvider.envKey ? [config.modelProvider.envKey] : [],
          networkDisabled: sandboxPolicy.mode !== "danger-full-access" && !sandboxPolicy.networkAccess,
        });
        return { sandboxPolicy, cwd: config.cwd, env };
      },
    });
  },
  execpolicy: async (program) => {
    (await import("./commands/execpolicy.js")).registerExecpolicyCommand(program);
  },
  mcp: async (program) => {
    (await import("./commands/mcp.js")).registerMcpCommand(program, {
      env: process.env,
      cwd: process.cwd(),
      stdout: (t) => void process.stdout.write(t),
      stderr: (t) => void process.stderr.write(t),
      setExitCode: (code) => void (process.exitCode = code),
    });
  },
  "mcp-server": async (program) => {
    (await import("./commands/mcp-server.js")).registerMcpServerCommand(program, VERSION);
  },
  "app-server": async (program) => {
    (await import("./commands/app-server.js")).registerAppServerCommand(program, VERSION);
  },
  completion: async (program) => (await import("./commands/completion.js")).registerCompletionCommand(program),
  doctor: async (program) => (await import("./commands/doctor.js")).registerDoctorCommand(program, { version: `codex-cli ${VERSION}` }),
  apply: async (program) => (await import("./commands/apply.js")).registerApplyCommand(program),
  archive: async (program) => (await import("./commands/archive.js")).registerArchiveCommands(program),
  feedback: async (program) => (await import("./commands/feedback.js")).registerFeedbackCommand(program, { version: VERSION }),
};
const LAZY_ALIASES: Record<string, string> = { logout: "login", debug: "sandbox", unarchive: "archive", delete: "archive", a: "apply" };

/** `-a`: the interactive commands' approval policy (exec has none: it never asks). */
function approvalOption(): Option {
  return new Option("-a, --ask-for-approval <policy>", "when to ask before running commands").choices([
    "untrusted",
    "on-failure",
    "on-request",
    "never",
  ]);
}

export function buildProgram(): Command {
  const program = new Command("codex")
    .description("Codex: a coding agent for your terminal (codex-ts)")
    .version(`codex-cli ${VERSION}`, "-V, --version", "print version")
    .argument("[prompt]", "initial prompt for the interactive session")
    .allowExcessArguments(false)
    // Options before a subcommand belong to the program, so `codex sandbox bash -c …` keeps its `-c`.
    .enablePositionalOptions();
  addExecOptions(program)
    .addOption(approvalOption())
    .action(async (prompt: string | undefined, opts: Record<string, unknown>, cmd: Command) => {
      await (await import("./commands/tui.js")).tuiAction(VERSION)(prompt, opts, cmd);
    });

  const exec = addExecOptions(
    program
      .command("exec")
      .alias("e")
      .description("run Codex non-interactively")
      .argument("[prompt]", "the prompt (`-` or none: read from stdin)"),
  ).action(async (prompt: string | undefined, opts: Record<string, unknown>, cmd: Command) => {
    const args = toExecArgs(ancestorOptions(cmd), opts, prompt);
    args.promptAfterDoubleDash = process.argv.includes("--");
    process.exitCode = await runExecLazily(args, processIo(VERSION));
  });

  addExecOptions(
    exec
      .command("resume")
      .description("continue a saved session")
      .argument("[session]", "session id (UUID)")
      .argument("[prompt]", "the prompt (`-` or none: read from stdin)")
      .option("--last", "resume the most recent session")
      .option("--all", "with --last: do not restrict to the current directory"),
  ).action(async (session: string | undefined, prompt: string | undefined, opts: Record<string, unknown>, cmd: Command) => {
    const last = Boolean(opts.last);
    // With --last the first positional is the prompt.
    const [id, text] = last ? [undefined, session ?? prompt] : [session, prompt];
    const args = toExecArgs(ancestorOptions(cmd), opts, text);
    if (!last && !id) {
      process.stderr.write("Error: give a session id or --last\n");
      process.exitCode = 2;
      return;
    }
    args.resume = { sessionId: id, last, all: Boolean(opts.all) };
    process.exitCode = await runExecLazily(args, processIo(VERSION));
  });

  registerReviewCommand(exec, { io: () => processIo(VERSION), runExec: runExecLazily });
  registerReviewCommand(program, { io: () => processIo(VERSION), runExec: runExecLazily });

  addExecOptions(
    exec
      .command("fork")
      .description("copy a saved session under a new id and continue it")
      .argument("<session>", "session id (UUID)")
      .argument("[prompt]", "the prompt"),
  ).action(async (session: string, prompt: string | undefined, opts: Record<string, unknown>, cmd: Command) => {
    const args = toExecArgs(ancestorOptions(cmd), opts, prompt);
    args.fork = { sessionId: session };
    process.exitCode = await runExecLazily(args, processIo(VERSION));
  });

  for (const kind of ["resume", "fork"] as const) {
    addExecOptions(
      program
        .command(kind)
        .description(kind === "resume" ? "continue a saved session" : "copy a saved session under a new id")
        .argument("[session]", "session id (UUID)")
        .argument("[prompt]", "prompt for the next turn")
        .option("--last", "the most recent session")
        .option("--all", "do not restrict to the current directory")
        .option("--include-non-interactive", "also list sessions started by `codex exec`")
        .addOption(approvalOption()),
    ).action(async (session: string | undefined, prompt: string | undefined, opts: Record<string, unknown>, cmd: Command) => {
      const { runSessionCommand } = await import("./session-commands.js");
      // `codex -s … -a … resume ID` and `codex resume -a … ID` both count, the nearer one winning.
      process.exitCode = await runSessionCommand(kind, session, prompt, { parent: ancestorOptions(cmd), own: opts }, VERSION);
    });
  }

  for (const name of ["apply_patch", "apply-patch"]) {
    program
      .command(name, { hidden: name === "apply-patch" })
      .description("apply a patch (argument or stdin) in the current directory")
      .argument("[patch]")
      .action(async (patch: string | undefined) => {
        const { applyPatchMain } = await import("./apply-patch-main.js");
        await applyPatchMain(patch === undefined ? [] : [patch]);
      });
  }
  return program;
}

/** Registers the lazily loaded subcommands the arguments can reach (all of them for help). */
async function registerLazyCommands(program: Command, argv: string[]): Promise<void> {
  const wantsHelp = argv.some((a) => a === "-h" || a === "--help" || a === "help");
  // A completion script lists every subcommand, so all of them must be registered first.
  const wantsAll = wantsHelp || argv.includes("completion");
  const names = wantsAll
    ? Object.keys(LAZY_COMMANDS)
    : [...new Set(argv.map((a) => LAZY_ALIASES[a] ?? a).filter((a) => a in LAZY_COMMANDS))];
  for (const name of names) await LAZY_COMMANDS[name]!(program);
}

/** Clap-compatible parse errors: `error: unexpected argument '--x' found`, usage, exit 2. */
function configureErrors(cmd: Command): void {
  cmd.exitOverride();
  cmd.configureOutput({
    writeErr: (s) => process.stderr.write(s),
    outputError: (s, write) => write(s.replace(/^error: unknown option '([^']+)'/m, "error: unexpected argument '$1' found")),
  });
  for (const sub of cmd.commands) configureErrors(sub);
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  await registerLazyCommands(program, argv);
  configureErrors(program);
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help") {
        process.exitCode = 0;
        return;
      }
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`Error: ${(err as Error).message ?? String(err)}\n`);
    process.exitCode = 1;
  }
}

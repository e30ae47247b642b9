import { Command, CommanderError } from "commander";
import { runExec } from "../headless/run-exec.js";
import { addExecOptions, ancestorOptions, toExecArgs } from "./exec-options.js";
import { processIo } from "./process-io.js";
import { registerSessionCommands } from "./session-commands.js";
import { registerLoginCommands } from "./commands/login.js";
import { registerFeaturesCommand } from "./commands/features.js";
import { registerSandboxCommand } from "./commands/sandbox.js";
import { registerExecpolicyCommand } from "./commands/execpolicy.js";
import { buildChildEnv, loadConfig, resolveSandboxPolicy } from "../core/index.js";

declare const CODEX_TS_VERSION: string;
export const VERSION = typeof CODEX_TS_VERSION === "string" ? CODEX_TS_VERSION : "0.0.0-dev";

export function buildProgram(): Command {
  const program = new Command("codex")
    .description("Codex: a coding agent for your terminal (codex-ts)")
    .version(`codex-cli ${VERSION}`, "-V, --version", "print version")
    .argument("[prompt]", "initial prompt for the interactive session")
    .allowExcessArguments(false)
    // Options before a subcommand belong to the program, so `codex sandbox bash -c …` keeps its `-c`.
    .enablePositionalOptions();
  addExecOptions(program).action(() => {
    process.stderr.write("Error: the interactive TUI is not available in this build yet; use `codex exec \"...\"`.\n");
    process.exitCode = 1;
  });

  const exec = addExecOptions(
    program
      .command("exec")
      .alias("e")
      .description("run Codex non-interactively")
      .argument("[prompt]", "the prompt (`-` or none: read from stdin)"),
  ).action(async (prompt: string | undefined, opts: Record<string, unknown>, cmd: Command) => {
    process.exitCode = await runExec(toExecArgs(ancestorOptions(cmd), opts, prompt), processIo(VERSION));
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
    process.exitCode = await runExec(args, processIo(VERSION));
  });

  addExecOptions(
    exec
      .command("fork")
      .description("copy a saved session under a new id and continue it")
      .argument("<session>", "session id (UUID)")
      .argument("[prompt]", "the prompt"),
  ).action(async (session: string, prompt: string | undefined, opts: Record<string, unknown>, cmd: Command) => {
    const args = toExecArgs(ancestorOptions(cmd), opts, prompt);
    args.fork = { sessionId: session };
    process.exitCode = await runExec(args, processIo(VERSION));
  });

  registerSessionCommands(program, VERSION);
  registerLoginCommands(program);
  registerFeaturesCommand(program, (o: Record<string, unknown>) =>
    loadConfig({
      cwd: process.cwd(),
      profile: o.profile as string | undefined,
      overrides: (o.config as string[] | undefined) ?? [],
      flags: { enable: (o.enable as string[]) ?? [], disable: (o.disable as string[]) ?? [], addDirs: [] },
      env: process.env,
    }),
  );
  registerSandboxCommand(program, {
    loadConfig: async (o: Parameters<typeof loadConfig>[0]) => {
      const config = await loadConfig(o);
      const sandboxPolicy = resolveSandboxPolicy(config);
      // The same environment model commands get: secrets and excluded names never reach the child.
      const env = buildChildEnv(config.shellEnvironmentPolicy, process.env, {
        secretsToDrop: config.modelProvider.envKey ? [config.modelProvider.envKey] : [],
        networkDisabled: sandboxPolicy.mode !== "danger-full-access" && !sandboxPolicy.networkAccess,
      });
      return { sandboxPolicy, cwd: config.cwd, env };
    },
  });
  registerExecpolicyCommand(program);
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

import { Argument, type Command } from "commander";
import { bashCompletion, describeCommands, fishCompletion, zshCompletion } from "./completion-scripts.js";

// `codex completion [bash|zsh|fish]` (default bash): prints a completion script generated from the
// program's own commander definitions (main.ts registers every lazy subcommand first).

const SHELLS = { bash: bashCompletion, zsh: zshCompletion, fish: fishCompletion } as const;

export function registerCompletionCommand(program: Command, out: NodeJS.WritableStream = process.stdout): void {
  program
    .command("completion")
    .description("print a shell completion script")
    .addArgument(
      new Argument("[shell]", "shell to generate completions for").choices(Object.keys(SHELLS)).default("bash"),
    )
    .action((shell: keyof typeof SHELLS) => {
      out.write(SHELLS[shell](describeCommands(program)));
    });
}

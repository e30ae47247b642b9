import { Command } from "commander";
import { evaluate, loadRuleFiles } from "../../core/index.js";

// `codex execpolicy check -r FILE… [--pretty] -- CMD…`: evaluate `.rules` files against one argv
// and print the JSON `codex` prints: {"matchedRules":[{"prefixRuleMatch":{…}}],"decision":"…"}.
// Hidden from `--help`, like Codex.

export interface ExecpolicyIo {
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  /** Called with the exit code on failure; defaults to setting process.exitCode. */
  setExitCode?: (code: number) => void;
}

export function registerExecpolicyCommand(program: Command, io: ExecpolicyIo = {}): Command {
  const stdout = io.stdout ?? ((t: string) => void process.stdout.write(t));
  const stderr = io.stderr ?? ((t: string) => void process.stderr.write(t));
  const setExitCode = io.setExitCode ?? ((code: number) => void (process.exitCode = code));

  const execpolicy = new Command("execpolicy").description("Check exec policy rules");
  execpolicy
    .command("check")
    .description("Evaluate a command against one or more .rules files and print the result as JSON")
    .requiredOption(
      "-r, --rules <PATH>",
      "rules file to evaluate (repeatable)",
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option("--pretty", "pretty-print the JSON output")
    .option("--resolve-host-executables", "accepted for compatibility; absolute paths match literally")
    .argument("<COMMAND...>", "command tokens to check")
    .allowUnknownOption(true)
    .action(async (command: string[], opts: { rules: string[]; pretty?: boolean }) => {
      try {
        const policy = await loadRuleFiles(opts.rules);
        const result = evaluate(policy, command);
        stdout(`${opts.pretty === true ? JSON.stringify(result, null, 2) : JSON.stringify(result)}\n`);
      } catch (err) {
        stderr(`Error: ${err instanceof Error ? err.message : String(err)}\n`);
        setExitCode(1);
      }
    });
  program.addCommand(execpolicy, { hidden: true });
  return execpolicy;
}

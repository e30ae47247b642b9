import { Command, Option } from "commander";
import type { ExecArgs } from "../headless/exec-args.js";

const collect = (value: string, previous: string[]) => [...previous, value];
const collectList = (value: string, previous: string[]) => [
  ...previous,
  ...value.split(",").map((v) => v.trim()).filter(Boolean),
];

/** Options shared by `exec`, `exec resume` and `exec fork`; the SDK may put them before or after the subcommand. */
export function addExecOptions(cmd: Command): Command {
  return cmd
    .option("--json", "print events to stdout as JSONL")
    .addOption(new Option("--experimental-json", "alias of --json").hideHelp())
    .option("-c, --config <key=value>", "override a config value (TOML)", collect, [])
    .option("--enable <feature>", "enable a feature flag", collect, [])
    .option("--disable <feature>", "disable a feature flag", collect, [])
    .option("--strict-config", "reject unknown config keys")
    .option("-i, --image <file...>", "attach images to the prompt", collectList, [])
    .option("-m, --model <model>", "model to use")
    .option("-p, --profile <name>", "config profile")
    .option("--oss", "use a local open-weights provider (Ollama)")
    .option("--local-provider <name>", "local provider (ollama|lmstudio)")
    .addOption(new Option("-s, --sandbox <mode>", "sandbox for model commands").choices(["read-only", "workspace-write", "danger-full-access"]))
    .option("--full-auto", "deprecated: workspace-write sandbox, on-request approvals")
    .option("--dangerously-bypass-approvals-and-sandbox", "run without sandbox and approvals")
    .addOption(new Option("--yolo", "alias of --dangerously-bypass-approvals-and-sandbox").hideHelp())
    .option("-C, --cd <dir>", "working root")
    .option("--add-dir <dir>", "extra writable root", collect, [])
    .option("--skip-git-repo-check", "allow running outside a git repository")
    .option("--output-schema <file>", "JSON Schema the final message must follow")
    .addOption(new Option("--color <when>", "colour the human output").choices(["always", "never", "auto"]))
    .option("-o, --output-last-message <file>", "also write the final agent message to a file")
    .option("--ephemeral", "do not write a session file")
    .option("--ignore-user-config", "skip $CODEX_HOME/config.toml")
    .addOption(new Option("--ignore-rules").hideHelp())
    .addOption(new Option("--thread-source <source>").hideHelp())
    .addOption(new Option("--cyber-access-program <program>").hideHelp())
    .addOption(new Option("--collaboration-mode <mode>").hideHelp())
    .option(
      "--dangerously-bypass-hook-trust",
      "run enabled hooks without requiring persisted hook trust for this invocation (dangerous: only for automation that already vets hook sources)",
    )
    .option("--trust", "save trust for this project and future chats, including MCP commands outside the sandbox (not over an explicitly untrusted project)")
    .addOption(new Option("--skip-trust").hideHelp());
}

type RawExecOptions = Record<string, unknown>;

/** Merges options given before the subcommand (parent) with those after it (child wins). */
export function toExecArgs(parent: RawExecOptions, own: RawExecOptions, prompt: string | undefined): ExecArgs {
  const pick = <T>(key: string): T | undefined => (own[key] ?? parent[key]) as T | undefined;
  const list = (key: string): string[] => [...((parent[key] as string[]) ?? []), ...((own[key] as string[]) ?? [])];
  const flag = (key: string) => Boolean(own[key] ?? parent[key]);
  return {
    prompt,
    json: flag("json") || flag("experimentalJson"),
    model: pick("model"),
    profile: pick("profile"),
    configOverrides: list("config"),
    enable: list("enable"),
    disable: list("disable"),
    sandbox: pick("sandbox"),
    fullAuto: flag("fullAuto"),
    dangerouslyBypass: flag("dangerouslyBypassApprovalsAndSandbox") || flag("yolo"),
    bypassHookTrust: flag("dangerouslyBypassHookTrust"),
    trust: flag("trust"),
    cd: pick("cd"),
    addDirs: list("addDir"),
    images: list("image"),
    skipGitRepoCheck: flag("skipGitRepoCheck"),
    outputSchema: pick("outputSchema"),
    outputLastMessage: pick("outputLastMessage"),
    color: pick("color") ?? "auto",
    ephemeral: flag("ephemeral"),
    oss: flag("oss") || pick("localProvider") !== undefined,
    localProvider: pick("localProvider"),
    givenOptions: givenOptionNames(parent, own),
    strictConfig: flag("strictConfig"),
    ignoreUserConfig: flag("ignoreUserConfig"),
    threadSource: pick("threadSource"),
  };
}

/** Names of the options that were actually given (commander leaves the rest undefined or an empty list). */
function givenOptionNames(parent: RawExecOptions, own: RawExecOptions): string[] {
  const given = (v: unknown) => v !== undefined && v !== false && !(Array.isArray(v) && v.length === 0);
  return [...new Set([...Object.keys(parent), ...Object.keys(own)])].filter((k) => given(parent[k]) || given(own[k]));
}

/**
 * Options given to the ancestors of `cmd` (program, then `exec`), merged root first: list options
 * accumulate, scalar options from a nearer command win. commander's optsWithGlobals lets the root's
 * defaults (empty lists) override what `exec` parsed, so it cannot be used here.
 */
export function ancestorOptions(cmd: Command): RawExecOptions {
  const chain: Command[] = [];
  for (let c = cmd.parent; c; c = c.parent) chain.unshift(c);
  const merged: RawExecOptions = {};
  for (const c of chain) {
    for (const [key, value] of Object.entries(c.opts())) {
      if (Array.isArray(value)) merged[key] = [...((merged[key] as unknown[]) ?? []), ...value];
      else if (value !== undefined) merged[key] = value;
    }
  }
  return merged;
}

import { parseCommand, type PlainCommand } from "./command-parse.js";

// The read-only commands that may run without asking even under `untrusted`. A command is on the
// list only if no argument can make it write files, run other programs or reach the network.

/** Commands that are read-only whatever their arguments. */
const ALWAYS_SAFE = new Set([
  "cat", "cd", "cut", "echo", "expr", "false", "grep", "head", "id", "ls", "nl", "numfmt",
  "paste", "pwd", "rev", "seq", "stat", "tac", "tail", "tr", "true", "uname",
  "wc", "which", "whoami", "file",
]);

const FIND_UNSAFE = new Set([
  "-exec", "-execdir", "-ok", "-okdir", "-delete", "-fls", "-fprint", "-fprint0", "-fprintf",
]);
const RG_UNSAFE_FLAGS = new Set(["--search-zip", "-z"]);
const RG_UNSAFE_WITH_VALUE = ["--pre", "--hostname-bin"];
const GIT_READ_ONLY_SUBCOMMANDS = new Set(["status", "log", "diff", "show", "branch"]);
const GIT_UNSAFE_GLOBALS_WITH_VALUE = new Set([
  "-c", "--config-env", "--exec-path", "--git-dir", "--namespace", "--super-prefix", "--work-tree",
]);
const GIT_UNSAFE_SUBCOMMAND_FLAGS = new Set([
  "--output", "--ext-diff", "--textconv", "--exec", "--paginate",
]);
const GIT_BRANCH_QUERY_FLAGS = new Set([
  "--list", "-l", "--show-current", "-a", "--all", "-r", "--remotes", "-v", "-vv", "--verbose",
]);

function basename(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash >= 0 ? path.slice(slash + 1) : path;
}

function isSedPrintRange(arg: string | undefined): boolean {
  return arg !== undefined && /^(\d+,)?\d+p$/.test(arg);
}

function rgIsSafe(args: readonly string[]): boolean {
  return !args.some(
    (a) =>
      RG_UNSAFE_FLAGS.has(a) ||
      // Bundled short flags such as `-nz` still turn on decompression.
      (/^-[A-Za-z]+$/.test(a) && a.includes("z")) ||
      RG_UNSAFE_WITH_VALUE.some((opt) => a === opt || a.startsWith(`${opt}=`)),
  );
}

function base64IsSafe(args: readonly string[]): boolean {
  return !args.some((a) => a === "-o" || a === "--output" || a.startsWith("--output=") || /^-o./.test(a));
}

function gitBranchIsQuery(args: readonly string[]): boolean {
  if (args.length === 0) return true;
  // Any positional argument or other flag may create, rename or delete a branch.
  return args.every((a) => GIT_BRANCH_QUERY_FLAGS.has(a) || a.startsWith("--format="));
}

function gitIsSafe(args: readonly string[]): boolean {
  let i = 0;
  // Global options come before the subcommand; only `-C <dir>` is harmless.
  while (i < args.length) {
    const a = args[i] as string;
    if (!a.startsWith("-")) break;
    if (a === "-C") {
      i += 2;
      continue;
    }
    if (/^-C./.test(a)) {
      i += 1;
      continue;
    }
    if (GIT_UNSAFE_GLOBALS_WITH_VALUE.has(a) || /^-c./.test(a)) return false;
    if ([...GIT_UNSAFE_GLOBALS_WITH_VALUE].some((o) => a.startsWith(`${o}=`))) return false;
    // `-p`/`--paginate` route output through a configurable pager; other globals are unknown.
    return false;
  }
  const sub = args[i];
  if (sub === undefined || !GIT_READ_ONLY_SUBCOMMANDS.has(sub)) return false;
  const rest = args.slice(i + 1);
  const flagsOk = !rest.some(
    (a) => GIT_UNSAFE_SUBCOMMAND_FLAGS.has(a) || a.startsWith("--output=") || a.startsWith("--exec="),
  );
  if (!flagsOk) return false;
  return sub === "branch" ? gitBranchIsQuery(rest) : true;
}

/** Whether one plain argv (no shell involved) is known to be read-only. */
export function isSafeArgv(argv: readonly string[], options: { hasGlob?: boolean } = {}): boolean {
  const [cmd0, ...args] = argv;
  if (cmd0 === undefined) return false;
  const name = basename(cmd0);
  if (ALWAYS_SAFE.has(name)) return true;
  // The remaining commands are safe only for some arguments; a glob could expand into any of them.
  if (options.hasGlob === true) return false;
  switch (name) {
    case "find":
      return !args.some((a) => FIND_UNSAFE.has(a));
    case "rg":
      return rgIsSafe(args);
    case "base64":
      return base64IsSafe(args);
    case "sed":
      return argv.length <= 4 && args[0] === "-n" && isSedPrintRange(args[1]);
    case "git":
      return gitIsSafe(args);
    case "sort":
      return !args.some((a) => a === "--output" || a.startsWith("--output=") || /^-[A-Za-z]*o/.test(a));
    case "uniq":
      // `uniq IN OUT` writes OUT.
      return args.filter((a) => !a.startsWith("-")).length <= 1;
    default:
      return false;
  }
}

function plainIsSafe(command: PlainCommand): boolean {
  return isSafeArgv(command.argv, { hasGlob: command.hasGlob });
}

/**
 * Whether a proposed command is known to be read-only: a safe argv, or a `bash -lc` script whose
 * every plain command is safe.
 */
export function isKnownSafeCommand(argv: readonly string[]): boolean {
  if (isSafeArgv(argv)) return true;
  const parsed = parseCommand(argv);
  return parsed.unwrapped && parsed.parsed && parsed.commands.every(plainIsSafe);
}

export function isKnownSafePlainCommand(command: PlainCommand): boolean {
  return plainIsSafe(command);
}

import { parse as shellQuoteParse } from "shell-quote";

// Turns a proposed argv into the plain commands a shell would run, so each one can be judged on its
// own. Only a conservative subset of shell is understood: words, quoted strings and the operators
// `&&`, `||`, `;`, `|`. Anything else (expansions, redirections, subshells, newlines, comments) makes
// the script "unparsed", and an unparsed script is never considered safe.

export interface PlainCommand {
  argv: string[];
  /** An unquoted glob was present; the shell may expand it into arbitrary words (even flags). */
  hasGlob: boolean;
}

export interface ParsedCommand {
  /** The commands to judge: the script's plain commands, or the raw argv when unparsed. */
  commands: PlainCommand[];
  /** True when `commands` came from a `bash -lc`/`sh -c`/`zsh -lc` script. */
  unwrapped: boolean;
  /** False when the argv is a shell wrapper whose script uses unsupported syntax. */
  parsed: boolean;
}

const SHELLS = new Set(["bash", "sh", "zsh"]);
const SHELL_FLAGS = new Set(["-c", "-lc"]);
const SEPARATORS = new Set(["&&", "||", ";", "|"]);

function basename(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash >= 0 ? path.slice(slash + 1) : path;
}

/** The script of `bash -lc "<script>"` (also `sh -c`, `zsh -lc`, absolute shell paths). */
export function shellWrapperScript(argv: readonly string[]): string | undefined {
  if (argv.length !== 3) return undefined;
  const [shell, flag, script] = argv as [string, string, string];
  if (!SHELLS.has(basename(shell)) || !SHELL_FLAGS.has(flag)) return undefined;
  return script;
}

// shell-quote is lenient where a shell is not (it ignores backticks, drops newlines and accepts
// unterminated quotes), so the raw text is vetted first with a small quote-aware scan.
function hasUnsupportedSyntax(script: string): boolean {
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < script.length; i += 1) {
    const ch = script[i] as string;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      continue;
    }
    if (ch === "\\") {
      const next = script[i + 1];
      if (next === undefined || next === "\n" || next === "\r") return true;
      i += 1;
      continue;
    }
    if (ch === "$" || ch === "`") return true;
    if (quote === '"') {
      if (ch === '"') quote = undefined;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === "\n" || ch === "\r" || ch === "#") return true;
  }
  return quote !== undefined;
}

/** Splits a shell script into plain commands, or undefined when it uses unsupported syntax. */
export function parseShellScript(script: string): PlainCommand[] | undefined {
  if (script.trim() === "" || hasUnsupportedSyntax(script)) return undefined;
  let tokens: ReturnType<typeof shellQuoteParse>;
  try {
    // Any variable that slipped past the scan becomes a non-string token and fails below.
    tokens = shellQuoteParse(script, (name) => ({ op: `$${name}` }) as never);
  } catch {
    return undefined;
  }
  const commands: PlainCommand[] = [];
  let current: PlainCommand = { argv: [], hasGlob: false };
  let lastWasSeparator = false;
  for (const token of tokens) {
    if (typeof token === "string") {
      current.argv.push(token);
      lastWasSeparator = false;
      continue;
    }
    if ("op" in token && token.op === "glob" && "pattern" in token) {
      current.argv.push(token.pattern);
      current.hasGlob = true;
      lastWasSeparator = false;
      continue;
    }
    if ("op" in token && SEPARATORS.has(token.op)) {
      if (current.argv.length === 0) return undefined;
      commands.push(current);
      current = { argv: [], hasGlob: false };
      lastWasSeparator = token.op !== ";";
      continue;
    }
    return undefined;
  }
  if (current.argv.length > 0) commands.push(current);
  else if (lastWasSeparator) return undefined;
  return commands.length > 0 ? commands : undefined;
}

/** The commands to judge for a proposed argv. */
export function parseCommand(argv: readonly string[]): ParsedCommand {
  const script = shellWrapperScript(argv);
  if (script === undefined) {
    return { commands: [{ argv: [...argv], hasGlob: false }], unwrapped: false, parsed: true };
  }
  const commands = parseShellScript(script);
  if (commands === undefined) {
    return { commands: [{ argv: [...argv], hasGlob: false }], unwrapped: false, parsed: false };
  }
  return { commands, unwrapped: true, parsed: true };
}

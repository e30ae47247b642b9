import { parse as shellParse } from "shell-quote";

const COMMANDS = new Set(["apply_patch", "applypatch"]);

export interface ShellPatchInvocation {
  patch: string;
  /** The directory of a leading `cd DIR &&`, as written (may be relative). */
  workdir?: string;
}

/** The patch text of a shell script that only invokes apply_patch, or null when it is anything else. */
export function extractPatchFromShellCommand(script: string): string | null {
  return extractApplyPatchInvocation(script)?.patch ?? null;
}

/**
 * Recognises `apply_patch '<patch>'`, `apply_patch "<patch>"`, `apply_patch <<'EOF'…EOF`,
 * `cat <<'EOF' | apply_patch`, each optionally preceded by `cd DIR &&`. Anything more (extra
 * commands, flags, pipes) is not an interception candidate: it runs as a normal shell command.
 */
export function extractApplyPatchInvocation(script: string): ShellPatchInvocation | null {
  const text = script.replace(/\r\n/g, "\n").trim();
  const nl = text.indexOf("\n");
  const firstLine = nl === -1 ? text : text.slice(0, nl);
  const { workdir, rest } = splitCd(firstLine);
  if (rest === null) return null;
  const heredoc = matchHeredocHeader(rest);
  if (heredoc !== null) {
    if (nl === -1) return null;
    const patch = heredocBody(text.slice(nl + 1), heredoc);
    return patch === null ? null : withWorkdir({ patch }, workdir);
  }
  // Quoted-argument form: the quoted text may span lines, so tokenise the whole remainder.
  const afterCd = workdir === undefined ? text : text.slice(text.indexOf("&&") + 2);
  const tokens = safeShellParse(afterCd);
  if (tokens === null || tokens.length !== 2) return null;
  const [cmd, arg] = tokens;
  if (typeof cmd !== "string" || typeof arg !== "string" || !COMMANDS.has(cmd)) return null;
  return withWorkdir({ patch: arg }, workdir);
}

/** `[bash|sh|zsh, -c|-lc, script]` or `[apply_patch, patch]` → the invocation, else null. */
export function extractApplyPatchFromArgv(argv: readonly string[]): ShellPatchInvocation | null {
  const [a, b, c] = argv;
  if (argv.length === 2 && a !== undefined && b !== undefined && COMMANDS.has(a)) return { patch: b };
  if (argv.length === 3 && a !== undefined && b !== undefined && c !== undefined) {
    const shell = a.split("/").pop() ?? "";
    if (["bash", "sh", "zsh"].includes(shell) && (b === "-c" || b === "-lc")) return extractApplyPatchInvocation(c);
  }
  return null;
}

function withWorkdir(inv: { patch: string }, workdir: string | undefined): ShellPatchInvocation {
  return workdir === undefined ? inv : { ...inv, workdir };
}

function safeShellParse(text: string): ReturnType<typeof shellParse> | null {
  try {
    // Keep `$NAME` literal: the patch text must not be rewritten by variable expansion.
    return shellParse(text, (key: string) => `$${key}`);
  } catch {
    return null;
  }
}

/** Split off a leading `cd DIR &&`; rest is null when the `cd` part is malformed. */
function splitCd(line: string): { workdir?: string; rest: string | null } {
  const m = /^cd\s+((?:'[^']*'|"[^"]*"|[^\s'"&;|])+)\s*&&\s*(.*)$/.exec(line);
  if (m === null) return /^cd\s/.test(line) ? { rest: null } : { rest: line };
  const tokens = safeShellParse(m[1] ?? "");
  const dir = tokens?.length === 1 && typeof tokens[0] === "string" ? tokens[0] : null;
  return dir === null ? { rest: null } : { workdir: dir, rest: m[2] ?? "" };
}

interface HeredocHeader {
  delimiter: string;
  stripTabs: boolean;
}

function matchHeredocHeader(rest: string): HeredocHeader | null {
  const delim = String.raw`<<(-?)\s*(?:'([^']+)'|"([^"]+)"|([A-Za-z_][A-Za-z0-9_]*))`;
  const direct = new RegExp(String.raw`^(?:apply_patch|applypatch)\s*${delim}\s*$`).exec(rest);
  const viaCat = new RegExp(String.raw`^cat\s*${delim}\s*\|\s*(?:apply_patch|applypatch)\s*$`).exec(rest);
  const m = direct ?? viaCat;
  if (m === null) return null;
  return { stripTabs: m[1] === "-", delimiter: m[2] ?? m[3] ?? m[4] ?? "" };
}

function heredocBody(afterHeader: string, header: HeredocHeader): string | null {
  const lines = afterHeader.split("\n");
  const norm = (l: string) => (header.stripTabs ? l.replace(/^\t+/, "") : l).trimEnd();
  const end = lines.findIndex((l) => norm(l) === header.delimiter);
  if (end === -1) return null;
  // Nothing but blank lines may follow the terminator; otherwise this is a longer script.
  if (lines.slice(end + 1).some((l) => l.trim() !== "")) return null;
  return lines
    .slice(0, end)
    .map((l) => (header.stripTabs ? l.replace(/^\t+/, "") : l))
    .join("\n");
}

import { isDeepStrictEqual } from "node:util";
import { stringify as stringifyToml } from "smol-toml";
import { ConfigError } from "./errors.js";
import { parseTomlText } from "./read-layer.js";
import { splitDottedKey } from "./toml-keys.js";
import { isTable } from "./validate-layer.js";

export { readUserConfigText, writeUserConfigAtomically } from "./user-config-file.js";

// `codex mcp add|remove`: a table-aware editor for `[mcp_servers.NAME]` (and its sub-tables such as
// `[mcp_servers.NAME.env]`) that leaves every other byte of config.toml as it was. The edit is checked
// by re-parsing: when the file's layout defeats the line editor (inline `mcp_servers = {…}`, dotted
// keys), the document is re-serialised instead, so the result is always what was asked.

/** What `codex mcp add` writes for one server. */
export type McpServerWrite =
  | { transport: "stdio"; command: string; args: string[]; env: Record<string, string> }
  | { transport: "streamable_http"; url: string; bearerTokenEnvVar?: string };

const NAME_RE = /^[A-Za-z0-9_\-:@/.]+$/;

/** Throws the reference's message for a name `mcp add` refuses. */
export function validateMcpServerName(name: string): void {
  if (!NAME_RE.test(name)) {
    throw new ConfigError(`invalid server name '${name}' (use letters, numbers, '-', '_', ':', '@', '/', '.')`);
  }
}

/** `mcp_servers` of a parsed config document, checked to be a table of tables. */
export function mcpServersTable(doc: Record<string, unknown>, file: string): Record<string, Record<string, unknown>> {
  const servers = doc["mcp_servers"];
  if (servers === undefined) return {};
  if (!isTable(servers)) throw new ConfigError(`${file}: mcp_servers: expected a table of servers`, { file });
  for (const [name, entry] of Object.entries(servers)) {
    if (!isTable(entry)) throw new ConfigError(`${file}: mcp_servers.${name}: expected a table`, { file });
  }
  return servers as Record<string, Record<string, unknown>>;
}

/** Returns `text` with server `name` set to `server` (replacing any earlier entry in place). */
export function upsertMcpServerInToml(text: string, o: { name: string; server: McpServerWrite; file: string }): string {
  const doc = parseTomlText(text, o.file);
  mcpServersTable(doc, o.file);
  const entry = serverTable(o.server);
  const expected = withServer(doc, o.name, entry);
  const edited = spliceServer(text, o.name, serverBlock(o.name, o.server));
  if (edited !== null && parsesTo(edited, expected, o.file)) return edited;
  return stringifyToml(expected) + "\n";
}

/** Returns `text` without server `name`, or null when there is no such server. */
export function removeMcpServerFromToml(text: string, o: { name: string; file: string }): string | null {
  const doc = parseTomlText(text, o.file);
  const servers = mcpServersTable(doc, o.file);
  if (!Object.hasOwn(servers, o.name)) return null;
  const expected = withServer(doc, o.name, undefined);
  const edited = spliceServer(text, o.name, null);
  if (edited !== null && parsesTo(edited, expected, o.file)) return edited;
  return stringifyToml(expected) + "\n";
}

function serverTable(s: McpServerWrite): Record<string, unknown> {
  if (s.transport === "streamable_http") {
    return { url: s.url, ...(s.bearerTokenEnvVar !== undefined ? { bearer_token_env_var: s.bearerTokenEnvVar } : {}) };
  }
  return {
    command: s.command,
    ...(s.args.length > 0 ? { args: s.args } : {}),
    ...(Object.keys(s.env).length > 0 ? { env: s.env } : {}),
  };
}

function withServer(doc: Record<string, unknown>, name: string, entry: Record<string, unknown> | undefined): Record<string, unknown> {
  const servers = { ...(isTable(doc["mcp_servers"]) ? doc["mcp_servers"] : {}) };
  if (entry === undefined) delete servers[name];
  else servers[name] = entry;
  const out = { ...doc };
  // An emptied `mcp_servers` keeps its (empty) place only if it was written as its own table.
  out["mcp_servers"] = servers;
  return out;
}

function parsesTo(text: string, expected: Record<string, unknown>, file: string): boolean {
  let got: Record<string, unknown>;
  try {
    got = parseTomlText(text, file);
  } catch {
    return false;
  }
  const norm = (d: Record<string, unknown>) => {
    const servers = isTable(d["mcp_servers"]) ? d["mcp_servers"] : {};
    const { mcp_servers: _drop, ...rest } = d;
    return { rest, servers };
  };
  return isDeepStrictEqual(norm(got), norm(expected));
}

function tomlKey(k: string): string {
  return /^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k);
}

function tomlString(s: string): string {
  // A literal string reads better when the value holds double quotes and nothing a literal cannot hold.
  if (s.includes('"') && !s.includes("'") && !/[\u0000-\u001f\u007f]/.test(s)) return `'${s}'`;
  return JSON.stringify(s);
}

function serverBlock(name: string, s: McpServerWrite): string[] {
  const head = `mcp_servers.${tomlKey(name)}`;
  const lines = [`[${head}]`];
  if (s.transport === "streamable_http") {
    lines.push(`url = ${tomlString(s.url)}`);
    if (s.bearerTokenEnvVar !== undefined) lines.push(`bearer_token_env_var = ${tomlString(s.bearerTokenEnvVar)}`);
    return lines;
  }
  lines.push(`command = ${tomlString(s.command)}`);
  if (s.args.length > 0) lines.push(`args = [${s.args.map(tomlString).join(", ")}]`);
  const env = Object.entries(s.env);
  if (env.length > 0) {
    lines.push("", `[${head}.env]`);
    for (const [k, v] of env) lines.push(`${tomlKey(k)} = ${tomlString(v)}`);
  }
  return lines;
}

interface Section {
  /** Line of the `[header]`. */
  start: number;
  /** One past its last key line (trailing blank lines and comments belong to what follows). */
  end: number;
  path: string[] | null;
}

const HEADER_RE = /^\s*\[(?!\[)(.*)\]\s*(#.*)?$/;

function sections(lines: string[]): Section[] {
  const heads: { start: number; path: string[] | null }[] = [];
  lines.forEach((l, i) => {
    const m = HEADER_RE.exec(l.replace(/\r$/, ""));
    if (m) heads.push({ start: i, path: splitDottedKey(m[1] ?? "") });
    else if (/^\s*\[\[/.test(l)) heads.push({ start: i, path: null });
  });
  return heads.map((h, k) => {
    let end = k + 1 < heads.length ? heads[k + 1]!.start : lines.length;
    while (end > h.start + 1 && /^\s*(#.*)?\r?$/.test(lines[end - 1] ?? "")) end--;
    return { start: h.start, end, path: h.path };
  });
}

/**
 * Replaces (block given) or deletes (null) every section of server `name`. A new server is appended at
 * the end after one blank line; deleting the last section also takes the blank line that separated it.
 * Null when the text holds the server in a form this line editor does not handle.
 */
function spliceServer(text: string, name: string, block: string[] | null): string | null {
  const lines = text.split("\n");
  const all = sections(lines);
  const own = all.filter((s) => s.path !== null && s.path.length >= 2 && s.path[0] === "mcp_servers" && s.path[1] === name);
  const eol = lines.some((l) => l.endsWith("\r")) ? "\r" : "";
  if (own.length === 0) {
    if (block === null) return null;
    const nl = `${eol}\n`;
    const body = text.replace(/(\r?\n)*$/, "");
    return `${body}${body === "" ? "" : nl + nl}${block.join(nl)}${nl}`;
  }
  const out = [...lines];
  // Remove from the bottom so earlier indices stay valid; the first section is where a replacement goes.
  for (let k = own.length - 1; k >= 0; k--) {
    const s = own[k]!;
    let end = s.end;
    const isLast = all.indexOf(s) === all.length - 1;
    let start = s.start;
    if (isLast && out.slice(end).every((l) => l.trim() === "")) {
      // The trailing newline stays; the blank lines before the header go with it.
      while (start > 0 && (out[start - 1] ?? "").trim() === "") start--;
      if (k === 0 && block !== null) {
        out.splice(start, end - start, ...(start > 0 ? [eol] : []), ...block.map((l) => l + eol));
        continue;
      }
      end = out[out.length - 1] === "" ? Math.max(s.end, out.length - 1) : out.length;
      out.splice(start, end - start);
      continue;
    }
    while (end < out.length - 1 && (out[end] ?? "").trim() === "") end++;
    if (k === 0 && block !== null) out.splice(s.start, end - s.start, ...block.map((l) => l + eol), eol);
    else out.splice(s.start, end - s.start);
  }
  return out.join("\n");
}

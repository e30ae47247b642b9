// Model-visible names of MCP tools: `mcp__<server>__<tool>`, a valid identifier (code mode calls it as
// `tools.<name>()`), at most 64 characters; a short hash keeps overflowing or colliding names apart.
import { createHash } from "node:crypto";

export const MAX_TOOL_NAME_LENGTH = 64;
const HASH_LENGTH = 8;

export function sanitizeName(part: string): string {
  return part.replace(/[^A-Za-z0-9_]/g, "_");
}

function shortHash(text: string): string {
  return createHash("sha1").update(text).digest("hex").slice(0, HASH_LENGTH);
}

/**
 * The qualified name of `tool` on `server`, distinct from every name in `taken` (which it joins).
 * The hash is of the original `server`/`tool` pair, so a name is stable across sessions.
 */
export function qualifiedToolName(server: string, tool: string, taken: Set<string>): string {
  const plain = `mcp__${sanitizeName(server)}__${sanitizeName(tool)}`;
  let name = plain;
  if (name.length > MAX_TOOL_NAME_LENGTH || taken.has(name)) {
    const suffix = `_${shortHash(`${server}\u0000${tool}`)}`;
    name = plain.slice(0, MAX_TOOL_NAME_LENGTH - suffix.length) + suffix;
  }
  taken.add(name);
  return name;
}

// "Allow and don't ask me again" for an MCP tool: `[mcp_servers.S.tools.T] approval_mode = "approve"` in
// `$CODEX_HOME/config.toml`, as the reference persists it. Only for a server the user's config declares: a
// server a project brings is remembered for the session only (we do not edit a repository's files).
import { parseTomlText } from "../config/read-layer.js";
import { writeUserConfigTable } from "../config/trust-edit.js";
import { readUserConfigText } from "../config/user-config-file.js";
import { isTable } from "../config/validate-layer.js";

/** Writes the approval; false (nothing written) when the user's config.toml does not declare `server`. */
export async function rememberMcpToolApproval(o: { codexHome: string; server: string; tool: string }): Promise<boolean> {
  const { file, text } = await readUserConfigText(o.codexHome);
  const doc = text === "" ? {} : parseTomlText(text, file);
  const servers = isTable(doc["mcp_servers"]) ? (doc["mcp_servers"] as Record<string, unknown>) : {};
  if (!isTable(servers[o.server])) return false;
  await writeUserConfigTable({ codexHome: o.codexHome, table: ["mcp_servers", o.server, "tools", o.tool], values: { approval_mode: "approve" } });
  return true;
}

import { writeUserConfigTable } from "../config/trust-edit.js";
import type { HookHandler } from "./types.js";

/**
 * Trusts one user-level hook (what the TUI's /hooks review calls): writes
 * `[hooks.state."<key>"] trusted_hash = "<digest>"` into $CODEX_HOME/config.toml, keeping the rest of it.
 * A later edit of the handler changes its digest, so it is untrusted again.
 */
export async function grantHookTrust(o: { codexHome: string; handler: Pick<HookHandler, "key" | "hash"> }): Promise<string> {
  return writeUserConfigTable({
    codexHome: o.codexHome,
    table: ["hooks", "state", o.handler.key],
    values: { trusted_hash: o.handler.hash },
  });
}

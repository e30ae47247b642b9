// Whether a person starting the TUI should be asked to trust the project they are in, and what the answers
// write. Asked when no `[projects."<path>"]` entry covers the folder and it is a repository (or brings a
// .codex layer), or when a trusted project's hooks, rules or MCP servers changed since the trust was given
// (then with what changed, when the part-by-part record allows saying it). An explicit "untrusted" entry is
// the person's answer already: not asked again. Exec and app-server never ask.
import fs from "node:fs";
import path from "node:path";
import type { ResolvedConfig } from "./types.js";
import { grantProjectTrust, projectTrustParts, resolveProjectTrust } from "./trust.js";
import { writeUserConfigTable } from "./trust-edit.js";
import { trustChanges, type TrustChange } from "./trust-manifest.js";

export type { TrustChange } from "./trust-manifest.js";

export interface TrustQuestion {
  /** The folder the answer is recorded for (the project root). */
  root: string;
  reason: "new" | "changed";
  /** For "changed": what differs from what was trusted; null when there is no record to compare with. */
  changes: TrustChange[] | null;
}

type Projects = Record<string, { trust_level?: "trusted" | "untrusted"; trust_digest?: string }>;

export async function projectTrustQuestion(config: Pick<ResolvedConfig, "cwd" | "codexHome" | "raw">): Promise<TrustQuestion | null> {
  const raw = config.raw;
  const markers = Array.isArray(raw["project_root_markers"]) ? (raw["project_root_markers"] as string[]) : [".git"];
  const projects = typeof raw["projects"] === "object" && raw["projects"] !== null ? (raw["projects"] as Projects) : undefined;
  const trust = resolveProjectTrust({ cwd: config.cwd, projects, markers });
  if (trust.state === "trusted") return null;
  if (trust.state === "changed") {
    const root = trust.entryPath ?? trust.root;
    const changes = await trustChanges({ codexHome: config.codexHome, root, parts: projectTrustParts({ root }) });
    return { root, reason: "changed", changes };
  }
  if (trust.entryPath !== undefined) return null; // explicitly untrusted
  const isRepo = markers.some((m) => fs.existsSync(path.join(trust.root, m)));
  if (!isRepo && !trust.hasLayer) return null;
  return { root: trust.root, reason: "new", changes: null };
}

/** The person trusts the project: trust_level "trusted" with the content digest (and the part-by-part record). */
export async function acceptProjectTrust(o: { codexHome: string; root: string }): Promise<void> {
  await grantProjectTrust({ codexHome: o.codexHome, projectRoot: o.root });
}

/** The person declines: trust_level "untrusted", so the project's own layer stays off and nobody asks again. */
export async function declineProjectTrust(o: { codexHome: string; root: string }): Promise<void> {
  await writeUserConfigTable({ codexHome: o.codexHome, table: ["projects", path.resolve(o.root)], values: { trust_level: "untrusted" } });
}

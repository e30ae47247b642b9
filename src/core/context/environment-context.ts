import { readlinkSync } from "node:fs";
import path from "node:path";
import type { SandboxPolicy } from "../../protocol/policy.js";
import { PROTECTED_SUBPATHS } from "../sandbox/writable-paths.js";

export interface EnvironmentContextOptions {
  cwd: string;
  /** Shell name or path; rendered as its base name ("bash", "zsh"). */
  shell: string;
  /** `YYYY-MM-DD` in local time. */
  currentDate: string;
  /** IANA zone, e.g. "Europe/Berlin". */
  timezone: string;
  sandboxPolicy: SandboxPolicy;
  /** Workspace roots; defaults to [cwd]. */
  workspaceRoots?: string[];
  /** Managed network allow/deny lists; rendered only when given. */
  network?: { allowedDomains: string[]; deniedDomains: string[] };
  /** Whether cwd and shell are in it (default true; an update after a sandbox change leaves them out). */
  cwdAndShell?: boolean;
}

function esc(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

const el = (name: string, value: string): string => `<${name}>${esc(value)}</${name}>`;
const entry = (access: "read" | "write", inner: string): string => `<entry access="${access}">${inner}</entry>`;


/**
 * `<filesystem>`: the workspace roots and a permission profile derived from the sandbox policy,
 * in the single-line shape Codex 0.169 sends.
 */
export function filesystemXml(policy: SandboxPolicy, workspaceRoots: string[]): string {
  const roots = `<workspace_roots>${workspaceRoots.map((r) => el("root", r)).join("")}</workspace_roots>`;
  let profile: string;
  if (policy.mode === "danger-full-access") {
    profile = `<permission_profile type="disabled"><file_system type="unrestricted" /></permission_profile>`;
  } else {
    const entries = [entry("read", el("special", ":root"))];
    if (policy.mode === "workspace-write") {
      for (const r of workspaceRoots) entries.push(entry("write", el("path", r)));
      if (!policy.excludeSlashTmp) entries.push(entry("write", el("special", ":slash_tmp")));
      if (!policy.excludeTmpdirEnvVar) entries.push(entry("write", el("special", ":tmpdir")));
      for (const r of policy.writableRoots) {
        if (!workspaceRoots.includes(r)) entries.push(entry("write", el("path", r)));
      }
      for (const r of workspaceRoots) {
        for (const sub of PROTECTED_SUBPATHS) entries.push(entry("read", el("path", path.join(r, sub))));
      }
    }
    profile = `<permission_profile type="managed"><file_system type="restricted">${entries.join("")}</file_system></permission_profile>`;
  }
  return `<filesystem>${roots}${profile}</filesystem>`;
}

/** The `<environment_context>` user-message text. */
export function environmentContextXml(o: EnvironmentContextOptions): string {
  const lines = [
    ...(o.cwdAndShell === false ? [] : [`  ${el("cwd", o.cwd)}`, `  ${el("shell", path.basename(o.shell))}`]),
    `  ${el("current_date", o.currentDate)}`,
    `  ${el("timezone", o.timezone)}`,
  ];
  if (o.network) {
    const allowed = o.network.allowedDomains.length ? `<allowed>${esc(o.network.allowedDomains.join(","))}</allowed>` : "";
    const denied = o.network.deniedDomains.length ? `<denied>${esc(o.network.deniedDomains.join(","))}</denied>` : "";
    lines.push(`  <network enabled="true">${allowed}${denied}</network>`);
  }
  lines.push(`  ${filesystemXml(o.sandboxPolicy, o.workspaceRoots ?? [o.cwd])}`);
  return `<environment_context>\n${lines.join("\n")}\n</environment_context>`;
}

const pad = (n: number): string => String(n).padStart(2, "0");

/** Local `YYYY-MM-DD`. */
export function localDate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * The process's IANA time zone, falling back to "UTC". `TZ` or the /etc/localtime link name it first, as the
 * reference reads it: building an Intl.DateTimeFormat costs ~30 ms of start-up, so it is the last resort.
 */
export function localTimezone(env: Record<string, string | undefined> = process.env): string {
  const named = (tz: string | undefined): string | undefined => (tz && /^[A-Za-z][\w+/-]*$/.test(tz) ? tz : undefined);
  const fromEnv = named(env.TZ?.replace(/^:/, ""));
  if (fromEnv) return fromEnv;
  try {
    const fromLink = named(/zoneinfo\/(.+)$/.exec(readlinkSync("/etc/localtime"))?.[1]);
    if (fromLink) return fromLink;
  } catch {
    // not a link: ask ICU
  }
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

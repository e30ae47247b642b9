// HTTP headers for a Responses request: auth, identity (originator, user-agent) and provider extras.
import { readFileSync } from "node:fs";
import os from "node:os";
import type { ModelProviderInfo } from "../config/types.js";

export interface OsInfo {
  /** e.g. "Debian", "Ubuntu", "Mac OS", "Windows". */
  name: string;
  version: string;
  /** e.g. "x86_64", "aarch64", "arm64". */
  arch: string;
}

/** `<originator>/<version> (<os> <os-ver>; <arch>) <terminal> (<originator>; <version>)` */
export function userAgent(o: { originator: string; version: string; os: OsInfo; terminal: string }): string {
  const ua = `${o.originator}/${o.version} (${o.os.name} ${o.os.version}; ${o.os.arch}) ${o.terminal} (${o.originator}; ${o.version})`;
  // Header values must be visible ASCII; odd terminal names must not break the request.
  return ua.replace(/[^\x20-\x7e]/g, "_");
}

export function detectTerminal(env: Record<string, string | undefined>): string {
  const program = env.TERM_PROGRAM?.trim();
  if (program) {
    const version = env.TERM_PROGRAM_VERSION?.trim();
    return version ? `${program}/${version}` : program;
  }
  if (env.WT_SESSION) return "WindowsTerminal";
  const term = env.TERM?.trim();
  return term ? term : "unknown";
}

const LINUX_NAMES: Record<string, string> = {
  debian: "Debian",
  ubuntu: "Ubuntu",
  fedora: "Fedora",
  arch: "Arch Linux",
  alpine: "Alpine Linux",
  centos: "CentOS",
  rhel: "Red Hat Enterprise Linux",
  amzn: "Amazon Linux AMI",
  opensuse: "openSUSE",
  nixos: "NixOS",
  linuxmint: "Mint",
};

/** Reads the running OS; `osRelease` is the text of /etc/os-release (injectable for tests). */
export function detectOsInfo(o: { platform?: NodeJS.Platform; release?: string; arch?: string; osRelease?: string } = {}): OsInfo {
  const platform = o.platform ?? process.platform;
  const nodeArch = o.arch ?? process.arch;
  const arch =
    nodeArch === "x64" ? "x86_64" : nodeArch === "arm64" ? (platform === "darwin" ? "arm64" : "aarch64") : nodeArch === "ia32" ? "i686" : nodeArch;
  const release = o.release ?? os.release();
  if (platform === "darwin") return { name: "Mac OS", version: release, arch };
  if (platform === "win32") return { name: "Windows", version: release, arch };
  if (platform !== "linux") return { name: platform, version: release, arch };
  const text = o.osRelease ?? readOsRelease();
  const field = (key: string): string | undefined => {
    const m = new RegExp(`^${key}=(.*)$`, "m").exec(text);
    return m?.[1]?.trim().replace(/^["']|["']$/g, "");
  };
  const id = field("ID")?.toLowerCase();
  const name = (id && LINUX_NAMES[id]) ?? "Linux";
  const versionId = field("VERSION_ID");
  return { name, version: versionId ? semver(versionId) : release, arch };
}

function readOsRelease(): string {
  try {
    return readFileSync("/etc/os-release", "utf8");
  } catch {
    return "";
  }
}

/** "12" → "12.0.0", "22.04" → "22.4.0" (how the reference prints OS versions). */
function semver(v: string): string {
  const parts = v.split(".").map((p) => (/^\d+$/.test(p) ? String(Number(p)) : p));
  while (parts.length < 3) parts.push("0");
  return parts.slice(0, 3).join(".");
}

export function buildHeaders(o: {
  provider: ModelProviderInfo;
  apiKey: string | null;
  originator: string;
  userAgent: string;
  version: string;
  env: Record<string, string | undefined>;
  requestHeaders: Record<string, string>;
}): Record<string, string> {
  const h: Record<string, string> = {
    accept: "text/event-stream",
    "content-type": "application/json",
    originator: o.originator,
    "user-agent": o.userAgent,
  };
  if (o.provider.builtIn) h.version = o.version;
  const put = (name: string, value: string): void => {
    h[name.toLowerCase()] = value;
  };
  for (const [name, value] of Object.entries(o.provider.httpHeaders)) put(name, value);
  for (const [name, envVar] of Object.entries(o.provider.envHttpHeaders)) {
    const value = o.env[envVar];
    if (value !== undefined && value.trim() !== "") put(name, value);
  }
  for (const [name, value] of Object.entries(o.requestHeaders)) put(name, value);
  // Last, so no configured header can replace the credential by accident.
  if (o.apiKey) h.authorization = `Bearer ${o.apiKey}`;
  return h;
}

export function buildUrl(provider: ModelProviderInfo): string {
  const url = new URL(`${provider.baseUrl.replace(/\/+$/, "")}/responses`);
  for (const [k, v] of Object.entries(provider.queryParams)) url.searchParams.set(k, v);
  return url.toString();
}

import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { DEFAULT_HOOK_TIMEOUT_SEC, HOOK_EVENTS, type HookEventName, type HookHandler } from "./types.js";

// hooks.json discovery: the user's $CODEX_HOME/hooks.json, then (only for a trusted project) the project's
// .codex/hooks.json, lowest precedence first. A user hook runs only once trusted: a
// `[hooks.state."<key>"] trusted_hash` equal to the handler's digest (config.toml), unless trust is
// bypassed for this run. An untrusted user hook is skipped silently, as in the reference.

export interface HookSource {
  file: string;
  scope: "user" | "project";
  /** A Claude Code settings file: its `hooks` block is optional (the file holds other settings too). */
  claude?: boolean;
}

export interface HookTrustState {
  trusted_hash?: string;
  enabled?: boolean;
}

export interface DiscoverOptions {
  sources: HookSource[];
  /** `[hooks.state]` of the user's config.toml. */
  state: Record<string, HookTrustState>;
  bypassTrust: boolean;
}

export interface DiscoveredHooks {
  handlers: HookHandler[];
  /** Handlers skipped because nobody trusted them (for /hooks and app-server). */
  untrusted: HookHandler[];
  warnings: string[];
}

const SNAKE: Record<HookEventName, string> = Object.fromEntries(
  HOOK_EVENTS.map((e) => [e, e.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase()]),
) as Record<HookEventName, string>;

/** The event's snake_case name (`pre_tool_use`), used in trust keys and hook run ids. */
export const snakeEvent = (e: HookEventName): string => SNAKE[e];

/**
 * Sources for a session, lowest precedence first: the user's files, then the project's when the project
 * is trusted. With `claudeCompat`, Claude Code's settings files (`~/.claude/settings.json`,
 * `<project>/.claude/settings.json`) follow the Codex file of the same layer.
 */
export function hookSources(o: {
  codexHome: string;
  home?: string;
  trustedProjectRoot?: string;
  /** The trusted project's `.codex` folders from its root down to cwd (default: the root's only). */
  projectLayerDirs?: readonly string[];
  claudeCompat?: boolean;
}): HookSource[] {
  const out: HookSource[] = [{ file: path.join(o.codexHome, "hooks.json"), scope: "user" }];
  if (o.claudeCompat && o.home) out.push({ file: path.join(o.home, ".claude", "settings.json"), scope: "user", claude: true });
  if (o.trustedProjectRoot) {
    const dirs = o.projectLayerDirs ?? [path.join(o.trustedProjectRoot, ".codex")];
    dirs.forEach((dir, i) => {
      const file = path.join(dir, "hooks.json");
      if (path.resolve(file) !== path.resolve(out[0]!.file)) out.push({ file, scope: "project" });
      // Claude Code's project settings belong to the root layer.
      if (i === 0 && o.claudeCompat) out.push({ file: path.join(o.trustedProjectRoot!, ".claude", "settings.json"), scope: "project", claude: true });
    });
  }
  return out;
}

export function discoverHooks(o: DiscoverOptions): DiscoveredHooks {
  const warnings: string[] = [];
  const all: HookHandler[] = [];
  let order = 0;
  for (const source of o.sources) {
    let text: string;
    try {
      text = fs.readFileSync(source.file, "utf8");
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") warnings.push(`${source.file}: cannot read hooks file: ${(e as Error).message}; skipped`);
      continue;
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      warnings.push(`${source.file}: invalid JSON: ${(e as Error).message}; hooks file skipped`);
      continue;
    }
    const events = isObject(doc) && isObject(doc["hooks"]) ? doc["hooks"] : null;
    if (!events && source.claude && isObject(doc) && doc["hooks"] === undefined) continue;
    if (!events) {
      warnings.push(`${source.file}: expected {"hooks": {...}}; hooks file skipped`);
      continue;
    }
    for (const event of HOOK_EVENTS) {
      const groups = events[event];
      if (groups === undefined) continue;
      if (!Array.isArray(groups)) {
        warnings.push(`${source.file}: hooks.${event} must be an array; ignored`);
        continue;
      }
      groups.forEach((group, gi) => {
        if (!isObject(group)) return warnings.push(`${source.file}: hooks.${event}[${gi}] must be an object; ignored`);
        const matcher = typeof group["matcher"] === "string" ? group["matcher"] : undefined;
        let regex: RegExp | null = null;
        if (matcher !== undefined && matcher !== "" && matcher !== "*") {
          try {
            regex = new RegExp(matcher);
          } catch {
            return warnings.push(`${source.file}: hooks.${event}[${gi}]: invalid matcher regex '${matcher}'; group skipped`);
          }
        }
        const hooks = Array.isArray(group["hooks"]) ? group["hooks"] : [];
        hooks.forEach((h, hi) => {
          const where = `${source.file}: hooks.${event}[${gi}].hooks[${hi}]`;
          if (!isObject(h)) return warnings.push(`${where} must be an object; ignored`);
          const type = h["type"] ?? "command";
          if (type !== "command") return warnings.push(`${where}: type '${String(type)}' is not supported; skipped`);
          if (h["async"] === true) return warnings.push(`${where}: async hooks are not supported; skipped`);
          const command = h["command"];
          if (typeof command !== "string" || command.trim() === "") return warnings.push(`${where}: missing command; skipped`);
          const rawTimeout = h["timeout"] ?? h["timeoutSec"];
          const timeoutSec = typeof rawTimeout === "number" && Number.isFinite(rawTimeout) ? Math.max(1, rawTimeout) : DEFAULT_HOOK_TIMEOUT_SEC;
          const statusMessage = typeof h["statusMessage"] === "string" ? h["statusMessage"] : undefined;
          const displayOrder = order++;
          const key = `${source.file}:${snakeEvent(event)}:${gi}:${hi}`;
          all.push({
            event,
            ...(matcher !== undefined ? { matcher } : {}),
            regex,
            command,
            timeoutSec,
            ...(statusMessage !== undefined ? { statusMessage } : {}),
            sourcePath: source.file,
            scope: source.scope,
            displayOrder,
            key,
            hash: hookTrustHash({ event, matcher, command, timeoutSec, statusMessage }),
          });
        });
      });
    }
  }
  const handlers: HookHandler[] = [];
  const untrusted: HookHandler[] = [];
  for (const h of all) {
    const state = o.state[h.key];
    if (state?.enabled === false) continue;
    const trusted = h.scope === "project" || state?.trusted_hash === h.hash;
    if (trusted || o.bypassTrust) handlers.push(h);
    else untrusted.push(h);
  }
  return { handlers, untrusted, warnings };
}

/** Digest of one handler's definition (what a trust record vouches for). */
export function hookTrustHash(h: {
  event: HookEventName;
  matcher: string | undefined;
  command: string;
  timeoutSec: number;
  statusMessage: string | undefined;
}): string {
  const canonical = JSON.stringify([h.event, h.matcher ?? null, "command", h.command, h.timeoutSec, h.statusMessage ?? null]);
  return `sha256:${createHash("sha256").update(canonical).digest("hex")}`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

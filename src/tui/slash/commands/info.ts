// /status, /mcp, /ps, /stop (/clean), /feedback: what the session is and has.
import { existsSync } from "node:fs";
import path from "node:path";
import type { BackgroundTerminal, EventMsg } from "../../../protocol/events.js";
import type { SandboxPolicy } from "../../../protocol/policy.js";
import type { ResolvedConfig } from "../../../core/index.js";
import type { TuiCore } from "../../tui-args.js";
import type { SlashCommand, SlashContext } from "../registry.js";

export function infoCommands(core: TuiCore): SlashCommand[] {
  const commands: SlashCommand[] = [
    { name: "status", description: "show current session configuration and token usage", availableDuringTask: true, run: (ctx) => showStatus(core, ctx) },
    { name: "mcp", description: "list configured MCP servers and their tools", availableDuringTask: true, run: (ctx) => showMcp(core, ctx) },
    { name: "ps", description: "list background terminals", availableDuringTask: true, run: showTerminals },
    { name: "stop", aliases: ["clean"], description: "stop all background terminals", availableDuringTask: true, run: stopTerminals },
  ];
  commands.push({
    name: "feedback",
    description: "write this session's logs and journal to a bundle file",
    availableDuringTask: true,
    async run(ctx) {
      const threadId = ctx.state().session?.threadId;
      if (!threadId) throw new Error("no session yet");
      // The provider's key (known by value) is scrubbed besides every secret shape the redactor knows.
      const envKey = ctx.config().modelProvider?.envKey;
      const key = envKey ? process.env[envKey] : undefined;
      const bundle = await core.exportFeedbackBundle({ codexHome: ctx.config().codexHome, threadId, version: ctx.state().version, ...(key ? { secrets: [key] } : {}) });
      ctx.pushCell({ kind: "info", title: "Feedback bundle written", lines: [bundle.path, "Attach this file to your report; secrets were scrubbed."] });
    },
  });
  return commands;
}

export function statusLines(o: {
  state: ReturnType<SlashContext["state"]>;
  config: ResolvedConfig;
  version: string;
}): string[] {
  const s = o.state.session;
  const c = o.config;
  const cwd = s?.cwd ?? c.cwd;
  const row = (k: string, v: string) => `${`${k}:`.padEnd(18)}${v}`;
  const layers = [
    path.join(c.codexHome, "config.toml"),
    ...(c.trustedProjectRoot ? [path.join(c.trustedProjectRoot, ".codex", "config.toml")] : []),
  ].filter((f) => existsSync(f));
  const agents = ["AGENTS.override.md", "AGENTS.md"].find((n) => existsSync(path.join(cwd, n)));
  const tokens = o.state.tokensUsed;
  return [
    row("Version", `codex-ts ${o.version}`),
    row("Session", s?.threadId ?? "(not started)"),
    row("Model", `${s?.model ?? c.model}${s?.effort ? ` (reasoning ${s.effort})` : ""}`),
    row("Model provider", c.modelProviderId),
    row("Directory", cwd),
    row("Approval", s?.approval ?? "-"),
    row("Sandbox", s ? sandboxText(s.sandbox) : "-"),
    row("Agents.md", agents ?? "<none>"),
    row("Token usage", `${tokens.toLocaleString("en-US")} total`),
    row("Context window", o.state.contextLeftPercent === null ? "unknown until the first answer" : `${o.state.contextLeftPercent}% left`),
    row("Limits", "data not available yet"),
    row("Config layers", layers.length > 0 ? layers.join(", ") : "defaults only"),
    ...(c.activeProfile ? [row("Profile", c.activeProfile)] : []),
  ];
}

function sandboxText(p: SandboxPolicy): string {
  if (p.mode === "workspace-write") return `workspace-write (${p.writableRoots.join(", ")}${p.networkAccess ? "; network on" : ""})`;
  return p.mode;
}

function showStatus(core: TuiCore, ctx: SlashContext): void {
  void core;
  ctx.pushCell({ kind: "info", title: "/status", lines: statusLines({ state: ctx.state(), config: ctx.config(), version: ctx.state().version }) });
}

async function showMcp(core: TuiCore, ctx: SlashContext): Promise<void> {
  const servers = ctx.config().raw["mcp_servers"];
  if (typeof servers !== "object" || servers === null || Object.keys(servers).length === 0) {
    ctx.pushCell({ kind: "info", title: "/mcp", lines: ["No MCP servers configured. Add one with `codex mcp add` or [mcp_servers.<name>] in config.toml."] });
    return;
  }
  ctx.pushCell({ kind: "info", lines: ["Checking MCP servers…"] });
  const probes = await core.probeMcpServers({ raw: ctx.config().raw, env: process.env, cwd: ctx.config().cwd, version: ctx.state().version });
  const lines = probes.map((p) =>
    p.ok ? `${p.name}  started · ${p.tools ?? 0} tool${p.tools === 1 ? "" : "s"}` : `${p.name}  not started: ${p.problem ?? "unknown reason"}`,
  );
  ctx.pushCell({ kind: "info", title: "/mcp", lines });
}

const isTerminals = (m: EventMsg): m is Extract<EventMsg, { type: "background_terminals" }> => m.type === "background_terminals";
const isCleaned = (m: EventMsg): m is Extract<EventMsg, { type: "background_terminals_cleaned" }> => m.type === "background_terminals_cleaned";

async function showTerminals(ctx: SlashContext): Promise<void> {
  const answer = ctx.waitForEvent(isTerminals);
  await ctx.submit({ type: "list_background_terminals" });
  const { terminals } = await answer;
  const running = terminals.filter((t) => t.running);
  if (running.length === 0) {
    ctx.pushCell({ kind: "info", title: "/ps", lines: ["No background terminals running."] });
    return;
  }
  ctx.pushCell({ kind: "info", title: "/ps", lines: running.map((t) => terminalLine(t, Date.now())) });
}

function terminalLine(t: BackgroundTerminal, now: number): string {
  const seconds = Math.max(0, Math.round((now - t.startedAtMs) / 1000));
  return `${String(t.id).padStart(4)}  ${t.tty ? "tty " : "pipe"}  ${seconds}s  ${t.command}`;
}

async function stopTerminals(ctx: SlashContext): Promise<void> {
  const answer = ctx.waitForEvent(isCleaned);
  await ctx.submit({ type: "clean_background_terminals" });
  const { stopped } = await answer;
  ctx.pushCell({ kind: "info", lines: [stopped === 0 ? "No background terminals to stop." : `Stopped ${stopped} background terminal${stopped === 1 ? "" : "s"}.`] });
}

import { execFile, spawn } from "node:child_process";
import { accessSync, constants as fsConstants, existsSync } from "node:fs";
import { mkdtemp, rm, statfs, writeFile } from "node:fs/promises";
import path from "node:path";
import {
  BWRAP_REQUIRED_MESSAGE,
  ConfigError,
  createBwrapLauncher,
  findBwrap,
  loadConfig,
  missingKeyMessage,
  probeMcpServers,
  providerNeedsKey,
  redactSecrets,
  resolveApiKeyWithSource,
  resolveCodexHome,
  SYSTEM_CONFIG_PATH,
  type ResolvedConfig,
} from "../../core/index.js";

// The checks behind `codex doctor`. Each answers one question a person has when Codex will not work
// here, with a fix when it fails. No check prints a secret.

export type CheckStatus = "ok" | "warn" | "fail";

export interface CheckResult {
  name: string;
  status: CheckStatus;
  summary: string;
  fix?: string;
}

export interface DoctorContext {
  env: Record<string, string | undefined>;
  cwd: string;
  /** Where this CLI runs from (the bundle or source entry). */
  installPath: string;
  configOverrides: string[];
  enable: string[];
  disable: string[];
  endpointTimeoutMs: number;
  /** This CLI's version (the MCP client introduces itself with it). */
  version: string;
}

const MiB = 1024 * 1024;
const human = (bytes: number): string =>
  bytes >= 1024 * MiB ? `${(bytes / (1024 * MiB)).toFixed(1)} GiB` : `${Math.round(bytes / MiB)} MiB`;

/** First executable `name` on PATH. */
export function which(name: string, pathEnv: string | undefined): string | undefined {
  for (const dir of (pathEnv ?? "").split(path.delimiter)) {
    if (dir === "") continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

const firstLine = (s: string): string => s.trim().split("\n")[0] ?? "";

function versionOf(file: string, args: string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 3000, env: { PATH: "/usr/bin:/bin" } }, (err, stdout) => resolve(err ? "" : firstLine(stdout)));
  });
}

export function checkNode(): CheckResult {
  const major = Number(process.versions.node.split(".")[0]);
  return major >= 20
    ? { name: "node", status: "ok", summary: `Node ${process.version}` }
    : { name: "node", status: "fail", summary: `Node ${process.version} is too old`, fix: "install Node 20 or newer" };
}

export function checkInstall(ctx: DoctorContext): CheckResult {
  return { name: "install", status: "ok", summary: `${ctx.installPath} (node ${process.execPath})` };
}

export async function checkCodexHome(ctx: DoctorContext): Promise<CheckResult> {
  const home = resolveCodexHome({ env: ctx.env });
  const name = "codex home";
  if (!existsSync(home)) {
    return { name, status: "warn", summary: `${home} does not exist yet (created on first use)` };
  }
  try {
    const dir = await mkdtemp(path.join(home, ".doctor-"));
    await writeFile(path.join(dir, "probe"), "ok");
    await rm(dir, { recursive: true, force: true });
  } catch (err) {
    return {
      name,
      status: "fail",
      summary: `${home} is not writable (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      fix: `make it writable by you, or point CODEX_HOME elsewhere`,
    };
  }
  const fs = await statfs(home).catch(() => null);
  if (fs === null) return { name, status: "ok", summary: `${home} is writable` };
  const free = fs.bavail * fs.bsize;
  if (free < 20 * MiB) return { name, status: "fail", summary: `${home}: only ${human(free)} free`, fix: "free disk space (sessions are written there)" };
  if (free < 200 * MiB) return { name, status: "warn", summary: `${home} is writable, only ${human(free)} free` };
  return { name, status: "ok", summary: `${home} is writable, ${human(free)} free` };
}

/** Loads every config layer; the config (or null) is handed to the checks that need it. */
export async function checkConfig(ctx: DoctorContext): Promise<{ result: CheckResult; config: ResolvedConfig | null }> {
  try {
    const config = await loadConfig({
      cwd: ctx.cwd,
      overrides: ctx.configOverrides,
      flags: { enable: ctx.enable, disable: ctx.disable, addDirs: [] },
      env: ctx.env,
    });
    const layers = [
      existsSync(SYSTEM_CONFIG_PATH) ? SYSTEM_CONFIG_PATH : null,
      existsSync(path.join(config.codexHome, "config.toml")) ? path.join(config.codexHome, "config.toml") : null,
      config.trustedProjectRoot ? path.join(config.trustedProjectRoot, ".codex", "config.toml") : null,
    ].filter((l): l is string => l !== null && existsSync(l));
    const summary = layers.length === 0 ? "no config files (defaults)" : `parsed ${layers.join(", ")}`;
    const result: CheckResult =
      config.warnings.length > 0
        ? { name: "config", status: "warn", summary: `${summary}; ${config.warnings[0]}${config.warnings.length > 1 ? ` (+${config.warnings.length - 1} more)` : ""}` }
        : { name: "config", status: "ok", summary };
    return { result, config };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return { result: { name: "config", status: "fail", summary: err.message, fix: "fix the file named above" }, config: null };
  }
}

const skipped = (name: string): CheckResult => ({ name, status: "warn", summary: "not checked: the config did not load" });

export async function checkAuth(ctx: DoctorContext, config: ResolvedConfig | null): Promise<{ result: CheckResult; key: string | null }> {
  if (config === null) return { result: skipped("auth"), key: null };
  const provider = config.modelProvider;
  const resolved = await resolveApiKeyWithSource({ codexHome: config.codexHome, env: ctx.env, provider });
  if (resolved !== null) {
    return { result: { name: "auth", status: "ok", summary: `provider '${provider.id}': key from ${resolved.source}` }, key: resolved.key };
  }
  if (!providerNeedsKey(provider)) {
    return { result: { name: "auth", status: "ok", summary: `provider '${provider.id}' needs no key` }, key: null };
  }
  return { result: { name: "auth", status: "fail", summary: missingKeyMessage(provider) }, key: null };
}

/** One GET of `<base_url>/models` with a short timeout: any HTTP answer means the endpoint is reachable. */
export async function checkEndpoint(ctx: DoctorContext, config: ResolvedConfig | null, key: string | null): Promise<CheckResult> {
  const name = "endpoint";
  if (config === null) return skipped(name);
  const url = `${config.modelProvider.baseUrl.replace(/\/+$/, "")}/models`;
  const secrets = key ? [key] : [];
  try {
    const res = await fetch(url, {
      headers: key ? { authorization: `Bearer ${key}` } : {},
      signal: AbortSignal.timeout(ctx.endpointTimeoutMs),
    });
    await res.body?.cancel().catch(() => undefined);
    if (res.status === 401 || res.status === 403) {
      return { name, status: "warn", summary: `${url} answered HTTP ${res.status}: the key was refused`, fix: "check the API key" };
    }
    return { name, status: "ok", summary: `${url} reachable (HTTP ${res.status})` };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const why = e.name === "TimeoutError" ? `no answer within ${ctx.endpointTimeoutMs} ms` : (e.cause?.code ?? e.cause?.message ?? e.message);
    return {
      name,
      status: "fail",
      summary: redactSecrets(`${url} is not reachable: ${why}`, secrets),
      fix: "check the network, a proxy, or the provider's base_url",
    };
  }
}

/** bwrap on PATH, and a real `true` through our launcher (namespaces, mounts and the seccomp filter). */
export async function checkSandbox(ctx: DoctorContext): Promise<CheckResult[]> {
  const bwrap = findBwrap(ctx.env.PATH);
  if (bwrap === undefined) {
    return [
      { name: "bubblewrap", status: "fail", summary: "bwrap not found on PATH", fix: BWRAP_REQUIRED_MESSAGE },
      { name: "seccomp", status: "warn", summary: "not checked: no sandbox to run it in" },
    ];
  }
  const launcher = createBwrapLauncher({ pathEnv: ctx.env.PATH, fdPassing: "inherit" });
  const run = async (argv: string[]): Promise<{ ok: boolean; stdout: string; reason: string }> => {
    try {
      const wrapped = await launcher.wrap({ argv, cwd: ctx.cwd, env: { PATH: "/usr/bin:/bin" } }, { mode: "read-only", networkAccess: false });
      return await new Promise((resolve) => {
        const [file, ...args] = wrapped.argv;
        let stdout = "";
        let stderr = "";
        const child = spawn(file!, args, { cwd: ctx.cwd, env: wrapped.env, stdio: ["ignore", "pipe", "pipe", ...(wrapped.extraFds ?? [])] });
        void wrapped.cleanup?.();
        child.stdout!.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
        child.stderr!.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
        child.on("error", (err) => resolve({ ok: false, stdout, reason: err.message }));
        child.on("close", (code, signal) => {
          wrapped.afterExit?.();
          resolve({ ok: code === 0, stdout, reason: firstLine(stderr) || `exit ${code ?? signal}` });
        });
      });
    } catch (err) {
      return { ok: false, stdout: "", reason: (err as Error).message };
    }
  };
  let ran: Awaited<ReturnType<typeof run>>;
  let probe: Awaited<ReturnType<typeof run>>;
  try {
    ran = await run(["true"]);
    // The sandboxed process's own view: mode 2 means a seccomp filter is installed.
    probe = ran.ok ? await run(["sh", "-c", "grep '^Seccomp:' /proc/self/status"]) : ran;
  } finally {
    launcher.dispose();
  }
  const version = await versionOf(bwrap, ["--version"]);
  if (!ran.ok) {
    return [
      {
        name: "bubblewrap",
        status: "fail",
        summary: `${bwrap} cannot run a sandboxed command: ${ran.reason}`,
        fix: "allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1, or an AppArmor profile for bwrap)",
      },
      { name: "seccomp", status: "warn", summary: "not checked: the sandbox did not run" },
    ];
  }
  const mode = /^Seccomp:\s*(\d)/m.exec(probe.stdout)?.[1];
  const seccomp: CheckResult =
    mode === "2"
      ? { name: "seccomp", status: "ok", summary: "filter active inside the sandbox (network syscalls denied)" }
      : {
          name: "seccomp",
          status: "fail",
          summary: probe.ok ? `no seccomp filter inside the sandbox (Seccomp: ${mode ?? "absent"})` : `could not inspect the sandbox: ${probe.reason}`,
          fix: "a kernel with CONFIG_SECCOMP_FILTER is needed to keep sandboxed commands off the network",
        };
  return [{ name: "bubblewrap", status: "ok", summary: `${bwrap}${version ? ` (${version})` : ""}: a sandboxed \`true\` ran` }, seccomp];
}

export async function checkTools(ctx: DoctorContext): Promise<CheckResult[]> {
  const tool = async (bin: string, name: string, missing: string, versionFlag = "--version"): Promise<CheckResult> => {
    const found = which(bin, ctx.env.PATH);
    if (found === undefined) return { name, status: "warn", summary: `${bin} not found on PATH: ${missing}` };
    const version = await versionOf(found, [versionFlag]);
    return { name, status: "ok", summary: `${found}${version ? ` (${version})` : ""}` };
  };
  return Promise.all([
    tool("git", "git", "review, apply and git context need it"),
    tool("rg", "ripgrep", "searches fall back to slower tools"),
    tool("tmux", "tmux", "only the TUI tests use it", "-V"),
  ]);
}

/** One line per configured MCP server: it starts and lists its tools, or why not. No servers: one info line. */
export async function checkMcpServers(ctx: DoctorContext, config: ResolvedConfig | null, version: string): Promise<CheckResult[]> {
  if (config === null) return [skipped("MCP servers")];
  const probes = await probeMcpServers({ raw: config.raw, env: ctx.env, cwd: ctx.cwd, version });
  if (probes.length === 0) return [{ name: "MCP servers", status: "ok", summary: "none configured" }];
  return probes.map((p) =>
    p.ok
      ? { name: `MCP server ${p.name}`, status: "ok", summary: `started, ${p.tools ?? 0} tool${p.tools === 1 ? "" : "s"}` }
      : {
          name: `MCP server ${p.name}`,
          status: "fail",
          summary: p.problem ?? "did not start",
          fix: "check its command/url in config.toml (`codex mcp get NAME`), or disable it with enabled = false",
        },
  );
}

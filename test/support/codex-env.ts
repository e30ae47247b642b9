// Temp homes and repos, and the built binary run as a child process, for end-to-end tests.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach } from "vitest";
import { startFakeResponsesServer, type FakeServer } from "./fake-responses-server.js";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const CODEX_BIN = path.join(REPO_ROOT, "bin", "codex.js");

export interface TestEnv {
  home: string;
  codexHome: string;
  repo: string;
  env: Record<string, string>;
  writeConfig(toml: string): void;
  cleanup(): void;
}

/** A temp CODEX_HOME, a temp git repo as cwd, and an env whose provider points at `baseUrl`. */
export function makeTestEnv(o: { baseUrl?: string; apiKey?: string | null } = {}): TestEnv {
  const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), "codex-e2e-")));
  const home = path.join(root, "home");
  const codexHome = path.join(home, ".codex");
  const repo = path.join(root, "repo");
  mkdirSync(codexHome, { recursive: true });
  mkdirSync(repo, { recursive: true });
  spawnSync("git", ["init", "-q", repo]);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    CODEX_HOME: codexHome,
    TMPDIR: os.tmpdir(),
    LANG: "C.UTF-8",
    NO_COLOR: "1",
  };
  if (o.apiKey !== null) env.CODEX_API_KEY = o.apiKey ?? "sk-test-key-0123456789";
  const writeConfig = (toml: string) => writeFileSync(path.join(codexHome, "config.toml"), toml);
  if (o.baseUrl) {
    writeConfig(fakeProviderConfig(o.baseUrl));
  }
  // A codex the test already saw finish may still be flushing its log spool as it exits: retry a busy folder.
  // (A test whose codex it cannot wait for, e.g. the SDK's, waits with waitForProcessesOf first.)
  const cleanup = () => rmSync(root, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
  return { home, codexHome, repo, env, writeConfig, cleanup };
}

/** Blocks until no process runs with `CODEX_HOME=<codexHome>` in its environment (bounded; Linux /proc). */
export function waitForProcessesOf(codexHome: string, o: { timeoutMs: number }): void {
  const needle = `CODEX_HOME=${codexHome}\0`;
  const alive = (): boolean => {
    let pids: string[];
    try {
      pids = readdirSync("/proc").filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid);
    } catch {
      return false;
    }
    return pids.some((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, "latin1").includes(needle);
      } catch {
        return false;
      }
    });
  };
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + o.timeoutMs;
  while (alive() && Date.now() < deadline) Atomics.wait(pause, 0, 0, 25);
}

/** Built-in provider pointed at the fake server, with fast retries so fault tests stay quick. */
export function fakeProviderConfig(baseUrl: string, extra = ""): string {
  return [
    `model = "gpt-5.5"`,
    `model_provider = "fake"`,
    `[model_providers.fake]`,
    `name = "fake"`,
    `base_url = "${baseUrl}"`,
    `env_key = "CODEX_API_KEY"`,
    `wire_api = "responses"`,
    `request_max_retries = 2`,
    `stream_max_retries = 2`,
    `stream_idle_timeout_ms = 2000`,
    extra,
  ].join("\n");
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function spawnCodex(
  args: string[],
  o: { env: Record<string, string>; cwd: string; stdin?: string },
): ChildProcess {
  const child = spawn(process.execPath, [CODEX_BIN, ...args], {
    cwd: o.cwd,
    env: o.env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  if (o.stdin !== undefined) child.stdin!.end(o.stdin);
  else child.stdin!.end();
  return child;
}

export function runCodex(
  args: string[],
  o: { env: Record<string, string>; cwd: string; stdin?: string; timeoutMs?: number },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawnCodex(args, o);
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d) => (stdout += d));
    child.stderr!.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`codex ${args.join(" ")} did not finish in time\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, o.timeoutMs ?? 30_000);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Runs any binary (`argv[0]`: ours through node, or the reference's) to its end; killed after `timeoutMs`. */
export function runBinary(argv: readonly string[], o: { env: Record<string, string>; cwd: string; timeoutMs?: number }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const [file, ...args] = argv as [string, ...string[]];
    const child = spawn(file, args, { cwd: o.cwd, env: o.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d) => (stdout += d));
    child.stderr!.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), o.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function parseJsonl(text: string): any[] {
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => {
      try {
        return JSON.parse(l);
      } catch {
        throw new Error(`stdout line is not JSON: ${l}`);
      }
    });
}

/**
 * Per test: a fresh fake Responses server and a temp env built from its URL; both are handed to
 * `assign` (so files keep plain `server` / `t` variables) and torn down after the test.
 */
export function useFakeServerEnv(
  assign: (server: FakeServer, env: TestEnv) => void,
  envOptions: (serverUrl: string) => Parameters<typeof makeTestEnv>[0] = (url) => ({ baseUrl: url }),
): void {
  let current: { server: FakeServer; env: TestEnv } | undefined;
  beforeEach(async () => {
    const server = await startFakeResponsesServer();
    current = { server, env: makeTestEnv(envOptions(server.url)) };
    assign(current.server, current.env);
  });
  afterEach(async () => {
    await current?.server.close();
    current?.env.cleanup();
    current = undefined;
  });
}

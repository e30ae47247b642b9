import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CODEX_BIN, makeTestEnv, type TestEnv } from "../support/codex-env.js";
import { methodsSchemaProblems, startAppServer, type AppServerClient } from "./app-server-methods-client.js";
import { connectUnix, deltaText, pidsRunning, processAlive, waitGone, waitUntil } from "./app-server-command-exec-support.js";

// command/exec sessions are held to the sandbox like every command/exec (attack: a terminal or streamed
// stdin must not widen what the command can write), and a client's commands end with its connection even when
// the server lives on (unix socket).

let t: TestEnv;
let c: AppServerClient | undefined;

beforeEach(() => {
  t = makeTestEnv();
});
afterEach(async () => {
  const problems = c ? methodsSchemaProblems(c) : [];
  await c?.close();
  c = undefined;
  t.cleanup();
  expect(problems).toEqual([]);
});

/** workspace-write with /tmp and $TMPDIR left out: the test's home (under /tmp) is outside everything writable. */
const WORKSPACE_WRITE = { type: "workspaceWrite", writableRoots: [], networkAccess: false, excludeTmpdirEnvVar: true, excludeSlashTmp: true };

describe("the sandbox holds for terminal and stdin sessions", () => {
  const attack = (outside: string) =>
    [
      `echo pwned > ${outside} && echo wrote-outside`,
      `ln -s ${path.dirname(outside)} escape && echo pwned > escape/via-link.txt && echo wrote-via-link`,
      `echo ok > inside.txt && echo wrote-inside`,
      "[ -t 1 ] && echo on-a-terminal",
    ].join("; ");

  it("a tty command under workspace-write cannot write outside the workspace (directly or through a symlink); with full access the same command can", async () => {
    c = await startAppServer({ env: t.env, cwd: t.repo });
    const outside = path.join(t.home, "outside.txt");
    const denied = await c.request("command/exec", { command: ["sh", "-c", attack(outside)], processId: "ww", tty: true, sandboxPolicy: WORKSPACE_WRITE });
    expect(denied.result.exitCode).toBe(0);
    const shown = deltaText(c.seen, "ww");
    expect(shown).toContain("wrote-inside");
    expect(shown).toContain("on-a-terminal");
    expect(shown).not.toContain("wrote-outside");
    expect(shown).not.toContain("wrote-via-link");
    expect(fs.existsSync(outside)).toBe(false);
    expect(fs.existsSync(path.join(t.home, "via-link.txt"))).toBe(false);
    expect(fs.readFileSync(path.join(t.repo, "inside.txt"), "utf8")).toBe("ok\n");

    fs.rmSync(path.join(t.repo, "escape"));
    const allowed = await c.request("command/exec", { command: ["sh", "-c", attack(outside)], processId: "full", tty: true, sandboxPolicy: { type: "dangerFullAccess" } });
    expect(allowed.result.exitCode).toBe(0);
    expect(deltaText(c.seen, "full")).toContain("wrote-outside");
    expect(deltaText(c.seen, "full")).toContain("wrote-via-link");
    expect(fs.readFileSync(outside, "utf8")).toBe("pwned\n");
  });

  it("the configured workspace-write sandbox applies to a session without a sandboxPolicy; stdin fed to it cannot write outside either", async () => {
    t.writeConfig(['sandbox_mode = "workspace-write"', "[sandbox_workspace_write]", "exclude_slash_tmp = true", "exclude_tmpdir_env_var = true"].join("\n"));
    c = await startAppServer({ env: t.env, cwd: t.repo });
    const outside = path.join(t.home, "fed.txt");
    const tty = await c.request("command/exec", { command: ["sh", "-c", `echo x > ${outside}; echo rc=$?`], processId: "cfg", tty: true });
    expect(tty.result.exitCode).toBe(0);
    expect(deltaText(c.seen, "cfg")).toMatch(/rc=[1-9]/);
    // A shell reading its script from streamed stdin is no different.
    const answer = c.request("command/exec", { command: ["sh"], processId: "fed", streamStdin: true, streamStdoutStderr: true });
    await c.call("command/exec/write", { processId: "fed", deltaBase64: Buffer.from(`echo x > ${outside}; echo rc=$?\necho y > in.txt; echo rc2=$?\n`).toString("base64"), closeStdin: true });
    expect((await answer).result.exitCode).toBe(0);
    expect(deltaText(c.seen, "fed", "stdout")).toMatch(/rc=[1-9]\nrc2=0\n/);
    expect(fs.existsSync(outside)).toBe(false);
    expect(fs.existsSync(path.join(t.repo, "in.txt"))).toBe(true);
  });
});

describe("sandboxed sessions are controlled like unsandboxed ones", () => {
  it("in the configured (read-only) sandbox: resize reaches the terminal, terminate kills the sandboxed process (tty and pipe)", async () => {
    c = await startAppServer({ env: t.env, cwd: t.repo });
    const resized = c.request("command/exec", { command: ["sh", "-c", "stty size; read l; stty size"], processId: "r", tty: true });
    await c.waitFor(() => /24 80\r\n/.test(deltaText(c!.seen, "r")), { what: "the first size" });
    await c.call("command/exec/resize", { processId: "r", size: { rows: 41, cols: 99 } });
    await c.call("command/exec/write", { processId: "r", deltaBase64: Buffer.from("\n").toString("base64") });
    expect((await resized).result.exitCode).toBe(0);
    expect(deltaText(c.seen, "r")).toMatch(/41 99\r\n$/);

    for (const [mode, seconds] of [["tty", "3007"], ["pipe", "3008"]] as const) {
      const argv = ["sleep", seconds];
      const running = c.request("command/exec", { command: argv, processId: mode, disableTimeout: true, ...(mode === "tty" ? { tty: true } : { streamStdin: true }) });
      await waitUntil(() => pidsRunning(argv).length === 1, { what: `the sandboxed ${argv.join(" ")}` });
      const [pid] = pidsRunning(argv);
      expect((await c.request("command/exec/terminate", { processId: mode })).result).toEqual({});
      expect((await running).result).toEqual({ exitCode: mode === "tty" ? 1 : 137, stdout: "", stderr: "" });
      await waitGone(pid!);
    }
  });
});

describe("a connection that closes while the server lives on", () => {
  let server: ChildProcess | undefined;
  afterEach(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once("exit", r));
      server.kill("SIGTERM");
      await exited;
    }
  });

  it("kills that connection's commands (tty and stdin sessions, buffered ones); another connection's keep running", async () => {
    const sock = path.join(t.home, "as.sock");
    server = spawn(process.execPath, [CODEX_BIN, "app-server", "--listen", `unix://${sock}`], { cwd: t.repo, env: t.env, stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    await new Promise<void>((resolve, reject) => {
      server!.stderr!.on("data", (d: Buffer) => {
        err += d.toString();
        if (err.includes("listening on")) resolve();
      });
      server!.once("exit", (code) => reject(new Error(`server exited ${code}: ${err}`)));
    });
    const FULL = { sandboxPolicy: { type: "dangerFullAccess" }, disableTimeout: true };
    const script = (n: string) => `echo pid-${n}:$$; exec sleep 300`;
    const pidOf = (text: string, n: string) => Number(new RegExp(`pid-${n}:(\\d+)`).exec(text)![1]);

    const leaving = await connectUnix(sock);
    const staying = await connectUnix(sock);
    leaving.send("command/exec", { command: ["sh", "-c", script("a")], processId: "a", tty: true, ...FULL });
    leaving.send("command/exec", { command: ["sh", "-c", script("b")], processId: "b", streamStdin: true, streamStdoutStderr: true, ...FULL });
    const marker = path.join(t.home, "c.pid");
    leaving.send("command/exec", { command: ["sh", "-c", `echo $$ > ${marker}.tmp && mv ${marker}.tmp ${marker}; exec sleep 300`], ...FULL });
    staying.send("command/exec", { command: ["sh", "-c", script("s")], processId: "a", tty: true, ...FULL });
    await leaving.waitFor(() => /pid-a:\d+/.test(deltaText(leaving.seen, "a")), "a's pid");
    await leaving.waitFor(() => /pid-b:\d+/.test(deltaText(leaving.seen, "b")), "b's pid");
    await staying.waitFor(() => /pid-s:\d+/.test(deltaText(staying.seen, "a")), "s's pid");
    // The buffered one prints nothing before it ends: its marker file says it runs.
    await waitUntil(() => fs.existsSync(marker), { what: "the buffered command's marker" });
    const pids = [pidOf(deltaText(leaving.seen, "a"), "a"), pidOf(deltaText(leaving.seen, "b"), "b"), Number(fs.readFileSync(marker, "utf8"))];
    const other = pidOf(deltaText(staying.seen, "a"), "s");
    expect([...pids, other].every(processAlive)).toBe(true);

    leaving.destroy();
    for (const pid of pids) await waitGone(pid);
    expect(server.exitCode).toBe(null);
    expect(processAlive(other)).toBe(true);
    // Process ids are per connection: the other connection's "a" is its own, still running, and can be ended.
    expect((await staying.request("command/exec/terminate", { processId: "a" })).result).toEqual({});
    await waitGone(other);
    staying.destroy();
  });
});

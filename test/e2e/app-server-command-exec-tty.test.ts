import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTestEnv, type TestEnv } from "../support/codex-env.js";
import { methodsSchemaProblems, startAppServer, type AppServerClient } from "./app-server-methods-client.js";
import { deltaText, processAlive, waitGone, waitUntil } from "./app-server-command-exec-support.js";

// command/exec sessions over stdio against the built binary: a pty (tty), stdin streamed by command/exec/write,
// command/exec/resize, command/exec/terminate, and the end of every process when its connection closes.

let t: TestEnv;
let c: AppServerClient;

beforeEach(() => {
  t = makeTestEnv();
});
afterEach(async () => {
  // Every message the test saw validates against the reference's schema and ours.
  const problems = c ? methodsSchemaProblems(c) : [];
  await c?.close();
  t.cleanup();
  expect(problems).toEqual([]);
});
const start = async () => (c = await startAppServer({ env: t.env, cwd: t.repo }));
const FULL = { sandboxPolicy: { type: "dangerFullAccess" } };
const b64 = (s: string) => Buffer.from(s).toString("base64");
/** Sends a request without waiting; resolves with its answer. */
const pending = (method: string, params: unknown) => c.request(method, params);
/** Waits until the streamed output of `processId` matches. */
const output = (processId: string, match: RegExp) =>
  c.waitFor(() => match.test(deltaText(c.seen, processId)), { what: `output of ${processId} matching ${match}`, timeoutMs: 20_000 });

describe("command/exec with tty", () => {
  it("runs under a pseudo-terminal: `tty` names a /dev/pts device, output is one stdout stream, the answer has empty streams", async () => {
    await start();
    const answer = await c.request("command/exec", { command: ["sh", "-c", "tty; echo to-stderr >&2"], processId: "t1", tty: true, ...FULL });
    expect(answer.result).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    expect(deltaText(c.seen, "t1")).toMatch(/^\/dev\/pts\/\d+\r\nto-stderr\r\n$/);
    const deltas = c.seen.filter((m) => m.method === "command/exec/outputDelta");
    expect(deltas.every((d) => d.params.stream === "stdout" && d.params.capReached === false)).toBe(true);
    expect(c.seen.indexOf(deltas.at(-1)!)).toBeLessThan(c.seen.indexOf(answer));
  });

  it("in the configured sandbox (read-only) the command still has a terminal of the asked size", async () => {
    await start();
    const answer = await c.request("command/exec", {
      command: ["sh", "-c", "[ -t 0 ] && [ -t 1 ] && echo terminal; stty size; echo x > f.txt || echo denied"],
      processId: "t2",
      tty: true,
      size: { rows: 33, cols: 101 },
    });
    expect(answer.result.exitCode).toBe(0);
    expect(deltaText(c.seen, "t2")).toMatch(/^terminal\r\n33 101\r\n.*\r\ndenied\r\n$/s);
    expect(fs.existsSync(path.join(t.repo, "f.txt"))).toBe(false);
  });

  it("resize changes the terminal size the running command sees", async () => {
    await start();
    const answer = pending("command/exec", {
      command: ["sh", "-c", "stty size; read line; stty size"],
      processId: "r1",
      tty: true,
      size: { rows: 20, cols: 70 },
      ...FULL,
    });
    await output("r1", /20 70\r\n/);
    expect((await c.request("command/exec/resize", { processId: "r1", size: { rows: 50, cols: 120 } })).result).toEqual({});
    await c.call("command/exec/write", { processId: "r1", deltaBase64: b64("\n") });
    expect((await answer).result).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    expect(deltaText(c.seen, "r1")).toMatch(/20 70\r\n.*50 120\r\n$/s);
  });

  it("a terminal takes input (echoed, as a terminal does) and closeStdin ends it with end-of-file", async () => {
    await start();
    const answer = pending("command/exec", { command: ["cat"], processId: "c1", tty: true, ...FULL });
    await c.call("command/exec/write", { processId: "c1", deltaBase64: b64("hello\n") });
    await output("c1", /hello\r\nhello\r\n/);
    expect((await c.request("command/exec/write", { processId: "c1", closeStdin: true })).result).toEqual({});
    expect((await answer).result).toEqual({ exitCode: 0, stdout: "", stderr: "" });
  });

  it("the output cap applies to a terminal's stream; the last chunk says capReached", async () => {
    await start();
    const answer = await c.request("command/exec", {
      command: ["sh", "-c", "head -c 5000 /dev/zero | tr '\\0' a"],
      processId: "cap",
      tty: true,
      outputBytesCap: 10,
      ...FULL,
    });
    expect(answer.result.exitCode).toBe(0);
    expect(deltaText(c.seen, "cap")).toBe("aaaaaaaaaa");
    const deltas = c.seen.filter((m) => m.method === "command/exec/outputDelta" && m.params.processId === "cap");
    expect(deltas.at(-1)!.params.capReached).toBe(true);
  });
});

describe("command/exec with streamStdin", () => {
  it("streams stdin into a pipe: cat echoes each write, closeStdin ends it, a later write finds no process", async () => {
    await start();
    const answer = pending("command/exec", { command: ["cat"], processId: "s1", streamStdin: true, streamStdoutStderr: true, ...FULL });
    // Written before the process may have started: the write waits for it.
    await c.call("command/exec/write", { processId: "s1", deltaBase64: b64("first\n") });
    await output("s1", /^first\n$/);
    await c.call("command/exec/write", { processId: "s1", deltaBase64: b64("second\n"), closeStdin: true });
    expect((await answer).result).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    expect(deltaText(c.seen, "s1")).toBe("first\nsecond\n");
    const late = await c.request("command/exec/write", { processId: "s1", deltaBase64: b64("x") });
    expect(late.error).toEqual({ code: -32600, message: 'no active command/exec for process id "s1"' });
  });

  it("without streamed output the answer carries what the command printed; stdin closed once cannot be written", async () => {
    await start();
    const answer = pending("command/exec", { command: ["sh", "-c", "cat; read never || echo eof"], processId: "s2", streamStdin: true, ...FULL });
    await c.call("command/exec/write", { processId: "s2", deltaBase64: b64("abc"), closeStdin: true });
    const again = await c.request("command/exec/write", { processId: "s2", deltaBase64: b64("more") });
    // The command may already have exited (then it has no entry any more); either way nothing is written.
    expect(["stdin is already closed", 'no active command/exec for process id "s2"']).toContain(again.error?.message);
    expect((await answer).result).toEqual({ exitCode: 0, stdout: "abceof\n", stderr: "" });
  });
});

describe("command/exec/terminate", () => {
  for (const mode of ["pipe", "tty"] as const) {
    it(`kills a running ${mode} command at once: the answer is {}, the process is gone, the command answers ${mode === "pipe" ? 137 : 1}`, async () => {
      await start();
      const answer = pending("command/exec", {
        command: ["sh", "-c", "echo pid:$$; exec sleep 300"],
        processId: "k",
        disableTimeout: true,
        ...(mode === "tty" ? { tty: true } : { streamStdoutStderr: true }),
        ...FULL,
      });
      await output("k", /pid:\d+/);
      const pid = Number(/pid:(\d+)/.exec(deltaText(c.seen, "k"))![1]);
      expect((await c.request("command/exec/terminate", { processId: "k" })).result).toEqual({});
      // The reference's codes: SIGKILL for a pipe (128 + 9); its pty layer reports a signalled child as 1.
      expect((await answer).result).toEqual({ exitCode: mode === "pipe" ? 137 : 1, stdout: "", stderr: "" });
      await waitGone(pid);
      const unknown = await c.request("command/exec/terminate", { processId: "k" });
      expect(unknown.error).toEqual({ code: -32600, message: 'no active command/exec for process id "k"' });
    });
  }
});

describe("closing the connection", () => {
  it("kills every command of the connection: tty, streamed stdin and buffered", async () => {
    await start();
    const marker = (n: string) => path.join(t.home, `pid-${n}`);
    const script = (n: string) => `echo $$ > ${marker(n)}.tmp && mv ${marker(n)}.tmp ${marker(n)}; echo started; exec sleep 300`;
    void pending("command/exec", { command: ["sh", "-c", script("a")], processId: "a", tty: true, disableTimeout: true, ...FULL });
    void pending("command/exec", { command: ["sh", "-c", script("b")], processId: "b", streamStdin: true, streamStdoutStderr: true, disableTimeout: true, ...FULL });
    void pending("command/exec", { command: ["sh", "-c", script("c")], disableTimeout: true, ...FULL });
    await output("a", /started/);
    await output("b", /started/);
    // The buffered one shows nothing until it ends: its marker file says it runs.
    await waitUntil(() => fs.existsSync(marker("c")), { what: "the buffered command's marker" });
    const pids = ["a", "b", "c"].map((n) => Number(fs.readFileSync(marker(n), "utf8")));
    expect(pids.every(processAlive)).toBe(true);
    await c.close();
    for (const pid of pids) await waitGone(pid);
  });
});

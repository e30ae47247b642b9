import { existsSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { spawnAppServer, type AppServerClient, type Message } from "../support/app-server-client.js";
import { makeTestEnv, type TestEnv } from "../support/codex-env.js";
import { REFERENCE_BIN } from "../support/app-server-schema.js";
import { methodsSchemaProblems } from "./app-server-methods-client.js";
import { deltaText } from "./app-server-command-exec-support.js";

// One scripted command/exec conversation (sessions, their errors, exit codes, terminal output), played against
// our server and against the reference 0.169 app-server: the answers and the streamed text must be the same.
// Full access only: the reference's own sandbox helper is not installed here.

let t: TestEnv;
/** Ours first: only what our server wrote is checked against the schemas (the reference has notifications ours lacks). */
const clients: AppServerClient[] = [];
beforeEach(() => {
  t = makeTestEnv();
});
afterEach(async () => {
  const problems = clients[0] ? methodsSchemaProblems(clients[0]) : [];
  for (const c of clients.splice(0)) await c.close();
  t.cleanup();
  expect(problems).toEqual([]);
});

const FULL = { sandboxPolicy: { type: "dangerFullAccess" } };
const b64 = (s: string) => Buffer.from(s).toString("base64");

/** What a client sees of the conversation, with nothing that legitimately differs (ids, timestamps). */
async function conversation(c: AppServerClient): Promise<Record<string, unknown>> {
  const seen: Record<string, unknown> = {};
  const answer = (m: Message) => (m.error ? { error: m.error } : { result: m.result });
  const ask = async (label: string, method: string, params: unknown) => (seen[label] = answer(await c.request(method, params)));
  const output = (processId: string, match: RegExp) => c.waitFor(() => match.test(deltaText(c.seen, processId)), { what: `output of ${processId}` });

  // Refused requests.
  await ask("tty without processId", "command/exec", { command: ["tty"], tty: true, ...FULL });
  await ask("stdin without processId", "command/exec", { command: ["cat"], streamStdin: true, ...FULL });
  await ask("size without tty", "command/exec", { command: ["true"], processId: "x", size: { rows: 5, cols: 5 }, ...FULL });
  await ask("size zero", "command/exec", { command: ["true"], processId: "x", tty: true, size: { rows: 0, cols: 5 }, ...FULL });
  await ask("both timeouts", "command/exec", { command: ["true"], disableTimeout: true, timeoutMs: 5, ...FULL });
  await ask("both caps", "command/exec", { command: ["true"], disableOutputCap: true, outputBytesCap: 5, ...FULL });
  await ask("write nothing", "command/exec/write", { processId: "nope" });
  await ask("write unknown", "command/exec/write", { processId: "nope", deltaBase64: b64("x") });
  await ask("resize unknown", "command/exec/resize", { processId: "nope", size: { rows: 5, cols: 5 } });
  await ask("terminate unknown", "command/exec/terminate", { processId: "nope" });

  // A terminal: its device, the asked size, stderr merged into stdout.
  await ask("tty", "command/exec", { command: ["sh", "-c", "tty >/dev/null && echo is-a-tty; stty size; echo err >&2; exit 7"], processId: "t", tty: true, size: { rows: 33, cols: 101 }, ...FULL });
  seen["tty output"] = deltaText(c.seen, "t");
  await ask("tty default size", "command/exec", { command: ["stty", "size"], processId: "t0", tty: true, ...FULL });
  seen["tty default size output"] = deltaText(c.seen, "t0");
  await ask("tty cap", "command/exec", { command: ["sh", "-c", "head -c 300 /dev/zero | tr '\\0' a"], processId: "tc", tty: true, outputBytesCap: 10, ...FULL });
  // How the bytes are split into chunks is up to the pipes: the text, and the flag on the last chunk, are not.
  const capped = c.seen.filter((m) => m.method === "command/exec/outputDelta" && m.params.processId === "tc");
  seen["tty cap output"] = { text: deltaText(c.seen, "tc"), last: capped.at(-1)?.params.capReached, flags: capped.slice(0, -1).some((m) => m.params.capReached) };
  await ask("tty timeout", "command/exec", { command: ["sleep", "30"], processId: "tt", tty: true, timeoutMs: 300, ...FULL });

  // Resize while it runs, and its errors.
  const resized = c.request("command/exec", { command: ["sh", "-c", "stty size; read l; stty size"], processId: "r", tty: true, ...FULL });
  await output("r", /24 80\r\n/);
  await ask("resize zero", "command/exec/resize", { processId: "r", size: { rows: 0, cols: 0 } });
  await ask("resize", "command/exec/resize", { processId: "r", size: { rows: 50, cols: 120 } });
  await ask("write to tty", "command/exec/write", { processId: "r", deltaBase64: b64("go\n") });
  seen["resized"] = answer(await resized);
  seen["resized output"] = deltaText(c.seen, "r");

  // Streamed stdin into a pipe, buffered output.
  const fed = c.request("command/exec", { command: ["sh", "-c", "cat; sleep 0.5; echo end"], processId: "p", streamStdin: true, ...FULL });
  await ask("duplicate", "command/exec", { command: ["true"], processId: "p", ...FULL });
  await ask("resize a pipe", "command/exec/resize", { processId: "p", size: { rows: 5, cols: 5 } });
  await ask("bad base64", "command/exec/write", { processId: "p", deltaBase64: "ab!cd" });
  await ask("empty write", "command/exec/write", { processId: "p", deltaBase64: "" });
  await ask("write and close", "command/exec/write", { processId: "p", deltaBase64: b64("one\n"), closeStdin: true });
  await ask("write after close", "command/exec/write", { processId: "p", deltaBase64: b64("two\n") });
  await ask("close again", "command/exec/write", { processId: "p", closeStdin: true });
  seen["fed"] = answer(await fed);

  // No stdin streaming, then terminate: pipe and terminal.
  const plain = c.request("command/exec", { command: ["sleep", "30"], processId: "k", ...FULL });
  await ask("write without streamStdin", "command/exec/write", { processId: "k", deltaBase64: b64("x") });
  await ask("terminate pipe", "command/exec/terminate", { processId: "k" });
  seen["terminated pipe"] = answer(await plain);
  const term = c.request("command/exec", { command: ["sh", "-c", "echo up; exec sleep 30"], processId: "kt", tty: true, ...FULL });
  await output("kt", /up/);
  await ask("terminate tty", "command/exec/terminate", { processId: "kt" });
  seen["terminated tty"] = answer(await term);
  await ask("self-signalled pipe", "command/exec", { command: ["sh", "-c", "kill -TERM $$"], processId: "sp", ...FULL });
  await ask("self-killed tty", "command/exec", { command: ["sh", "-c", "kill -KILL $$"], processId: "st", tty: true, ...FULL });
  return seen;
}

describe("command/exec sessions against the reference", () => {
  it.skipIf(!existsSync(REFERENCE_BIN))("answer exactly as the reference app-server 0.169 does", async () => {
    const start = async (bin?: string) => {
      const c = spawnAppServer({ env: t.env, cwd: t.repo, ...(bin ? { bin } : {}) });
      clients.push(c);
      const init = await c.initialize({ experimentalApi: true });
      if (!init.result) throw new Error(`initialize failed: ${JSON.stringify(init)}\n${c.stderr()}`);
      return c;
    };
    const ours = await conversation(await start());
    const reference = await conversation(await start(REFERENCE_BIN));
    if (process.env.SHOW_REF) console.log(JSON.stringify(reference, null, 1));
    expect(ours).toEqual(reference);
    // And the conversation says something: a sample of what both answered.
    expect(reference["tty output"]).toBe("is-a-tty\r\n33 101\r\nerr\r\n");
    expect(reference["tty cap output"]).toEqual({ text: "aaaaaaaaaa", last: true, flags: false });
    expect(reference["resized output"]).toMatch(/24 80\r\n.*50 120\r\n$/s);
    expect(reference["fed"]).toEqual({ result: { exitCode: 0, stdout: "one\nend\n", stderr: "" } });
  }, 60_000);
});

// command/exec keeps one exec runner for the server: the sandbox's bwrap probe runs once, however many
// sandboxed commands (buffered, streamed, terminal) the clients run. Each request used to make its own runner,
// so every sandboxed command/exec ran the probe (a bwrap of its own) first.
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTestEnv, type TestEnv } from "../support/codex-env.js";
import { requireBwrap } from "../sandbox/support.js";
import { startAppServer, type AppServerClient } from "./app-server-methods-client.js";
import { deltaText } from "./app-server-command-exec-support.js";

let t: TestEnv;
let c: AppServerClient | undefined;
let probeLog: string;
let callLog: string;

beforeEach(async () => {
  const realBwrap = await requireBwrap();
  t = makeTestEnv();
  // A bwrap first on PATH that notes each start (the probe runs `true`, a command here never does) and
  // hands over to the real one.
  const bin = path.join(t.home, "bin");
  fs.mkdirSync(bin);
  probeLog = path.join(t.home, "probes.log");
  callLog = path.join(t.home, "calls.log");
  const wrapper = [
    "#!/bin/sh",
    `echo x >> '${callLog}'`,
    'for last; do :; done',
    `[ "$last" = true ] && echo probe >> '${probeLog}'`,
    `exec '${realBwrap}' "$@"`,
  ].join("\n");
  fs.writeFileSync(path.join(bin, "bwrap"), `${wrapper}\n`, { mode: 0o755 });
  t.env.PATH = `${bin}:${t.env.PATH}`;
});
afterEach(async () => {
  await c?.close();
  c = undefined;
  t.cleanup();
});

const lines = (file: string): number => (fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n").filter(Boolean).length : 0);
const READ_ONLY = { type: "readOnly", networkAccess: false };

describe("command/exec: one runner per server", () => {
  it("four sandboxed commands (buffered, named, streamed stdin, tty) probe bwrap once", async () => {
    c = await startAppServer({ env: t.env, cwd: t.repo });
    const a = await c.request("command/exec", { command: ["echo", "one"], sandboxPolicy: READ_ONLY });
    expect(a).toMatchObject({ result: { exitCode: 0, stdout: "one\n" } });
    const b = await c.request("command/exec", { command: ["echo", "two"], processId: "b", sandboxPolicy: READ_ONLY });
    expect(b.result).toMatchObject({ exitCode: 0, stdout: "two\n" });
    const fed = c.request("command/exec", { command: ["cat"], processId: "fed", streamStdin: true, sandboxPolicy: READ_ONLY });
    await c.call("command/exec/write", { processId: "fed", deltaBase64: Buffer.from("three\n").toString("base64"), closeStdin: true });
    expect((await fed).result).toMatchObject({ exitCode: 0, stdout: "three\n" });
    const tty = await c.request("command/exec", { command: ["echo", "four"], processId: "tty", tty: true, sandboxPolicy: READ_ONLY });
    expect(tty.result.exitCode).toBe(0);
    expect(deltaText(c.seen, "tty")).toContain("four");
    // The wrapper ran for the probe and for each command, and the probe was one of those runs, once.
    expect(lines(callLog)).toBe(5);
    expect(lines(probeLog)).toBe(1);
  });
});

// What a plain `exec --json` turn loads and builds on its way: the start-up budget in docs/benchmarks.md
// depends on it. Not timed: a preload records what the process touched and which Node modules it loaded.
import { spawn } from "node:child_process";
import { lstatSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, test } from "vitest";
import { CODEX_BIN, parseJsonl, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, functionCall, textMessage } from "../support/sse.js";

let server: FakeServer;
let t: TestEnv;

useFakeServerEnv((s, e) => ((server = s), (t = e)));

const PRELOAD = `
import { writeFileSync } from "node:fs";
const seen = { fetch: false, dateTimeFormat: false };
const desc = Object.getOwnPropertyDescriptor(globalThis, "fetch");
Object.defineProperty(globalThis, "fetch", {
  configurable: true,
  get() { seen.fetch = true; return desc.get ? desc.get.call(globalThis) : desc.value; },
  set(v) { Object.defineProperty(globalThis, "fetch", { value: v, configurable: true, writable: true }); },
});
const DTF = Intl.DateTimeFormat;
Intl.DateTimeFormat = new Proxy(DTF, {
  apply(target, self, args) { seen.dateTimeFormat = true; return Reflect.apply(target, self, args); },
  construct(target, args, nt) { seen.dateTimeFormat = true; return Reflect.construct(target, args, nt); },
});
process.on("exit", () => writeFileSync(process.env.CODEX_PROBE_OUT, JSON.stringify({ ...seen, modules: process.moduleLoadList })));
`;

interface Probe {
  fetch: boolean;
  dateTimeFormat: boolean;
  modules: string[];
}

async function probedTurn(): Promise<{ probe: Probe; events: ReturnType<typeof parseJsonl> }> {
  const preload = path.join(t.home, "probe.mjs");
  const out = path.join(t.home, "probe.json");
  writeFileSync(preload, PRELOAD);
  const env = { ...t.env, CODEX_PROBE_OUT: out };
  delete (env as Record<string, string | undefined>).TZ;
  const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", pathToFileURL(preload).href, CODEX_BIN, "exec", "--json", "-"], {
      cwd: t.repo,
      env,
      stdio: ["pipe", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.on("error", reject);
    child.on("close", (c) => resolve({ code: c, stdout }));
    child.stdin.end("go");
  });
  expect(code).toBe(0);
  return { probe: JSON.parse(readFileSync(out, "utf8")) as Probe, events: parseJsonl(stdout) };
}

describe("the plain exec path stays lean", () => {
  test("a turn with a tool call over http uses neither undici's fetch, web streams, nor TLS", async () => {
    server.enqueue(
      sse(created("r1"), functionCall("c1", "exec_command", { cmd: "echo hi" }), completed("r1")),
      sse(created("r2"), textMessage("done"), completed("r2")),
    );
    const { probe, events } = await probedTurn();
    expect(events.at(-1).type).toBe("turn.completed");
    expect(server.requests).toHaveLength(2);
    // The follow-up request asks to keep the connection for reuse.
    expect(server.requests[1]!.headers.connection).toBe("keep-alive");
    expect(probe.fetch).toBe(false);
    const loaded = (name: string) => probe.modules.includes(`NativeModule ${name}`);
    expect(loaded("internal/deps/undici/undici")).toBe(false);
    expect(loaded("internal/webstreams/readablestream")).toBe(false);
    expect(loaded("tls")).toBe(false);
    expect(loaded("http")).toBe(true);
  });

  test.skipIf(!lstatSync("/etc/localtime", { throwIfNoEntry: false })?.isSymbolicLink())(
    "the time zone comes from the /etc/localtime link, not from building an Intl.DateTimeFormat",
    async () => {
      server.enqueue(sse(created("r1"), textMessage("ok"), completed("r1")));
      const { probe } = await probedTurn();
      expect(probe.dateTimeFormat).toBe(false);
      const zone = /zoneinfo\/(.+)$/.exec(readlinkSync("/etc/localtime"))?.[1];
      expect(zone).toBeTruthy();
      expect(server.requests[0]!.inputText()).toContain(`<timezone>${zone}</timezone>`);
    },
  );
});

import os from "node:os";
import { describe, expect, test } from "vitest";
import * as realCore from "../core/index.js";
import type { TrustQuestion } from "../core/startup.js";
import { runTui } from "./run-tui.js";
import { fakeTtyStreams, stripAnsi } from "./testing-harness.js";
import type { TuiArgs, TuiCore, TuiIo, TuiStartup } from "./tui-args.js";

// The first frame does not wait for core: runTui draws the composer (or the trust prompt, when one is due)
// with core/startup alone, and only then loads core.

const ARGS: TuiArgs = {
  configOverrides: [],
  enable: [],
  disable: [],
  fullAuto: false,
  dangerouslyBypass: false,
  addDirs: [],
  images: [],
  oss: false,
  strictConfig: false,
  ignoreUserConfig: false,
};

function fakeTerminal() {
  const { writes, stdout, stdin, type } = fakeTtyStreams({ columns: 100, rows: 30 });
  const stderr: string[] = [];
  const io: TuiIo = {
    stdin: stdin as unknown as NodeJS.ReadStream,
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: { write: (t: string) => (stderr.push(t), true) } as unknown as NodeJS.WritableStream,
    env: { NO_COLOR: "1", TERM: "xterm-256color" },
    // A folder that exists (the session checks it), empty: nothing in it is read.
    cwd: os.tmpdir(),
    version: "0.0.0-test",
    helperBinDirs: [],
  };
  return {
    io,
    output: () => stripAnsi(writes.join("")),
    stderr: () => stderr.join(""),
    type,
    async waitFor(text: string, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!this.output().includes(text)) {
        if (Date.now() > deadline) throw new Error(`no "${text}" on screen; got:\n${this.output().slice(-800)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}

function fakeStartup(question: TrustQuestion | null) {
  const answers: string[] = [];
  const startup: TuiStartup = {
    startupTrustQuestion: async () => ({ codexHome: "/nowhere/.codex", question }),
    acceptProjectTrust: async (o) => void answers.push(`trust ${o.root} in ${o.codexHome}`),
    declineProjectTrust: async (o) => void answers.push(`decline ${o.root} in ${o.codexHome}`),
    resolveCodexHome: () => "/nowhere/.codex",
  };
  return { startup, answers };
}

/** A core loader that says when it was called and settles only when the test says so. */
function pendingCore() {
  let calls = 0;
  let settle!: { resolve(core: TuiCore): void; reject(err: Error): void };
  const loaded = new Promise<TuiCore>((resolve, reject) => (settle = { resolve, reject }));
  return {
    load: () => {
      calls++;
      return loaded;
    },
    calls: () => calls,
    ...{ resolve: (c: TuiCore) => settle.resolve(c), reject: (e: Error) => settle.reject(e) },
  };
}

describe("runTui's first frame", () => {
  test("shows the composer while core has not loaded; core is loaded after that frame; a core that fails takes the frame away", async () => {
    const term = fakeTerminal();
    const { startup } = fakeStartup(null);
    const core = pendingCore();
    let screenAtLoad = "";
    const loader = () => ((screenAtLoad = term.output()), core.load());
    const done = runTui(ARGS, term.io, { core: loader, startup });
    await term.waitFor("Ask Codex to do anything");
    await new Promise((r) => setImmediate(r));
    expect(core.calls()).toBe(1);
    expect(screenAtLoad).toContain("Ask Codex to do anything");
    core.reject(new Error("core did not load"));
    expect(await done).toBe(1);
    expect(term.stderr()).toContain("Error: core did not load");
  });

  test("when the trust question is due, it is the first frame (no composer before it) and core waits for the answer", async () => {
    const term = fakeTerminal();
    const { startup, answers } = fakeStartup({ root: "/nowhere/repo", reason: "new", changes: null });
    const core = pendingCore();
    const done = runTui(ARGS, term.io, { core: core.load, startup });
    await term.waitFor("Folder access");
    expect(term.output()).not.toContain("Ask Codex to do anything");
    expect(core.calls()).toBe(0);
    term.type("2");
    await term.waitFor("Ask Codex to do anything");
    expect(answers).toEqual(["decline /nowhere/repo in /nowhere/.codex"]);
    const beforeComposer = term.output().slice(0, term.output().indexOf("Ask Codex to do anything"));
    expect(beforeComposer).toContain("Folder access");
    core.reject(new Error("stop here"));
    expect(await done).toBe(1);
  });

  test("keys typed before core is there are held, then reach the composer in order", async () => {
    const term = fakeTerminal();
    const { startup } = fakeStartup(null);
    const core = pendingCore();
    void runTui(ARGS, term.io, { core: core.load, startup });
    await term.waitFor("Ask Codex to do anything");
    term.type("he");
    term.type("llo");
    await new Promise((r) => setTimeout(r, 50));
    expect(term.output()).not.toContain("hello");
    // Core arrives (its session never opens in this test: the prompt is not sent anywhere).
    core.resolve({ ...realCore, loadConfig: () => new Promise<never>(() => {}) } as TuiCore);
    await term.waitFor("› hello");
  });
});

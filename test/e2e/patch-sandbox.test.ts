// apply_patch obeys the sandbox, through the built `codex exec` binary: a scripted model plants a link with a
// shell command, then sends a patch through it. Each case first shows the write lands outside without the
// sandbox (danger-full-access), then that under workspace-write the outside file is untouched.
import { spawnSync } from "node:child_process";
import { existsSync, linkSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { parseJsonl, runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, customToolCall, functionCall, textMessage } from "../support/sse.js";

let server: FakeServer;
let t: TestEnv;
let outside: string;

beforeAll(() => {
  const probe = spawnSync("bwrap", ["--version"]);
  if (probe.status !== 0) throw new Error("bubblewrap (bwrap) is required for these tests: apt-get install bubblewrap");
});
useFakeServerEnv((s, e) => ((server = s), (t = e)));
// Not under /tmp: /tmp and $TMPDIR are writable roots of workspace-write.
beforeEach(() => {
  outside = mkdtempSync(path.join(os.homedir(), ".codex-patch-escape-"));
});
afterEach(() => rmSync(outside, { recursive: true, force: true }));

/** One exec: the model runs `setup` through exec_command, then sends `patch`, then says done. */
async function plantThenPatch(setup: string, patch: string, sandbox: string) {
  server.enqueue(
    sse(created("r1"), functionCall("c1", "exec_command", { cmd: setup, login: false }), completed("r1")),
    sse(created("r2"), customToolCall("p1", "apply_patch", patch), completed("r2")),
    sse(created("r3"), textMessage("done"), completed("r3")),
  );
  const r = await runCodex(["exec", "--json", "-s", sandbox, "go"], { env: t.env, cwd: t.repo });
  expect(r.code, r.stderr).toBe(0);
  const events = parseJsonl(r.stdout);
  const shell = events.find((e) => e.type === "item.completed" && e.item.type === "command_execution")?.item;
  const patchOutput = server.requests.at(-1)!.functionCallOutput("p1")?.output as string;
  return { events, shell, patchOutput };
}

const patchOf = (...lines: string[]) => ["*** Begin Patch", ...lines, "*** End Patch"].join("\n");
/** The model-facing text for a patch the sandbox (or its real-path pre-check) refused. */
const REFUSED = /Failed to write file|rejected by user approval settings/;

interface Case {
  name: string;
  setup: () => string;
  patch: string;
  /** The outside file and what it held before (null: absent). */
  victim: () => { file: string; before: string | null };
  /** Undo what the unsandboxed run did, so the sandboxed run starts from the same state. */
  reset: () => void;
}

const cases: Case[] = [
  {
    name: "a symlinked dir",
    setup: () => `ln -s ${outside} h`,
    patch: patchOf("*** Add File: h/x.txt", "+pwned"),
    victim: () => ({ file: path.join(outside, "x.txt"), before: null }),
    reset: () => rmSync(path.join(t.repo, "h")),
  },
  {
    name: "a symlinked file",
    setup: () => {
      writeFileSync(path.join(outside, "f.txt"), "original\n");
      return `ln -s ${outside}/f.txt link`;
    },
    patch: patchOf("*** Update File: link", "@@", "-original", "+pwned"),
    victim: () => ({ file: path.join(outside, "f.txt"), before: "original\n" }),
    reset: () => rmSync(path.join(t.repo, "link")),
  },
  {
    name: ".. through a link",
    setup: () => `mkdir -p ${outside}/sub && ln -s ${outside} h`,
    patch: patchOf("*** Add File: h/sub/../y.txt", "+pwned"),
    victim: () => ({ file: path.join(outside, "y.txt"), before: null }),
    reset: () => rmSync(path.join(t.repo, "h")),
  },
  {
    name: "a move target through a link",
    setup: () => {
      writeFileSync(path.join(t.repo, "a.txt"), "a\n");
      return `ln -s ${outside} h`;
    },
    patch: patchOf("*** Update File: a.txt", "*** Move to: h/a.txt", "@@", "-a", "+pwned"),
    victim: () => ({ file: path.join(outside, "a.txt"), before: null }),
    reset: () => rmSync(path.join(t.repo, "h")),
  },
];

describe("patches through links a sandboxed command planted", () => {
  test.each(cases)("$name: lands outside without the sandbox, refused under workspace-write", async (c) => {
    const free = await plantThenPatch(c.setup(), c.patch, "danger-full-access");
    expect(free.shell).toMatchObject({ status: "completed", exit_code: 0 });
    expect(free.patchOutput).toContain("Success. Updated the following files:");
    const { file, before } = c.victim();
    expect(readFileSync(file, "utf8")).toBe("pwned\n");
    if (before === null) rmSync(file);
    else writeFileSync(file, before);
    c.reset();

    // The link itself is allowed: it lives in the workspace.
    const boxed = await plantThenPatch(c.setup(), c.patch, "workspace-write");
    expect(boxed.shell).toMatchObject({ status: "completed", exit_code: 0 });
    expect(boxed.patchOutput).toMatch(REFUSED);
    if (before === null) expect(existsSync(file)).toBe(false);
    else expect(readFileSync(file, "utf8")).toBe(before);
    const change = boxed.events.find((e) => e.item?.type === "file_change");
    expect(change?.item.status ?? "failed").not.toBe("completed");
  });

  test("a hard link: the sandboxed command cannot make one; an existing one is replaced, never written through", async () => {
    const victim = path.join(outside, "hard.txt");
    writeFileSync(victim, "original\n");
    const inode = statSync(victim).ino;
    const patch = patchOf("*** Update File: hl", "@@", "-original", "+changed");
    // Without the sandbox the model's `ln` works; the patch then replaces `hl` (temp file + rename).
    const free = await plantThenPatch(`ln ${victim} hl`, patch, "danger-full-access");
    expect(free.shell).toMatchObject({ exit_code: 0 });
    expect(readFileSync(path.join(t.repo, "hl"), "utf8")).toBe("changed\n");
    expect(readFileSync(victim, "utf8")).toBe("original\n");
    rmSync(path.join(t.repo, "hl"));

    const boxed = await plantThenPatch(`ln ${victim} hl`, patch, "workspace-write");
    expect(boxed.shell.status).toBe("failed");
    expect(existsSync(path.join(t.repo, "hl"))).toBe(false);

    linkSync(victim, path.join(t.repo, "hl")); // a hard link that was already there
    const existing = await plantThenPatch("true", patch, "workspace-write");
    expect(existing.patchOutput).toContain("M hl");
    expect(readFileSync(path.join(t.repo, "hl"), "utf8")).toBe("changed\n");
    expect(readFileSync(victim, "utf8")).toBe("original\n");
    expect(statSync(victim).ino).toBe(inode);
  });

  test("an intercepted shell apply_patch with an outside workdir does not make that folder writable", async () => {
    const script = `apply_patch <<'EOF'\n${patchOf("*** Add File: x.txt", "+pwned")}\nEOF`;
    const run = async (sandbox: string) => {
      server.enqueue(
        sse(created("r1"), functionCall("c1", "exec_command", { cmd: script, workdir: outside }), completed("r1")),
        sse(created("r2"), textMessage("done"), completed("r2")),
      );
      const r = await runCodex(["exec", "--json", "-s", sandbox, "go"], { env: t.env, cwd: t.repo });
      expect(r.code).toBe(0);
      return server.requests.at(-1)!.functionCallOutput("c1")?.output as string;
    };
    const freeOut = await run("danger-full-access");
    expect(freeOut).toContain("A x.txt");
    expect(readFileSync(path.join(outside, "x.txt"), "utf8")).toBe("pwned\n");
    rmSync(path.join(outside, "x.txt"));
    expect(await run("workspace-write")).toMatch(REFUSED);
    expect(existsSync(path.join(outside, "x.txt"))).toBe(false);
  });

  test("a patch inside the workspace still applies under workspace-write", async () => {
    writeFileSync(path.join(t.repo, "a.txt"), "one\n");
    const r = await plantThenPatch("mkdir -p real", patchOf("*** Update File: a.txt", "@@", "-one", "+ONE", "*** Add File: real/b.txt", "+b"), "workspace-write");
    expect(r.patchOutput).toContain("Success. Updated the following files:\nA real/b.txt\nM a.txt");
    expect(readFileSync(path.join(t.repo, "a.txt"), "utf8")).toBe("ONE\n");
    expect(readFileSync(path.join(t.repo, "real/b.txt"), "utf8")).toBe("b\n");
    const change = r.events.find((e) => e.type === "item.completed" && e.item.type === "file_change");
    expect(change.item.status).toBe("completed");
  });
});

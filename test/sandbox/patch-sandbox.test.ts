// apply_patch obeys the sandbox: links planted in the workspace, hard links, move targets and a link swapped in
// between planning and commit cannot make a patch write where a sandboxed command could not (real bwrap).
import * as fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ExecRunner } from "../../src/core/exec/contract.js";
import { createApprovalGate } from "../../src/core/approval/gate.js";
import { nodePatchFs, type PatchFs } from "../../src/core/apply-patch/index.js";
import { runApplyPatch } from "../../src/core/tools/handlers/apply-patch.js";
import type { ToolContext } from "../../src/core/tools/contract.js";
import type { EventMsg } from "../../src/protocol/events.js";
import type { AskForApproval, ReviewDecision, SandboxPolicy } from "../../src/protocol/policy.js";
import { buildPatchEngineBin } from "../apply-patch/engine-bin.js";
import { makeRunner, makeWorkspace, requireBwrap, type Workspace } from "./support.js";

let w: Workspace;
let runner: ExecRunner;
let engineBin: string;
const FULL: SandboxPolicy = { mode: "danger-full-access" };

beforeAll(async () => {
  await requireBwrap();
  runner = makeRunner();
  engineBin = await buildPatchEngineBin();
});
afterAll(() => fs.rmSync(engineBin, { recursive: true, force: true }));
beforeEach(() => {
  w = makeWorkspace();
});
afterEach(() => w.cleanup());

function context(o: { sandbox: SandboxPolicy; policy?: AskForApproval; decision?: ReviewDecision; exec?: ExecRunner }) {
  const events: EventMsg[] = [];
  const asked: unknown[] = [];
  const policy = o.policy ?? "never";
  const ctx: ToolContext = {
    cwd: w.ws,
    callId: "p1",
    sandboxPolicy: o.sandbox,
    approvalPolicy: policy,
    env: { PATH: [engineBin, process.env.PATH ?? "/usr/bin:/bin"].join(path.delimiter), TMPDIR: "/tmp" },
    exec: o.exec ?? runner,
    approval: createApprovalGate({
      policy,
      sandbox: o.sandbox,
      ...(o.decision === undefined
        ? {}
        : {
            ask: async (action) => {
              asked.push(action);
              return o.decision!;
            },
          }),
    }),
    emit: (m) => events.push(m),
    signal: new AbortController().signal,
    spoolDir: w.ws,
  };
  return { ctx, events, asked };
}

const patchOf = (...lines: string[]) => ["*** Begin Patch", ...lines, "*** End Patch"].join("\n");
const read = (p: string) => fs.readFileSync(p, "utf8");

interface Escape {
  name: string;
  /** Plants links in the workspace (as a sandboxed `ln -s` would) and returns the patch. */
  setup: () => string;
  /** The outside file the patch would change, and what it must still hold (null: must not exist). */
  victim: () => { file: string; original: string | null };
}

const escapes: Escape[] = [
  {
    name: "a symlinked dir (Add File: h/x)",
    setup: () => {
      fs.symlinkSync(w.outside, path.join(w.ws, "h"));
      return patchOf("*** Add File: h/x.txt", "+pwned");
    },
    victim: () => ({ file: path.join(w.outside, "x.txt"), original: null }),
  },
  {
    name: "a symlinked file (Update File: link)",
    setup: () => {
      fs.writeFileSync(path.join(w.outside, "f.txt"), "original\n");
      fs.symlinkSync(path.join(w.outside, "f.txt"), path.join(w.ws, "link"));
      return patchOf("*** Update File: link", "@@", "-original", "+pwned");
    },
    victim: () => ({ file: path.join(w.outside, "f.txt"), original: "original\n" }),
  },
  {
    name: ".. through a link (Add File: h/sub/../x)",
    setup: () => {
      fs.mkdirSync(path.join(w.outside, "sub"), { recursive: true });
      fs.symlinkSync(w.outside, path.join(w.ws, "h"));
      return patchOf("*** Add File: h/sub/../y.txt", "+pwned");
    },
    victim: () => ({ file: path.join(w.outside, "y.txt"), original: null }),
  },
  {
    name: "a move target through a link (Move to: h/a.txt)",
    setup: () => {
      fs.writeFileSync(path.join(w.ws, "a.txt"), "a\n");
      fs.symlinkSync(w.outside, path.join(w.ws, "h"));
      return patchOf("*** Update File: a.txt", "*** Move to: h/a.txt", "@@", "-a", "+pwned");
    },
    victim: () => ({ file: path.join(w.outside, "a.txt"), original: null }),
  },
  {
    name: "a dangling link to an outside file (Add File: new)",
    setup: () => {
      fs.symlinkSync(path.join(w.outside, "planted.txt"), path.join(w.ws, "new.txt"));
      return patchOf("*** Update File: new.txt", "@@", "+x");
    },
    victim: () => ({ file: path.join(w.outside, "planted.txt"), original: null }),
  },
];

describe("patches through links planted in the workspace", () => {
  it.each(escapes.slice(0, 4))("$name: written without the sandbox, refused under workspace-write", async (e) => {
    const patch = e.setup();
    const { file, original } = e.victim();
    // Without the sandbox the patch really lands outside the workspace.
    const free = await runApplyPatch(patch, context({ sandbox: FULL }).ctx);
    expect(free.success).toBe(true);
    expect(read(file)).toContain("pwned");
    if (original === null) fs.rmSync(file);
    else fs.writeFileSync(file, original);
    fs.rmSync(path.join(w.ws, "h"), { force: true });
    fs.rmSync(path.join(w.ws, "link"), { force: true });
    fs.rmSync(path.join(w.ws, "a.txt"), { force: true });

    // exec's policy (never): the real-path pre-check refuses before anything runs.
    const patch2 = e.setup();
    const never = context({ sandbox: w.policy() });
    const refused = await runApplyPatch(patch2, never.ctx);
    expect(refused.success).toBe(false);
    expect(refused.content).toMatch(/rejected/);
    // on-failure lets the sandbox judge: the engine runs under the mounts, which refuse the write.
    const judged = await runApplyPatch(patch2, context({ sandbox: w.policy(), policy: "on-failure" }).ctx);
    expect(judged.success).toBe(false);
    expect(judged.content).toMatch(/Failed to write file .*: Read-only file system \(os error 30\)/);
    if (original === null) expect(fs.existsSync(file)).toBe(false);
    else expect(read(file)).toBe(original);
  });

  it("a dangling link: the patch can only fail, nothing is created outside", async () => {
    const e = escapes[4]!;
    const patch = e.setup();
    const out = await runApplyPatch(patch, context({ sandbox: w.policy(), policy: "on-failure" }).ctx);
    expect(out.success).toBe(false);
    expect(fs.existsSync(e.victim().file)).toBe(false);
  });

  it("a person asked sees the real destination and the diff; approving writes exactly that path", async () => {
    const patch = escapes[0]!.setup();
    const { ctx, asked } = context({ sandbox: w.policy(), policy: "on-request", decision: "approved" });
    const out = await runApplyPatch(patch, ctx);
    const real = path.join(w.outside, "x.txt");
    expect(asked).toEqual([
      {
        kind: "patch",
        callId: "p1",
        paths: [real],
        cwd: w.ws,
        changes: [{ path: path.join(w.ws, "h/x.txt"), kind: "add", unifiedDiff: "--- /dev/null\n+++ b/h/x.txt\n@@ -0,0 +1,1 @@\n+pwned\n" }],
      },
    ]);
    expect(out.success).toBe(true);
    expect(read(real)).toBe("pwned\n");
  });
});

describe("a workdir outside the roots (`cd /outside && apply_patch`)", () => {
  it("does not make that folder writable", async () => {
    const patch = patchOf("*** Add File: x.txt", "+pwned");
    const free = await runApplyPatch(patch, context({ sandbox: FULL }).ctx, { workdir: w.outside });
    expect(free.success).toBe(true);
    fs.rmSync(path.join(w.outside, "x.txt"));
    for (const policy of ["never", "on-request", "on-failure"] as const) {
      const out = await runApplyPatch(patch, context({ sandbox: w.policy(), policy, decision: "denied" }).ctx, { workdir: w.outside });
      expect(out.success).toBe(false);
      expect(fs.existsSync(path.join(w.outside, "x.txt"))).toBe(false);
    }
  });
});

describe("links that only go away", () => {
  it("deleting, or moving away, a link that points outside removes the link and leaves its target alone", async () => {
    const victim = path.join(w.outside, "keep.txt");
    fs.writeFileSync(victim, "keep\n");
    fs.symlinkSync(victim, path.join(w.ws, "gone"));
    const del = await runApplyPatch(patchOf("*** Delete File: gone"), context({ sandbox: w.policy() }).ctx);
    expect(del.content).toContain("D gone");
    expect(fs.existsSync(path.join(w.ws, "gone"))).toBe(false);
    expect(read(victim)).toBe("keep\n");
    fs.symlinkSync(victim, path.join(w.ws, "moved"));
    const mv = await runApplyPatch(
      patchOf("*** Update File: moved", "*** Move to: here.txt", "@@", "-keep", "+kept"),
      context({ sandbox: w.policy() }).ctx,
    );
    expect(mv.content).toContain("M here.txt");
    expect(read(path.join(w.ws, "here.txt"))).toBe("kept\n");
    expect(read(victim)).toBe("keep\n");
  });
});

describe("hard links", () => {
  it("a hard link to an outside file: the patch replaces the link, the outside inode is never written", async () => {
    const victim = path.join(w.outside, "hard.txt");
    fs.writeFileSync(victim, "original\n");
    const inode = fs.statSync(victim).ino;
    for (const sandbox of [FULL, w.policy()]) {
      fs.rmSync(path.join(w.ws, "hl"), { force: true });
      fs.linkSync(victim, path.join(w.ws, "hl"));
      const out = await runApplyPatch(patchOf("*** Update File: hl", "@@", "-original", "+changed"), context({ sandbox }).ctx);
      expect(out.success).toBe(true);
      expect(read(path.join(w.ws, "hl"))).toBe("changed\n");
      expect(read(victim)).toBe("original\n");
      expect(fs.statSync(victim).ino).toBe(inode);
      expect(fs.statSync(victim).nlink).toBe(1);
    }
  });
});

describe("a link swapped in between planning and commit", () => {
  /** Replaces ws/d by a link to the outside right before the first write, as a concurrent command could. */
  function swapBeforeWrite(): { fs: PatchFs; exec: ExecRunner; swapped: () => boolean } {
    let done = false;
    const swap = () => {
      if (done) return;
      done = true;
      fs.rmSync(path.join(w.ws, "d"), { recursive: true });
      fs.symlinkSync(w.outside, path.join(w.ws, "d"));
    };
    const real = nodePatchFs();
    const hooked: PatchFs = {
      ...real,
      writeFile: async (...a) => (swap(), real.writeFile(...a)),
      mkdirp: async (p) => (swap(), real.mkdirp(p)),
      rename: async (a, b) => (swap(), real.rename(a, b)),
      unlink: async (p) => (swap(), real.unlink(p)),
    };
    const exec: ExecRunner = { run: async (req, o) => (swap(), runner.run(req, o)) };
    return { fs: hooked, exec, swapped: () => done };
  }

  it("without the sandbox the write follows the new link; under workspace-write the mounts refuse it", async () => {
    const victim = path.join(w.outside, "x.txt");
    const patch = patchOf("*** Add File: d/x.txt", "+pwned");
    fs.mkdirSync(path.join(w.ws, "d"));
    const free = swapBeforeWrite();
    const ok = await runApplyPatch(patch, context({ sandbox: FULL, exec: free.exec }).ctx, { fs: free.fs });
    expect(free.swapped()).toBe(true);
    expect(ok.success).toBe(true);
    expect(read(victim)).toBe("pwned\n");
    fs.rmSync(victim);
    fs.rmSync(path.join(w.ws, "d"));

    fs.mkdirSync(path.join(w.ws, "d"));
    const raced = swapBeforeWrite();
    const { ctx, events } = context({ sandbox: w.policy(), exec: raced.exec });
    const out = await runApplyPatch(patch, ctx, { fs: raced.fs });
    expect(raced.swapped()).toBe(true);
    expect(out.success).toBe(false);
    expect(out.content).toMatch(/Failed to write file .*d\/x\.txt: Read-only file system \(os error 30\)/);
    expect(fs.existsSync(victim)).toBe(false);
    expect(events.map((e) => e.type)).toEqual(["patch_apply_begin", "patch_apply_end"]);
    expect(events[1]).toMatchObject({ success: false, diff: "" });
  });
});

describe("protected folders through an alias", () => {
  it("a link to .codex does not let a patch write the project config", async () => {
    fs.mkdirSync(path.join(w.ws, ".codex"));
    fs.symlinkSync(".codex", path.join(w.ws, "cfg"));
    const patch = patchOf("*** Add File: cfg/config.toml", '+approval_policy = "never"');
    const free = await runApplyPatch(patch, context({ sandbox: FULL }).ctx);
    expect(free.success).toBe(true);
    fs.rmSync(path.join(w.ws, ".codex/config.toml"));

    for (const policy of ["never", "on-failure"] as const) {
      const out = await runApplyPatch(patch, context({ sandbox: w.policy(), policy }).ctx);
      expect(out.success).toBe(false);
      expect(fs.existsSync(path.join(w.ws, ".codex/config.toml"))).toBe(false);
    }
  });

  it.each([".codex", ".git", ".agents"])("Add File: %s/... is refused when the folder does not exist, and nothing is created", async (name) => {
    const patch = patchOf(`*** Add File: ${name}/config.toml`, "+x");
    for (const policy of ["never", "on-failure"] as const) {
      const out = await runApplyPatch(patch, context({ sandbox: w.policy(), policy }).ctx);
      expect(out.success).toBe(false);
      expect(fs.existsSync(path.join(w.ws, name))).toBe(false);
    }
  });
});

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildPatchEngineBin } from "../../../../test/apply-patch/engine-bin.js";
import { makeRunner } from "../../../../test/sandbox/support.js";
import type { EventMsg } from "../../../protocol/events.js";
import type { ReviewDecision, SandboxPolicy } from "../../../protocol/policy.js";
import type { ProposedAction } from "../../approval/contract.js";
import { createApprovalGate } from "../../approval/gate.js";
import { toolSpec, type ToolContext } from "../contract.js";
import { applyPatchFreeformTool, applyPatchFunctionTool, runApplyPatch } from "./apply-patch.js";

const dirs: string[] = [];
let engineBin = "";
beforeAll(async () => {
  engineBin = await buildPatchEngineBin();
});
afterAll(() => fs.rmSync(engineBin, { recursive: true, force: true }));
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function setup(o: { policy?: (cwd: string) => SandboxPolicy; decision?: ReviewDecision } = {}) {
  const cwd = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "ap-tool-")));
  dirs.push(cwd);
  const events: EventMsg[] = [];
  const asked: ProposedAction[] = [];
  const ctx: ToolContext = {
    cwd,
    callId: "call-1",
    sandboxPolicy: o.policy?.(cwd) ?? workspace(cwd),
    approvalPolicy: "on-request",
    // The sandboxed engine is found on PATH, as the runtime's helper bin dir puts it there.
    env: { PATH: [engineBin, process.env.PATH ?? "/usr/bin:/bin"].join(path.delimiter) },
    exec: makeRunner(),
    // The real gate: it asks (records in `asked`) only when the policy says so.
    approval: createApprovalGate({
      policy: "on-request",
      sandbox: o.policy?.(cwd) ?? workspace(cwd),
      ask: async (action) => {
        asked.push(action);
        return o.decision ?? "denied";
      },
    }),
    emit: (m) => events.push(m),
    signal: new AbortController().signal,
    spoolDir: cwd,
  };
  return { cwd, ctx, events, asked };
}

function workspace(root: string): SandboxPolicy {
  return {
    mode: "workspace-write",
    writableRoots: [root],
    networkAccess: false,
    excludeTmpdirEnvVar: true,
    excludeSlashTmp: true,
  };
}

const OUTPUT_RE = /^Exit code: (\d)\nWall time: \d+\.\d seconds\nOutput:\n([\s\S]*)$/;

describe("runApplyPatch", () => {
  it("applies inside the workspace without asking, emits begin/end and exec-style output", async () => {
    const { cwd, ctx, events, asked } = setup();
    const out = await runApplyPatch("*** Begin Patch\n*** Add File: hello.txt\n+hi\n*** End Patch", ctx);
    expect(out.success).toBe(true);
    const m = OUTPUT_RE.exec(out.content as string);
    expect(m?.[1]).toBe("0");
    expect(m?.[2]).toBe("Success. Updated the following files:\nA hello.txt\n");
    expect(fs.readFileSync(path.join(cwd, "hello.txt"), "utf8")).toBe("hi\n");
    expect(asked).toEqual([]);
    const file = path.join(cwd, "hello.txt");
    expect(events).toEqual([
      { type: "patch_apply_begin", callId: "call-1", changes: [{ path: file, kind: "add" }] },
      {
        type: "patch_apply_end",
        callId: "call-1",
        changes: [{ path: file, kind: "add" }],
        success: true,
        diff: "--- /dev/null\n+++ b/hello.txt\n@@ -0,0 +1,1 @@\n+hi\n",
        output: "Success. Updated the following files:\nA hello.txt\n",
      },
    ]);
  });

  it("reports a failed apply with exit code 1 and a failed end event", async () => {
    const { cwd, ctx, events } = setup();
    const out = await runApplyPatch("*** Begin Patch\n*** Update File: nope.txt\n@@\n-a\n+b\n*** End Patch", ctx);
    expect(out.success).toBe(false);
    const m = OUTPUT_RE.exec(out.content as string);
    expect(m?.[1]).toBe("1");
    expect(m?.[2]).toBe(`Failed to read file to update ${cwd}/nope.txt: No such file or directory (os error 2)\n`);
    expect(events.map((e) => e.type)).toEqual(["patch_apply_begin", "patch_apply_end"]);
    expect(events[1]).toMatchObject({ success: false, diff: "" });
  });

  it("returns a parse error without events", async () => {
    const { ctx, events } = setup();
    const out = await runApplyPatch("not a patch", ctx);
    expect(out.success).toBe(false);
    expect(out.content).toContain("Invalid patch: The first line of the patch must be '*** Begin Patch'");
    expect(events).toEqual([]);
  });

  it("asks before writing outside the writable roots; denial writes nothing", async () => {
    const { cwd, ctx, events, asked } = setup({ decision: "denied" });
    const outside = path.join(path.dirname(cwd), `${path.basename(cwd)}-outside.txt`);
    const out = await runApplyPatch(`*** Begin Patch\n*** Add File: ${outside}\n+x\n*** End Patch`, ctx);
    expect(out).toEqual({ content: "patch rejected by user", success: false });
    expect(asked).toEqual([
      {
        kind: "patch",
        callId: "call-1",
        paths: [outside],
        cwd,
        changes: [{ path: outside, kind: "add", unifiedDiff: `--- /dev/null\n+++ ${outside}\n@@ -0,0 +1,1 @@\n+x\n` }],
      },
    ]);
    expect(fs.existsSync(outside)).toBe(false);
    expect(events).toEqual([]);
  });

  it("writes outside the roots once approved", async () => {
    const { cwd, ctx, asked } = setup({ decision: "approved", policy: () => ({ mode: "read-only", networkAccess: false }) });
    const out = await runApplyPatch("*** Begin Patch\n*** Add File: a.txt\n+x\n*** End Patch", ctx);
    expect(out.success).toBe(true);
    expect(asked).toHaveLength(1);
    expect(fs.readFileSync(path.join(cwd, "a.txt"), "utf8")).toBe("x\n");
  });

  it("asks for .git inside a writable root and resolves paths against workdir", async () => {
    const { cwd, ctx, asked } = setup({ decision: "denied" });
    fs.mkdirSync(path.join(cwd, "sub"));
    const out = await runApplyPatch("*** Begin Patch\n*** Add File: ../.git/config\n+x\n*** End Patch", ctx, {
      workdir: "sub",
    });
    expect(out.content).toBe("patch rejected by user");
    // The gate judges against the turn's cwd: a workdir is no writable root of its own.
    expect(asked[0]).toMatchObject({ paths: [path.join(cwd, ".git/config")], cwd });
  });

  it("both tool flavours dispatch to the engine", async () => {
    const { cwd, ctx } = setup();
    await applyPatchFreeformTool.handle("*** Begin Patch\n*** Add File: f.txt\n+f\n*** End Patch", ctx);
    await applyPatchFunctionTool.handle({ input: "*** Begin Patch\n*** Add File: g.txt\n+g\n*** End Patch" }, ctx);
    expect(fs.readFileSync(path.join(cwd, "f.txt"), "utf8")).toBe("f\n");
    expect(fs.readFileSync(path.join(cwd, "g.txt"), "utf8")).toBe("g\n");
    const free = toolSpec(applyPatchFreeformTool);
    expect(free).toMatchObject({ type: "custom", name: "apply_patch", format: { type: "grammar", syntax: "lark" } });
    const fn = toolSpec(applyPatchFunctionTool);
    expect(fn).toMatchObject({ type: "function", name: "apply_patch", parameters: { required: ["input"] } });
  });
});

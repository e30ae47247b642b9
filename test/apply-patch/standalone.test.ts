import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listCorpus, snapshotTree, stageInput } from "./corpus-support.js";

const repo = path.resolve(import.meta.dirname, "../..");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "ap-cli-"));
const wrapper = path.join(work, "apply_patch.mjs");

beforeAll(async () => {
  await build({
    entryPoints: [path.join(repo, "src/cli/apply-patch-main.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    outfile: path.join(work, "ap.mjs"),
    logLevel: "silent",
  });
  fs.writeFileSync(wrapper, 'import { applyPatchMain } from "./ap.mjs";\nawait applyPatchMain(process.argv.slice(2));\n');
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function run(args: string[], o: { cwd: string; stdin?: string }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [wrapper, ...args], { cwd: o.cwd, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(o.stdin ?? "");
  });
}

describe("standalone apply_patch", () => {
  const cases = listCorpus();
  const staged: string[] = [];
  afterAll(() => {
    for (const d of staged) fs.rmSync(d, { recursive: true, force: true });
  });

  // Spawning node per case is slow; the cases are independent, so run them side by side.
  it.concurrent.each(cases.map((c, i) => [c.name, i % 2 === 0 ? "argv" : "stdin", c] as const))(
    "%s (patch via %s)",
    async (_n, via, c) => {
      const cwd = stageInput(c);
      staged.push(cwd);
      const r = via === "argv" ? await run([c.patch], { cwd }) : await run([], { cwd, stdin: c.patch });
      if (c.expectedError !== undefined) {
        expect(r.code).toBe(1);
        expect(r.stdout).toBe("");
        expect(r.stderr).toContain(c.expectedError.replaceAll("<CWD>", cwd));
      } else {
        expect(r.stderr).toBe("");
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(/^Success\. Updated the following files:\n/);
        if (c.expectedOutput !== undefined) expect(r.stdout).toBe(c.expectedOutput);
      }
      expect(snapshotTree(cwd)).toEqual(snapshotTree(path.join(c.dir, "expected")));
    },
  );

  it("prints usage and exits 2 without input", async () => {
    const r = await run([], { cwd: work, stdin: "" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Usage: apply_patch 'PATCH'");
  });

  it("rejects more than one argument with exit 2", async () => {
    const r = await run(["a", "b"], { cwd: work });
    expect(r.code).toBe(2);
  });
});

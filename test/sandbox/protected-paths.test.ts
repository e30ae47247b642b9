// Protected folders (.git, .codex, .agents) stay unwritable in every writable root even when they do not exist
// yet, and the placeholders that make that so leave nothing behind on the host (real bwrap).
import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, lchownSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ExecRunner } from "../../src/core/exec/contract.js";
import { createPlaceholderRegistry } from "../../src/core/sandbox/mount-placeholders.js";
import type { SandboxPolicy } from "../../src/protocol/policy.js";
import { baseEnv, makeRunner, makeWorkspace, requireBwrap, runIn, writeFile, type Workspace } from "./support.js";

let w: Workspace;
let runner: ExecRunner;
const UNSANDBOXED = { mode: "danger-full-access" } as const;
const withRoot = (p: SandboxPolicy, root: string): SandboxPolicy =>
  p.mode === "workspace-write" ? { ...p, writableRoots: [...p.writableRoots, root] } : p;

beforeAll(async () => {
  await requireBwrap();
  runner = makeRunner();
});
beforeEach(() => {
  w = makeWorkspace();
});
afterEach(() => w.cleanup());

const plant = (dir: string) => `mkdir -p ${dir}/rules && echo 'prefix_rule(pattern=["rm"], decision="allow")' > ${dir}/rules/x.rules`;

describe("missing protected folders", () => {
  it.each([".codex", ".git", ".agents"])("%s cannot be created by a sandboxed command, and nothing is left behind", async (name) => {
    const target = path.join(w.ws, name);
    // Without the sandbox the same command plants the folder.
    const free = await runIn(runner, ["bash", "-c", plant(name)], { cwd: w.ws, sandbox: UNSANDBOXED });
    expect(free.exitCode).toBe(0);
    expect(existsSync(path.join(target, "rules/x.rules"))).toBe(true);
    rmSync(target, { recursive: true });

    const r = await runIn(runner, ["bash", "-c", plant(name)], { cwd: w.ws, sandbox: w.policy() });
    expect(r.exitCode).not.toBe(0);
    expect(r.aggregatedOutput).toMatch(/Read-only file system/);
    expect(existsSync(target), `${target} must not exist after the command`).toBe(false);
    expect(readdirSync(w.ws)).toEqual([]);
  });

  it("cannot be created by renaming a folder onto it, nor by a file write, in /tmp as a writable root too", async () => {
    const r = await runIn(
      runner,
      ["bash", "-c", "mkdir d && touch d/x; mv d .codex; echo x > .codex; ls -a"],
      { cwd: w.ws, sandbox: w.policy() },
    );
    expect(r.aggregatedOutput).toMatch(/Device or resource busy|Read-only file system/);
    expect(existsSync(path.join(w.ws, ".codex"))).toBe(false);
    const tmpCase = await runIn(runner, ["bash", "-c", "touch /tmp/.codex/x || echo refused"], { cwd: w.ws, sandbox: w.policy() });
    expect(tmpCase.aggregatedOutput).toContain("refused");
    expect(existsSync("/tmp/.codex/x")).toBe(false);
  });

  it("a nested writable root's protected folders are covered too", async () => {
    const sub = path.join(w.ws, "sub");
    mkdirSync(sub);
    const policy = withRoot(w.policy(), sub);
    const r = await runIn(runner, ["bash", "-c", "mkdir sub/.codex || echo refused"], { cwd: w.ws, sandbox: policy });
    expect(r.aggregatedOutput).toContain("refused");
    expect(readdirSync(sub)).toEqual([]);
  });

  it("stays covered while a second sandbox on the same root outlives the first", async () => {
    const signal = new AbortController().signal;
    const long = runner.run(
      {
        argv: ["bash", "-c", "while [ ! -e go ]; do sleep 0.02; done; mkdir .codex && echo CREATED || echo refused"],
        cwd: w.ws,
        env: baseEnv(),
        sandbox: w.policy(),
        timeoutMs: 20_000,
      },
      { signal },
    );
    // The short one starts and ends while the long one waits; its exit must not unmount the long one's cover.
    const short = await runIn(runner, ["bash", "-c", "mkdir .codex || echo refused"], { cwd: w.ws, sandbox: w.policy() });
    expect(short.aggregatedOutput).toContain("refused");
    writeFile(path.join(w.ws, "go"), "");
    const done = await long;
    expect(done.aggregatedOutput).toContain("refused");
    expect(done.aggregatedOutput).not.toContain("CREATED");
    expect(readdirSync(w.ws)).toEqual(["go"]);
  });

  it("git still finds a parent repository through the placeholder, and `git init` is refused", async () => {
    execFileSync("git", ["init", "-q", w.ws]);
    execFileSync("git", ["-C", w.ws, "-c", "user.email=a@b", "-c", "user.name=a", "commit", "-q", "--allow-empty", "-m", "x"]);
    const sub = path.join(w.ws, "sub");
    mkdirSync(sub);
    const policy = withRoot(w.policy(), sub);
    const status = await runIn(runner, ["git", "status", "--short", "--branch"], { cwd: sub, sandbox: policy });
    expect(status.exitCode).toBe(0);
    expect(status.stdout).toMatch(/^## /);
    const init = await runIn(runner, ["git", "init"], { cwd: sub, sandbox: policy });
    expect(init.exitCode).not.toBe(0);
    expect(init.aggregatedOutput).toMatch(/Read-only file system/);
    expect(readdirSync(sub)).toEqual([]);
  });
});

describe("protected folders that are symlinks", () => {
  it("a sandboxed command does not run at all (the link could be replaced by a real folder)", async () => {
    const elsewhere = path.join(w.outside, "cfg");
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, path.join(w.ws, ".codex"));
    const free = await runIn(runner, ["bash", "-c", "rm .codex && mkdir .codex && echo ran"], { cwd: w.ws, sandbox: UNSANDBOXED });
    expect(free.stdout).toContain("ran");
    rmSync(path.join(w.ws, ".codex"), { recursive: true });
    symlinkSync(elsewhere, path.join(w.ws, ".codex"));

    await expect(runIn(runner, ["bash", "-c", "rm .codex && mkdir .codex && echo ran"], { cwd: w.ws, sandbox: w.policy() })).rejects.toThrow(
      /\.codex is a symbolic link/,
    );
    expect(readdirSync(w.ws)).toEqual([".codex"]);
  });

  /** A sticky folder of user 1000 holding `.codex` -> a folder outside; the link is `linkOwner`'s (null: ours). */
  const plantInStickyFolder = (o: { linkOwner: number | null }) => {
    const shared = path.join(w.ws, "shared");
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    chownSync(shared, 1000, 1000);
    const elsewhere = path.join(w.outside, "cfg");
    mkdirSync(elsewhere);
    const link = path.join(shared, ".codex");
    symlinkSync(elsewhere, link);
    if (o.linkOwner !== null) lchownSync(link, o.linkOwner, o.linkOwner);
    return { shared, elsewhere, link };
  };

  // Another user's link in a sticky directory (someone planted /tmp/.codex): nobody without privileges can swap it,
  // so refusing would only let any local user stop every sandboxed command. Needs root to plant foreign owners.
  it.runIf(process.getuid?.() === 0)("another user's link in a sticky folder does not stop the sandbox, and the sandbox cannot swap it", async () => {
    const { shared, elsewhere, link } = plantInStickyFolder({ linkOwner: 1001 });
    const policy = withRoot(w.policy(), shared);
    const swap = "mv .codex moved || rm .codex || echo kept; mkdir .codex || echo no-folder; echo ok > file; cat file";
    const r = await runIn(runner, ["bash", "-c", swap], { cwd: shared, sandbox: policy });
    expect(r.exitCode).toBe(0);
    expect(r.aggregatedOutput).toMatch(/Operation not permitted/);
    expect(r.stdout).toContain("kept");
    expect(r.stdout).toContain("no-folder");
    expect(r.stdout).toContain("ok");
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readdirSync(elsewhere)).toEqual([]);
    // The same swap unsandboxed (root, with its capabilities) succeeds: the sandbox is what stopped it.
    const free = await runIn(runner, ["bash", "-c", swap], { cwd: shared, sandbox: UNSANDBOXED });
    expect(free.stdout).not.toContain("kept");
    expect(lstatSync(path.join(shared, ".codex")).isDirectory()).toBe(true);
  });

  it.runIf(process.getuid?.() === 0)("a link this user owns in the same sticky folder still refuses", async () => {
    const { shared } = plantInStickyFolder({ linkOwner: null });
    await expect(runIn(runner, ["bash", "-c", "echo ran"], { cwd: shared, sandbox: withRoot(w.policy(), shared) })).rejects.toThrow(
      /\.codex is a symbolic link/,
    );
  });
});

describe("placeholder registry", () => {
  it("removes a placeholder folder only after the last live sandbox, and ignores markers of dead processes", () => {
    const base = mkdtempSync(path.join(w.outside, "reg-"));
    const target = path.join(w.ws, ".codex");
    const alive = new Set([1, 2]);
    const a = createPlaceholderRegistry({ baseDir: base, pid: 1, isAlive: (p) => alive.has(p) });
    const b = createPlaceholderRegistry({ baseDir: base, pid: 2, isAlive: (p) => alive.has(p) });
    const releaseA = a.acquire([target]);
    mkdirSync(target); // what bwrap does for the mount point
    expect(b.isPlaceholder(target)).toBe(true);
    const releaseB = b.acquire([target]);
    releaseA();
    expect(existsSync(target)).toBe(true);
    alive.delete(2); // b died without releasing
    a.acquire([target])();
    expect(existsSync(target)).toBe(false);
    releaseB();
    expect(readdirSync(base)).toEqual([]);
  });

  it("never removes a folder the user made, nor a placeholder someone filled", () => {
    const base = mkdtempSync(path.join(w.outside, "reg-"));
    const mine = path.join(w.ws, ".agents");
    mkdirSync(mine);
    const reg = createPlaceholderRegistry({ baseDir: base });
    expect(reg.isPlaceholder(mine)).toBe(false);
    reg.acquire([mine])();
    expect(existsSync(mine)).toBe(true);
    const filled = path.join(w.ws, ".codex");
    const release = reg.acquire([filled]);
    writeFile(path.join(filled, "kept"), "");
    release();
    expect(existsSync(path.join(filled, "kept"))).toBe(true);
  });

  it("a sandbox judges the paths and registers under one hold of the lock: a leaving one cannot remove a folder in between", () => {
    const base = mkdtempSync(path.join(w.outside, "reg-"));
    const target = path.join(w.ws, ".git");
    const a = createPlaceholderRegistry({ baseDir: base, pid: 1, isAlive: (p) => p === 1 || p === 2 });
    const b = createPlaceholderRegistry({ baseDir: base, pid: 2, isAlive: (p) => p === 1 || p === 2 });
    const releaseA = a.acquire([target]);
    mkdirSync(target);
    const { planned, release } = b.plan(() => {
      // What a leaving sandbox's release must wait for: the registry's lock is held right now.
      expect(() => mkdirSync(path.join(base, ".lock"))).toThrow(/EEXIST/);
      return { placeholders: b.isPlaceholder(target) ? [target] : [] };
    });
    expect(planned.placeholders).toEqual([target]);
    releaseA();
    expect(existsSync(target)).toBe(true); // b still covers it
    release();
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(base)).toEqual([]);
  });
});

describe("placeholder registry after a crash", () => {
  it("the next registry removes placeholders and markers a dead process left behind", () => {
    const base = mkdtempSync(path.join(w.outside, "reg-"));
    const target = path.join(w.ws, ".git");
    createPlaceholderRegistry({ baseDir: base, pid: 999_999, isAlive: () => false }).acquire([target]); // never released
    mkdirSync(target);
    const next = createPlaceholderRegistry({ baseDir: base, isAlive: (p) => p === process.pid });
    next.acquire([path.join(w.ws, "other", ".codex")])();
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(base)).toEqual([]);
  });
});

/** Bundles a script from `lines` (importing src/ by absolute path) into `outfile`, for child processes to run. */
async function bundleWorker(outfile: string, lines: string[]): Promise<void> {
  const { build } = await import("esbuild");
  await build({
    stdin: { contents: lines.join("\n"), resolveDir: process.cwd(), loader: "ts" },
    bundle: true,
    platform: "node",
    format: "esm",
    outfile,
    logLevel: "error",
    external: ["@lydell/node-pty", "better-sqlite3"],
  });
}

describe("placeholder registry under concurrency", () => {
  it("sandboxes of several processes sharing a root never mount a placeholder another one is removing", async () => {
    const worker = path.join(w.outside, "sandbox-worker.mjs");
    await bundleWorker(worker, [
      `import { createSandboxedExecRunner } from ${JSON.stringify(path.resolve("src/core/sandbox/sandboxed-runner.ts"))};`,
      `import { createLocalExecRunner } from ${JSON.stringify(path.resolve("src/core/exec/local-runner.ts"))};`,
      `const [ws, n] = process.argv.slice(2);`,
      `const runner = createSandboxedExecRunner(createLocalExecRunner());`,
      `const policy = { mode: "workspace-write", writableRoots: [ws], networkAccess: false, excludeTmpdirEnvVar: true, excludeSlashTmp: true };`,
      `let failed = 0;`,
      `for (let i = 0; i < Number(n); i++) {`,
      `  try {`,
      `    const r = await runner.run({ argv: ["true"], cwd: ws, env: { PATH: process.env.PATH }, sandbox: policy, timeoutMs: 30000 }, { signal: new AbortController().signal });`,
      `    if (r.exitCode !== 0) { failed++; console.error(r.aggregatedOutput.trim()); }`,
      `  } catch (err) { failed++; console.error(String(err)); }`,
      `}`,
      `process.exit(failed === 0 ? 0 : 1);`,
    ]);
    const { spawn } = await import("node:child_process");
    // The workspace has no .git, .codex or .agents: every sandbox covers all three with placeholders, and each
    // process's sandboxes start and leave while the others' do.
    const runs = [1, 2, 3].map(
      () =>
        new Promise<{ code: number | null; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, [worker, w.ws, "40"], { stdio: ["ignore", "ignore", "pipe"] });
          let stderr = "";
          child.stderr!.on("data", (d) => (stderr += d));
          child.once("exit", (code) => resolve({ code, stderr }));
        }),
    );
    const results = await Promise.all(runs);
    expect(results.map((r) => r.stderr).join("")).toBe("");
    expect(results.map((r) => r.code)).toEqual([0, 0, 0]);
    expect(readdirSync(w.ws)).toEqual([]);
  }, 120_000);

  it("four processes registering and leaving the same placeholder in a tight loop leave nothing behind", async () => {
    const base = mkdtempSync(path.join(w.outside, "reg-"));
    const target = path.join(w.ws, ".git");
    const worker = path.join(w.outside, "placeholder-worker.mjs");
    await bundleWorker(worker, [
      `import { mkdirSync } from "node:fs";`,
      `import { createPlaceholderRegistry } from ${JSON.stringify(path.resolve("src/core/sandbox/mount-placeholders.ts"))};`,
      `const [base, target, n] = process.argv.slice(2);`,
      `const reg = createPlaceholderRegistry({ baseDir: base });`,
      // acquire, then what bwrap does for the mount point, then leave: as many sandboxes starting at once.
      `for (let i = 0; i < Number(n); i++) { const release = reg.acquire([target]); try { mkdirSync(target); } catch {} release(); }`,
    ]);
    const { spawn } = await import("node:child_process");
    const runs = [1, 2, 3, 4].map(
      () =>
        new Promise<number | null>((resolve) => {
          spawn(process.execPath, [worker, base, target, "300"], { stdio: "inherit" }).once("exit", (code) => resolve(code));
        }),
    );
    expect(await Promise.all(runs)).toEqual([0, 0, 0, 0]);
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(base)).toEqual([]);
  });
});

import { spawn, spawnSync } from "node:child_process";
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { createHistoryReader, createMessageHistory, historyPath, HistoryLockBusyError, type HistoryEntry } from "../../src/core/history/index.js";

const here = path.dirname(fileURLToPath(import.meta.url));
let dir: string;
let childJs: string;
let home: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "history-"));
  childJs = path.join(dir, "child.mjs");
  await build({
    entryPoints: [path.join(here, "append-child.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile: childJs,
    logLevel: "silent",
  });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
let n = 0;
beforeEach(() => {
  home = path.join(dir, `home-${++n}`);
});

const lines = async (file: string) => (await readFile(file, "utf8")).split("\n").filter((l) => l !== "");
const entries = async (file: string) => (await lines(file)).map((l) => JSON.parse(l) as HistoryEntry);

describe("history.jsonl store", () => {
  test("appends one line per prompt in the reference's shape, mode 0600, creating the home", async () => {
    const h = createMessageHistory({ codexHome: home, persistence: "save-all", now: () => 1_700_000_000_999 });
    expect(await h.append("thread-1", "first prompt")).toBe(true);
    expect(await h.append("thread-1", 'second "quoted"\nline')).toBe(true);
    expect(h.path).toBe(path.join(home, "history.jsonl"));
    expect(await readFile(h.path, "utf8")).toBe(
      '{"session_id":"thread-1","ts":1700000000,"text":"first prompt"}\n' +
        '{"session_id":"thread-1","ts":1700000000,"text":"second \\"quoted\\"\\nline"}\n',
    );
    expect((await stat(h.path)).mode & 0o777).toBe(0o600);
    // No lock or temp file is left behind.
    expect((await readdir(home)).sort()).toEqual(["history.jsonl"]);
  });

  test("an existing file with wider permissions is narrowed to 0600", async () => {
    const h = createMessageHistory({ codexHome: home, persistence: "save-all" });
    await h.append("t", "one");
    await chmod(h.path, 0o644);
    await h.append("t", "two");
    expect((await stat(h.path)).mode & 0o777).toBe(0o600);
  });

  test('persistence = "none" writes nothing; empty prompts are not recorded', async () => {
    const off = createMessageHistory({ codexHome: home, persistence: "none" });
    expect(await off.append("t", "secret plans")).toBe(false);
    await expect(stat(historyPath(home))).rejects.toThrow(/ENOENT/);
    const on = createMessageHistory({ codexHome: home, persistence: "save-all" });
    expect(await on.append("t", "   \n")).toBe(false);
    await expect(stat(historyPath(home))).rejects.toThrow(/ENOENT/);
  });

  test("known secrets and secret-shaped tokens are masked before they reach the disk", async () => {
    const h = createMessageHistory({ codexHome: home, persistence: "save-all", secrets: ["hunter2-api-key"] });
    await h.append("t", "use hunter2-api-key and sk-abcdefghijklmnopqrstuvwxyz123456 please");
    const text = await readFile(h.path, "utf8");
    expect(text).not.toContain("hunter2-api-key");
    expect(text).not.toContain("sk-abcdefghij");
    expect((await entries(h.path))[0]!.text).toBe("use [REDACTED] and [REDACTED] please");
  });

  test("over max_bytes the oldest lines go until the file is at most 80% of the cap; the newest always stays", async () => {
    const h = createMessageHistory({ codexHome: home, persistence: "save-all", maxBytes: 1000, now: () => 0 });
    const texts = Array.from({ length: 30 }, (_, i) => `prompt ${String(i).padStart(2, "0")} ${"x".repeat(60)}`);
    const sizes: number[] = [];
    for (const t of texts) {
      await h.append("t", t);
      sizes.push((await stat(h.path)).size);
    }
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1000);
    // Each append that trimmed (the size went down) left at most the soft cap, 800 bytes: not just under 1000.
    const trims = sizes.filter((size, i) => i > 0 && size < sizes[i - 1]!);
    expect(trims.length).toBeGreaterThan(1);
    for (const size of trims) expect(size).toBeLessThanOrEqual(800);
    const kept = (await entries(h.path)).map((e) => e.text);
    // The newest ones, in order, ending with the last.
    expect(kept).toEqual(texts.slice(texts.length - kept.length));
    // A single entry larger than the cap is kept alone.
    const huge = "z".repeat(2000);
    await h.append("t", huge);
    expect((await entries(h.path)).map((e) => e.text)).toEqual([huge]);
    expect((await stat(h.path)).mode & 0o777).toBe(0o600);
  });

  test("two processes appending at once: every line whole, none lost, each process's in order", async () => {
    const count = 150;
    const runChild = (name: string, maxBytes?: number) =>
      new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, [childJs, home, name, String(count), ...(maxBytes ? [String(maxBytes)] : [])], {
          stdio: ["ignore", "pipe", "pipe"],
        });
        let err = "";
        child.stderr.on("data", (c: Buffer) => (err += c.toString()));
        child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`child ${name} exited ${code}: ${err}`))));
      });
    await Promise.all([runChild("a"), runChild("b")]);
    const all = await entries(historyPath(home));
    expect(all).toHaveLength(2 * count);
    for (const name of ["a", "b"]) {
      const mine = all.filter((e) => e.session_id === `session-${name}`).map((e) => Number(e.text.split(" ")[1]));
      expect(mine).toEqual(Array.from({ length: count }, (_, i) => i));
    }
  });

  test("two processes appending with a cap: the file stays whole and under it", async () => {
    const maxBytes = 8000;
    const run = (name: string) =>
      new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, [childJs, home, name, "120", String(maxBytes)], { stdio: ["ignore", "pipe", "pipe"] });
        let err = "";
        child.stderr.on("data", (c: Buffer) => (err += c.toString()));
        child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`child ${name} exited ${code}: ${err}`))));
      });
    await Promise.all([run("a"), run("b")]);
    const file = historyPath(home);
    expect((await stat(file)).size).toBeLessThanOrEqual(maxBytes);
    const all = await entries(file); // throws on a torn line
    expect(all.length).toBeGreaterThan(0);
    // The last entry of each writer that is still there is its newest (the oldest went first).
    for (const name of ["a", "b"]) {
      const mine = all.filter((e) => e.session_id === `session-${name}`).map((e) => Number(e.text.split(" ")[1]));
      expect(mine).toEqual([...mine].sort((x, y) => x - y));
    }
    expect(all.some((e) => e.text.startsWith("a 119 ") || e.text.startsWith("b 119 "))).toBe(true);
  });
});

describe("history lock", () => {
  test("a lock left by a dead process is taken over; a live holder makes the append give up, writing nothing", async () => {
    await mkdir(home, { recursive: true });
    const lock = `${historyPath(home)}.lock`;
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]).stdout.toString();
    await writeFile(lock, `${dead}\n`);
    const h = createMessageHistory({ codexHome: home, persistence: "save-all", lock: { attempts: 3, retryMs: 1 } });
    expect(await h.append("t", "after a crash")).toBe(true);
    expect((await entries(h.path)).map((e) => e.text)).toEqual(["after a crash"]);
    await expect(stat(lock)).rejects.toThrow(/ENOENT/);
    // The parent of this test process is alive: its lock is respected.
    await writeFile(lock, `${process.ppid}\n`);
    await expect(h.append("t", "blocked")).rejects.toBeInstanceOf(HistoryLockBusyError);
    expect((await entries(h.path)).map((e) => e.text)).toEqual(["after a crash"]);
    // And the next append, once the holder is gone, goes through (the chain is not stuck on the failure).
    await rm(lock);
    expect(await h.append("t", "later")).toBe(true);
    expect((await entries(h.path)).map((e) => e.text)).toEqual(["after a crash", "later"]);
  });
});

describe("history reader", () => {
  test("reads newest first, a chunk at a time, skipping lines that are not entries", async () => {
    const file = historyPath(home);
    const h = createMessageHistory({ codexHome: home, persistence: "save-all" });
    for (let i = 0; i < 50; i++) await h.append("old", `p${i} ${"w".repeat(i % 7 === 0 ? 300 : 5)}`);
    await writeFile(file, (await readFile(file, "utf8")) + "not json\n{\"foo\":1}\n");
    await h.append("old", "p50");
    const reader = createHistoryReader({ codexHome: home, chunkBytes: 64 });
    // Appended after the reader was made (this session's own prompt): not read back from the file.
    await h.append("mine", "typed in this session");
    const first = await reader.older(3);
    expect(first.map((e) => e.text.split(" ")[0])).toEqual(["p50", "p49", "p48"]);
    const rest: string[] = [];
    for (let batch = await reader.older(7); batch.length > 0; batch = await reader.older(7)) rest.push(...batch.map((e) => e.text.split(" ")[0]!));
    expect(rest).toEqual(Array.from({ length: 48 }, (_, i) => `p${47 - i}`));
    expect(await reader.older()).toEqual([]);
  });

  test("no file: nothing, and no error", async () => {
    expect(await createHistoryReader({ codexHome: home }).older(5)).toEqual([]);
  });

  test("a file replaced after the reader began (a trim elsewhere) ends the reading instead of mixing offsets", async () => {
    const h = createMessageHistory({ codexHome: home, persistence: "save-all" });
    for (let i = 0; i < 20; i++) await h.append("t", `e${i} ${"q".repeat(40)}`);
    const reader = createHistoryReader({ codexHome: home, chunkBytes: 128 });
    expect((await reader.older(1))[0]!.text).toMatch(/^e19 /);
    // Another process trims: a new file (new inode) with only the newest lines.
    const capped = createMessageHistory({ codexHome: home, persistence: "save-all", maxBytes: 400 });
    await capped.append("t", "e20");
    const after: string[] = [];
    for (let b = await reader.older(5); b.length > 0; b = await reader.older(5)) after.push(...b.map((e) => e.text.split(" ")[0]!));
    // What was already buffered may come; nothing from the new file, nothing twice.
    expect(after).not.toContain("e20");
    expect(new Set(after).size).toBe(after.length);
    expect(after.every((t, i) => i === 0 || Number(t.slice(1)) < Number(after[i - 1]!.slice(1)))).toBe(true);
  });
});

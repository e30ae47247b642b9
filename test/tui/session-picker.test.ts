// The resume/fork picker: rows from saved sessions (newest first, this cwd unless --all), typing filters,
// arrows move, Enter picks, Esc means "new", and the rows' age/branch/cwd/prompt columns.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createElement } from "react";
import { render } from "ink-testing-library";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import * as core from "../../src/core/index.js";
import { KeyRouter } from "../../src/tui/components/key-router.js";
import { SessionPicker } from "../../src/tui/picker/session-picker.js";
import { filterSessionRows, loadSessionRows, relativeAge, type SessionRow } from "../../src/tui/picker/session-rows.js";

const NOW = Date.parse("2026-12-01T12:00:00Z");
const row = (id: string, preview: string, o: Partial<SessionRow> = {}): SessionRow => ({
  id,
  path: `/x/${id}.jsonl`,
  updatedAt: "2026-12-01T11:57:00Z",
  cwd: "/work/app",
  preview,
  branch: "main",
  ...o,
});
const DOWN = "\u001B[B";
const ENTER = "\r";
const ESC = "\u001B";

describe("session rows", () => {
  let codexHome: string;
  beforeEach(() => {
    codexHome = mkdtempSync(path.join(os.tmpdir(), "picker-"));
  });
  afterEach(() => rmSync(codexHome, { recursive: true, force: true }));

  const save = (o: { id: string; day: string; cwd: string; prompt: string; branch?: string; source?: string }) => {
    const dir = path.join(codexHome, "sessions", "2026", "12", o.day);
    mkdirSync(dir, { recursive: true });
    const meta = { id: o.id, timestamp: `2026-12-${o.day}T10:00:00Z`, cwd: o.cwd, originator: "codex_cli_rs", cli_version: "0", source: o.source ?? "cli", ...(o.branch ? { git: { branch: o.branch } } : {}) };
    const lines = [
      { timestamp: meta.timestamp, type: "session_meta", payload: meta },
      { timestamp: meta.timestamp, type: "event_msg", payload: { type: "user_message", message: o.prompt, images: [] } },
    ];
    writeFileSync(path.join(dir, `rollout-2026-12-${o.day}T10-00-00-${o.id}.jsonl`), lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  };

  test("this cwd's interactive sessions newest first, with branch and a one-line prompt; --all adds other folders", async () => {
    const a = "01900000-0000-7000-8000-00000000000a";
    const b = "01900000-0000-7000-8000-00000000000b";
    const c = "01900000-0000-7000-8000-00000000000c";
    const d = "01900000-0000-7000-8000-00000000000d";
    save({ id: a, day: "01", cwd: "/work/app", prompt: "fix the\nlogin bug", branch: "fix/login" });
    save({ id: b, day: "02", cwd: "/work/app", prompt: "add tests" });
    save({ id: c, day: "03", cwd: "/elsewhere", prompt: "other project" });
    save({ id: d, day: "04", cwd: "/work/app", prompt: "from exec", source: "exec" });
    const here = await loadSessionRows(core, { codexHome, cwd: "/work/app", all: false });
    expect(here.map((r) => [r.id, r.preview, r.branch])).toEqual([
      [b, "add tests", null],
      [a, "fix the login bug", "fix/login"],
    ]);
    const all = await loadSessionRows(core, { codexHome, cwd: "/work/app", all: true, includeNonInteractive: true });
    expect(all.map((r) => r.id)).toEqual([d, c, b, a]);
  });

  test("filter: every word, case-insensitive, over prompt, branch, cwd and id", () => {
    const rows = [row("1", "Fix the login bug", { branch: "fix/login" }), row("2", "Add tests", { cwd: "/work/api" })];
    expect(filterSessionRows(rows, "LOGIN fix").map((r) => r.id)).toEqual(["1"]);
    expect(filterSessionRows(rows, "api").map((r) => r.id)).toEqual(["2"]);
    expect(filterSessionRows(rows, "").map((r) => r.id)).toEqual(["1", "2"]);
    expect(filterSessionRows(rows, "nothing")).toEqual([]);
  });

  test("relative ages", () => {
    expect(relativeAge("2026-12-01T12:00:00Z", NOW)).toBe("just now");
    expect(relativeAge("2026-12-01T11:59:18Z", NOW)).toBe("42 seconds ago");
    expect(relativeAge("2026-12-01T11:59:00Z", NOW)).toBe("1 minute ago");
    expect(relativeAge("2026-12-01T09:00:00Z", NOW)).toBe("3 hours ago");
    expect(relativeAge("2026-11-26T12:00:00Z", NOW)).toBe("5 days ago");
  });
});

describe("SessionPicker frames", () => {
  const rows = [
    row("id-1", "fix the login bug", { branch: "fix/login" }),
    row("id-2", "add integration tests", { updatedAt: "2026-12-01T09:00:00Z", branch: null }),
    row("id-3", "write the README", { updatedAt: "2026-11-28T12:00:00Z", cwd: "/other/place" }),
  ];
  const setup = (o: { showCwd?: boolean } = {}) => {
    const onPick = vi.fn();
    const onNew = vi.fn();
    const onQuit = vi.fn();
    const app = render(createElement(KeyRouter, null, createElement(SessionPicker, { kind: "resume", rows, showCwd: o.showCwd ?? false, now: NOW, onPick, onNew, onQuit })));
    return { ...app, onPick, onNew, onQuit };
  };

  test("header, columns and the first row selected", () => {
    const { lastFrame, unmount } = setup();
    const frame = lastFrame()!;
    expect(frame).toContain("Resume a previous session");
    expect(frame).toContain("Type to search");
    expect(frame).toMatch(/Updated\s+Branch\s+Conversation/);
    expect(frame).toMatch(/› 3 minutes ago\s+fix\/login\s+fix the login bug/);
    expect(frame).toMatch(/ {2}3 hours ago\s+-\s+add integration tests/);
    expect(frame).toContain("3 days ago");
    expect(frame).not.toContain("/work/app");
    unmount();
  });

  test("--all shows the cwd column", () => {
    const { lastFrame, unmount } = setup({ showCwd: true });
    expect(lastFrame()).toMatch(/Updated\s+Branch\s+CWD\s+Conversation/);
    expect(lastFrame()).toContain("/other/place");
    unmount();
  });

  test("typing filters, arrows move, Enter picks the selected row", async () => {
    const { lastFrame, stdin, onPick, unmount } = setup();
    stdin.write("te");
    await vi.waitFor(() => expect(lastFrame()).toContain("Search: te"));
    expect(lastFrame()).not.toContain("fix the login bug");
    expect(lastFrame()).toMatch(/› .*add integration tests/);
    stdin.write(DOWN);
    await vi.waitFor(() => expect(lastFrame()).toMatch(/› .*write the README/));
    stdin.write(ENTER);
    await vi.waitFor(() => expect(onPick).toHaveBeenCalledTimes(1));
    expect(onPick.mock.calls[0]![0]).toMatchObject({ id: "id-3" });
    unmount();
  });

  test("no match says so; Backspace widens again; Esc starts new", async () => {
    const { lastFrame, stdin, onNew, onPick, unmount } = setup();
    stdin.write("zz");
    await vi.waitFor(() => expect(lastFrame()).toContain("No sessions match"));
    stdin.write("\u007F");
    stdin.write("\u007F");
    await vi.waitFor(() => expect(lastFrame()).toContain("fix the login bug"));
    stdin.write(ESC);
    await vi.waitFor(() => expect(onNew).toHaveBeenCalledTimes(1));
    expect(onPick).not.toHaveBeenCalled();
    unmount();
  });
});

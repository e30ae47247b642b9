// Test support for TUI component tests: a scripted thread (records submitted ops, emits given events) and
// an ink render into a fake terminal of a chosen size. Used by *.test.ts only.
import { EventEmitter } from "node:events";
import { render } from "ink";
import type { ReactElement } from "react";
import type { Thread } from "../core/index.js";
import type { Event, EventMsg } from "../protocol/events.js";
import type { Op } from "../protocol/ops.js";
import { AsyncQueue } from "../util/async-queue.js";

export interface ScriptedThread extends Thread {
  ops: Op[];
  emit(msg: EventMsg): void;
  /** Resolves once an op matching `test` was submitted. */
  waitForOp(test: (op: Op) => boolean, o?: { timeoutMs?: number }): Promise<Op>;
}

export function scriptedThread(id = "thread-1"): ScriptedThread {
  const queue = new AsyncQueue<Event>();
  const ops: Op[] = [];
  const waiters = new Set<() => void>();
  return {
    id,
    rolloutPath: null,
    ops,
    history: () => [],
    events: () => queue,
    askOnBehalf: async () => "abort",
    activeTurnId: () => null,
    pendingApprovals: () => [],
    emit: (msg) => queue.push({ id: "1", msg }),
    async submit(op) {
      ops.push(op);
      for (const w of [...waiters]) w();
      return String(ops.length);
    },
    async close() {
      queue.close();
    },
    waitForOp(test, o) {
      return until(() => ops.find(test), { timeoutMs: o?.timeoutMs ?? 5000, what: "op", waiters });
    },
  };
}

async function until<T>(probe: () => T | undefined, o: { timeoutMs: number; what: string; waiters?: Set<() => void> }): Promise<T> {
  const deadline = Date.now() + o.timeoutMs;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${o.what}`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, 20);
      function done() {
        clearTimeout(timer);
        o.waiters?.delete(done);
        resolve();
      }
      o.waiters?.add(done);
    });
  }
}

export interface FakeTerminal {
  /** The last frame, ANSI codes kept. */
  frame(): string;
  /** The last frame without ANSI codes. */
  text(): string;
  /** Everything written so far (static cells are written once, before the frame). */
  output(): string;
  type(data: string): void;
  waitForText(test: string | RegExp | ((text: string) => boolean), o?: { timeoutMs?: number; all?: boolean }): Promise<string>;
  unmount(): void;
}

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

/** A fake terminal's two ends: a TTY stdout that records every write, and a TTY stdin fed by `type`. */
export function fakeTtyStreams(o: { columns?: number; rows?: number } = {}) {
  const writes: string[] = [];
  const stdout = Object.assign(new EventEmitter(), {
    columns: o.columns ?? 100,
    rows: o.rows ?? 40,
    isTTY: true,
    write(chunk: string) {
      writes.push(String(chunk));
      return true;
    },
  });
  const stdin = Object.assign(new EventEmitter(), {
    isTTY: true,
    buffered: [] as string[],
    setEncoding() {},
    setRawMode() {},
    resume() {},
    pause() {},
    ref() {},
    unref() {},
    read(): string | null {
      return stdin.buffered.shift() ?? null;
    },
  });
  const type = (data: string): void => {
    stdin.buffered.push(data);
    stdin.emit("readable");
  };
  return { writes, stdout, stdin, type };
}

/** Renders into a fake terminal (`columns` wide) in ink's debug mode: every frame is written whole. */
export function renderInTerminal(tree: ReactElement, o: { columns?: number; rows?: number } = {}): FakeTerminal {
  const { writes, stdout, stdin, type } = fakeTtyStreams(o);
  const instance = render(tree, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    stderr: stdout as unknown as NodeJS.WriteStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  const frame = () => writes.at(-1) ?? "";
  const term: FakeTerminal = {
    frame,
    text: () => stripAnsi(frame()),
    output: () => stripAnsi(writes.join("")),
    type,
    async waitForText(test, w = {}) {
      const ok = typeof test === "string" ? (s: string) => s.includes(test) : test instanceof RegExp ? (s: string) => test.test(s) : test;
      const read = () => (w.all ? term.output() : term.text());
      try {
        return await until(() => (ok(read()) ? read() : undefined), { timeoutMs: w.timeoutMs ?? 5000, what: String(test) });
      } catch {
        throw new Error(`frame never showed ${String(test)}; last frame:\n${read()}`);
      }
    },
    unmount: () => instance.unmount(),
  };
  return term;
}

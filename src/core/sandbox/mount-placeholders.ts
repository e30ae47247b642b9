import { createHash, randomUUID } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmdirSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pidAlive } from "../../util/pid-alive.js";

// A missing protected path (e.g. `<root>/.codex`) is covered by an empty read-only tmpfs, and bwrap first has to
// create the mount point: an empty folder on the host, inside the writable root. It must go once the sandbox is
// gone, but not while another sandbox still has its placeholder mounted there: removing a mount point in another
// mount namespace silently detaches that mount, and the folder could then be created from inside.
// So every sandbox that covers a path leaves a marker (named by its pid) in a registry outside every sandbox's
// reach, and the last one out removes the folder if it is still empty. Registering and the last-one-out decision
// run under one lock per registry: without it a sandbox registering while another leaves could find the folder
// still there (so not flag it as created) and then see it removed, or have its mount point removed under it.

export interface PlaceholderRegistry {
  /** Whether `p` is an (empty) folder some sandbox created as a placeholder, not one the user made. */
  isPlaceholder(p: string): boolean;
  /** Records that a sandbox about to start covers `paths`; the returned function is called once it has exited. */
  acquire(paths: readonly string[]): () => void;
  /**
   * Runs `decide` (which asks isPlaceholder and picks the paths to cover) and records its paths under one hold of
   * the lock, so a sandbox leaving meanwhile cannot remove a folder this one has just judged present or a
   * placeholder (a mount of a source that is gone makes bwrap fail: "Can't find source path").
   */
  plan<T extends { placeholders: readonly string[] }>(decide: () => T): { planned: T; release: () => void };
}

export interface PlaceholderRegistryOptions {
  /** Where markers live. Default: a per-user folder in /dev/shm (sandboxes get a fresh /dev and never see it),
   *  else in the temp dir. Sandboxes of other users are not coordinated (only a shared root like /tmp has them). */
  baseDir?: string;
  pid?: number;
  /** Whether a pid is alive; injected for tests. */
  isAlive?: (pid: number) => boolean;
}

const CREATED = "created";

export function createPlaceholderRegistry(o: PlaceholderRegistryOptions = {}): PlaceholderRegistry {
  const uid = process.getuid?.() ?? 0;
  const base = o.baseDir ?? path.join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), `codex-sandbox-placeholders-${uid}`);
  const pid = o.pid ?? process.pid;
  const isAlive = o.isAlive ?? pidAlive;
  const dirFor = (p: string) => path.join(base, createHash("sha256").update(p).digest("hex").slice(0, 24));

  // Once per registry: finish what crashed processes left (their placeholders and marker folders).
  let pruned = false;
  const prune = (): void => {
    pruned = true;
    let dirs: string[];
    try {
      dirs = readdirSync(base);
    } catch {
      return;
    }
    for (const name of dirs) {
      if (name.startsWith(".")) continue; // the lock
      const dir = path.join(base, name);
      let target: string;
      try {
        const first = readdirSync(dir)[0];
        target = first === undefined ? "" : readFileSync(path.join(dir, first), "utf8");
      } catch {
        continue;
      }
      release({ target, dir, marker: path.join(dir, "m-none") }, isAlive);
    }
  };

  const locked = <T>(fn: () => T): T => withLock(path.join(base, ".lock"), fn, () => mkdirSync(base, { recursive: true, mode: 0o700 }));

  return {
    isPlaceholder(p) {
      return existsSync(path.join(dirFor(p), CREATED)) && isEmptyDir(p);
    },
    acquire(paths) {
      return locked(() => acquireLocked(paths));
    },
    plan(decide) {
      return locked(() => {
        const planned = decide();
        const release = planned.placeholders.length > 0 ? acquireLocked(planned.placeholders) : () => {};
        return { planned, release };
      });
    },
  };

  function acquireLocked(paths: readonly string[]): () => void {
      if (!pruned) prune();
      const held: { target: string; dir: string; marker: string }[] = [];
      for (const target of new Set(paths)) {
        const dir = dirFor(target);
        const marker = path.join(dir, `m-${pid}-${randomUUID().slice(0, 8)}`);
        try {
          mkdirSync(dir, { recursive: true, mode: 0o700 });
          // Only a path that is missing now is ours to remove later; an existing one is flagged already.
          if (!existsSync(target)) writeFileSync(path.join(dir, CREATED), target);
          writeFileSync(marker, target);
          held.push({ target, dir, marker });
        } catch {
          // No registry: the placeholder stays behind (harmless, empty), never removed under a live sandbox.
        }
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        locked(() => {
          for (const h of held) release(h, isAlive);
        });
      };
  }
}

/** A lock held for microseconds (a few file operations); one older than this was left by a crashed holder. */
const STALE_LOCK_MS = 5_000;

/**
 * Runs `fn` holding `lockDir` (mkdir is atomic). Waits briefly for another holder; breaks a stale lock. If the
 * lock cannot be had at all (unwritable registry), `fn` runs anyway: placeholders are then merely left behind.
 */
function withLock<T>(lockDir: string, fn: () => T, ensureBase: () => void): T {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  let held = false;
  for (let attempt = 0; attempt < 4_000 && !held; attempt++) {
    try {
      mkdirSync(lockDir);
      held = true;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === "ENOENT") {
        try {
          ensureBase();
        } catch {
          break;
        }
        continue;
      }
      if (code !== "EEXIST") break;
      try {
        if (Date.now() - statSync(lockDir).mtimeMs > STALE_LOCK_MS) rmdirSync(lockDir);
      } catch {
        // released meanwhile
      }
      Atomics.wait(sleeper, 0, 0, 1);
    }
  }
  try {
    return fn();
  } finally {
    if (held) {
      try {
        rmdirSync(lockDir);
      } catch {
        // broken as stale by another process
      }
    }
  }
}

function release(h: { target: string; dir: string; marker: string }, isAlive: (pid: number) => boolean): void {
  try {
    unlinkSync(h.marker);
  } catch {
    // already gone
  }
  let names: string[];
  try {
    names = readdirSync(h.dir);
  } catch {
    return;
  }
  const live = names.filter((n) => n.startsWith("m-")).filter((n) => {
    const owner = Number(n.split("-")[1]);
    if (Number.isInteger(owner) && isAlive(owner)) return true;
    try {
      unlinkSync(path.join(h.dir, n)); // left by a process that died
    } catch {
      // raced with its owner
    }
    return false;
  });
  if (live.length > 0) return;
  if (names.includes(CREATED)) {
    if (isEmptyDir(h.target)) {
      try {
        rmdirSync(h.target);
      } catch {
        // someone put something there: keep it
      }
    }
    try {
      unlinkSync(path.join(h.dir, CREATED));
    } catch {
      // already gone
    }
  }
  try {
    rmdirSync(h.dir);
  } catch {
    // another sandbox registered meanwhile
  }
}

function isEmptyDir(p: string): boolean {
  try {
    return lstatSync(p).isDirectory() && readdirSync(p).length === 0;
  } catch {
    return false;
  }
}

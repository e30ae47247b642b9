import type { Thread } from "../core/index.js";
import type { ClientHandle } from "./connection.js";
import type { ThreadRuntime } from "./runtime-factory.js";
import type { ThreadSession } from "./thread-session.js";

// The threads loaded in this server process, shared by its connections. A connection that starts,
// resumes or forks a thread is subscribed to it: it receives the thread's notifications and approvals.

export interface LoadedThread {
  readonly id: string;
  readonly thread: Thread;
  readonly runtime: ThreadRuntime;
  /** Connections receiving this thread's notifications (closed ones are dropped). */
  readonly subscribers: Set<ClientHandle>;
}

export interface ThreadRegistry {
  add(entry: ThreadSession): void;
  get(threadId: string): ThreadSession | undefined;
  all(): ThreadSession[];
  /** Forgets a thread and closes it (its rollout is flushed), then its runtime (one per loaded thread). */
  unload(threadId: string): Promise<void>;
  closeAll(): Promise<void>;
}

export function createThreadRegistry(): ThreadRegistry {
  const threads = new Map<string, ThreadSession>();
  return {
    add(entry) {
      threads.set(entry.id, entry);
    },
    get: (threadId) => threads.get(threadId),
    all: () => [...threads.values()],
    async unload(threadId) {
      const entry = threads.get(threadId);
      if (!entry) return;
      threads.delete(threadId);
      await closeEntry(entry);
    },
    async closeAll() {
      const entries = [...threads.values()];
      threads.clear();
      await Promise.all(entries.map(closeEntry));
    },
  };
}

/** A loaded thread's runtime is its own (runtime-factory.ts): it goes with the thread. */
async function closeEntry(entry: ThreadSession): Promise<void> {
  await entry.thread.close();
  await entry.runtime.runtime.dispose();
}

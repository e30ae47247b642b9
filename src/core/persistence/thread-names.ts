import { appendFile, mkdir, readFile } from "node:fs/promises";
import path from "node:path";

// Thread names (app-server thread/name/set, the TUI's /rename), kept as Codex keeps them: one JSON line per
// rename in $CODEX_HOME/session_index.jsonl, `{"id", "thread_name", "updated_at"}`; the last line wins.

export interface ThreadNames {
  set(threadId: string, name: string): Promise<void>;
  /** Latest name per thread id. */
  all(): Promise<Map<string, string>>;
}

export function createThreadNames(o: { codexHome: string }): ThreadNames {
  const file = path.join(o.codexHome, "session_index.jsonl");
  return {
    async set(threadId, name) {
      await mkdir(o.codexHome, { recursive: true });
      await appendFile(file, JSON.stringify({ id: threadId, thread_name: name, updated_at: new Date().toISOString() }) + "\n");
    },
    async all() {
      const names = new Map<string, string>();
      let text = "";
      try {
        text = await readFile(file, "utf8");
      } catch {
        return names;
      }
      for (const line of text.split("\n")) {
        if (!line.trim()) continue;
        try {
          const entry = JSON.parse(line) as { id?: unknown; thread_name?: unknown };
          if (typeof entry.id === "string" && typeof entry.thread_name === "string") names.set(entry.id, entry.thread_name);
        } catch {
          // a torn line: skipped
        }
      }
      return names;
    },
  };
}

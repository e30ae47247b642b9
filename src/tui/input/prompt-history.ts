import type { HistoryReader } from "../../core/index.js";

// The composer's link to the persisted prompt history ($CODEX_HOME/history.jsonl, owned by core): older
// prompts read lazily from the file's end, and what the person sends recorded for the next session.

export interface PromptHistory {
  /** Up to `limit` older prompts (newest first); [] once there are no more. */
  older(limit: number): Promise<string[]>;
  /** Records a prompt the person sent (written once the session's thread is known). */
  record(text: string): void;
}

export interface PromptHistoryOptions {
  reader: HistoryReader;
  /** Appends to the file for the current thread (the runtime's MessageHistory); failures are dropped. */
  append(text: string): Promise<unknown>;
}

export function createPromptHistory(o: PromptHistoryOptions): PromptHistory {
  return {
    async older(limit) {
      try {
        return (await o.reader.older(limit)).map((e) => e.text);
      } catch {
        return []; // an unreadable file is no history, not an error on screen
      }
    },
    record(text) {
      // The history is a convenience: a failed write (lock held too long, full disk) never disturbs the session.
      o.append(text).catch(() => {});
    },
  };
}

/** PreCompact / PostCompact hooks (optional; the default does nothing). */
export interface CompactionHooks {
  preCompact(o: { trigger: "manual" | "auto"; turnId?: string }): Promise<void>;
  postCompact(o: { trigger: "manual" | "auto"; turnId?: string }): Promise<void>;
}

export type CompactionTrigger = "manual" | "auto";

/** How a thread compacts: where the limit is and what to keep. */
export interface CompactionSettings {
  /** Compact when the context holds more tokens than this. */
  limit: number;
  /** The usable window (context window minus the output reserve): the summary request must fit in it. */
  usableWindow: number;
  /** Budget for the person's own recent messages kept verbatim (tokens). */
  userMessageBudget: number;
  /** The base instructions' text: kept in memory, left out of the journaled replacement history. */
  baseInstructionsText?: string;
  /** Summary attempts before the turn ends with the context-window error. */
  maxAttempts: number;
  hooks: CompactionHooks;
}

export const noCompactionHooks: CompactionHooks = {
  async preCompact() {},
  async postCompact() {},
};

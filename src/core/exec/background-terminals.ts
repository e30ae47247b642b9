import type { BackgroundTerminal } from "../../protocol/events.js";

/**
 * A thread's background terminals (unified-exec sessions that outlive their call and their turn), as the
 * thread's list/clean operations and its next turn see them.
 */
export interface BackgroundTerminals {
  list(): BackgroundTerminal[];
  /** Stop every one (whole process groups) and wait, bounded, for them to exit. Resolves to how many. */
  clean(): Promise<number>;
  /**
   * Notices for the model's next turn, each told once: terminals that ended unseen since the last call, and
   * terminals still running whose id the model never got (their call was interrupted).
   */
  takeExitNotices(): string[];
}

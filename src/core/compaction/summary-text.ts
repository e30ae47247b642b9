// Our own words for the summarization request and the summary's prefix.

export const SUMMARY_INSTRUCTION = [
  "Stop here and write a hand-off note: the conversation is about to be cut down to save context, and",
  "another model will carry on from your note alone (plus the user's own messages).",
  "",
  "Write it in plain text, briefly, with these parts:",
  "- Goal: what the user asked for, and any constraints or preferences they stated.",
  "- Done so far: what was changed, found out or decided, with file paths, commands and key values.",
  "- Open: what is still to do, in order, and anything that failed or is uncertain.",
  "",
  "Do not call tools. Do not repeat tool output verbatim unless a short exact excerpt is essential.",
].join("\n");

export const SUMMARY_PREFIX =
  "Earlier work in this conversation was condensed by a previous model into the hand-off note below. " +
  "Treat it as your own memory of the task: build on it instead of redoing the work it describes.";

/** The reference's prefix: its summaries are recognised too (resumed reference sessions). */
const REFERENCE_PREFIX = "Another language model started to solve this problem and produced a summary";

export function summaryMessageText(summary: string): string {
  return `${SUMMARY_PREFIX}\n\n${summary.trim()}`;
}

export function isSummaryText(text: string): boolean {
  return text.startsWith(SUMMARY_PREFIX) || text.startsWith(REFERENCE_PREFIX);
}

/** What stands in for a tool output dropped to make the summary request fit. */
export const DROPPED_OUTPUT_MARKER = "[output omitted to fit the context window]";

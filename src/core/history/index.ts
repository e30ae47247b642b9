export {
  createMessageHistory,
  historyPath,
  HISTORY_FILENAME,
  HISTORY_SOFT_CAP_RATIO,
  type HistoryEntry,
  type MessageHistory,
  type MessageHistoryOptions,
} from "./message-history.js";
export { createHistoryReader, type HistoryReader } from "./history-reader.js";
export { HistoryLockBusyError } from "./history-lock.js";

export {
  exportFeedbackBundle,
  FeedbackExportError,
  DEFAULT_FEEDBACK_LOG_BYTES,
  NO_LOGS_NOTE,
  type ExportFeedbackOptions,
  type FeedbackBundle,
} from "./export-bundle.js";

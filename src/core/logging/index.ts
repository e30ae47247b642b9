export { createLogger, noopLogger, type Logger, type LoggerOptions, type LogOptions } from "./logger.js";
export { createLogStore, DEFAULT_LOG_RETENTION_BYTES, type LogStore } from "./log-store.js";
export { formatFeedbackLine, renderFeedbackBody, type LogLevel, type LogRecord, type LogSpan } from "./log-record.js";
export { createTurnLoggingObserver, withRequestLogging } from "./turn-logging.js";
export { appendSpool, ingestSpool, spoolDirFor, LOG_SPOOL_SUBDIR } from "./log-spool.js";

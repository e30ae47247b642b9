/** A configuration problem the user must fix. The message is one line naming the file (and line) at fault. */
export class ConfigError extends Error {
  readonly file?: string;
  readonly line?: number;

  constructor(message: string, where: { file?: string; line?: number } = {}) {
    super(message);
    this.name = "ConfigError";
    this.file = where.file;
    this.line = where.line;
  }
}

/** `file:line: msg`, or `file: msg` when the line is unknown. */
export function formatLocated(file: string, line: number | undefined, msg: string): string {
  return line === undefined ? `${file}: ${msg}` : `${file}:${line}: ${msg}`;
}

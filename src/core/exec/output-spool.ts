import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { shortHex } from "../../util/ids.js";
import type { SecretRedactor, StreamRedactor } from "../../util/secret-redactor.js";

export interface OutputSpoolOptions {
  dir: string;
  /** The file is only created once the output outgrows this many bytes; until then the text is held here. */
  thresholdBytes: number;
  /** Applied to everything written (secrets split across chunks included). */
  redactor: SecretRedactor;
}

/**
 * The full output of one command, written to `<dir>/exec-output-<time>-<hex>.log` (mode 0600) once it is
 * too long to keep in memory, with secrets redacted. Failures to write lose the file, never the command.
 */
export class OutputSpool {
  private pending: string[] = [];
  private pendingBytes = 0;
  private fd: number | undefined;
  private file: string | undefined;
  private failed = false;
  private closed = false;
  private readonly redactor: StreamRedactor;

  constructor(private readonly options: OutputSpoolOptions) {
    this.redactor = options.redactor.stream();
  }

  /** The spool file, once it exists (and as long as writing it has not failed). */
  get path(): string | undefined {
    return this.failed ? undefined : this.file;
  }

  write(text: string, bytes: number): void {
    if (this.failed || this.closed || text.length === 0) return;
    if (this.fd === undefined) {
      this.pending.push(text);
      this.pendingBytes += bytes;
      if (this.pendingBytes <= this.options.thresholdBytes) return;
      if (!this.open()) return;
      const held = this.pending.join("");
      this.pending = [];
      this.writeRedacted(held);
      return;
    }
    this.writeRedacted(text);
  }

  /** Flush what the redactor holds back and close the file. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending = [];
    if (this.fd === undefined) return;
    this.writeRaw(this.redactor.end());
    try {
      closeSync(this.fd);
    } catch {
      // Everything was written; a failed close loses nothing.
    }
    this.fd = undefined;
  }

  private open(): boolean {
    try {
      mkdirSync(this.options.dir, { recursive: true });
      this.file = join(this.options.dir, `exec-output-${Date.now()}-${shortHex(8)}.log`);
      this.fd = openSync(this.file, "w", 0o600);
      return true;
    } catch {
      this.failed = true;
      this.pending = [];
      return false;
    }
  }

  private writeRedacted(text: string): void {
    this.writeRaw(this.redactor.write(text));
  }

  private writeRaw(text: string): void {
    if (this.fd === undefined || this.failed || text.length === 0) return;
    try {
      writeSync(this.fd, text);
    } catch {
      this.failed = true;
    }
  }
}

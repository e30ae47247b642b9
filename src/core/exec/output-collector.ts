import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { StringDecoder } from "node:string_decoder";
import { shortHex } from "../../util/ids.js";
import type { OutputChunk } from "./contract.js";
import { HeadTailBuffer } from "./head-tail-buffer.js";

export interface CollectedOutput {
  aggregatedOutput: string;
  stdout: string;
  stderr: string;
  spoolPath?: string;
}

export interface OutputCollectorOptions {
  /** Bound for each of aggregated/stdout/stderr: half kept from the start, half from the end. */
  maxBytes: number;
  /** Where the full aggregated output goes once it exceeds `maxBytes`. Unset: no spooling. */
  spoolDir?: string;
  onOutput?: (chunk: OutputChunk) => void;
}

/**
 * Decodes a child's stdout/stderr (UTF-8, safe across chunk boundaries), streams the text, keeps a
 * bounded copy of each stream plus the interleaved aggregate, and spools the aggregate to a file
 * when it outgrows the bound so nothing is lost.
 */
export class OutputCollector {
  private readonly decoders = { stdout: new StringDecoder("utf8"), stderr: new StringDecoder("utf8") };
  private readonly buffers: Record<"stdout" | "stderr" | "aggregated", HeadTailBuffer>;
  private spoolFd: number | undefined;
  private spoolPath: string | undefined;
  private spoolFailed = false;
  private finished = false;

  constructor(private readonly options: OutputCollectorOptions) {
    const head = Math.floor(options.maxBytes / 2);
    const tail = options.maxBytes - head;
    this.buffers = {
      stdout: new HeadTailBuffer(head, tail),
      stderr: new HeadTailBuffer(head, tail),
      aggregated: new HeadTailBuffer(head, tail),
    };
  }

  push(stream: "stdout" | "stderr", data: Buffer | string): void {
    if (this.finished) return;
    const text = typeof data === "string" ? data : this.decoders[stream].write(data);
    this.emitText(stream, text);
  }

  /** Flush decoders, close the spool file and return the bounded text. Idempotent. */
  finish(): CollectedOutput {
    if (!this.finished) {
      for (const stream of ["stdout", "stderr"] as const) this.emitText(stream, this.decoders[stream].end());
      this.finished = true;
      if (this.spoolFd !== undefined) {
        try {
          closeSync(this.spoolFd);
        } catch {
          // The output is already in memory; a close failure loses nothing we report.
        }
        this.spoolFd = undefined;
      }
    }
    const detail = this.spoolPath && !this.spoolFailed ? `full output: ${this.spoolPath}` : undefined;
    return {
      aggregatedOutput: this.buffers.aggregated.toText({ markerDetail: detail }),
      stdout: this.buffers.stdout.toText(),
      stderr: this.buffers.stderr.toText(),
      ...(this.spoolPath && !this.spoolFailed ? { spoolPath: this.spoolPath } : {}),
    };
  }

  private emitText(stream: "stdout" | "stderr", text: string): void {
    if (text.length === 0) return;
    const bytes = Buffer.from(text, "utf8");
    this.buffers[stream].push(bytes);
    this.spool(bytes);
    this.buffers.aggregated.push(bytes);
    this.options.onOutput?.({ stream, text });
  }

  private spool(bytes: Buffer): void {
    const dir = this.options.spoolDir;
    if (this.spoolFailed || dir === undefined) return;
    if (this.spoolFd === undefined) {
      if (this.buffers.aggregated.totalBytes + bytes.length <= this.options.maxBytes) return;
      try {
        mkdirSync(dir, { recursive: true });
        this.spoolPath = join(dir, `exec-output-${Date.now()}-${shortHex(8)}.log`);
        this.spoolFd = openSync(this.spoolPath, "w", 0o600);
        // Nothing has been dropped yet, so the kept bytes are the complete output so far.
        writeSync(this.spoolFd, this.buffers.aggregated.keptBytes());
      } catch {
        this.spoolFailed = true;
        return;
      }
    }
    try {
      writeSync(this.spoolFd, bytes);
    } catch {
      this.spoolFailed = true;
    }
  }
}

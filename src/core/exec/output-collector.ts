import { StringDecoder } from "node:string_decoder";
import { createSecretRedactor, type SecretRedactor } from "../../util/secret-redactor.js";
import type { OutputChunk, OutputTotals } from "./contract.js";
import { HeadTailBuffer } from "./head-tail-buffer.js";
import { OutputSpool } from "./output-spool.js";

export interface CollectedOutput {
  aggregatedOutput: string;
  stdout: string;
  stderr: string;
  /** Size of the whole interleaved output, however much of it was kept. */
  outputTotals: OutputTotals;
  spoolPath?: string;
}

export interface OutputCollectorOptions {
  /**
   * Bound for each of aggregated/stdout/stderr: half kept from the start, half from the end. 0 = stream and spool
   * only: nothing is kept and `finish()` reports no text and zero totals.
   */
  maxBytes: number;
  /** Where the full aggregated output goes once it exceeds `spoolAfterBytes`. Unset: no spooling. */
  spoolDir?: string;
  /** Default `maxBytes`. */
  spoolAfterBytes?: number;
  /** Masks secrets in the spool file. Default: secret shapes only (no known values). */
  redactor?: SecretRedactor;
  onOutput?: (chunk: OutputChunk) => void;
}

/**
 * Decodes a child's stdout/stderr (UTF-8, safe across chunk boundaries), streams the text, keeps a
 * bounded copy of each stream plus the interleaved aggregate, counts the real totals, and spools the
 * aggregate (redacted) to a file when it outgrows the bound so nothing is lost.
 */
export class OutputCollector {
  private readonly decoders = { stdout: new StringDecoder("utf8"), stderr: new StringDecoder("utf8") };
  private readonly buffers: Record<"stdout" | "stderr" | "aggregated", HeadTailBuffer>;
  private readonly spool: OutputSpool | undefined;
  private finished = false;

  constructor(private readonly options: OutputCollectorOptions) {
    const head = Math.floor(options.maxBytes / 2);
    const tail = options.maxBytes - head;
    this.buffers = {
      stdout: new HeadTailBuffer(head, tail),
      stderr: new HeadTailBuffer(head, tail),
      aggregated: new HeadTailBuffer(head, tail),
    };
    this.spool =
      options.spoolDir === undefined
        ? undefined
        : new OutputSpool({
            dir: options.spoolDir,
            thresholdBytes: options.spoolAfterBytes ?? options.maxBytes,
            redactor: options.redactor ?? createSecretRedactor([]),
          });
  }

  /** The spool file, once the output outgrew the bound. */
  get spoolPath(): string | undefined {
    return this.spool?.path;
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
      this.spool?.close();
    }
    const spoolPath = this.spool?.path;
    const aggregated = this.buffers.aggregated;
    return {
      aggregatedOutput: aggregated.toText({ markerDetail: spoolPath ? `full output: ${spoolPath}` : undefined }),
      stdout: this.buffers.stdout.toText(),
      stderr: this.buffers.stderr.toText(),
      outputTotals: { bytes: aggregated.totalBytes, lines: aggregated.totalLines },
      ...(spoolPath ? { spoolPath } : {}),
    };
  }

  private emitText(stream: "stdout" | "stderr", text: string): void {
    if (text.length === 0) return;
    if (this.options.maxBytes > 0) {
      const bytes = Buffer.from(text, "utf8");
      this.buffers[stream].push(bytes);
      this.buffers.aggregated.push(bytes);
      this.spool?.write(text, bytes.length);
    } else {
      // Streaming only (long-lived sessions keep their own bounded copy): no copy here, and no totals.
      this.spool?.write(text, Buffer.byteLength(text, "utf8"));
    }
    this.options.onOutput?.({ stream, text });
  }
}

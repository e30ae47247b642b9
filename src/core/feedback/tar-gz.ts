import { lazyZlib } from "../../util/lazy-builtin.js";

// A minimal ustar writer: regular files only, one flat folder. Enough for a feedback bundle a person
// attaches to an issue (GitHub and mail clients take .tar.gz; `tar xzf` opens it everywhere).

export interface TarEntry {
  /** Path inside the archive (ASCII, at most 100 bytes). */
  name: string;
  body: string | Buffer;
  /** File mode; 0o644 by default. */
  mode?: number;
  mtime?: Date;
}

const BLOCK = 512;

function octal(value: number, width: number): string {
  // width - 1 digits, NUL-terminated, as ustar expects.
  return value.toString(8).padStart(width - 1, "0") + "\0";
}

function header(entry: TarEntry, size: number): Buffer {
  const name = Buffer.from(entry.name, "utf8");
  if (name.length === 0 || name.length > 100) throw new Error(`tar: entry name must be 1-100 bytes: ${entry.name}`);
  const h = Buffer.alloc(BLOCK, 0);
  name.copy(h, 0);
  h.write(octal(entry.mode ?? 0o644, 8), 100, "ascii");
  h.write(octal(0, 8), 108, "ascii"); // uid
  h.write(octal(0, 8), 116, "ascii"); // gid
  h.write(octal(size, 12), 124, "ascii");
  h.write(octal(Math.floor((entry.mtime ?? new Date()).getTime() / 1000), 12), 136, "ascii");
  h.write("        ", 148, "ascii"); // checksum placeholder: eight spaces while summing
  h.write("0", 156, "ascii"); // regular file
  h.write("ustar\0", 257, "ascii");
  h.write("00", 263, "ascii");
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(sum.toString(8).padStart(6, "0") + "\0 ", 148, "ascii");
  return h;
}

/** The gzip-compressed tar of `entries`, in order. */
export function tarGz(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const body = typeof entry.body === "string" ? Buffer.from(entry.body, "utf8") : entry.body;
    parts.push(header(entry, body.length), body);
    const pad = (BLOCK - (body.length % BLOCK)) % BLOCK;
    if (pad > 0) parts.push(Buffer.alloc(pad, 0));
  }
  parts.push(Buffer.alloc(BLOCK * 2, 0)); // end of archive
  return lazyZlib().gzipSync(Buffer.concat(parts));
}

import { randomBytes } from "node:crypto";

/**
 * RFC 9562 UUID version 7: 48-bit Unix milliseconds, then random bits. Thread ids use this so that
 * lexical order of ids (and of rollout filenames) follows creation time, as in Codex.
 */
export function uuidv7(now: number = Date.now()): string {
  if (!Number.isFinite(now) || now < 0) throw new Error(`uuidv7: invalid timestamp ${now}`);
  const bytes = randomBytes(16);
  let ms = Math.floor(now);
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = 0x70 | ((bytes[6] ?? 0) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** `n` random lowercase hex characters. */
export function shortHex(n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new Error(`shortHex: invalid length ${n}`);
  return randomBytes(Math.ceil(n / 2)).toString("hex").slice(0, n);
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for any canonical 8-4-4-4-12 hex UUID string. */
export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}

/** Milliseconds encoded in a v7 UUID (undefined for other versions). */
export function uuidv7Timestamp(id: string): number | undefined {
  if (!isUuid(id) || id[14] !== "7") return undefined;
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}

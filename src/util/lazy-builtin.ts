// Node built-ins that cost milliseconds to load (node:crypto's JavaScript layer alone is 5–10 ms), loaded on
// first use instead of when the importing module is evaluated: a start path that never needs them (the TUI's
// first frame, a plain exec turn) does not pay for them. Node caches built-ins, so each call is a lookup.
import { createRequire } from "node:module";

const nodeRequire = createRequire(import.meta.url);

export function lazyCrypto(): typeof import("node:crypto") {
  return nodeRequire("node:crypto") as typeof import("node:crypto");
}

export function lazyZlib(): typeof import("node:zlib") {
  return nodeRequire("node:zlib") as typeof import("node:zlib");
}

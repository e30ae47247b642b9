import { gunzipSync } from "node:zlib";

/** The files of a .tar.gz (regular files only), by name — enough to check what a bundle holds. */
export function untarGz(data: Buffer): Map<string, string> {
  const tar = gunzipSync(data);
  const out = new Map<string, string>();
  for (let off = 0; off + 512 <= tar.length; ) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const name = h.subarray(0, 100).toString("utf8").replace(/\0.*$/s, "");
    const size = parseInt(h.subarray(124, 136).toString("ascii").replace(/\0.*$/s, ""), 8);
    const stored = parseInt(h.subarray(148, 156).toString("ascii").replace(/[\0 ].*$/s, ""), 8);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
    if (sum !== stored) throw new Error(`bad tar checksum for ${name}`);
    out.set(name, tar.subarray(off + 512, off + 512 + size).toString("utf8"));
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

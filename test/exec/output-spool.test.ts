// The spool file is redacted even when a secret arrives one character at a time.
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { OutputSpool } from "../../src/core/exec/output-spool.js";
import { createSecretRedactor } from "../../src/util/secret-redactor.js";

const KEY = 'my-"key"-0123456789';

describe("OutputSpool", () => {
  it("stays in memory under the threshold, then writes everything, redacted across chunk boundaries", () => {
    const dir = mkdtempSync(join(tmpdir(), "spool-"));
    const spool = new OutputSpool({ dir, thresholdBytes: 5000, redactor: createSecretRedactor([KEY]) });
    let expected = "";
    const write = (s: string) => {
      spool.write(s, Buffer.byteLength(s));
      expected += s;
    };
    write("é".repeat(1000));
    expect(readdirSync(dir)).toEqual([]);
    expect(spool.path).toBeUndefined();
    for (let i = 0; i < 20; i++) {
      write("x".repeat(333 + i));
      for (const c of KEY) write(c);
      write(` Bearer ${"t".repeat(i)}`);
      write("0123456789abcdef\n");
    }
    spool.close();
    expect(spool.path).toBeDefined();
    const text = readFileSync(spool.path!, "utf8");
    expect(text).not.toContain(KEY);
    expect(text.match(/\[REDACTED\]/g)?.length).toBe(40);
    expect(text).toBe(createSecretRedactor([KEY]).redact(expected));
  });

  it("never creates a file for output that stays under the threshold", () => {
    const dir = mkdtempSync(join(tmpdir(), "spool-"));
    const spool = new OutputSpool({ dir, thresholdBytes: 100, redactor: createSecretRedactor([]) });
    spool.write("short", 5);
    spool.close();
    expect([spool.path, readdirSync(dir)]).toEqual([undefined, []]);
  });
});

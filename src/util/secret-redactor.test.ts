import { describe, expect, it } from "vitest";
import { createSecretRedactor, MIN_SECRET_LENGTH, REDACTED, redactSecrets } from "./secret-redactor.js";

const KEY = "sk-test-key-0123456789";
const SHAPED = "sk-proj-" + "Ab3".repeat(10);

describe("redactSecrets", () => {
  it("removes every occurrence of known secrets, overlapping ones whole, and ignores short ones", () => {
    expect(redactSecrets("key=abc1234 again abc1234 and abc1", ["abc1", "abc1234", "", null, "ab"])).toBe(
      `key=${REDACTED} again ${REDACTED} and ${REDACTED}`,
    );
    expect(MIN_SECRET_LENGTH).toBe(4);
    expect(redactSecrets("abc abc", ["abc"])).toBe("abc abc");
  });

  it("removes well-known key shapes even when nobody named them", () => {
    const text = `a ${SHAPED} b AKIA0123456789ABCDEF c ghp_${"x".repeat(36)} d Authorization: Bearer abcdefghijklmnop.qrs`;
    expect(redactSecrets(text, [])).toBe(
      `a ${REDACTED} b ${REDACTED} c ${REDACTED} d Authorization: Bearer ${REDACTED}`,
    );
  });

  it("leaves ordinary text alone", () => {
    const text = "task-abcdefghijklmnopqrstuvwxyz sk-short Bearer short AKIA123 disk-0123456789abcdefghijkl";
    expect(redactSecrets(text, [])).toBe(text);
  });

  it("redacts a value deeply, keys included", () => {
    const r = createSecretRedactor([KEY]);
    expect(r.redactValue({ a: `x ${KEY}`, b: [KEY], c: { [KEY]: 1 }, n: 5, z: null })).toEqual({
      a: `x ${REDACTED}`,
      b: [REDACTED],
      c: { [REDACTED]: 1 },
      n: 5,
      z: null,
    });
  });
});

describe("stream()", () => {
  const odd = 'we"ird\\pa$$word';
  const r = createSecretRedactor([KEY, odd]);
  const text = `start ${KEY} ${"filler ".repeat(200)}${SHAPED}\n${odd}${"é😀".repeat(300)}${KEY}${"z".repeat(1000)}end`;

  it("whatever the chunking, no secret gets through and the result equals one-shot redaction", () => {
    for (let seed = 1; seed <= 200; seed++) {
      let x = seed;
      const rand = (n: number) => ((x = (x * 1103515245 + 12345) % 2 ** 31), x % n);
      const s = r.stream();
      let out = "";
      for (let i = 0; i < text.length; ) {
        const n = 1 + rand(seed % 3 === 0 ? 40 : 900);
        out += s.write(text.slice(i, i + n));
        i += n;
      }
      out += s.end();
      expect(out).toBe(r.redact(text));
      for (const secret of [KEY, SHAPED, odd]) expect(out).not.toContain(secret);
    }
  });

  it("holds back only a bounded tail of a long line", () => {
    const s = r.stream();
    const out = s.write("a".repeat(100_000));
    expect(out.length).toBeGreaterThan(98_000);
    expect(out + s.end()).toBe("a".repeat(100_000));
  });
});

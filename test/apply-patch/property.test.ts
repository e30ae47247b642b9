import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { applyPatch as applyUnifiedDiff, structuredPatch } from "diff";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { ApplyPatchError, applyPatch } from "../../src/core/apply-patch/index.js";
import { snapshotTree } from "./corpus-support.js";

const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "ap-prop-")));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let counter = 0;
function freshDir(): string {
  const d = path.join(root, String(counter++));
  fs.mkdirSync(d);
  return d;
}

/** Unique lines, so every hunk has exactly one place to go. Mix in odd characters to exercise Unicode. */
const fileLines = fc
  .array(fc.string({ unit: fc.constantFrom("a", "b", "é", "🙂", " ", "-", "+", "*", "@"), maxLength: 8 }), {
    minLength: 1,
    maxLength: 60,
  })
  .map((ls) => ls.map((l, i) => `L${i}:${l}`));

/** Edits as (position, deleteCount, inserted lines), applied to the line list. */
const edits = fc.array(
  fc.record({ at: fc.nat(), del: fc.nat({ max: 4 }), ins: fc.array(fc.string({ maxLength: 6 }), { maxLength: 4 }) }),
  { minLength: 1, maxLength: 8 },
);

function applyEdits(lines: string[], es: { at: number; del: number; ins: string[] }[]): string[] {
  const out = [...lines];
  es.forEach((e, n) => {
    const at = e.at % (out.length + 1);
    out.splice(at, e.del, ...e.ins.map((s, k) => `N${n}.${k}:${s}`));
  });
  return out;
}

/** Turn a unified diff of two contents into an apply_patch Update op. */
function updateOp(file: string, before: string, after: string): string {
  const sp = structuredPatch(file, file, before, after, undefined, undefined, { context: 3 });
  const body = sp.hunks.flatMap((h) => ["@@", ...h.lines.filter((l) => !l.startsWith("\\"))]);
  return [`*** Update File: ${file}`, ...body].join("\n");
}

const toText = (lines: string[]) => (lines.length === 0 ? "" : `${lines.join("\n")}\n`);

describe("apply_patch properties", () => {
  it("a patch generated from a diff reproduces the edited file, and so does the reported diff", async () => {
    await fc.assert(
      fc.asyncProperty(fileLines, edits, async (lines, es) => {
        const after = applyEdits(lines, es);
        const before = toText(lines);
        const expected = toText(after);
        fc.pre(before !== expected);
        const dir = freshDir();
        fs.writeFileSync(path.join(dir, "f.txt"), before);
        const patch = `*** Begin Patch\n${updateOp("f.txt", before, expected)}\n*** End Patch\n`;
        const result = await applyPatch(patch, { cwd: dir });
        expect(fs.readFileSync(path.join(dir, "f.txt"), "utf8")).toBe(expected);
        // The reported unified diff must describe exactly the same change.
        expect(applyUnifiedDiff(before, result.diff)).toBe(expected);
      }),
      { numRuns: 150 },
    );
  });

  it("one bad hunk among many changes leaves the tree untouched", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fileLines, edits), { minLength: 2, maxLength: 5 }),
        fc.nat(),
        async (files, badPick) => {
          const dir = freshDir();
          const ops: string[] = [];
          files.forEach(([lines, es], i) => {
            const before = toText(lines);
            fs.writeFileSync(path.join(dir, `f${i}.txt`), before);
            const after = toText(applyEdits(lines, es));
            if (before !== after) ops.push(updateOp(`f${i}.txt`, before, after));
          });
          fc.pre(ops.length >= 1);
          ops.push("*** Add File: added/new.txt\n+new", "*** Delete File: f0.txt");
          // Corrupt one update: its first hunk now expects a line that exists nowhere.
          const updates = ops.map((o, i) => [o, i] as const).filter(([o]) => o.startsWith("*** Update"));
          const [victim, index] = updates[badPick % updates.length] ?? ["", 0];
          ops[index] = victim.replace("\n@@\n", "\n@@\n-THIS LINE DOES NOT EXIST\n");
          const snapshot = snapshotTree(dir);
          const err = await applyPatch(`*** Begin Patch\n${ops.join("\n")}\n*** End Patch`, { cwd: dir }).catch(
            (e: unknown) => e,
          );
          expect(err).toBeInstanceOf(ApplyPatchError);
          expect((err as Error).message).toContain("THIS LINE DOES NOT EXIST");
          expect(snapshotTree(dir)).toEqual(snapshot);
        },
      ),
      { numRuns: 60 },
    );
  });
});

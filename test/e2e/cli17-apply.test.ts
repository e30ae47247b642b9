// codex apply: the latest diff the agent applied in a session (journaled patch_apply_end diffs) is
// applied again to the working tree with git apply; a diff that no longer applies is a clear error.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, test } from "vitest";
import { parseJsonl, runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, customToolCall, textMessage } from "../support/sse.js";

let server: FakeServer;
let t: TestEnv;

useFakeServerEnv((s, e) => ((server = s), (t = e)));

const git = (...args: string[]) => {
  const r = spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: t.repo, encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
};

const ORIGINAL = "line one\nline two\nline three\n";

beforeEach(() => {
  mkdirSync(path.join(t.repo, "src"));
  writeFileSync(path.join(t.repo, "src", "notes.txt"), ORIGINAL);
  writeFileSync(path.join(t.repo, "src", "old.txt"), "x\n");
  writeFileSync(path.join(t.repo, "src", "gone.txt"), "bye\n");
  git("add", ".");
  git("commit", "-qm", "initial");
});

const patchOf = (...lines: string[]) => ["*** Begin Patch", ...lines, "*** End Patch"].join("\n");

/** One exec turn in which the model applies `patches` (in order) from `cwd`, then says done. */
async function agentPatches(patches: string[], o: { sandbox: string; cwd?: string }): Promise<string> {
  server.enqueue(
    ...patches.map((p, i) => sse(created(`r${i}`), customToolCall(`p${i}`, "apply_patch", p), completed(`r${i}`))),
    sse(created("rz"), textMessage("done"), completed("rz")),
  );
  const r = await runCodex(["exec", "--json", "-s", o.sandbox, "edit the notes"], { env: t.env, cwd: o.cwd ?? t.repo });
  expect(r.code, r.stderr).toBe(0);
  const events = parseJsonl(r.stdout);
  expect(events.filter((e) => e.type === "item.completed" && e.item.type === "file_change").map((e) => e.item.status)).toEqual(
    patches.map(() => "completed"),
  );
  return events[0].thread_id;
}

describe("codex apply", () => {
  test("--last restores what the agent's last turn changed after the work tree was reset", async () => {
    // A first turn whose change is superseded: apply takes only the latest turn's patches.
    await agentPatches([patchOf("*** Add File: old.txt", "+from an older turn")], { sandbox: "workspace-write" });
    git("clean", "-fdq");
    const id = await agentPatches(
      [
        patchOf("*** Update File: notes.txt", "@@", " line one", "-line two", "+line 2", " line three"),
        patchOf("*** Add File: new.txt", "+brand new"),
        patchOf("*** Update File: notes.txt", "@@", " line 2", " line three", "+line four"),
        patchOf("*** Update File: old.txt", "*** Move to: moved.txt", "@@", "-x", "+y"),
        patchOf("*** Delete File: gone.txt"),
      ],
      // From a subfolder: the diff names are relative to where the patch ran, git wants them from the root.
      { sandbox: "danger-full-access", cwd: path.join(t.repo, "src") },
    );
    const changed = readFileSync(path.join(t.repo, "src", "notes.txt"), "utf8");
    expect(changed).toBe("line one\nline 2\nline three\nline four\n");

    git("checkout", "--", ".");
    git("clean", "-fdq");
    expect(readFileSync(path.join(t.repo, "src", "notes.txt"), "utf8")).toBe(ORIGINAL);

    const r = await runCodex(["apply", "--last", "--all"], { env: t.env, cwd: t.repo });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Applied the latest diff of session ${id}`);
    expect(readFileSync(path.join(t.repo, "src", "notes.txt"), "utf8")).toBe(changed);
    expect(readFileSync(path.join(t.repo, "src", "new.txt"), "utf8")).toBe("brand new\n");
    expect(existsSync(path.join(t.repo, "old.txt"))).toBe(false);
    // The move and the delete are replayed too.
    expect(readFileSync(path.join(t.repo, "src", "moved.txt"), "utf8")).toBe("y\n");
    expect(existsSync(path.join(t.repo, "src", "old.txt"))).toBe(false);
    expect(existsSync(path.join(t.repo, "src", "gone.txt"))).toBe(false);

    // Applying again fails cleanly: git refuses, nothing changes.
    const again = await runCodex(["apply", id], { env: t.env, cwd: t.repo });
    expect(again.code).toBe(1);
    expect(again.stderr.trim().split("\n")).toEqual([expect.stringMatching(new RegExp(`^Error: the diff of session ${id} does not apply to the working tree: .+`))]);
    expect(readFileSync(path.join(t.repo, "src", "notes.txt"), "utf8")).toBe(changed);
  });

  test("an unknown session, a session without patches, and no argument are one-line errors", async () => {
    server.enqueue(sse(created(), textMessage("nothing to change"), completed()));
    const r0 = await runCodex(["exec", "--json", "hi"], { env: t.env, cwd: t.repo });
    const quiet = parseJsonl(r0.stdout)[0].thread_id;
    const cases: Array<[string[], RegExp]> = [
      [["apply", "0199a213-81c0-7800-8aa1-bbab2a035a53"], /^Error: No session found matching '0199a213-81c0-7800-8aa1-bbab2a035a53'\.$/],
      [["apply", quiet], new RegExp(`^Error: session ${quiet} has no diff applied by the agent$`)],
      [["apply"], /^Error: give a session id or --last$/],
    ];
    for (const [args, message] of cases) {
      const r = await runCodex(args, { env: t.env, cwd: t.repo });
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stderr.trim().split("\n")).toEqual([expect.stringMatching(message)]);
    }
  });
});

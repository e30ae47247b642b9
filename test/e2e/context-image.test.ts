// `-i/--image` on exec: a real PNG becomes an input_image data URL ahead of the text; an unusable file is replaced by a note.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { runCodex, type TestEnv, useFakeServerEnv } from "../support/codex-env.js";
import { sse, type FakeServer } from "../support/fake-responses-server.js";
import { completed, created, textMessage } from "../support/sse.js";

// A 1x1 PNG.
// Like clap's `num_args = 1..`, `-i` takes every following word, so the prompt goes first or after `--`.
const PNG_B64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

let server: FakeServer;
let t: TestEnv;

useFakeServerEnv((s, e) => ((server = s), (t = e)));

describe("exec --image", () => {
  test("the user message carries the PNG as a data URL before the prompt text", async () => {
    writeFileSync(path.join(t.repo, "dot.png"), Buffer.from(PNG_B64, "base64"));
    server.enqueue(sse(created(), textMessage("I see a dot"), completed()));
    const r = await runCodex(["exec", "--json", "describe this", "-i", "dot.png"], { env: t.env, cwd: t.repo });
    expect(r.stderr).not.toMatch(/Error:/);
    expect(r.code).toBe(0);
    const users = server.requests[0]!.input.filter((i) => i.type === "message" && i.role === "user");
    const msg = users.find((u) => u.content.some((c: { type: string }) => c.type === "input_image"));
    expect(msg, "no user message with an input_image").toBeDefined();
    const kinds = msg.content.map((c: { type: string }) => c.type);
    const imageAt = kinds.indexOf("input_image");
    const image = msg.content[imageAt];
    expect(image.image_url).toBe(`data:image/png;base64,${PNG_B64}`);
    const textAt = msg.content.findIndex((c: { type: string; text?: string }) => c.type === "input_text" && c.text === "describe this");
    expect(textAt).toBeGreaterThan(imageAt);
  });

  test("two images via a comma list both arrive", async () => {
    writeFileSync(path.join(t.repo, "a.png"), Buffer.from(PNG_B64, "base64"));
    writeFileSync(path.join(t.repo, "b.png"), Buffer.from(PNG_B64, "base64"));
    server.enqueue(sse(created(), textMessage("two"), completed()));
    const r = await runCodex(["exec", "--json", "--image", "a.png,b.png", "--", "compare"], { env: t.env, cwd: t.repo });
    expect(r.code).toBe(0);
    const images = server.requests[0]!.input
      .filter((i) => i.type === "message" && i.role === "user")
      .flatMap((u) => u.content)
      .filter((c: { type: string }) => c.type === "input_image");
    expect(images).toHaveLength(2);
  });

  test("a missing or undecodable image does not stop the turn: a note in its place, a warning, the turn completes", async () => {
    writeFileSync(path.join(t.repo, "not-an-image.png"), "plain text, not a picture");
    for (const [file, note] of [
      ["missing.png", /^The local image `.*missing\.png` could not be read \(ENOENT\)\.$/],
      ["not-an-image.png", /^The image was left out: its content could not be decoded\.$/],
    ] as const) {
      const before = server.requests.length;
      server.enqueue(sse(created(), textMessage("no picture"), completed()));
      const r = await runCodex(["exec", "--json", "-i", file, "--", "hi"], { env: t.env, cwd: t.repo });
      expect(r.code, r.stderr).toBe(0);
      const events = r.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l));
      expect(events.at(-1).type).toBe("turn.completed");
      const warning = events.find((e) => e.type === "item.completed" && e.item.type === "error");
      expect(warning?.item.message).toContain(file);
      expect(server.requests).toHaveLength(before + 1);
      const user = server.requests[before]!.input.filter((i) => i.type === "message" && i.role === "user").at(-1);
      const texts = user.content.map((c: { type: string; text?: string }) => c.text);
      expect(user.content.some((c: { type: string }) => c.type === "input_image")).toBe(false);
      expect(texts.some((x: string | undefined) => x !== undefined && note.test(x)), JSON.stringify(texts)).toBe(true);
      expect(texts.at(-1)).toBe("hi");

      server.enqueue(sse(created(), textMessage("no picture"), completed()));
      const human = await runCodex(["exec", "-i", file, "--", "hi"], { env: t.env, cwd: t.repo });
      expect(human.code).toBe(0);
      expect(human.stderr).toMatch(new RegExp(`warning: .*${file.replace(".", "\\.")}`));
      expect(human.stdout).toBe("no picture\n");
    }
  });
});

// `-i/--image` on exec: a real PNG becomes an input_image data URL ahead of the text; a missing file stops the run.
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

  test("a missing image file is a clear error, exit 1, and no request is made", async () => {
    const r = await runCodex(["exec", "--json", "describe this", "-i", "nope.png"], { env: t.env, cwd: t.repo });
    expect(r.code).toBe(1);
    // With --json the failure is the turn's outcome on stdout.
    const failed = r.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l)).find((e) => e.type === "turn.failed");
    expect(failed?.error.message).toContain("nope.png");
    const human = await runCodex(["exec", "describe this", "-i", "nope.png"], { env: t.env, cwd: t.repo });
    expect(human.code).toBe(1);
    expect(human.stderr).toContain("nope.png");
    expect(server.requests).toHaveLength(0);
  });
});

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ToolError, toolSpec } from "../../src/core/tools/contract.js";
import { updatePlanTool } from "../../src/core/tools/handlers/update-plan.js";
import { MAX_IMAGE_BYTES, sniffImageMime, viewImageTool } from "../../src/core/tools/handlers/view-image.js";
import { fakeToolContext } from "./fake-tool-context.js";

const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

describe("update_plan", () => {
  it("emits plan_update and answers Plan updated", async () => {
    const { ctx, events } = fakeToolContext();
    const args = updatePlanTool.args.parse({
      explanation: "start",
      plan: [
        { step: "read code", status: "completed" },
        { step: "write tests", status: "in_progress" },
      ],
    });
    expect(await updatePlanTool.handle(args, ctx)).toEqual({ content: "Plan updated", success: true });
    expect(events).toEqual([
      {
        type: "plan_update",
        explanation: "start",
        plan: [
          { step: "read code", status: "completed" },
          { step: "write tests", status: "in_progress" },
        ],
      },
    ]);
  });

  it("rejects an unknown status", () => {
    expect(updatePlanTool.args.safeParse({ plan: [{ step: "x", status: "done" }] }).success).toBe(false);
  });

  it("derives a JSON schema requiring plan", () => {
    const spec = toolSpec(updatePlanTool);
    expect(spec).toMatchObject({ type: "function", name: "update_plan", parameters: { required: ["plan"] } });
  });
});

describe("view_image", () => {
  const dir = mkdtempSync(join(tmpdir(), "view-image-"));

  it("returns a data URL for a relative path and emits view_image", async () => {
    writeFileSync(join(dir, "dot.png"), PNG);
    const { ctx, events } = fakeToolContext({ cwd: dir });
    const out = await viewImageTool.handle({ path: "dot.png" }, ctx);
    const image_url = `data:image/png;base64,${PNG.toString("base64")}`;
    // `structured` is what code mode's `tools.view_image()` resolves to, ready for `image()`.
    expect(out).toEqual({ content: [{ type: "input_image", image_url }], success: true, structured: { image_url } });
    expect(events).toEqual([{ type: "view_image", callId: "call_1", path: join(dir, "dot.png") }]);
  });

  it("sniffs by magic bytes, not extension", () => {
    expect(sniffImageMime(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe("image/jpeg");
    expect(sniffImageMime(Buffer.from("GIF89a..."))).toBe("image/gif");
    expect(sniffImageMime(Buffer.from("RIFF\0\0\0\0WEBPVP8 "))).toBe("image/webp");
    expect(sniffImageMime(Buffer.from("hello world"))).toBeUndefined();
  });

  it("tells the model when the file is missing, not an image, or too big", async () => {
    writeFileSync(join(dir, "notes.png"), "just text");
    const { truncateSync } = await import("node:fs");
    writeFileSync(join(dir, "huge.png"), PNG);
    truncateSync(join(dir, "huge.png"), MAX_IMAGE_BYTES + 1);
    const { ctx, events } = fakeToolContext({ cwd: dir });
    for (const [p, re] of [
      ["missing.png", /unable to locate image/],
      ["notes.png", /is not a supported image/],
      ["huge.png", /too large/],
      [".", /not a file/],
    ] as const) {
      const err = await viewImageTool.handle({ path: p }, ctx).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ToolError);
      expect((err as ToolError).kind).toBe("respond_to_model");
      expect((err as ToolError).message).toMatch(re);
    }
    expect(events).toEqual([]);
  });
});

import { open, stat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { defineTool, ToolError } from "../contract.js";

export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

export const ViewImageArgs = z.object({
  path: z.string().describe("Path to a local image file (absolute, or relative to the working directory)."),
});
export type ViewImageArgs = z.infer<typeof ViewImageArgs>;

/** MIME type from the file's first bytes; the extension is not trusted. */
export function sniffImageMime(head: Uint8Array): string | undefined {
  const b = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return "image/png";
  }
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "image/jpeg";
  const ascii = b.subarray(0, 12).toString("latin1");
  if (ascii.startsWith("GIF87a") || ascii.startsWith("GIF89a")) return "image/gif";
  if (ascii.startsWith("RIFF") && ascii.slice(8, 12) === "WEBP") return "image/webp";
  return undefined;
}

const DESCRIPTION = "Look at a local image file (PNG, JPEG, GIF or WebP) by attaching it to the conversation.";

export const viewImageTool = defineTool<ViewImageArgs>({
  name: "view_image",
  description: DESCRIPTION,
  args: ViewImageArgs,
  isMutating: () => false,
  async handle(args, ctx) {
    const abs = path.resolve(ctx.cwd, args.path);
    let size: number;
    try {
      const st = await stat(abs);
      if (!st.isFile()) throw ToolError.toModel(`unable to read image at \`${abs}\`: not a file`);
      size = st.size;
    } catch (err) {
      if (err instanceof ToolError) throw err;
      throw ToolError.toModel(`unable to locate image at \`${abs}\`: ${(err as Error).message}`);
    }
    if (size > MAX_IMAGE_BYTES) {
      throw ToolError.toModel(`image at \`${abs}\` is too large (${size} bytes; limit ${MAX_IMAGE_BYTES})`);
    }
    const handle = await open(abs, "r");
    let data: Buffer;
    try {
      data = await handle.readFile();
    } finally {
      await handle.close();
    }
    const mime = sniffImageMime(data.subarray(0, 16));
    if (!mime) throw ToolError.toModel(`\`${abs}\` is not a supported image (png, jpeg, gif, webp)`);
    ctx.emit({ type: "view_image", callId: ctx.callId, path: abs });
    const image_url = `data:${mime};base64,${data.toString("base64")}`;
    // Code mode's `tools.view_image()` resolves to `{ image_url }`, which `image()` accepts as is.
    return { content: [{ type: "input_image", image_url }], success: true, structured: { image_url } };
  },
});

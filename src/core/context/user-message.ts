import { open, readFile } from "node:fs/promises";
import path from "node:path";
import type { MessageItem, UserInput } from "../../protocol/items.js";

export type ReadImage = (absolutePath: string) => Promise<string>;

export interface UserMessageOptions {
  /** Base for relative `local_image` paths. */
  cwd: string;
  /** Turns an image file into a `data:` URL; defaults to reading it as-is. */
  readImage?: ReadImage;
  /** Client-side item id (`msg_…`), when ids are wanted. */
  id?: string;
}

function sniffMime(buf: Buffer): string | null {
  if (buf.length >= 8 && buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return "image/png";
  }
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return "image/jpeg";
  if (buf.length >= 6 && (buf.toString("latin1", 0, 6) === "GIF87a" || buf.toString("latin1", 0, 6) === "GIF89a")) {
    return "image/gif";
  }
  if (buf.length >= 12 && buf.toString("latin1", 0, 4) === "RIFF" && buf.toString("latin1", 8, 12) === "WEBP") {
    return "image/webp";
  }
  return null;
}

/** Why a local image cannot go to the model: the file cannot be read, or its bytes are not an image we know. */
export class ImageInputError extends Error {
  constructor(
    readonly kind: "unreadable" | "undecodable",
    readonly file: string,
    /** `ENOENT`, `EACCES`... for unreadable files. */
    readonly reason: string,
  ) {
    super(
      kind === "unreadable"
        ? `${file}: cannot read image (${reason})`
        : `${file}: unsupported image format (expected PNG, JPEG, GIF or WebP)`,
    );
    this.name = "ImageInputError";
  }
}

const SNIFF_BYTES = 12;

function readError(file: string, err: unknown): ImageInputError {
  return new ImageInputError("unreadable", file, (err as NodeJS.ErrnoException).code ?? String(err));
}

/** Reads an image file into a base64 `data:` URL; the format is taken from the file's bytes. */
export async function readImageAsDataUrl(file: string): Promise<string> {
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (err) {
    throw readError(file, err);
  }
  const mime = sniffMime(buf);
  if (mime === null) throw new ImageInputError("undecodable", file, "unknown format");
  return `data:${mime};base64,${buf.toString("base64")}`;
}

/**
 * The same checks as readImageAsDataUrl on the file's first bytes only: null when the image will go to
 * the model, else the problem (front ends warn with it before the turn starts).
 */
export async function inspectLocalImage(file: string): Promise<ImageInputError | null> {
  let head: Buffer;
  try {
    const handle = await open(file, "r");
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(SNIFF_BYTES), 0, SNIFF_BYTES, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (err) {
    return readError(file, err);
  }
  return sniffMime(head) === null ? new ImageInputError("undecodable", file, "unknown format") : null;
}

/** What a person is told when an attached image is left out (the turn goes on with a note in its place). */
export function imageProblemWarning(problem: ImageInputError): string {
  return problem.kind === "unreadable"
    ? `could not read image ${problem.file} (${problem.reason}); the prompt is sent with a note in its place`
    : `${problem.file} is not a PNG, JPEG, GIF or WebP image; the prompt is sent with a note in its place`;
}

/** Stands in for an image whose bytes could not be decoded. */
export const UNDECODABLE_IMAGE_NOTE = "The image was left out: its content could not be decoded.";

const escapeAttr = (v: string): string => v.replace(/&/g, "&amp;").replace(/"/g, "&quot;");

/**
 * One user message from a turn's inputs: every image first, each wrapped as
 * `<image name=[Image #N] path="…">`, input_image (detail "original"), `</image>`; then the text.
 */
export async function userMessageItem(inputs: readonly UserInput[], o: UserMessageOptions): Promise<MessageItem> {
  const readImage = o.readImage ?? readImageAsDataUrl;
  const images: MessageItem["content"] = [];
  const texts: MessageItem["content"] = [];
  let n = 0;
  for (const input of inputs) {
    if (input.type === "text") {
      texts.push({ type: "input_text", text: input.text });
    } else if (input.type === "local_image") {
      n++;
      const abs = path.resolve(o.cwd, input.path);
      const openTag = `<image name=[Image #${n}] path="${escapeAttr(input.path)}">`;
      let url: string;
      try {
        url = await readImage(abs);
      } catch (err) {
        // As the reference does, a bad image does not stop the turn: the model gets a note in its place.
        if (!(err instanceof ImageInputError)) throw err;
        if (err.kind === "unreadable") {
          images.push({ type: "input_text", text: `The local image \`${input.path}\` could not be read (${err.reason}).` });
        } else {
          images.push(
            { type: "input_text", text: openTag },
            { type: "input_text", text: UNDECODABLE_IMAGE_NOTE },
            { type: "input_text", text: "</image>" },
          );
        }
        continue;
      }
      images.push(
        { type: "input_text", text: openTag },
        { type: "input_image", image_url: url, detail: "original" },
        { type: "input_text", text: "</image>" },
      );
    } else {
      n++;
      images.push(
        { type: "input_text", text: `<image name=[Image #${n}]>` },
        { type: "input_image", image_url: input.image_url, detail: "original" },
        { type: "input_text", text: "</image>" },
      );
    }
  }
  const content = [...images, ...texts];
  if (content.length === 0) throw new Error("user input is empty: give text or at least one image");
  return o.id === undefined
    ? { type: "message", role: "user", content }
    : { type: "message", id: o.id, role: "user", content };
}

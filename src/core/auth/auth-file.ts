import fs from "node:fs/promises";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { z } from "zod";

/** `$CODEX_HOME/auth.json`. Unknown keys are kept so a file written by upstream Codex round-trips. */
export const AuthFile = z.looseObject({
  OPENAI_API_KEY: z.string().nullable().optional(),
  tokens: z
    .looseObject({
      id_token: z.unknown().optional(),
      access_token: z.string().optional(),
      refresh_token: z.string().optional(),
      account_id: z.string().nullable().optional(),
    })
    .nullable()
    .optional(),
  last_refresh: z.string().nullable().optional(),
  auth_mode: z.string().optional(),
});
export type AuthFile = z.infer<typeof AuthFile>;

export function authFilePath(codexHome: string): string {
  return path.join(codexHome, "auth.json");
}

/** Parsed auth.json, or null when absent. A corrupt file is an error naming the file. */
export async function readAuthFile(codexHome: string): Promise<AuthFile | null> {
  const file = authFilePath(codexHome);
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${file}: not valid JSON`);
  }
  const parsed = AuthFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: invalid ${issue?.path.map(String).join(".") || "content"}: ${issue?.message}`);
  }
  return parsed.data;
}

/** Writes auth.json via temp file + rename, mode 0600, creating $CODEX_HOME (0700) when missing. */
export async function writeAuthFile(codexHome: string, data: AuthFile): Promise<void> {
  await fs.mkdir(codexHome, { recursive: true, mode: 0o700 });
  const file = authFilePath(codexHome);
  const tmp = `${file}.tmp-${randomBytes(6).toString("hex")}`;
  try {
    await fs.writeFile(tmp, JSON.stringify(data, null, 2) + "\n", { mode: 0o600, flag: "wx" });
    // writeFile's mode is filtered by umask; set it explicitly so it is exactly 0600.
    await fs.chmod(tmp, 0o600);
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

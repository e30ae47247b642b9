import * as fsp from "node:fs/promises";

export interface PatchFileStat {
  isFile: boolean;
  isDirectory: boolean;
  mode: number;
}

/** The only I/O the engine does; tests inject failures through it. Errors are Node errno errors (`code`). */
export interface PatchFs {
  readFile(path: string): Promise<string>;
  /** Follows symlinks; null when nothing exists at the path. */
  stat(path: string): Promise<PatchFileStat | null>;
  realpath(path: string): Promise<string>;
  writeFile(path: string, data: string, options: { mode?: number }): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** Recursive; returns the first directory it had to create, if any. */
  mkdirp(path: string): Promise<string | undefined>;
  rmdir(path: string): Promise<void>;
}

export function nodePatchFs(): PatchFs {
  return {
    readFile: (p) => fsp.readFile(p, "utf8"),
    async stat(p) {
      try {
        const s = await fsp.stat(p);
        return { isFile: s.isFile(), isDirectory: s.isDirectory(), mode: s.mode & 0o7777 };
      } catch (err) {
        if (errnoCode(err) === "ENOENT" || errnoCode(err) === "ENOTDIR") return null;
        throw err;
      }
    },
    realpath: (p) => fsp.realpath(p),
    async writeFile(p, data, o) {
      await fsp.writeFile(p, data);
      // Explicit chmod: the `mode` option of writeFile is filtered by the umask.
      if (o.mode !== undefined) await fsp.chmod(p, o.mode);
    },
    rename: (a, b) => fsp.rename(a, b),
    unlink: (p) => fsp.unlink(p),
    mkdirp: (p) => fsp.mkdir(p, { recursive: true }),
    rmdir: (p) => fsp.rmdir(p),
  };
}

export function errnoCode(err: unknown): string | undefined {
  return typeof err === "object" && err !== null && "code" in err ? String((err as { code: unknown }).code) : undefined;
}

const OS_ERRORS: Record<string, string> = {
  ENOENT: "No such file or directory (os error 2)",
  EACCES: "Permission denied (os error 13)",
  EPERM: "Operation not permitted (os error 1)",
  EISDIR: "Is a directory (os error 21)",
  ENOTDIR: "Not a directory (os error 20)",
  EEXIST: "File exists (os error 17)",
  ENOSPC: "No space left on device (os error 28)",
  EROFS: "Read-only file system (os error 30)",
};

/** Render an fs error the way Codex does (Rust io::Error display), so messages match upstream. */
export function describeIoError(err: unknown): string {
  const code = errnoCode(err);
  if (code !== undefined && OS_ERRORS[code] !== undefined) return OS_ERRORS[code];
  return err instanceof Error ? err.message : String(err);
}

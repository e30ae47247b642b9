// A layer of configuration as read (before any schema check), and the one test for "a TOML table". Kept apart
// from validate-layer.ts (zod) so what reads layers at start-up does not build the schemas.

/** One source of config values: a file, a profile table inside a file, or a `-c` override. */
export interface ConfigLayer {
  /** File path, or the raw `-c` argument for overrides. */
  source: string;
  kind: "file" | "override";
  /** File text, used to find line numbers. */
  text?: string;
  /** Key path of `table` inside the file (e.g. ["profiles", "fast"]) so errors name the real key. */
  prefix?: string[];
  table: Record<string, unknown>;
}

export function isTable(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date);
}

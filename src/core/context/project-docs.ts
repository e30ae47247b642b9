import { readFile, stat } from "node:fs/promises";
import path from "node:path";

export const AGENTS_MD = "AGENTS.md";
export const AGENTS_OVERRIDE_MD = "AGENTS.override.md";
/** Marks where project docs start when global instructions precede them. */
export const PROJECT_DOC_SEPARATOR = "\n\n--- project-doc ---\n\n";

export interface LoadProjectDocsOptions {
  codexHome: string;
  cwd: string;
  /** `project_doc_max_bytes`: budget for the project (not global) docs; 0 disables them. */
  maxBytes: number;
  /** `project_doc_fallback_filenames`, tried after AGENTS.md in each directory. */
  fallbackFilenames?: string[];
  /** Files or folders that mark the project root; `.git` by default. Empty: only cwd is searched. */
  projectRootMarkers?: string[];
}

export interface ProjectDocs {
  /** The combined text ("" when nothing was found). */
  text: string;
  /** Every file that contributed, global first, then root → cwd. */
  paths: string[];
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

async function readIfFile(p: string): Promise<Buffer | null> {
  try {
    const s = await stat(p);
    return s.isFile() ? await readFile(p) : null;
  } catch {
    return null;
  }
}

/** Cuts `buf` to at most `max` bytes without splitting a UTF-8 sequence. */
function truncateUtf8(buf: Buffer, max: number): Buffer {
  if (buf.length <= max) return buf;
  let end = max;
  // Step back over continuation bytes (10xxxxxx) to the start of the cut character.
  while (end > 0 && ((buf[end] ?? 0) & 0xc0) === 0x80) end--;
  return buf.subarray(0, end);
}

/** Directories from the project root down to cwd (inclusive); just cwd when no root marker is found. */
async function searchDirs(cwd: string, markers: string[]): Promise<string[]> {
  const chain: string[] = [];
  let dir = path.resolve(cwd);
  for (;;) {
    chain.push(dir);
    for (const m of markers) {
      if (await exists(path.join(dir, m))) return chain.reverse();
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return [path.resolve(cwd)];
}

function candidateNames(fallbacks: string[]): string[] {
  const names = [AGENTS_OVERRIDE_MD, AGENTS_MD];
  for (const f of fallbacks) if (f !== "" && !names.includes(f)) names.push(f);
  return names;
}

async function loadGlobal(codexHome: string): Promise<{ text: string; path: string } | null> {
  for (const name of [AGENTS_OVERRIDE_MD, AGENTS_MD]) {
    const p = path.join(codexHome, name);
    const buf = await readIfFile(p);
    if (buf !== null && buf.toString("utf8").trim() !== "") return { text: buf.toString("utf8"), path: p };
  }
  return null;
}

/**
 * Global instructions (`$CODEX_HOME/AGENTS.override.md`, else `AGENTS.md`) followed by project
 * docs: one file per directory from the project root down to cwd, where AGENTS.override.md beats
 * AGENTS.md beats the fallback names. Project docs share `maxBytes`; the file that crosses the
 * budget is truncated and later ones are dropped.
 */
export async function loadProjectDocs(o: LoadProjectDocsOptions): Promise<ProjectDocs> {
  const paths: string[] = [];
  const parts: string[] = [];
  const global = await loadGlobal(o.codexHome);
  if (global) {
    parts.push(global.text);
    paths.push(global.path);
  }

  const project: string[] = [];
  let remaining = Math.max(0, Math.floor(o.maxBytes));
  if (remaining > 0) {
    const names = candidateNames(o.fallbackFilenames ?? []);
    for (const dir of await searchDirs(o.cwd, o.projectRootMarkers ?? [".git"])) {
      if (remaining <= 0) break;
      for (const name of names) {
        const p = path.join(dir, name);
        const buf = await readIfFile(p);
        if (buf === null) continue;
        const kept = truncateUtf8(buf, remaining);
        const text = kept.toString("utf8");
        if (text.trim() !== "") {
          project.push(text);
          paths.push(p);
          remaining -= kept.length;
        }
        // Bytes left after a character-boundary cut must not admit a fragment of the next file.
        if (kept.length < buf.length) remaining = 0;
        break;
      }
    }
  }

  let text = parts.join("");
  if (project.length > 0) text = (text === "" ? "" : text + PROJECT_DOC_SEPARATOR) + project.join("\n\n");
  return { text, paths };
}

/** The user message text that carries AGENTS.md content for `directory`. */
export function agentsMdMessageText(o: { directory: string; text: string }): string {
  return `# AGENTS.md instructions for ${o.directory}\n\n<INSTRUCTIONS>\n${o.text}\n</INSTRUCTIONS>`;
}

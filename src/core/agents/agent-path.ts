// Agents are addressed by path: the person's agent is `/root`, a child it spawns as `worker` is
// `/root/worker`, that child's own child `/root/worker/<name>`. A target given to a collaboration tool
// may be absolute, or relative to the caller (`worker` from `/root` is `/root/worker`).

export const ROOT_AGENT_PATH = "/root";

const TASK_NAME = /^[a-z0-9_]+$/;

/** Why a task name is refused, or null when it is a valid single path segment. */
export function taskNameProblem(name: string): string | null {
  if (!TASK_NAME.test(name)) return "agent_name must use only lowercase letters, digits, and underscores";
  return null;
}

export function childPath(parent: string, taskName: string): string {
  return `${parent}/${taskName}`;
}

/** Nesting below the root: `/root` is 0, `/root/a` 1, `/root/a/b` 2. */
export function pathDepth(path: string): number {
  return path.split("/").length - 2;
}

export function parentPath(path: string): string | null {
  if (path === ROOT_AGENT_PATH) return null;
  return path.slice(0, path.lastIndexOf("/"));
}

/** The absolute path a caller means by `target`. */
export function resolveTargetPath(caller: string, target: string): string {
  const trimmed = target.trim().replace(/\/+$/, "");
  if (trimmed === ROOT_AGENT_PATH || trimmed.startsWith(`${ROOT_AGENT_PATH}/`)) return trimmed;
  if (trimmed.startsWith("/")) return trimmed;
  return `${caller}/${trimmed}`;
}

/** True when `path` is `prefix` itself or below it (whole segments: `/root/w` does not cover `/root/worker`). */
export function isUnderPath(path: string, prefix: string): boolean {
  const p = prefix.replace(/\/+$/, "");
  return path === p || path.startsWith(`${p}/`);
}

/** Whether a process with this pid exists. EPERM means it exists but belongs to someone else: alive all the same. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === "EPERM";
  }
}

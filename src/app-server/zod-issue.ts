import type { z } from "zod";

/** `threadId: Invalid input: expected string, received number` — the first issue, with its path. */
export function zodIssuePath(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid value";
  const where = issue.path.length > 0 ? issue.path.map(String).join(".") : "params";
  return `${where}: ${issue.message}`;
}

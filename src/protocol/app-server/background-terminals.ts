import { z } from "zod";

// Experimental `thread/backgroundTerminals/list` and `/clean` (v2, need `capabilities.experimentalApi`).

export const ThreadBackgroundTerminalsListParams = z.object({
  threadId: z.string(),
  cursor: z.string().nullish(),
  limit: z.number().int().min(0).nullish(),
}).meta({ id: "ThreadBackgroundTerminalsListParams" });
export type ThreadBackgroundTerminalsListParams = z.infer<typeof ThreadBackgroundTerminalsListParams>;

export const ThreadBackgroundTerminal = z.object({
  itemId: z.string(),
  processId: z.string(),
  command: z.string(),
  cwd: z.string(),
  osPid: z.number().int().nullable(),
  cpuPercent: z.number().nullable(),
  rssKb: z.number().int().nullable(),
}).meta({ id: "ThreadBackgroundTerminal" });
export type ThreadBackgroundTerminal = z.infer<typeof ThreadBackgroundTerminal>;

export const ThreadBackgroundTerminalsListResponse = z.object({
  data: z.array(ThreadBackgroundTerminal),
  nextCursor: z.string().nullable(),
}).meta({ id: "ThreadBackgroundTerminalsListResponse" });
export type ThreadBackgroundTerminalsListResponse = z.infer<typeof ThreadBackgroundTerminalsListResponse>;

export const ThreadBackgroundTerminalsCleanParams = z.object({ threadId: z.string() }).meta({ id: "ThreadBackgroundTerminalsCleanParams" });
export const ThreadBackgroundTerminalsCleanResponse = z.object({}).meta({ id: "ThreadBackgroundTerminalsCleanResponse" });

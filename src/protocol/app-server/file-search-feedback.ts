import { z } from "zod";

// `fuzzyFileSearch` (v1-style snake_case result fields, as the reference has them) and `feedback/upload` (v2).

export const FuzzyFileSearchParams = z.object({
  query: z.string(),
  roots: z.array(z.string()),
  cancellationToken: z.string().nullable().default(null),
}).meta({ id: "FuzzyFileSearchParams" });
export type FuzzyFileSearchParams = z.infer<typeof FuzzyFileSearchParams>;

export const FuzzyFileSearchResult = z.object({
  root: z.string(),
  path: z.string(),
  match_type: z.enum(["file", "directory"]),
  file_name: z.string(),
  score: z.number().int(),
  indices: z.array(z.number().int()).nullable(),
}).meta({ id: "FuzzyFileSearchResult" });
export type FuzzyFileSearchResult = z.infer<typeof FuzzyFileSearchResult>;

export const FuzzyFileSearchResponse = z.object({ files: z.array(FuzzyFileSearchResult) }).meta({ id: "FuzzyFileSearchResponse" });
export type FuzzyFileSearchResponse = z.infer<typeof FuzzyFileSearchResponse>;

export const FeedbackUploadParams = z.object({
  classification: z.string(),
  reason: z.string().nullish(),
  threadId: z.string().nullish(),
  includeLogs: z.boolean().optional(),
  extraLogFiles: z.array(z.string()).nullish(),
  tags: z.record(z.string(), z.string()).nullish(),
}).meta({ id: "FeedbackUploadParams" });
export type FeedbackUploadParams = z.infer<typeof FeedbackUploadParams>;

export const FeedbackUploadResponse = z.object({
  threadId: z.string(),
  promptHash: z.string().nullable(),
  /** Ours: where the bundle was written (nothing is uploaded; the person attaches the file). */
  bundlePath: z.string().optional(),
}).meta({ id: "FeedbackUploadResponse" });
export type FeedbackUploadResponse = z.infer<typeof FeedbackUploadResponse>;

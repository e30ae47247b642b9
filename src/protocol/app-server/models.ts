import { z } from "zod";

// `model/list` (v2), as the reference's generated schema has it.

export const ModelListParams = z.object({
  modelProvider: z.string().nullish(),
  cursor: z.string().nullish(),
  limit: z.number().int().min(0).nullish(),
  includeHidden: z.boolean().nullish(),
}).meta({ id: "ModelListParams" });
export type ModelListParams = z.infer<typeof ModelListParams>;

export const ReasoningEffortOption = z.object({ reasoningEffort: z.string(), description: z.string() }).meta({ id: "ReasoningEffortOption" });

export const Model = z.object({
  id: z.string(),
  model: z.string(),
  upgrade: z.string().nullable(),
  upgradeInfo: z
    .object({
      model: z.string(),
      upgradeCopy: z.string().nullable(),
      modelLink: z.string().nullable(),
      migrationMarkdown: z.string().nullable(),
      retirementAt: z.number().nullable(),
    })
    .nullable(),
  availabilityNux: z.object({ message: z.string() }).nullable(),
  displayName: z.string(),
  description: z.string(),
  modelSpecialty: z.string().nullable(),
  hidden: z.boolean(),
  supportedReasoningEfforts: z.array(ReasoningEffortOption),
  defaultReasoningEffort: z.string(),
  inputModalities: z.array(z.enum(["text", "image", "audio"])),
  supportsPersonality: z.boolean(),
  multiAgentVersion: z.enum(["disabled", "v1", "v2"]).nullable(),
  additionalSpeedTiers: z.array(z.string()),
  serviceTiers: z.array(z.object({ id: z.string(), name: z.string(), description: z.string() })),
  defaultServiceTier: z.string().nullable(),
  availableAccessPrograms: z.object({ cyber: z.array(z.unknown()) }).nullable(),
  isDefault: z.boolean(),
}).meta({ id: "Model" });
export type Model = z.infer<typeof Model>;

export const ModelListResponse = z.object({ data: z.array(Model), nextCursor: z.string().nullable() }).meta({ id: "ModelListResponse" });
export type ModelListResponse = z.infer<typeof ModelListResponse>;

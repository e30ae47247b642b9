import { z } from "zod";
import { JsonValue } from "./command-exec.js";

// `config/read`, `config/value/write`, `config/batchWrite` (v2), as the reference's generated schema has them.

export const ConfigReadParams = z.object({ includeLayers: z.boolean().optional(), cwd: z.string().nullish() }).meta({ id: "ConfigReadParams" });
export type ConfigReadParams = z.infer<typeof ConfigReadParams>;

export const ConfigLayerSource = z.discriminatedUnion("type", [
  z.object({ type: z.literal("packagedDefaults"), file: z.string() }),
  z.object({ type: z.literal("mdm"), domain: z.string(), key: z.string() }),
  z.object({ type: z.literal("system"), file: z.string() }),
  z.object({ type: z.literal("enterpriseManaged"), id: z.string(), name: z.string() }),
  z.object({ type: z.literal("user"), file: z.string(), profile: z.string().nullable() }),
  z.object({ type: z.literal("project"), dotCodexFolder: z.string() }),
  z.object({ type: z.literal("sessionFlags") }),
  z.object({ type: z.literal("legacyManagedConfigTomlFromFile"), file: z.string() }),
  z.object({ type: z.literal("legacyManagedConfigTomlFromMdm") }),
]).meta({ id: "ConfigLayerSource" });
export type ConfigLayerSource = z.infer<typeof ConfigLayerSource>;

export const ConfigLayerMetadata = z.object({ name: ConfigLayerSource, version: z.string() }).meta({ id: "ConfigLayerMetadata" });
export const ConfigLayer = z.object({
  name: ConfigLayerSource,
  version: z.string(),
  config: JsonValue,
  disabledReason: z.string().nullish(),
}).meta({ id: "ConfigLayer" });
export type ConfigLayer = z.infer<typeof ConfigLayer>;

export const ConfigReadResponse = z.object({
  /** The effective config: the reference's typed keys (null when unset) plus every other key as merged. */
  config: z.record(z.string(), JsonValue),
  origins: z.record(z.string(), ConfigLayerMetadata),
  layers: z.array(ConfigLayer).nullable(),
}).meta({ id: "ConfigReadResponse" });
export type ConfigReadResponse = z.infer<typeof ConfigReadResponse>;

export const MergeStrategy = z.enum(["replace", "upsert"]).meta({ id: "MergeStrategy" });

export const ConfigValueWriteParams = z.object({
  keyPath: z.string(),
  // Required, though null is a value (it removes the key): a missing `value` is refused.
  value: z.custom<unknown>((v) => v !== undefined, { message: "missing field `value`" }),
  mergeStrategy: MergeStrategy,
  filePath: z.string().nullish(),
  expectedVersion: z.string().nullish(),
}).meta({ id: "ConfigValueWriteParams" });
export type ConfigValueWriteParams = z.infer<typeof ConfigValueWriteParams>;

export const ConfigEdit = z.object({
  keyPath: z.string(),
  value: z.custom<unknown>((v) => v !== undefined, { message: "missing field `value`" }),
  mergeStrategy: MergeStrategy,
}).meta({ id: "ConfigEdit" });

export const ConfigBatchWriteParams = z.object({
  edits: z.array(ConfigEdit),
  filePath: z.string().nullish(),
  expectedVersion: z.string().nullish(),
  reloadUserConfig: z.boolean().optional(),
}).meta({ id: "ConfigBatchWriteParams" });
export type ConfigBatchWriteParams = z.infer<typeof ConfigBatchWriteParams>;

export const ConfigWriteResponse = z.object({
  status: z.enum(["ok", "okOverridden"]),
  version: z.string(),
  filePath: z.string(),
  overriddenMetadata: z
    .object({ message: z.string(), overridingLayer: ConfigLayerMetadata, effectiveValue: JsonValue })
    .nullable(),
}).meta({ id: "ConfigWriteResponse" });
export type ConfigWriteResponse = z.infer<typeof ConfigWriteResponse>;

import { pickerModels } from "../../core/index.js";
import { ModelListParams, ModelListResponse, type Model } from "../../protocol/app-server/models.js";
import { defineMethod, type MethodDef } from "../method-table.js";
import { page } from "./server-config.js";

// `model/list`: core's picker list in the reference's Model shape, paged by cursor.

const list = defineMethod({
  method: "model/list",
  params: ModelListParams,
  result: ModelListResponse,
  async handle(p) {
    const models: Model[] = pickerModels({ includeHidden: p.includeHidden === true }).map((m) => ({
      id: m.slug,
      model: m.slug,
      upgrade: null,
      upgradeInfo: null,
      availabilityNux: null,
      displayName: m.displayName,
      description: m.description,
      modelSpecialty: null,
      hidden: m.hidden,
      supportedReasoningEfforts: m.reasoningEfforts.map((e) => ({ reasoningEffort: e.effort, description: e.description })),
      defaultReasoningEffort: m.defaultReasoningEffort,
      inputModalities: m.inputModalities,
      supportsPersonality: false,
      multiAgentVersion: null,
      additionalSpeedTiers: [],
      serviceTiers: [],
      defaultServiceTier: null,
      availableAccessPrograms: null,
      isDefault: m.isDefault,
    }));
    return page(models, p);
  },
});

export const modelMethods: MethodDef[] = [list];

import { DEFAULT_MODEL, modelInfo } from "./catalog.js";

// The models a person picks from (app-server model/list, the TUI's /model): our catalogue's slugs with what a
// picker shows. Hidden entries are known to the catalogue but left out of the default list.

export interface PickerModel {
  slug: string;
  displayName: string;
  description: string;
  hidden: boolean;
  reasoningEfforts: Array<{ effort: string; description: string }>;
  defaultReasoningEffort: string;
  inputModalities: Array<"text" | "image">;
  isDefault: boolean;
}

const EFFORT_TEXT: Record<string, string> = {
  minimal: "Fastest responses with very little reasoning",
  low: "Fast responses with lighter reasoning",
  medium: "Balances speed and reasoning depth for everyday tasks",
  high: "Greater reasoning depth for complex problems",
  xhigh: "Extra high reasoning depth for complex problems",
};

const ENTRIES: ReadonlyArray<{ slug: string; name: string; description: string; efforts: string[]; hidden?: boolean; text?: boolean }> = [
  { slug: "gpt-5.5", name: "GPT-5.5", description: "Frontier model for coding and everyday work.", efforts: ["low", "medium", "high", "xhigh"] },
  { slug: "gpt-5.4", name: "GPT-5.4", description: "Previous frontier model.", efforts: ["low", "medium", "high", "xhigh"] },
  { slug: "gpt-5.3-codex", name: "GPT-5.3-Codex", description: "Codex-tuned model for agentic coding.", efforts: ["low", "medium", "high", "xhigh"] },
  { slug: "gpt-5.2", name: "GPT-5.2", description: "Older general model.", efforts: ["low", "medium", "high", "xhigh"], hidden: true },
  { slug: "gpt-5.2-codex", name: "GPT-5.2-Codex", description: "Older Codex-tuned model.", efforts: ["low", "medium", "high", "xhigh"], hidden: true },
  { slug: "gpt-5.1-codex", name: "GPT-5.1-Codex", description: "Older Codex-tuned model.", efforts: ["low", "medium", "high"], hidden: true },
  { slug: "gpt-5", name: "GPT-5", description: "Older general model.", efforts: ["minimal", "low", "medium", "high"], hidden: true },
  { slug: "o3", name: "o3", description: "Reasoning model.", efforts: ["low", "medium", "high"], hidden: true },
  { slug: "o4-mini", name: "o4-mini", description: "Small reasoning model.", efforts: ["low", "medium", "high"], hidden: true },
];

export function pickerModels(o: { includeHidden: boolean }): PickerModel[] {
  return ENTRIES.filter((e) => o.includeHidden || !e.hidden).map((e) => {
    const info = modelInfo(e.slug);
    return {
      slug: e.slug,
      displayName: e.name,
      description: e.description,
      hidden: e.hidden === true,
      reasoningEfforts: e.efforts.map((effort) => ({ effort, description: EFFORT_TEXT[effort] ?? effort })),
      defaultReasoningEffort: info.defaultReasoningEffort ?? "medium",
      inputModalities: ["text", "image"],
      isDefault: e.slug === DEFAULT_MODEL,
    };
  });
}

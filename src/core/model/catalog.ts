// What we know about each model slug: context window, reasoning/verbosity support, which shell and
// apply_patch tool shapes it expects. Unknown slugs get conservative defaults and `known: false`.

export type ShellToolKind = "exec_command" | "shell_command";
export type ApplyPatchToolKind = "freeform" | "function";

export interface ModelInfo {
  slug: string;
  contextWindow: number;
  supportsReasoning: boolean;
  defaultReasoningEffort?: string;
  supportsReasoningSummaries: boolean;
  supportsVerbosity: boolean;
  defaultVerbosity?: string;
  shellTool: ShellToolKind;
  applyPatchTool: ApplyPatchToolKind;
  parallelToolCalls: boolean;
  /** Tools travel in an input item instead of the `tools` key (see code-mode spec). */
  codeModeOnly: boolean;
  /** The model can call the client-executed `tool_search` tool (deferred MCP tools). */
  supportsToolSearch: boolean;
  known: boolean;
}

export const DEFAULT_MODEL = "gpt-5.5";
export const DEFAULT_OSS_MODEL = "gpt-oss:20b";

type Entry = Omit<ModelInfo, "slug" | "known">;

// Codex-tuned variants ignore `text.verbosity` and were trained on the shell_command tool.
const GPT5_CODEX: Entry = {
  contextWindow: 272_000,
  supportsReasoning: true,
  defaultReasoningEffort: "medium",
  supportsReasoningSummaries: true,
  supportsVerbosity: false,
  shellTool: "shell_command",
  applyPatchTool: "freeform",
  parallelToolCalls: true,
  codeModeOnly: false,
  supportsToolSearch: false,
};

// The reference sends gpt-5.5 a `tool_search` tool and defers MCP tools behind it (observed; 5.4 assumed alike).
const GPT5_BASE: Entry = {
  ...GPT5_CODEX,
  supportsToolSearch: true,
  supportsVerbosity: true,
  defaultVerbosity: "low",
  shellTool: "exec_command",
};

const NON_REASONING: Entry = {
  contextWindow: 128_000,
  supportsReasoning: false,
  supportsReasoningSummaries: false,
  supportsVerbosity: false,
  shellTool: "shell_command",
  applyPatchTool: "function",
  parallelToolCalls: true,
  codeModeOnly: false,
  supportsToolSearch: false,
};

const O_SERIES: Entry = {
  contextWindow: 200_000,
  supportsReasoning: true,
  defaultReasoningEffort: "medium",
  supportsReasoningSummaries: true,
  supportsVerbosity: false,
  shellTool: "shell_command",
  applyPatchTool: "function",
  parallelToolCalls: true,
  codeModeOnly: false,
  supportsToolSearch: false,
};

const GPT_OSS: Entry = {
  contextWindow: 128_000,
  supportsReasoning: true,
  defaultReasoningEffort: "medium",
  supportsReasoningSummaries: false,
  supportsVerbosity: false,
  shellTool: "shell_command",
  applyPatchTool: "function",
  parallelToolCalls: false,
  codeModeOnly: false,
  supportsToolSearch: false,
};

/** Matched in order: first prefix that fits the slug wins, so more specific prefixes come first. */
const PREFIXES: ReadonlyArray<readonly [string, Entry]> = [
  ["gpt-5.5", GPT5_BASE],
  ["gpt-5.4", GPT5_BASE],
  ["gpt-5.3-codex", GPT5_CODEX],
  ["gpt-5.2-codex", GPT5_CODEX],
  ["gpt-5.1-codex", GPT5_CODEX],
  ["gpt-5-codex", GPT5_CODEX],
  ["codex-", GPT5_CODEX],
  ["gpt-5.2", { ...GPT5_BASE, shellTool: "shell_command", supportsToolSearch: false }],
  ["gpt-5.1", { ...GPT5_BASE, shellTool: "shell_command", supportsToolSearch: false }],
  ["gpt-5", { ...GPT5_BASE, shellTool: "shell_command", supportsToolSearch: false }],
  ["gpt-4.1", { ...NON_REASONING, contextWindow: 1_047_576 }],
  ["gpt-4o", NON_REASONING],
  ["o4-mini", O_SERIES],
  ["o3", O_SERIES],
  ["gpt-oss", GPT_OSS],
];

/** Unknown models: the plain non-reasoning profile, with tool calls run one at a time to be safe. */
const UNKNOWN: Entry = { ...NON_REASONING, parallelToolCalls: false };

export interface ModelInfoOverrides {
  /** `model_context_window` from config. */
  contextWindow?: number;
}

/** Looks a slug up (provider prefixes like `openai/` are ignored); callers warn when `known` is false. */
export function modelInfo(slug: string, overrides: ModelInfoOverrides = {}): ModelInfo {
  const bare = slug.includes("/") ? slug.slice(slug.lastIndexOf("/") + 1) : slug;
  const match = PREFIXES.find(([prefix]) => bare === prefix || bare.startsWith(prefix));
  const entry = match?.[1] ?? UNKNOWN;
  const info: ModelInfo = { ...entry, slug, known: match !== undefined };
  if (overrides.contextWindow !== undefined && overrides.contextWindow > 0) {
    info.contextWindow = overrides.contextWindow;
  }
  return info;
}

import { expect, test } from "vitest";
import { DEFAULT_MODEL, DEFAULT_OSS_MODEL, modelInfo } from "../../src/core/model/catalog.js";

test("defaults", () => {
  expect(DEFAULT_MODEL).toBe("gpt-5.5");
  expect(DEFAULT_OSS_MODEL).toBe("gpt-oss:20b");
});

test("gpt-5.5: reasoning, verbosity, exec_command, freeform apply_patch, parallel calls", () => {
  expect(modelInfo("gpt-5.5")).toEqual({
    slug: "gpt-5.5",
    contextWindow: 272_000,
    supportsReasoning: true,
    defaultReasoningEffort: "medium",
    supportsReasoningSummaries: true,
    supportsVerbosity: true,
    defaultVerbosity: "low",
    shellTool: "exec_command",
    applyPatchTool: "freeform",
    parallelToolCalls: true,
    codeModeOnly: false,
    supportsToolSearch: true,
    known: true,
  });
  expect(modelInfo("gpt-4.1").supportsToolSearch).toBe(false);
});

test("families resolve by prefix, most specific first", () => {
  expect(modelInfo("gpt-5.2-codex")).toMatchObject({ known: true, supportsVerbosity: false, shellTool: "shell_command" });
  expect(modelInfo("gpt-5.2-codex")).not.toHaveProperty("defaultVerbosity");
  expect(modelInfo("gpt-5.1")).toMatchObject({ known: true, supportsVerbosity: true });
  expect(modelInfo("gpt-4.1-mini")).toMatchObject({ known: true, supportsReasoning: false, contextWindow: 1_047_576 });
  expect(modelInfo("o3")).toMatchObject({ known: true, supportsReasoning: true, contextWindow: 200_000 });
  expect(modelInfo("o4-mini")).toMatchObject({ known: true, supportsReasoning: true });
  expect(modelInfo("gpt-oss:20b")).toMatchObject({ known: true, contextWindow: 128_000, applyPatchTool: "function" });
  expect(modelInfo("openai/gpt-oss-120b")).toMatchObject({ known: true, slug: "openai/gpt-oss-120b" });
});

test("unknown models: safe defaults, known:false; config context window overrides", () => {
  const info = modelInfo("llama-3-local");
  expect(info).toMatchObject({ known: false, supportsReasoning: false, supportsVerbosity: false, parallelToolCalls: false });
  expect(modelInfo("llama-3-local", { contextWindow: 32_000 }).contextWindow).toBe(32_000);
  expect(modelInfo("gpt-5.5", { contextWindow: 100_000 }).contextWindow).toBe(100_000);
});

import { existsSync, statSync } from "node:fs";
import path from "node:path";
import {
  createCodexRuntime,
  loadConfig,
  resolveSandboxPolicy,
  type CodexRuntime,
  type ResolvedConfig,
  type SubAgentEvent,
} from "../core/index.js";
import type { AskForApproval, SandboxPolicy } from "../protocol/policy.js";
import { JsonRpcError, type ConfigAccess } from "./method-table.js";

// Builds the core runtime a thread runs in, from the settings of thread/start, resume or fork layered
// over the server's own `-c` overrides (a runtime is per thread: cwd, model and policies are per thread).

export interface ThreadSettings {
  cwd?: string | null;
  model?: string | null;
  modelProvider?: string | null;
  sandbox?: "read-only" | "workspace-write" | "danger-full-access" | null;
  approvalPolicy?: AskForApproval | null;
  /** Who answers approvals: a person, or the guardian (Smart Approvals); config.toml's `approvals_reviewer`. */
  approvalsReviewer?: "user" | "auto_review" | "guardian_subagent" | null;
  /** Free-form config overrides (`{"model_reasoning_effort": "high", "features": {...}}`). */
  config?: Record<string, unknown> | null;
  baseInstructions?: string | null;
  developerInstructions?: string | null;
  ephemeral?: boolean | null;
}

export interface ThreadRuntime {
  runtime: CodexRuntime;
  config: ResolvedConfig;
  sandboxPolicy: SandboxPolicy;
  approvalPolicy: AskForApproval;
  ephemeral: boolean;
  /** Config and runtime warnings, for `configWarning` / `warning` notifications. */
  warnings: string[];
  /** The events of the sub-agents of this runtime's threads, for their root thread's session. */
  subAgentEvents: { listen(listener: (e: SubAgentEvent) => void): void };
}

export interface RuntimeFactory {
  create(settings: ThreadSettings, o: { originator: string }): Promise<ThreadRuntime>;
}

export function createRuntimeFactory(o: { config: ConfigAccess; helperBinDirs: string[] }): RuntimeFactory {
  return {
    async create(settings, { originator }) {
      const cwd = path.resolve(o.config.cwd, settings.cwd ?? ".");
      if (!existsSync(cwd) || !statSync(cwd).isDirectory()) {
        throw JsonRpcError.invalidRequest(`cwd does not exist or is not a directory: ${cwd}`);
      }
      const overrides = [...o.config.baseOverrides, ...configObjectToOverrides(settings.config ?? {})];
      if (settings.modelProvider) overrides.push(`model_provider=${JSON.stringify(settings.modelProvider)}`);
      if (settings.approvalsReviewer) overrides.push(`approvals_reviewer=${JSON.stringify(settings.approvalsReviewer)}`);
      if (settings.developerInstructions != null) {
        overrides.push(`developer_instructions=${JSON.stringify(settings.developerInstructions)}`);
      }
      let config: ResolvedConfig;
      try {
        config = await loadConfig({
          cwd,
          overrides,
          flags: {
            ...(settings.model ? { model: settings.model } : {}),
            ...(settings.sandbox ? { sandboxMode: settings.sandbox } : {}),
            ...(settings.approvalPolicy ? { approvalPolicy: settings.approvalPolicy } : {}),
            addDirs: [],
          },
          env: o.config.env,
        });
      } catch (err) {
        throw JsonRpcError.invalidRequest((err as Error).message);
      }
      const sandboxPolicy = resolveSandboxPolicy(config);
      const ephemeral = settings.ephemeral === true;
      const listeners: Array<(e: SubAgentEvent) => void> = [];
      let runtime: CodexRuntime;
      try {
        runtime = await createCodexRuntime({
          config,
          sandboxPolicy,
          approvalPolicy: config.approvalPolicy,
          env: o.config.env,
          originator,
          version: o.config.version,
          source: "vscode",
          ephemeral,
          interactiveApprovals: true,
          helperBinDirs: o.helperBinDirs,
          onSubAgentEvent: (e) => {
            for (const listener of listeners) listener(e);
          },
          ...(settings.baseInstructions != null ? { baseInstructions: settings.baseInstructions } : {}),
        });
      } catch (err) {
        throw JsonRpcError.invalidRequest((err as Error).message);
      }
      return {
        runtime,
        config,
        sandboxPolicy,
        approvalPolicy: config.approvalPolicy,
        ephemeral,
        warnings: [...config.warnings, ...runtime.warnings],
        subAgentEvents: { listen: (listener) => void listeners.push(listener) },
      };
    },
  };
}

/** `{a: {b: 1}, c: "x"}` → `["a.b=1", "c=\"x\""]` (JSON values are valid TOML for scalars and arrays). */
export function configObjectToOverrides(config: Record<string, unknown>, prefix = ""): string[] {
  return Object.entries(config).flatMap(([key, value]) => {
    const name = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      return configObjectToOverrides(value as Record<string, unknown>, name);
    }
    return value === null || value === undefined ? [] : [`${name}=${JSON.stringify(value)}`];
  });
}

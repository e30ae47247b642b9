import { mkdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { EventMsg } from "../protocol/events.js";
import type { AskForApproval, SandboxPolicy } from "../protocol/policy.js";
import { uuidv7 } from "../util/ids.js";
import { createApprovalGate } from "./approval/index.js";
import { loadExecPolicyOrWarn } from "./approval/exec-policy/index.js";
import { missingKeyMessage, providerNeedsKey, resolveApiKeyWithSource } from "./auth/index.js";
import type { ResolvedConfig } from "./config/types.js";
import { BASE_INSTRUCTIONS, buildInitialContext, userMessageItem } from "./context/index.js";
import { gitHasChanges, readGitFacts, sessionGitInfo, turnWorkspaces } from "./context/git-info.js";
import { buildChildEnv } from "./exec/child-env.js";
import { createLocalExecRunner } from "./exec/local-runner.js";
import { pruneSpool } from "./exec/spool-prune.js";
import { modelInfo } from "./model/catalog.js";
import { createNodeHttpFetch } from "./model/node-http-fetch.js";
import { createResponsesClient } from "./model/responses-client.js";
import { createRolloutStore, forkRollout, reconstructThread } from "./persistence/index.js";
import { createSandboxedExecRunner } from "./sandbox/index.js";
import { createTurnNotifier } from "./hooks/notify.js";
import { compactHistory, createCompactionObserver, noCompactionHooks, tokenBudget, type CompactionSettings } from "./compaction/index.js";
import { configureHooks, permissionView } from "./hooks/index.js";
import { turnRequestIdentity } from "./thread/request-headers.js";
import { createThreadManager, type ThreadManager } from "./thread/thread-manager.js";
import { buildToolset } from "./tools/toolset.js";
import { resolveMcpServers } from "./mcp/config.js";
import { withDeveloperText } from "./mcp/instructions.js";
import type { McpManager } from "./mcp/manager.js";
import { codeModeWarning } from "./code-mode/index.js";

export interface RuntimeOptions {
  config: ResolvedConfig;
  sandboxPolicy: SandboxPolicy;
  /** Effective approval policy (exec forces `never`). */
  approvalPolicy: AskForApproval;
  env: Record<string, string | undefined>;
  originator: string;
  version: string;
  source: "exec" | "cli" | "vscode" | "mcp";
  ephemeral: boolean;
  /** A person can answer approval requests (TUI, app-server); exec answers by policy alone. */
  interactiveApprovals: boolean;
  threadSource?: string;
  /** Directories put first on the PATH of model commands (where our `apply_patch` binary lives). */
  helperBinDirs?: string[];
  /** Replaces our base instructions (the `base-instructions` of a `codex mcp-server` call). */
  baseInstructions?: string;
}

export interface CodexRuntime {
  threads: ThreadManager;
  /** Non-fatal warnings found while wiring (unknown model...). */
  warnings: string[];
}

export class MissingApiKeyError extends Error {}

/** A slow `git status` (huge repo) must not hold the first request: past this, has_changes is left out. */
const GIT_STATUS_TIMEOUT_MS = 250;

/** The composition root: wires concrete implementations once. */
export async function createCodexRuntime(o: RuntimeOptions): Promise<CodexRuntime> {
  const { config } = o;
  const warnings: string[] = [];
  // Git facts are read from .git while the rest is wired; `git status` runs alongside, capped.
  const gitFacts = readGitFacts(config.cwd);
  const provider = config.modelProvider;
  const resolvedKey = await resolveApiKeyWithSource({ codexHome: config.codexHome, env: o.env, provider });
  const apiKey = resolvedKey?.key ?? null;
  if (apiKey === null && providerNeedsKey(provider)) {
    throw new MissingApiKeyError(missingKeyMessage(provider));
  }
  const info = modelInfo(config.model, { contextWindow: config.modelContextWindow });
  // MCP servers start now, in parallel, in the background; a thread waits for them at most their startup timeouts.
  const mcpServers = resolveMcpServers(config.raw);
  warnings.push(...mcpServers.warnings);
  // The MCP SDK loads only when a server is configured (a dynamic import: its own chunk, off the plain start path).
  const mcp: McpManager | undefined =
    mcpServers.servers.length > 0
      ? (await import("./mcp/manager.js")).createMcpManager({
          servers: mcpServers.servers,
          env: o.env,
          cwd: config.cwd,
          clientInfo: { name: "codex-mcp-client", version: o.version },
          ...(info.supportsToolSearch ? { toolSearch: { threshold: toolSearchThreshold(config.raw) } } : {}),
        })
      : undefined;
  mcp?.start();
  const mcpReady = async () => {
    if (!mcp) return;
    await mcp.ready();
    warnings.push(...mcp.takeWarnings());
  };
  const gitChanges = gitFacts.then((f) => (f ? gitHasChanges(f.root, { timeoutMs: GIT_STATUS_TIMEOUT_MS, env: o.env }) : undefined));
  const secrets = apiKey ? [apiKey] : [];
  if (!info.known) {
    warnings.push(`Model metadata for \`${config.model}\` not found. Defaulting to fallback metadata; this can degrade performance and cause issues.`);
  }
  const codeModeWarn = codeModeWarning({ info, features: config.features });
  if (codeModeWarn) warnings.push(codeModeWarn);
  const installationId = await ensureInstallationId(config.codexHome);
  const model = createResponsesClient({
    provider,
    auth: async () => apiKey,
    ...(resolvedKey ? { keySource: resolvedKey.source } : {}),
    originator: o.originator,
    version: o.version,
    env: o.env,
    fetch: createNodeHttpFetch(),
  });
  // Full output of commands that exceed the in-memory bound goes here (created on first use).
  const spoolDir = path.join(config.codexHome, "tmp", "spool");
  const exec = createSandboxedExecRunner(createLocalExecRunner({ spoolDir, secrets }));
  void pruneSpool(spoolDir);
  const { policy: rules, warning: rulesWarning } = await loadExecPolicyOrWarn({
    codexHome: config.codexHome,
    projectDirs: config.trustedProjectRoot ? [config.trustedProjectRoot] : [],
  });
  if (rulesWarning) warnings.push(rulesWarning);
  const store = createRolloutStore({ codexHome: config.codexHome });
  const childEnvFor = (threadId: string) => {
    const env = buildChildEnv(config.shellEnvironmentPolicy, o.env, {
      secretsToDrop: provider.envKey ? [provider.envKey] : [],
      networkDisabled: o.sandboxPolicy.mode !== "danger-full-access" && !o.sandboxPolicy.networkAccess,
      threadId,
    });
    const helpers = o.helperBinDirs ?? [];
    if (helpers.length > 0) env.PATH = [...helpers, env.PATH ?? ""].filter(Boolean).join(path.delimiter);
    return env;
  };
  const hooks = configureHooks(config, { env: o.env });
  warnings.push(...hooks.warnings);
  const notify = createTurnNotifier({ argv: config.notify, client: o.originator, env: o.env });
  const reasoningEffort = config.modelReasoningEffort ?? info.defaultReasoningEffort;
  const reasoning = info.supportsReasoning
    ? { effort: reasoningEffort, summary: config.modelReasoningSummary }
    : undefined;

  // A `codex mcp-server` call's base-instructions win over config's model_instructions_file.
  const baseOverride = o.baseInstructions ?? config.modelInstructions;
  const budget = tokenBudget({ contextWindow: info.contextWindow, autoCompactTokenLimit: config.modelAutoCompactTokenLimit });
  const compaction: CompactionSettings = {
    limit: budget.limit,
    usableWindow: budget.usableWindow,
    userMessageBudget: 20_000,
    baseInstructionsText: baseOverride ?? BASE_INSTRUCTIONS,
    maxAttempts: 3,
    hooks: noCompactionHooks, // per thread: the hooks engine's (see blueprint)
  };

  const git = await gitFacts;
  const threads = createThreadManager({
    store,
    ephemeral: o.ephemeral,
    secrets,
    newThreadId: () => uuidv7(),
    now: () => new Date(),
    sessionMeta: (id) => ({
      id,
      timestamp: new Date().toISOString(),
      cwd: config.cwd,
      originator: o.originator,
      cli_version: o.version,
      source: o.source,
      model_provider: config.modelProviderId,
      ...(git ? { git: sessionGitInfo(git) } : {}),
    }),
    initialContext: async () => {
      const items = await buildInitialContext({
        codexHome: config.codexHome,
        cwd: config.cwd,
        projectDocMaxBytes: config.projectDocMaxBytes,
        projectDocFallbackFilenames: config.projectDocFallbackFilenames,
        instructions: config.instructions,
        developerInstructions: config.developerInstructions,
        ...(baseOverride !== undefined ? { baseInstructions: baseOverride } : {}),
        approvalPolicy: o.approvalPolicy,
        sandboxPolicy: o.sandboxPolicy,
        shell: o.env.SHELL ?? "/bin/bash",
      });
      if (!mcp) return items;
      await mcpReady();
      return withDeveloperText(items, mcp.instructionsText());
    },
    baseInstructions: () => {
      const text = baseOverride ?? BASE_INSTRUCTIONS;
      return { text, item: { type: "message", role: "developer", content: [{ type: "input_text", text }] } };
    },
    reconstruct: (lines) => reconstructThread(lines),
    fork: (source, id) => forkRollout(store, source, id, { secrets }),
    configuredEvent: (threadId, rolloutPath): EventMsg => ({
      type: "session_configured",
      threadId,
      model: config.model,
      modelProvider: config.modelProviderId,
      cwd: config.cwd,
      approvalPolicy: o.approvalPolicy,
      sandboxPolicy: o.sandboxPolicy,
      reasoningEffort: reasoning?.effort ?? null,
      reasoningSummary: reasoning?.summary ?? null,
      rolloutPath,
    }),
    blueprint: async (threadId) => {
      const toolset = buildToolset({ info, config });
      if (mcp) {
        mcp.start();
        toolset.registry.addSource(mcp.source);
        await mcpReady();
      }
      const workspaces = git ? turnWorkspaces(git, await gitChanges) : undefined;
      const childEnv = childEnvFor(threadId);
      const threadHooks = hooks.forThread({ threadId, env: childEnv, permissionMode: permissionMode(o.approvalPolicy, o.sandboxPolicy) });
      // PreCompact / PostCompact (and SessionStart "compact") fire around this thread's compactions.
      const threadCompaction: CompactionSettings = {
        ...compaction,
        hooks: threadHooks ? threadHooks.compactionHooks() : noCompactionHooks,
      };
      return {
        cwd: config.cwd,
        approvalPolicy: o.approvalPolicy,
        sandboxPolicy: o.sandboxPolicy,
        request: {
          model: config.model,
          reasoning,
          verbosity: info.supportsVerbosity ? (config.modelVerbosity ?? info.defaultVerbosity) : undefined,
          parallelToolCalls: info.parallelToolCalls,
          serviceTier: config.serviceTier,
        },
        requestIdentity: (turnId) =>
          turnRequestIdentity(
            {
              threadId,
              installationId,
              model: config.model,
              reasoningEffort: reasoning?.effort,
              sandbox: o.sandboxPolicy,
              threadSource: o.threadSource ?? "user",
              turnTrigger: o.source === "exec" ? "exec" : "user",
              ...(workspaces ? { workspaces } : {}),
            },
            turnId,
            Date.now(),
          ),
        model,
        registry: toolset.registry,
        exec,
        createApprovalGate: (ask, policies) =>
          createApprovalGate({
            policy: policies?.approvalPolicy ?? o.approvalPolicy,
            sandbox: policies?.sandboxPolicy ?? o.sandboxPolicy,
            rules,
            ask,
            codexHome: config.codexHome,
            ...(threadHooks ? { permissionHook: (action) => threadHooks.permissionRequest(permissionView(action)) } : {}),
          }),
        interactiveApprovals: o.interactiveApprovals,
        childEnv,
        // Compaction first (it may replace the history before a sample), then the hooks around tool calls and stop.
        observers: [createCompactionObserver(threadCompaction), ...(threadHooks ? [threadHooks.turnObserver] : [])],
        ...(threadHooks ? { threadObservers: [threadHooks.threadObserver] } : {}),
        spoolDir,
        userShell: o.env.SHELL || "/bin/bash",
        buildUserMessage: (items) => userMessageItem(items, { cwd: config.cwd }),
        newTurnId: () => uuidv7(),
        onClose: async () => {
          await Promise.all([toolset.dispose(), mcp?.dispose()]);
        },
        contextWindow: budget.usableWindow,
        compactNow: async (port, signal) => {
          await compactHistory(port, threadCompaction, { trigger: "manual", signal });
        },
        ...(toolset.terminals ? { backgroundTerminals: toolset.terminals } : {}),
        ...(notify ? { onTurnComplete: notify } : {}),
      };
    },
  });
  return { threads, warnings };
}

/** The hook payloads' permission_mode for this session's policies. */
function permissionMode(approval: AskForApproval, sandbox: SandboxPolicy): string {
  // Observed: exec (approval never) reports bypassPermissions whatever its sandbox.
  if (approval === "never") return "bypassPermissions";
  return sandbox.mode === "danger-full-access" ? "bypassPermissions" : "default";
}

/** `[tools] tool_search_threshold` (validated by the config schema); 40 by default. */
function toolSearchThreshold(raw: Record<string, unknown>): number {
  const value = (raw.tools as { tool_search_threshold?: unknown } | undefined)?.tool_search_threshold;
  return typeof value === "number" ? value : 40;
}

async function ensureInstallationId(codexHome: string): Promise<string> {
  const file = path.join(codexHome, "installation_id");
  try {
    const existing = (await readFile(file, "utf8")).trim();
    if (existing) return existing;
  } catch {
    // first run
  }
  const id = uuidv7();
  try {
    await mkdir(codexHome, { recursive: true, mode: 0o700 });
    await writeFile(file, id + "\n", { mode: 0o644 });
  } catch {
    // a read-only home must not stop a turn; the id is then per-process
  }
  return id;
}

export const hostDescription = (): string => `${os.type()} ${os.release()}; ${os.arch()}`;

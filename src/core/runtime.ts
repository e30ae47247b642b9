import { createMessageHistory, type MessageHistory } from "./history/index.js";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { EventMsg } from "../protocol/events.js";
import type { AskForApproval, SandboxPolicy } from "../protocol/policy.js";
import { uuidv7 } from "../util/ids.js";
import { createApprovalGate, createSessionApprovals } from "./approval/index.js";
import { loadExecPolicyOrWarn } from "./approval/exec-policy/index.js";
import { missingKeyMessage, providerNeedsKey, resolveApiKeyWithSource } from "./auth/index.js";
import { projectLayerDirs } from "./config/trust.js";
import type { ResolvedConfig } from "./config/types.js";
import { BASE_INSTRUCTIONS, buildInitialContext, userMessageItem } from "./context/index.js";
import { gitHasChanges, readGitFacts, sessionGitInfo, turnWorkspaces } from "./context/git-info.js";
import { createSettingsUpdateObserver, seenFromTurnContext } from "./context/settings-update.js";
import { buildChildEnv } from "./exec/child-env.js";
import { createLocalExecRunner } from "./exec/local-runner.js";
import { pruneSpool } from "./exec/spool-prune.js";
import { modelInfo } from "./model/catalog.js";
import { createNodeHttpFetch } from "./model/node-http-fetch.js";
import { createResponsesClient } from "./model/responses-client.js";
import { createWsTransport } from "./model/ws-responses-client.js";
import { readOtelSettings, startTelemetry, type TraceContext } from "./telemetry/index.js";
import { createRolloutStore, forkRollout, reconstructThread } from "./persistence/index.js";
import { createSandboxedExecRunner } from "./sandbox/index.js";
import { createTurnNotifier } from "./hooks/notify.js";
import { compactHistory, createCompactionObserver, noCompactionHooks, tokenBudget, type CompactionSettings } from "./compaction/index.js";
import { configureHooks, permissionView } from "./hooks/index.js";
import { turnRequestIdentity } from "./thread/request-headers.js";
import { createThreadManager, type ThreadManager } from "./thread/thread-manager.js";
import type { AskPerson, Thread } from "./thread/thread.js";
import type { TurnIdentitySettings } from "./thread/thread-contract.js";
import { buildToolset } from "./tools/toolset.js";
import { dynamicToolSource } from "./tools/handlers/dynamic-tool.js";
import { resolveMcpServers } from "./mcp/config.js";
import { withDeveloperText } from "./mcp/instructions.js";
import type { McpManager } from "./mcp/manager.js";
import { rememberMcpToolApproval } from "./mcp/remember-approval.js";
import { codeModeWarning, createWorkerPool, DEFAULT_LIMITS, type WorkerPool } from "./code-mode/index.js";
import { createLogger, createTurnLoggingObserver, DEFAULT_LOG_RETENTION_BYTES, spoolDirFor, withRequestLogging, type Logger } from "./logging/index.js";
import { lazyStateDb } from "./state/state-db.js";
import { createAgentWiring, type AgentWiring } from "./agents/wiring.js";
import type { SubAgentEvent } from "./agents/agent-tree.js";
import { createGuardianReviewer } from "./guardian/reviewer.js";
import { subagentSessionMeta } from "./agents/seat.js";
import type { AgentThreadManager } from "./thread/thread-manager.js";
import { LMSTUDIO_PROVIDER_ID, OLLAMA_PROVIDER_ID, OSS_PROVIDER_ID } from "./config/providers.js";

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
  /** Diagnostic lines (the websocket fallback...); the front end decides where they go. */
  log?: (line: string) => void;
  /** The caller's W3C trace context (exec: TRACEPARENT / TRACESTATE): parent of every session span. */
  traceParent?: TraceContext;
  /** Every event of the sub-agents of this runtime's threads (app-server: their own turn/item streams). */
  onSubAgentEvent?(e: SubAgentEvent): void;
}

export interface CodexRuntime {
  threads: ThreadManager;
  /** Non-fatal warnings found while wiring (unknown model...). */
  warnings: string[];
  /** Writes this process's queued log rows to the state database (before a feedback export). */
  flushLogs(): void;
  /** `$CODEX_HOME/history.jsonl` per `[history]`: where the TUI records what the person sent (absent in test doubles). */
  history?: MessageHistory;
  /**
   * Closes what the runtime keeps open for its threads' commands and hooks (stdin pipes kept ready, seccomp
   * program fds), once those threads are closed: a server that makes a runtime per thread calls it when it
   * unloads the thread. Later commands would still run, finding nothing ready.
   */
  dispose(): Promise<void>;
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
  // Code-mode workers serve all the threads (sub-agents included), started with the first code-mode thread;
  // unref'd, they never keep the process alive.
  let codeModePool: WorkerPool | undefined;
  const sharedCodeModePool = (): WorkerPool => (codeModePool ??= createWorkerPool(DEFAULT_LIMITS));
  const installationId = await ensureInstallationId(config.codexHome);
  // `[otel]`: with no exporter (the default) nothing of OpenTelemetry is loaded.
  const otel = readOtelSettings(config.raw); // its warnings came with the config's
  const telemetry = await startTelemetry({
    settings: otel,
    serviceName: o.originator,
    version: o.version,
    ...(o.traceParent ? { parent: o.traceParent } : {}),
    secrets: apiKey ? [apiKey] : [],
  });
  const model = createResponsesClient({
    provider,
    auth: async () => apiKey,
    ...(resolvedKey ? { keySource: resolvedKey.source } : {}),
    originator: o.originator,
    version: o.version,
    env: o.env,
    fetch: createNodeHttpFetch(),
  });
  // Providers that support it get a websocket per thread; a refusal switches the whole session to `model`.
  const websockets = provider.supportsWebsockets
    ? createWsTransport({
        provider,
        auth: async () => apiKey,
        originator: o.originator,
        version: o.version,
        env: o.env,
        http: model,
        ...(provider.websocketConnectTimeoutMs !== undefined ? { connectTimeoutMs: provider.websocketConnectTimeoutMs } : {}),
        // The one fallback line goes to the front end's log when it gave one, else to our own logs.
        log: (line: string) => (o.log ? o.log(line) : logger.log("WARN", "core.model.websocket", line)),
      })
    : undefined;
  // Full output of commands that exceed the in-memory bound goes here (created on first use).
  const spoolDir = path.join(config.codexHome, "tmp", "spool");
  const exec = createSandboxedExecRunner(createLocalExecRunner({ spoolDir, secrets }));
  void pruneSpool(spoolDir);
  const { policy: rules, warning: rulesWarning } = await loadExecPolicyOrWarn({
    codexHome: config.codexHome,
    // Each trusted `.codex` folder from the project root down to cwd brings its rules/ (nested ones too).
    projectDirs: config.trustedProjectRoot ? projectLayerDirs(config.trustedProjectRoot, config.cwd).map((d) => path.dirname(d)) : [],
  });
  if (rulesWarning) warnings.push(rulesWarning);
  // One set of rules for every thread of this runtime: a rule remembered in one turn, or by any agent of a
  // tree, holds for all later turns and agents.
  const sharedRules = { current: rules };
  // $CODEX_HOME/state.sqlite, opened on first use: resume/fork find sessions through its index (without
  // it, by scanning the files), and the log rows go there in batches.
  const stateDb = lazyStateDb({ codexHome: config.codexHome, warn: (m) => warnings.push(m) });
  const store = createRolloutStore({ codexHome: config.codexHome, stateDb, warn: (m) => warnings.push(m) });
  const logger: Logger = createLogger({
    stateDb,
    spoolDir: spoolDirFor(config.codexHome),
    secrets,
    processUuid: uuidv7(),
    retentionBytes: logRetentionBytes(config.raw),
  });
  logger.log("INFO", "core.runtime", "runtime started", {
    fields: { version: o.version, originator: o.originator, source: o.source, model: config.model, provider: config.modelProviderId },
  });
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
  // A sub-agent's reasoning: the effort its spawn asked for, when the model reasons at all.
  const seatReasoning = (effort: string | undefined) => (reasoning && effort ? { ...reasoning, effort } : reasoning);

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
  // Sub-agents (multi_agent_v2): every thread a person opens roots a tree; children open through the manager.
  let manager: AgentThreadManager | undefined;
  const agents: AgentWiring | undefined =
    config.features["multi_agent_v2"] === true
      ? createAgentWiring({
          limits: agentLimits(config.raw),
          // Local models get agent mail as user messages (they do not take `agent_message` items).
          format: { agentMessageItems: ![OSS_PROVIDER_ID, OLLAMA_PROVIDER_ID, LMSTUDIO_PROVIDER_ID].includes(config.modelProviderId) },
          ...(o.onSubAgentEvent ? { onAgentEvent: o.onSubAgentEvent } : {}),
          childSettings: (asked) => ({ model: asked.model ?? config.model, reasoningEffort: seatReasoning(asked.reasoningEffort)?.effort ?? null }),
          startChild: (c) => manager!.startChild(c),
          resumeChild: (c) => manager!.resumeChild(c),
        })
      : undefined;
  const threads = createThreadManager({
    store,
    ephemeral: o.ephemeral,
    secrets,
    newThreadId: () => uuidv7(),
    now: () => new Date(),
    sessionMeta: (id, seat) => ({
      id,
      timestamp: new Date().toISOString(),
      cwd: config.cwd,
      originator: o.originator,
      cli_version: o.version,
      source: o.source,
      model_provider: config.modelProviderId,
      ...(git ? { git: sessionGitInfo(git) } : {}),
      ...(seat?.parentThreadId ? subagentSessionMeta(seat) : {}),
    }),
    initialContext: async (seat) => {
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
      const agentItems = agents ? agents.contextFor(seat ?? null, items) : items;
      if (!mcp) return agentItems;
      await mcpReady();
      return withDeveloperText(agentItems, mcp.instructionsText());
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
    blueprint: async (threadId, givenSeat, reopened) => {
      const threadLog = logger.child({ threadId });
      const toolset = buildToolset({ info, config, codeModePool: sharedCodeModePool });
      const seat = givenSeat ?? agents?.rootSeat(threadId);
      const dynamicTools = reopened?.start?.dynamicTools;
      // One tool_search per request: with MCP servers configured, theirs is the one (it may defer MCP tools).
      if (dynamicTools) toolset.registry.addSource(dynamicToolSource(dynamicTools, { toolSearch: info.supportsToolSearch && !mcp }));
      const threadSocket = websockets?.client();
      const traced = telemetry?.forThread({
        threadId,
        model: seat?.model ?? config.model,
        sandbox: o.sandboxPolicy.mode === "danger-full-access" ? "none" : o.sandboxPolicy.mode,
      });
      const threadModel = threadSocket ?? model;
      if (mcp) {
        mcp.start();
        toolset.registry.addSource(mcp.source);
        await mcpReady();
      }
      const workspaces = git ? turnWorkspaces(git, await gitChanges) : undefined;
      // A turn's own settings when it gives them (an override changed them); the thread's first ones otherwise.
      const requestIdentity = (turnId: string, current?: TurnIdentitySettings) =>
        turnRequestIdentity(
          {
            threadId,
            installationId,
            model: current?.model ?? seat?.model ?? config.model,
            reasoningEffort: current ? current.reasoningEffort : (seat?.reasoningEffort ?? reasoning?.effort),
            sandbox: current?.sandboxPolicy ?? o.sandboxPolicy,
            threadSource: o.threadSource ?? "user",
            turnTrigger: o.source === "exec" ? "exec" : "user",
            ...(workspaces ? { workspaces } : {}),
            ...(seat ? { agent: { path: seat.path, parentThreadId: seat.parentThreadId, rootThreadId: seat.rootThreadId } } : {}),
          },
          turnId,
          Date.now(),
        );
      // The socket opens while the thread gets ready (as the reference's prewarm), with no turn id yet.
      threadSocket?.prewarm(requestIdentity("").headers);
      const childEnv = childEnvFor(threadId);
      const threadHooks = hooks.forThread({ threadId, env: childEnv, permissionMode: permissionMode(o.approvalPolicy, o.sandboxPolicy) });
      let rolloutPath: string | null = null;
      const seatParts =
        agents && seat
          ? agents.parts(threadId, seat, {
              ...(threadHooks ? { subagentHooks: threadHooks.subagentHooks() } : {}),
              rolloutPath: () => rolloutPath,
              ...(reopened?.resumedFrom ? { resumedFrom: reopened.resumedFrom } : {}),
            })
          : undefined;
      if (seatParts) toolset.registry.addSource(seatParts.source);
      // "Approve for this session" lasts for the thread, not for the turn whose gate recorded it.
      const sessionApprovals = createSessionApprovals();
      let opened: Thread | undefined;
      // A sub-agent's person is the root's: its asks appear in (and are answered through) the root thread.
      const personAsk = (own: AskPerson | undefined): AskPerson | undefined => {
        if (!own || !seat?.parentThreadId) return own;
        return (action, context) => {
          const root = seat.tree.rootThread();
          return root?.askOnBehalf ? root.askOnBehalf(action, context) : Promise.resolve("denied");
        };
      };
      // Smart Approvals: the guardian answers what the policy would ask a person (also in exec, and for sub-agents).
      const readOnly: SandboxPolicy = { mode: "read-only", networkAccess: false };
      // Made on first use: a session can switch to Smart Approvals later (TUI /approvals, /experimental).
      let guardianSession: ReturnType<typeof createGuardianReviewer> | undefined;
      const guardian = () =>
        (guardianSession ??= createGuardianReviewer({
              model,
              parentThreadId: threadId,
              identity: (settings) => requestIdentity(uuidv7(), settings),
              cwd: config.cwd,
              exec,
              env: childEnv,
              spoolDir,
              readOnlyGate: createApprovalGate({ policy: "never", sandbox: readOnly, sharedRules, codexHome: config.codexHome }),
              readOnlySandbox: readOnly,
              transcript: () => opened?.history() ?? [],
            }));
      // PreCompact / PostCompact (and SessionStart "compact") fire around this thread's compactions.
      const compactionHooks = threadHooks ? threadHooks.compactionHooks() : noCompactionHooks;
      const threadCompaction: CompactionSettings = {
        ...compaction,
        hooks: traced ? traced.wrapCompactionHooks(compactionHooks) : compactionHooks,
      };
      return {
        cwd: config.cwd,
        approvalPolicy: o.approvalPolicy,
        sandboxPolicy: o.sandboxPolicy,
        request: {
          model: seat?.model ?? config.model,
          reasoning: seatReasoning(seat?.reasoningEffort),
          ...(seat?.parentThreadId ? { promptCacheKey: seat.rootThreadId } : {}),
          verbosity: info.supportsVerbosity ? (config.modelVerbosity ?? info.defaultVerbosity) : undefined,
          parallelToolCalls: info.parallelToolCalls,
          serviceTier: config.serviceTier,
        },
        requestIdentity,
        model: withRequestLogging(traced ? traced.wrapModel(threadModel) : threadModel, threadLog),
        registry: traced ? traced.wrapRegistry(toolset.registry) : toolset.registry,
        exec,
        createApprovalGate: (ask, emit, policies) => {
          const gate = createApprovalGate({
            policy: policies?.approvalPolicy ?? o.approvalPolicy,
            sandbox: policies?.sandboxPolicy ?? o.sandboxPolicy,
            sharedRules,
            session: sessionApprovals,
            ...((policies?.approvalsReviewer ?? config.approvalsReviewer) === "guardian"
              ? { ask: guardian().asker(emit, { model: policies?.model ?? seat?.model ?? config.model }) }
              : personAsk(ask)
                ? { ask: personAsk(ask)! }
                : {}),
            codexHome: config.codexHome,
            rememberMcpTool: (server, tool) => rememberMcpToolApproval({ codexHome: config.codexHome, server, tool }),
            ...(threadHooks ? { permissionHook: (action) => threadHooks.permissionRequest(permissionView(action)) } : {}),
          });
          return traced ? traced.wrapGate(gate) : gate;
        },
        interactiveApprovals: o.interactiveApprovals,
        // A sub-agent's questions would wait where no person reads them: it gets empty answers (as exec).
        ...(seat?.parentThreadId ? { askUserInput: false } : {}),
        childEnv,
        // Compaction first (it may replace the history before a sample), then the hooks around tool calls and stop.
        // Tracing first, so a call's span covers its hooks and a turn's span its UserPromptSubmit hook.
        observers: [
          ...(traced ? [traced.turnObserver] : []),
          // Logging before compaction and hooks, so it sees every call (a hook's block stops the later observers).
          createTurnLoggingObserver(threadLog),
          createCompactionObserver(threadCompaction),
          ...(threadHooks ? [threadHooks.turnObserver] : []),
          ...(seatParts?.subagentObserver ? [seatParts.subagentObserver] : []),
        ],
        threadObservers: [
          ...(traced ? [traced.threadObserver] : []),
          ...(threadHooks ? [threadHooks.threadObserver] : []),
          // Last: a prompt a hook blocked records nothing, so the model is told with the next one.
          createSettingsUpdateObserver({
            seen: reopened?.lastTurnContext
              ? seenFromTurnContext(reopened.lastTurnContext)
              : { cwd: config.cwd, approvalPolicy: o.approvalPolicy, sandboxPolicy: o.sandboxPolicy, model: seat?.model ?? config.model },
            shell: o.env.SHELL ?? "/bin/bash",
          }),
        ],
        spoolDir,
        userShell: o.env.SHELL || "/bin/bash",
        buildUserMessage: (items) => userMessageItem(items, { cwd: config.cwd }),
        newTurnId: () => uuidv7(),
        onClose: async () => {
          await seatParts?.closeBelow();
          threadSocket?.close();
          await Promise.all([toolset.dispose(), mcp?.dispose(), guardianSession?.dispose()]);
          await traced?.close();
        },
        onOpened: (thread: Thread) => {
          opened = thread;
          rolloutPath = thread.rolloutPath;
          seatParts?.onOpened(thread);
        },
        ...(seatParts ? { takeAgentMail: seatParts.takeAgentMail, onInterrupt: seatParts.onInterrupt } : {}),
        contextWindow: budget.usableWindow,
        compactNow: async (port, signal) => {
          await compactHistory(port, threadCompaction, { trigger: "manual", signal });
        },
        ...(toolset.terminals ? { backgroundTerminals: toolset.terminals } : {}),
        ...(notify && !seat?.parentThreadId ? { onTurnComplete: notify } : {}),
      };
    },
  });
  manager = threads;
  for (const w of warnings) logger.log("WARN", "core.runtime", w);
  const history = createMessageHistory({
    codexHome: config.codexHome,
    persistence: config.history.persistence,
    ...(config.history.maxBytes !== undefined ? { maxBytes: config.history.maxBytes } : {}),
    secrets,
  });
  const dispose = async (): Promise<void> => {
    exec.dispose?.();
    hooks.dispose();
  };
  return { threads, warnings, flushLogs: () => logger.flush(), history, dispose };
}

/** `log_retention_bytes` (validated by the config schema); 64 MiB by default. */
function logRetentionBytes(raw: Record<string, unknown>): number {
  return typeof raw.log_retention_bytes === "number" ? raw.log_retention_bytes : DEFAULT_LOG_RETENTION_BYTES;
}

/** `[agents] max_depth` (3) and `max_threads` (8), validated by the config schema. */
function agentLimits(raw: Record<string, unknown>): { maxDepth: number; maxAgents: number } {
  const t = (raw.agents ?? {}) as { max_depth?: unknown; max_threads?: unknown };
  return {
    maxDepth: typeof t.max_depth === "number" ? t.max_depth : 3,
    maxAgents: typeof t.max_threads === "number" ? t.max_threads : 8,
  };
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

import { existsSync, statSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import {
  ConfigError,
  createCodexRuntime,
  findGitRepo,
  imageProblemWarning,
  inspectLocalImage,
  loadConfig,
  MissingApiKeyError,
  openRequestedThread,
  parseTraceParent,
  resolveSandboxPolicy,
  ThreadNotFoundError,
  type Thread,
} from "../core/index.js";
import type { UserInput } from "../protocol/items.js";
import type { ExecArgs } from "./exec-args.js";
import { HumanRenderer, makeStyle } from "./human-output.js";
import { ExecJsonMapper } from "./jsonl-mapper.js";
import { readAll } from "../util/read-all.js";
import { PromptError, resolvePrompt } from "./prompt-input.js";
import { startProgressTicker } from "./progress.js";
import { planExecReview, reviewView, withReviewInstructions } from "./review-setup.js";

export interface ExecIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
  version: string;
  /** Directories with our helper binaries (`apply_patch`) for the PATH of model commands. */
  helperBinDirs: string[];
  onSignal(signal: "SIGINT" | "SIGTERM", handler: () => void): () => void;
}

/** Runs one headless turn. Resolves with the process exit code. */
export async function runExec(args: ExecArgs, io: ExecIo): Promise<number> {
  const fail = (message: string): number => {
    io.stderr.write(`Error: ${message}\n`);
    return 1;
  };
  const cwd = args.cd ? path.resolve(io.cwd, args.cd) : io.cwd;
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) return fail(`working directory does not exist: ${cwd}`);

  let config;
  try {
    config = await loadConfig({
      cwd,
      profile: args.profile,
      overrides: args.configOverrides,
      flags: {
        model: args.model,
        sandboxMode: args.sandbox,
        oss: args.oss,
        enable: args.enable,
        disable: args.disable,
        addDirs: args.addDirs.map((d) => path.resolve(cwd, d)),
        fullAuto: args.fullAuto,
        dangerouslyBypass: args.dangerouslyBypass,
        bypassHookTrust: args.bypassHookTrust === true,
        ...(args.trust === true ? { trustProject: true } : {}),
        strictConfig: args.strictConfig,
        ignoreUserConfig: args.ignoreUserConfig,
        ...(args.localProvider !== undefined ? { localProvider: args.localProvider } : {}),
        ...(args.givenOptions ? { givenOptions: args.givenOptions } : {}),
      },
      env: io.env,
    });
  } catch (err) {
    if (err instanceof ConfigError) return fail(err.message);
    throw err;
  }
  // Config problems are diagnostics (stderr); warnings about the session itself (unknown model
  // metadata) are `error` items in JSONL, as the reference emits them.
  for (const w of config.warnings) io.stderr.write(`warning: ${w}\n`);

  if (!args.skipGitRepoCheck && findGitRepo(cwd) === null) {
    return fail("Not inside a trusted directory and --skip-git-repo-check was not specified.");
  }

  let outputSchema: unknown;
  if (args.outputSchema) {
    try {
      outputSchema = JSON.parse(await readFile(path.resolve(io.cwd, args.outputSchema), "utf8"));
    } catch (err) {
      return fail(`failed to read output schema ${args.outputSchema}: ${(err as Error).message}`);
    }
  }

  const review = args.review
    ? await planExecReview({ target: args.review.target, prompt: args.prompt, cwd, stdin: io.stdin, env: io.env, outputSchema })
    : null;
  if (typeof review === "string") return fail(review);
  if (review) {
    config = {
      ...config,
      developerInstructions: withReviewInstructions(config.developerInstructions, review),
      ...(config.reviewModel && args.model === undefined ? { model: config.reviewModel } : {}),
    };
    outputSchema = review.outputSchema;
  }

  let prompt: string;
  try {
    prompt = review ? review.userMessage : await resolvePrompt({
      positional: args.prompt,
      // After `--`, stdin belongs to control lines: treat it like a terminal (do not read it).
      stdinIsTty: Boolean(io.stdin.isTTY) || (args.promptAfterDoubleDash === true && args.prompt !== undefined),
      readStdin: () => readAll(io.stdin),
      notice: (t) => io.stderr.write(`${t}\n`),
    });
  } catch (err) {
    if (err instanceof PromptError) {
      io.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }

  const sandboxPolicy = review ? review.sandboxPolicy : resolveSandboxPolicy(config);
  const traceParent = parseTraceParent(io.env.TRACEPARENT, io.env.TRACESTATE);
  let runtime;
  try {
    runtime = await createCodexRuntime({
      config,
      sandboxPolicy,
      // Nobody answers in exec, so it never asks — unless the guardian reviewer answers instead of a person.
      approvalPolicy: config.approvalsReviewer === "guardian" ? config.approvalPolicy : "never",
      env: io.env,
      originator: io.env.CODEX_INTERNAL_ORIGINATOR_OVERRIDE || "codex_exec",
      version: io.version,
      source: "exec",
      ephemeral: args.ephemeral,
      interactiveApprovals: false,
      threadSource: args.threadSource,
      helperBinDirs: io.helperBinDirs,
      // An incoming TRACEPARENT (a CI job, a wrapper script) parents this run's spans.
      ...(traceParent ? { traceParent } : {}),
    });
  } catch (err) {
    if (err instanceof MissingApiKeyError) return fail(err.message);
    throw err;
  }

  let thread: Thread;
  try {
    thread = await openRequestedThread(runtime.threads, args, { cwd });
  } catch (err) {
    if (err instanceof ThreadNotFoundError || err instanceof Error) return fail(err.message);
    throw err;
  }

  const color = args.color === "always" || (args.color === "auto" && Boolean((io.stderr as { isTTY?: boolean }).isTTY) && !io.env.NO_COLOR);
  const human = args.json ? null : new HumanRenderer(
    { stderr: (t) => io.stderr.write(t), stdout: (t) => io.stdout.write(t) },
    makeStyle({ color }),
  );
  const mapper = args.json ? new ExecJsonMapper() : null;
  const writeJson = (obj: unknown) => io.stdout.write(JSON.stringify(obj) + "\n");

  const items: UserInput[] = [
    ...args.images.map((p): UserInput => ({ type: "local_image", path: path.resolve(cwd, p) })),
    { type: "text", text: prompt },
  ];
  // An image that cannot be used does not stop the turn (core puts a note in its place); say so here.
  const imageProblems = await Promise.all(
    items.flatMap((i) => (i.type === "local_image" ? [inspectLocalImage(i.path)] : [])),
  );
  const sessionWarnings = [
    ...runtime.warnings,
    ...imageProblems.flatMap((p) => (p === null ? [] : [imageProblemWarning(p)])),
  ];

  let interrupted = 0;
  const offInt = io.onSignal("SIGINT", () => {
    interrupted++;
    if (interrupted > 1) process.exit(130);
    void thread.submit({ type: "interrupt" });
  });
  // SIGTERM ends the turn like an interrupt (so the JSONL ends cleanly), then exits with the signal's
  // status, 128 + 15, as scripts expect of a terminated process. A second SIGTERM does not wait.
  let terminated = false;
  const offTerm = io.onSignal("SIGTERM", () => {
    if (terminated) process.exit(SIGTERM_EXIT_CODE);
    terminated = true;
    void thread.submit({ type: "interrupt" });
  });
  const ticker = human ? startProgressTicker((t) => io.stderr.write(t), { tty: Boolean((io.stderr as { isTTY?: boolean }).isTTY) }) : null;

  let exitCode = 1;
  let lastMessage: string | null = null;
  await thread.submit({ type: "user_turn", items, outputSchema });
  for await (const ev of thread.events()) {
    // A review's final message is its rendered findings, in JSONL too (as the reference emits it).
    const msg = review ? reviewView(ev.msg, review) : ev.msg;
    ticker?.activity(msg);
    if (msg.type === "session_configured" && human) {
      for (const w of sessionWarnings) io.stderr.write(`warning: ${w}\n`);
      human.header(
        {
          version: io.version,
          cwd: msg.cwd,
          model: msg.model,
          provider: msg.modelProvider,
          approval: msg.approvalPolicy,
          sandbox: msg.sandboxPolicy,
          reasoningEffort: msg.reasoningEffort,
          reasoningSummary: msg.reasoningSummary,
          threadId: msg.threadId,
          tmpdir: io.env.TMPDIR,
        },
        review ? `Review of ${review.label}` : prompt,
      );
    }
    if (mapper) {
      for (const out of mapper.map(msg)) writeJson(out);
      if (msg.type === "session_configured") {
        for (const w of sessionWarnings) {
          for (const out of mapper.map({ type: "warning", message: w })) writeJson(out);
        }
      }
    }
    human?.handle(msg);
    if (msg.type === "agent_message") lastMessage = msg.message;
    if (msg.type === "task_complete" || msg.type === "turn_failed" || msg.type === "turn_aborted") {
      exitCode = msg.type === "task_complete" ? 0 : 1;
      if (msg.type === "task_complete" && msg.lastAgentMessage !== null) lastMessage = msg.lastAgentMessage;
      break;
    }
  }
  ticker?.stop();
  offInt();
  offTerm();
  await thread.close();
  if (args.outputLastMessage) {
    const file = path.resolve(io.cwd, args.outputLastMessage);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, lastMessage ?? "");
  }
  return terminated ? SIGTERM_EXIT_CODE : exitCode;
}

const SIGTERM_EXIT_CODE = 143;

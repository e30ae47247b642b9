import type { Command } from "commander";
import { exportFeedbackBundle, loadConfig, resolveApiKeyWithSource } from "../../core/index.js";

// `codex feedback [--thread ID]`: writes one thread's feedback bundle (journal + log lines, scrubbed) and
// prints its path, for a person to attach to a bug report. Without --thread: the newest saved session.

export interface FeedbackIo {
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const defaultIo = (): FeedbackIo => ({ env: process.env, cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr });

export async function runFeedback(opts: { thread?: string; output?: string; config?: string[] }, io: FeedbackIo, version: string): Promise<number> {
  try {
    const config = await loadConfig({
      cwd: io.cwd,
      overrides: opts.config ?? [],
      flags: { enable: [], disable: [], addDirs: [] },
      env: io.env,
    });
    const key = await resolveApiKeyWithSource({ codexHome: config.codexHome, env: io.env, provider: config.modelProvider });
    const envKey = config.modelProvider.envKey ? io.env[config.modelProvider.envKey] : undefined;
    const secrets = [key?.key, envKey, io.env.OPENAI_API_KEY, io.env.CODEX_API_KEY].filter((s): s is string => typeof s === "string");
    const bundle = await exportFeedbackBundle({
      codexHome: config.codexHome,
      ...(opts.thread !== undefined ? { threadId: opts.thread } : {}),
      ...(opts.output !== undefined ? { outDir: opts.output } : {}),
      secrets,
      version,
    });
    io.stdout.write(`${bundle.path}\n`);
    const logs = bundle.logLines === 0 ? "no log lines" : `${bundle.logLines} log line${bundle.logLines === 1 ? "" : "s"}${bundle.logsTruncated ? " (oldest dropped)" : ""}`;
    io.stderr.write(`Feedback bundle for session ${bundle.threadId}: journal and ${logs}, secrets scrubbed. Attach the file to your report.\n`);
    return 0;
  } catch (err) {
    if (err instanceof Error) {
      io.stderr.write(`Error: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

export function registerFeedbackCommand(program: Command, o: { version: string; io?: () => FeedbackIo }): void {
  program
    .command("feedback")
    .description("write a feedback bundle (a session's journal and log lines, secrets scrubbed) and print its path")
    .option("--thread <id>", "the session to report on (default: the most recent one)")
    .option("-o, --output <dir>", "folder to write the bundle into (default: $CODEX_HOME/feedback)")
    .option("-c, --config <key=value>", "override a config value", (v: string, acc: string[]) => [...acc, v], [] as string[])
    .action(async (opts: { thread?: string; output?: string; config?: string[] }) => {
      process.exitCode = await runFeedback(opts, (o.io ?? defaultIo)(), o.version);
    });
}

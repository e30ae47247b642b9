import type { Command } from "commander";
import {
  AgentDiffError,
  agentDiffForGit,
  createRolloutStore,
  findGitRepo,
  gitApply,
  latestTurnPatches,
  resolveCodexHome,
} from "../../core/index.js";

// `codex apply [SESSION|--last]`: applies the latest diff the agent produced in a session (the patches of
// its last patching turn, as journaled) to the working tree with `git apply`.

export interface ApplyIo {
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const defaultIo = (): ApplyIo => ({ env: process.env, cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr });

export async function runApply(session: string | undefined, opts: { last?: boolean; all?: boolean }, io: ApplyIo): Promise<number> {
  const fail = (message: string): number => {
    io.stderr.write(`Error: ${message}\n`);
    return 1;
  };
  if (session === undefined && !opts.last) return fail("give a session id or --last");
  const repo = findGitRepo(io.cwd);
  if (repo === null) return fail(`not inside a git repository: ${io.cwd}`);
  const store = createRolloutStore({ codexHome: resolveCodexHome({ env: io.env }), warn: (m) => void io.stderr.write(`warning: ${m}\n`) });
  let file: string | null;
  let id = session;
  if (session !== undefined) file = await store.find(session);
  else {
    const [newest] = await store.list({ limit: 1, ...(opts.all ? {} : { cwd: io.cwd }) });
    file = newest?.path ?? null;
    id = newest?.id;
  }
  if (file === null) return fail(session !== undefined ? `No session found matching '${session}'.` : "No saved sessions found");
  const patches = latestTurnPatches(await store.read(file));
  if (patches.length === 0) return fail(`session ${id} has no diff applied by the agent`);
  let diff: string;
  try {
    diff = agentDiffForGit(patches, repo.root);
  } catch (err) {
    if (err instanceof AgentDiffError) return fail(err.message);
    throw err;
  }
  const problem = await gitApply({ root: repo.root, diff, env: io.env });
  if (problem !== null) return fail(`the diff of session ${id} does not apply to the working tree: ${problem}`);
  const files = [...new Set(patches.flatMap((p) => p.changes.map((c) => c.path)))];
  io.stdout.write(`Applied the latest diff of session ${id} (${files.length} file${files.length === 1 ? "" : "s"}):\n`);
  for (const f of files) io.stdout.write(`  ${f}\n`);
  return 0;
}

export function registerApplyCommand(program: Command, io: () => ApplyIo = defaultIo): void {
  program
    .command("apply")
    .alias("a")
    .description("apply the latest diff the agent produced in a session to the working tree (git apply)")
    .argument("[session]", "session id (UUID)")
    .option("--last", "the most recent session in this directory")
    .option("--all", "with --last: any directory")
    .action(async (session: string | undefined, opts: { last?: boolean; all?: boolean }) => {
      process.exitCode = await runApply(session, opts, io());
    });
}

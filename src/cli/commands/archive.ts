import { createInterface } from "node:readline/promises";
import { Command } from "commander";
import { createSessionArchive, resolveCodexHome, SessionNotFoundError } from "../../core/index.js";

// `codex archive ID`, `codex unarchive ID`, `codex delete ID [--force]`. An unknown id is one line on
// stderr and exit 1; `delete` asks on a terminal and needs --force otherwise.

export interface ArchiveIo {
  env: Record<string, string | undefined>;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const defaultIo = (): ArchiveIo => ({ env: process.env, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });

async function confirm(io: ArchiveIo, question: string): Promise<boolean> {
  const rl = createInterface({ input: io.stdin, output: io.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

export function registerArchiveCommands(program: Command, io: ArchiveIo = defaultIo()): void {
  const archiveFor = () => createSessionArchive({ codexHome: resolveCodexHome({ env: io.env }) });
  const run = async (body: () => Promise<void>): Promise<void> => {
    try {
      await body();
    } catch (err) {
      io.stderr.write(`Error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    }
  };

  program
    .command("archive")
    .description("archive a saved session (hidden from resume and session lists)")
    .argument("<session>", "session id (UUID)")
    .action((id: string) =>
      run(async () => {
        await archiveFor().archive(id);
        io.stdout.write(`Archived session ${id}\n`);
      }),
    );

  program
    .command("unarchive")
    .description("restore an archived session")
    .argument("<session>", "session id (UUID)")
    .action((id: string) =>
      run(async () => {
        await archiveFor().unarchive(id);
        io.stdout.write(`Unarchived session ${id}\n`);
      }),
    );

  program
    .command("delete")
    .description("permanently delete a saved session (active or archived)")
    .argument("<session>", "session id (UUID)")
    .option("--force", "delete without asking")
    .action((id: string, opts: { force?: boolean }) =>
      run(async () => {
        const archive = archiveFor();
        const found = await archive.locate(id);
        if (found === null) throw new SessionNotFoundError(id, "any");
        if (!opts.force) {
          if (!io.stdin.isTTY) {
            io.stderr.write(`Error: refusing to delete session ${id} without a terminal to confirm; pass --force\n`);
            process.exitCode = 1;
            return;
          }
          if (!(await confirm(io, `Permanently delete session ${id} (${found.path})? [y/N] `))) {
            io.stderr.write("Not deleted.\n");
            process.exitCode = 1;
            return;
          }
        }
        await archive.delete(id);
        io.stdout.write(`Deleted session ${id}\n`);
      }),
    );
}

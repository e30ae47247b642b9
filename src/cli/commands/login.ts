import { Command } from "commander";
import { resolveCodexHome } from "../../core/index.js";
import { loginStatus, logout, saveApiKey } from "../../core/index.js";
import { readAll } from "../../util/read-all.js";

// `codex login [--with-api-key]`, `codex login status`, `codex logout`. Only API-key login exists here;
// the key comes from stdin so it never shows up in shell history or `ps`.

export interface LoginIo {
  env?: Record<string, string | undefined>;
  stdin?: AsyncIterable<string | Buffer>;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  setExitCode?: (code: number) => void;
}

export function registerLoginCommands(program: Command, io: LoginIo = {}): void {
  const env = io.env ?? process.env;
  const stderr = io.stderr ?? ((t: string) => void process.stderr.write(t));
  const setExitCode = io.setExitCode ?? ((code: number) => void (process.exitCode = code));
  const codexHome = (): string => resolveCodexHome({ env });
  const fail = (e: unknown): void => {
    stderr(`Error: ${(e as Error).message ?? String(e)}\n`);
    setExitCode(1);
  };

  const login = program
    .command("login")
    .description("store credentials for the OpenAI API")
    .option("--with-api-key", "read an API key from stdin (e.g. `printenv OPENAI_API_KEY | codex login --with-api-key`)")
    .action(async (opts: { withApiKey?: boolean }) => {
      try {
        if (!opts.withApiKey) {
          stderr(
            "Error: only API-key login is supported by this build; run " +
              "`printenv OPENAI_API_KEY | codex login --with-api-key`\n",
          );
          setExitCode(1);
          return;
        }
        // Messages as the reference prints them, all on stderr.
        stderr("Reading API key from stdin...\n");
        const key = (await readAll(io.stdin ?? process.stdin)).trim();
        if (key === "") {
          stderr("No API key provided via stdin.\n");
          setExitCode(1);
          return;
        }
        await saveApiKey(codexHome(), key);
        stderr("API key saved. Authentication is checked when you send a request.\n");
      } catch (e) {
        fail(e);
      }
    });

  login
    .command("status")
    .description("show how you are logged in")
    .action(async () => {
      try {
        const status = await loginStatus(codexHome());
        if (status === null) {
          stderr("Not logged in\n");
          setExitCode(1);
          return;
        }
        stderr(`${status}\n`);
      } catch (e) {
        fail(e);
      }
    });

  program
    .command("logout")
    .description("remove stored credentials")
    .action(async () => {
      try {
        stderr((await logout(codexHome())) ? "Successfully logged out\n" : "Not logged in\n");
      } catch (e) {
        fail(e);
      }
    });
}

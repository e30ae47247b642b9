import { Command, Option } from "commander";
import path from "node:path";
import {
  loadConfig,
  mcpServersTable,
  readUserConfigText,
  removeMcpServerFromToml,
  resolveCodexHome,
  upsertMcpServerInToml,
  validateMcpServerName,
  writeUserConfigAtomically,
  type McpServerWrite,
} from "../../core/index.js";
import { getJson, getText, listJson, listText, toJson, toServerView, type McpServerView } from "./mcp-view.js";

// `codex mcp list|get|add|remove`: read and edit `[mcp_servers.*]` of $CODEX_HOME/config.toml. Edits keep
// the rest of the file byte for byte (core/config/edit-mcp.ts); list/get show the merged config with `-c`
// overrides applied, as the reference does (a trusted project's servers included).

export interface McpCommandIo {
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  setExitCode: (code: number) => void;
}

const ADD_USAGE = "Usage: codex mcp add [OPTIONS] <NAME> (--url <URL> | -- <COMMAND>...)";

/** A clap-style usage error (exit 2). */
class UsageError extends Error {}

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

function withCommonOptions(cmd: Command): Command {
  return cmd
    .option("-c, --config <key=value>", "override a configuration value (repeatable)", collect)
    .option("--enable <feature>", "enable a feature (repeatable)", collect)
    .option("--disable <feature>", "disable a feature (repeatable)", collect);
}

const listOpt = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : []);

/** Scalar options of the command and its ancestors, the innermost winning. */
function mergedOpts(cmd: Command): Record<string, unknown> {
  const chain: Command[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) chain.unshift(c);
  const out: Record<string, unknown> = {};
  for (const c of chain) {
    for (const [k, v] of Object.entries(c.opts())) {
      if (Array.isArray(v)) out[k] = [...listOpt(out[k]), ...v];
      else if (v !== undefined) out[k] = v;
    }
  }
  return out;
}

/** Options of the command and of its ancestors (`codex -c … mcp -c … list`), outermost first. */
function overridesOf(cmd: Command): string[] {
  const chain: Command[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) chain.unshift(c);
  return chain.flatMap((c) => (c.opts()["config"] as string[] | undefined) ?? []);
}

export function registerMcpCommand(program: Command, io: McpCommandIo): Command {
  const codexHome = () => resolveCodexHome({ env: io.env });
  const run = async (body: () => Promise<void>): Promise<void> => {
    try {
      await body();
    } catch (e) {
      if (e instanceof UsageError) {
        io.stderr(`error: ${e.message}\n\nFor more information, try '--help'.\n`);
        io.setExitCode(2);
        return;
      }
      io.stderr(`Error: ${(e as Error).message ?? String(e)}\n`);
      io.setExitCode(1);
    }
  };

  // What the session would see: every config layer (system, user, profile, trusted project, -c).
  const loadViews = async (cmd: Command): Promise<McpServerView[]> => {
    const opts = mergedOpts(cmd);
    const config = await loadConfig({
      cwd: io.cwd,
      profile: opts.profile as string | undefined,
      overrides: overridesOf(cmd),
      flags: { enable: listOpt(opts.enable), disable: listOpt(opts.disable), addDirs: [] },
      env: io.env,
    });
    const file = path.join(config.codexHome, "config.toml");
    const servers = mcpServersTable(config.raw, file);
    return Object.keys(servers)
      .sort()
      .map((name) => toServerView(name, servers[name]!, file));
  };

  const mcp = withCommonOptions(program.command("mcp").description("Manage external MCP servers for Codex"));
  // Like clap: a subcommand is required; without one, the help goes to stderr with exit 2.
  mcp.action(() => {
    io.stderr(mcp.helpInformation());
    io.setExitCode(2);
  });

  withCommonOptions(mcp.command("list"))
    .option("--json", "Output the configured servers as JSON")
    .action(async (opts: Record<string, unknown>, cmd: Command) =>
      run(async () => {
        const views = await loadViews(cmd);
        io.stdout(`${opts.json ? toJson(listJson(views)) : listText(views)}\n`);
      }),
    );

  withCommonOptions(mcp.command("get"))
    .argument("<name>", "Name of the MCP server to display")
    .option("--json", "Output the server configuration as JSON")
    .action(async (name: string, opts: Record<string, unknown>, cmd: Command) =>
      run(async () => {
        const view = (await loadViews(cmd)).find((v) => v.name === name);
        if (!view) throw new Error(`No MCP server named '${name}' found.`);
        io.stdout(`${opts.json ? toJson(getJson(view)) : getText(view)}\n`);
      }),
    );

  withCommonOptions(mcp.command("add"))
    .usage("[OPTIONS] <NAME> (--url <URL> | -- <COMMAND>...)")
    .argument("<name>", "Name for the MCP server configuration")
    .argument("[command...]", "Command to launch the MCP server. Use --url for a streamable HTTP server")
    .option("--env <KEY=VALUE>", "Environment variables to set when launching the server. Only valid with stdio servers", collect)
    .option("--url <URL>", "URL for a streamable HTTP MCP server")
    .option("--bearer-token-env-var <ENV_VAR>", "Optional environment variable to read for a bearer token (streamable HTTP only)")
    .option("--oauth-client-id <CLIENT_ID>", "OAuth client identifier (not supported by this build)")
    .option("--oauth-client-secret <CLIENT_SECRET>", "OAuth client secret (not supported by this build)")
    .addOption(new Option("--oauth-client-registration <mode>", "OAuth client registration (not supported by this build)").choices(["auto", "cimd", "dcr"]))
    .option("--oauth-resource <RESOURCE>", "OAuth resource parameter (not supported by this build)")
    .action(async (name: string, command: string[], opts: Record<string, unknown>) =>
      run(async () => {
        const server = parseAddArgs(command, opts);
        validateMcpServerName(name);
        const home = codexHome();
        const { file, text } = await readUserConfigText(home);
        await writeUserConfigAtomically(home, upsertMcpServerInToml(text, { name, server, file }));
        io.stdout(`Added global MCP server '${name}'.\n`);
      }),
    );

  withCommonOptions(mcp.command("remove"))
    .argument("<name>", "Name of the MCP server configuration to remove")
    .action(async (name: string) =>
      run(async () => {
        validateMcpServerName(name);
        const home = codexHome();
        const { file, text } = await readUserConfigText(home);
        const next = removeMcpServerFromToml(text, { name, file });
        if (next === null) {
          io.stdout(`No MCP server named '${name}' found.\n`);
          return;
        }
        await writeUserConfigAtomically(home, next);
        io.stdout(`Removed global MCP server '${name}'.\n`);
      }),
    );

  for (const sub of ["login", "logout"]) {
    withCommonOptions(mcp.command(sub))
      .argument("<name>", "Name of the MCP server")
      .allowUnknownOption(true)
      .action(async () =>
        run(async () => {
          throw new Error(`\`codex mcp ${sub}\` (MCP OAuth) is not supported by codex-ts yet; use bearer_token_env_var`);
        }),
      );
  }
  return mcp;
}

function parseAddArgs(command: string[], opts: Record<string, unknown>): McpServerWrite {
  const url = opts.url as string | undefined;
  const envArgs = (opts.env as string[] | undefined) ?? [];
  const bearer = opts.bearerTokenEnvVar as string | undefined;
  for (const k of ["oauthClientId", "oauthClientSecret", "oauthClientRegistration", "oauthResource"]) {
    if (opts[k] !== undefined) throw new Error("MCP OAuth options are not supported by codex-ts yet");
  }
  const env: Record<string, string> = {};
  for (const e of envArgs) {
    const eq = e.indexOf("=");
    if (eq <= 0) throw new UsageError(`invalid value '${e}' for '--env <KEY=VALUE>': environment entries must be in KEY=VALUE form`);
    env[e.slice(0, eq)] = e.slice(eq + 1);
  }
  if (url !== undefined && command.length > 0) {
    throw new UsageError(`the argument '--url <URL>' cannot be used with '[COMMAND]...'\n\n${ADD_USAGE}`);
  }
  if (url === undefined && command.length === 0) {
    throw new UsageError(`the following required arguments were not provided:\n  <COMMAND|--url <URL>>\n\n${ADD_USAGE}`);
  }
  if (url !== undefined) {
    if (envArgs.length > 0) throw new Error("--env is only valid with stdio servers (`codex mcp add NAME -- COMMAND…`)");
    return { transport: "streamable_http", url, ...(bearer !== undefined ? { bearerTokenEnvVar: bearer } : {}) };
  }
  if (bearer !== undefined) throw new UsageError(`--bearer-token-env-var is only valid with --url\n\n${ADD_USAGE}`);
  return { transport: "stdio", command: command[0]!, args: command.slice(1), env };
}

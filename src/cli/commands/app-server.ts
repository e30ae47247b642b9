import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";

// `codex app-server`: the JSON-RPC server IDEs drive (src/app-server). stdout carries only JSON-RPC on
// stdio; diagnostics go to stderr.

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

/** `-c` values of the command and of its ancestors (`codex -c k=v app-server -c k2=v2`), outermost first. */
function overridesOf(cmd: Command): string[] {
  const chain: Command[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) chain.unshift(c);
  return chain.flatMap((c) => (c.opts()["config"] as string[] | undefined) ?? []);
}

export function registerAppServerCommand(program: Command, version: string): Command {
  const cmd = program
    .command("app-server")
    .description("[experimental] Run the app server or related tooling")
    .option("-c, --config <key=value>", "override a config value (TOML, repeatable)", collect)
    .option("--listen <URL>", "transport endpoint: stdio:// (default), unix://, unix://PATH, ws://IP:PORT, off", "stdio://")
    .option("--stdio", "use stdio as the transport (same as --listen stdio://)")
    .option("--ws-token-file <PATH>", "file holding the capability token WebSocket clients must present")
    .action(async (opts: Record<string, unknown>, c: Command) => {
      const [{ runAppServer, parseListen }, { resolveCodexHome }] = await Promise.all([
        import("../../app-server/server.js"),
        import("../../core/index.js"),
      ]);
      let listen;
      try {
        const value = opts.stdio ? "stdio://" : String(opts.listen ?? "stdio://");
        listen = parseListen(value, { codexHome: resolveCodexHome({ env: process.env }) });
      } catch (err) {
        process.stderr.write(`Error: ${(err as Error).message}\n`);
        process.exitCode = 2;
        return;
      }
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);
      try {
        await runAppServer({
          signal: stop.signal,
          listen,
          stdin: process.stdin,
          stdout: process.stdout,
          env: process.env,
          cwd: process.cwd(),
          version,
          helperBinDirs: [path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "bin")],
          baseOverrides: overridesOf(c),
          ...(typeof opts.wsTokenFile === "string" ? { wsTokenFile: opts.wsTokenFile } : {}),
          log: (line) => void process.stderr.write(line + "\n"),
        });
      } catch (err) {
        process.stderr.write(`Error: ${(err as Error).message}\n`);
        process.exitCode = 1;
      } finally {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
      }
    });
  for (const [name, kind] of [
    ["generate-json-schema", "json"],
    ["generate-ts", "ts"],
  ] as const) {
    cmd
      .command(name)
      .description(`[experimental] Generate ${kind === "json" ? "JSON Schema" : "TypeScript bindings"} for the app server protocol`)
      .requiredOption("-o, --out <DIR>", "output directory")
      .option("--experimental", "include experimental methods and fields")
      .action(async (opts: { out: string; experimental?: boolean }) => {
        const [{ writeJsonSchema, writeTs }, tables] = await Promise.all([
          import("../../app-server/schema-export.js"),
          import("../../app-server/methods/index.js"),
        ]);
        const write = kind === "json" ? writeJsonSchema : writeTs;
        await write(
          { methods: tables.ALL_METHODS, notifications: tables.ALL_NOTIFICATIONS, serverRequests: tables.ALL_SERVER_REQUESTS },
          { out: path.resolve(opts.out), experimental: opts.experimental === true },
        );
      });
  }
  return cmd;
}

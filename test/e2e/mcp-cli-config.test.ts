// `codex mcp add|list|get|remove` through the built binary: edits of $CODEX_HOME/config.toml keep every
// other byte, output matches the reference 0.169 (text tables, --json shapes, messages, exit codes).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse as parseToml } from "smol-toml";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { makeTestEnv, runCodex, type TestEnv } from "../support/codex-env.js";

let t: TestEnv;
let file: string;

beforeEach(() => {
  t = makeTestEnv({ apiKey: null });
  file = path.join(t.codexHome, "config.toml");
});
afterEach(() => t.cleanup());

const mcp = (...args: string[]) => runCodex(["mcp", ...args], { env: t.env, cwd: t.repo });
const read = () => readFileSync(file, "utf8");

const HEAD = `# my settings — keep this comment
model = "o3"   # trailing comment, odd spacing

[features]
# a comment inside a table
foo = true
`;
const TAIL = `
# the profiles come last
[profiles.fast]
model = "gpt-5.5"   # keep
`;

describe("codex mcp add/list/get/remove", () => {
  test("round trip keeps comments, order and other tables byte for byte", async () => {
    writeFileSync(file, HEAD + TAIL);
    // A server added to a file with other tables goes at the end; the existing text is an exact prefix.
    const a = await mcp("add", "srv", "--env", "A=1", "--env", "B=two", "--", "node", "server.js", "--flag", "a b");
    expect(a.stderr).toBe("");
    expect(a.stdout).toBe("Added global MCP server 'srv'.\n");
    expect(a.code).toBe(0);
    const block = `[mcp_servers.srv]\ncommand = "node"\nargs = ["server.js", "--flag", "a b"]\n\n[mcp_servers.srv.env]\nA = "1"\nB = "two"\n`;
    expect(read()).toBe(`${HEAD}${TAIL}\n${block}`);

    const w = await mcp("add", "web", "--url", "https://example.com/mcp", "--bearer-token-env-var", "TOK");
    expect(w.code).toBe(0);
    const web = `[mcp_servers.web]\nurl = "https://example.com/mcp"\nbearer_token_env_var = "TOK"\n`;
    expect(read()).toBe(`${HEAD}${TAIL}\n${block}\n${web}`);

    // A duplicate add replaces the entry in place (as the reference does): its env table goes too.
    const again = await mcp("add", "srv", "--", "other");
    expect(again.code).toBe(0);
    expect(read()).toBe(`${HEAD}${TAIL}\n[mcp_servers.srv]\ncommand = "other"\n\n${web}`);

    expect((await mcp("remove", "srv")).stdout).toBe("Removed global MCP server 'srv'.\n");
    expect(read()).toBe(`${HEAD}${TAIL}\n${web}`);
    const r = await mcp("remove", "web");
    expect(r.code).toBe(0);
    expect(read()).toBe(HEAD + TAIL);
  });

  test("removing a server between other tables leaves them untouched", async () => {
    const before = `${HEAD}\n[mcp_servers.a]\ncommand = "a"\n\n[mcp_servers.b]\ncommand = "b"\nargs = ["x"]\n\n[mcp_servers.b.env]\nK = "v"\n${TAIL}`;
    writeFileSync(file, before);
    expect((await mcp("remove", "b")).code).toBe(0);
    expect(read()).toBe(`${HEAD}\n[mcp_servers.a]\ncommand = "a"\n${TAIL}`);
    // Names outside bare-key syntax are quoted, and parse back to the same name.
    expect((await mcp("add", "@s/x:y.z", "--", "x", 'q"z')).code).toBe(0);
    expect(read()).toContain(`[mcp_servers."@s/x:y.z"]\ncommand = "x"\nargs = ['q"z']\n`);
    expect(Object.keys((parseToml(read()) as { mcp_servers: object }).mcp_servers)).toEqual(["a", "@s/x:y.z"]);
  });

  test("list and get: tables, masking and --json shapes", async () => {
    writeFileSync(
      file,
      [
        `[mcp_servers.srv]`,
        `command = "node"`,
        `args = ["server.js", "--flag"]`,
        `env = { B = "2", A = "secret" }`,
        `env_vars = ["HOME"]`,
        `cwd = "/w"`,
        `startup_timeout_sec = 5`,
        `tool_timeout_sec = 30.5`,
        `enabled_tools = ["a", "b"]`,
        `[mcp_servers.off]`,
        `command = "x"`,
        `enabled = false`,
        `[mcp_servers.web]`,
        `url = "http://localhost:1/mcp"`,
        `http_headers = { X-A = "hidden" }`,
        ``,
      ].join("\n"),
    );
    const list = await mcp("list");
    expect(list.code).toBe(0);
    expect(list.stdout).toBe(
      [
        "Name  Command  Args              Env                           Cwd  Status    Auth       ",
        "off   x        -                 -                             -    disabled  Unsupported",
        "srv   node     server.js --flag  A=*****, B=*****, HOME=*****  /w   enabled   Unsupported",
        "",
        "Name  Url                     Bearer Token Env Var  Status   Auth   ",
        "web   http://localhost:1/mcp  -                     enabled  Unknown",
        "",
      ].join("\n"),
    );
    expect(list.stdout).not.toContain("secret");

    const json = await mcp("list", "--json");
    expect(json.stdout).toContain('"startup_timeout_sec": 5.0,');
    expect(JSON.parse(json.stdout)).toEqual([
      {
        name: "off",
        enabled: false,
        disabled_reason: null,
        transport: { type: "stdio", command: "x", args: [], env: null, env_vars: [], cwd: null },
        startup_timeout_sec: null,
        tool_timeout_sec: null,
        auth_status: "unsupported",
      },
      {
        name: "srv",
        enabled: true,
        disabled_reason: null,
        transport: { type: "stdio", command: "node", args: ["server.js", "--flag"], env: { A: "secret", B: "2" }, env_vars: ["HOME"], cwd: "/w" },
        startup_timeout_sec: 5,
        tool_timeout_sec: 30.5,
        auth_status: "unsupported",
      },
      {
        name: "web",
        enabled: true,
        disabled_reason: null,
        transport: {
          type: "streamable_http",
          url: "http://localhost:1/mcp",
          bearer_token_env_var: null,
          http_headers: { "X-A": "hidden" },
          env_http_headers: null,
          http_headers_helper: null,
        },
        startup_timeout_sec: null,
        tool_timeout_sec: null,
        auth_status: "unknown",
      },
    ]);

    const get = await mcp("get", "srv");
    expect(get.stdout).toBe(
      [
        "srv",
        "  enabled: true",
        "  enabled_tools: a, b",
        "  transport: stdio",
        "  command: node",
        "  args: server.js --flag",
        "  cwd: /w",
        "  env: A=*****, B=*****, HOME=*****",
        "  startup_timeout_sec: 5",
        "  tool_timeout_sec: 30.5",
        "  remove: codex mcp remove srv",
        "",
      ].join("\n"),
    );
    expect((await mcp("get", "off")).stdout).toBe("off (disabled)\n");
    const getJson = JSON.parse((await mcp("get", "web", "--json")).stdout);
    expect(Object.keys(getJson)).toEqual([
      "name",
      "enabled",
      "disabled_reason",
      "transport",
      "enabled_tools",
      "disabled_tools",
      "startup_timeout_sec",
      "tool_timeout_sec",
    ]);
    // -c overrides apply to what list shows, not to the file.
    const over = await mcp("list", "--json", "-c", "mcp_servers.off.enabled=true");
    expect(JSON.parse(over.stdout)[0].enabled).toBe(true);
  });

  test("list shows a trusted project's servers (not an untrusted one's); remove edits only the user config", async () => {
    mkdirSync(path.join(t.repo, ".codex"));
    writeFileSync(path.join(t.repo, ".codex", "config.toml"), `[mcp_servers.fromproj]\ncommand = "p"\n`);
    const names = async () => (JSON.parse((await mcp("list", "--json")).stdout) as { name: string }[]).map((s) => s.name);
    writeFileSync(file, `[mcp_servers.mine]\ncommand = "m"\n`);
    expect(await names()).toEqual(["mine"]);
    const trusted = `[mcp_servers.mine]\ncommand = "m"\n\n[projects."${t.repo}"]\ntrust_level = "trusted"\n`;
    writeFileSync(file, trusted);
    expect(await names()).toEqual(["fromproj", "mine"]);
    const rm = await mcp("remove", "fromproj");
    expect([rm.code, rm.stdout]).toEqual([0, "No MCP server named 'fromproj' found.\n"]);
    expect(read()).toBe(trusted);
  });

  test("empty config: list says how to add one; --json is []", async () => {
    expect((await mcp("list")).stdout).toBe("No MCP servers configured yet. Try `codex mcp add my-tool -- my-command`.\n");
    expect((await mcp("list", "--json")).stdout).toBe("[]\n");
  });

  test("errors: unknown name, bad name, bad flags, malformed config — file untouched", async () => {
    const original = `${HEAD}[mcp_servers.a]\ncommand = "a"\n`;
    writeFileSync(file, original);
    const unknown = await mcp("get", "nope");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe("Error: No MCP server named 'nope' found.\n");
    const rm = await mcp("remove", "nope");
    expect([rm.code, rm.stdout]).toEqual([0, "No MCP server named 'nope' found.\n"]);

    const bad = await mcp("add", "bad name", "--", "x");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe("Error: invalid server name 'bad name' (use letters, numbers, '-', '_', ':', '@', '/', '.')\n");
    const none = await mcp("add", "x");
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("error: the following required arguments were not provided:\n  <COMMAND|--url <URL>>");
    const both = await mcp("add", "x", "--url", "http://u", "--", "cmd");
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("error: the argument '--url <URL>' cannot be used with '[COMMAND]...'");
    const env = await mcp("add", "x", "--env", "NOEQ", "--", "cmd");
    expect(env.code).toBe(2);
    expect(env.stderr).toContain("error: invalid value 'NOEQ' for '--env <KEY=VALUE>': environment entries must be in KEY=VALUE form");
    expect((await mcp("add", "x", "--env", "A=1", "--url", "http://u")).code).toBe(1);
    expect((await mcp("add", "x", "--bearer-token-env-var", "T", "--", "cmd")).code).toBe(2);
    expect(read()).toBe(original);

    const broken = `${original}oops = = 1\n`;
    writeFileSync(file, broken);
    for (const args of [["list"], ["get", "a"], ["add", "b", "--", "x"], ["remove", "a"]]) {
      const r = await mcp(...args);
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
      expect(r.stderr).toContain(`${file}:`);
    }
    expect(read()).toBe(broken);

    const wrongShape = `${HEAD}[mcp_servers.q]\nargs = ["x"]\n`;
    writeFileSync(file, wrongShape);
    const shape = await mcp("list");
    expect(shape.code).toBe(1);
    expect(shape.stderr).toBe(`Error: ${file}: mcp_servers.q: invalid transport (needs command = "…" or url = "…")\n`);
    writeFileSync(file, "mcp_servers = 3\n");
    const notTable = await mcp("add", "z", "--", "x");
    expect(notTable.stderr).toBe(`Error: ${file}: mcp_servers: expected a table of servers\n`);
    expect(read()).toBe("mcp_servers = 3\n");
  });

  test("a config without the table layout (inline mcp_servers) is rewritten correctly", async () => {
    writeFileSync(file, `model = "o3"\nmcp_servers = { a = { command = "a" } }\n`);
    expect((await mcp("add", "b", "--", "b")).code).toBe(0);
    const doc = parseToml(read()) as Record<string, unknown>;
    expect(doc).toEqual({ model: "o3", mcp_servers: { a: { command: "a" }, b: { command: "b" } } });
  });
});

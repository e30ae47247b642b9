import { parse as parseToml } from "smol-toml";
import { describe, expect, test } from "vitest";
import { removeMcpServerFromToml, upsertMcpServerInToml, validateMcpServerName } from "./edit-mcp.js";

const file = "/h/config.toml";
const stdio = (command: string, args: string[] = [], env: Record<string, string> = {}) =>
  ({ transport: "stdio", command, args, env }) as const;

describe("mcp_servers editor", () => {
  test("a comment after a server's keys stays with what follows it", () => {
    const text = `[mcp_servers.a]\ncommand = "a"\n\n# about b\n[mcp_servers.b]\ncommand = "b"\n`;
    expect(removeMcpServerFromToml(text, { name: "a", file })).toBe(`# about b\n[mcp_servers.b]\ncommand = "b"\n`);
    expect(upsertMcpServerInToml(text, { name: "a", server: stdio("z"), file })).toBe(
      `[mcp_servers.a]\ncommand = "z"\n\n# about b\n[mcp_servers.b]\ncommand = "b"\n`,
    );
  });

  test("sections of one server spread over the file are all replaced, the first in place", () => {
    const text = `[mcp_servers.a]\ncommand = "a"\n\n[other]\nx = 1\n\n[mcp_servers.a.env]\nK = "v"\n\n[last]\ny = 2\n`;
    const out = upsertMcpServerInToml(text, { name: "a", server: stdio("n", ["1"]), file });
    expect(out).toBe(`[mcp_servers.a]\ncommand = "n"\nargs = ["1"]\n\n[other]\nx = 1\n\n[last]\ny = 2\n`);
    expect(removeMcpServerFromToml(text, { name: "a", file })).toBe(`[other]\nx = 1\n\n[last]\ny = 2\n`);
  });

  test("CRLF files keep their line ends; a file without a final newline keeps its text", () => {
    const crlf = `model = "o3"\r\n\r\n[mcp_servers.a]\r\ncommand = "a"\r\n\r\n[x]\r\ny = 1\r\n`;
    const out = upsertMcpServerInToml(crlf, { name: "a", server: stdio("b"), file });
    expect(out).toBe(`model = "o3"\r\n\r\n[mcp_servers.a]\r\ncommand = "b"\r\n\r\n[x]\r\ny = 1\r\n`);
    expect(upsertMcpServerInToml(`model = "o3"\r\n`, { name: "n", server: stdio("b"), file })).toBe(
      `model = "o3"\r\n\r\n[mcp_servers.n]\r\ncommand = "b"\r\n`,
    );
    expect(removeMcpServerFromToml(crlf, { name: "a", file })).toBe(`model = "o3"\r\n\r\n[x]\r\ny = 1\r\n`);
    expect(upsertMcpServerInToml(`model = "o3"`, { name: "a", server: stdio("b"), file })).toBe(
      `model = "o3"\n\n[mcp_servers.a]\ncommand = "b"\n`,
    );
  });

  test("a `[mcp_servers]` table with inline entries falls back to a correct rewrite", () => {
    const text = `[mcp_servers]\na = { command = "a" }\n`;
    const out = upsertMcpServerInToml(text, { name: "b", server: { transport: "streamable_http", url: "http://u" }, file });
    expect(parseToml(out)).toEqual({ mcp_servers: { a: { command: "a" }, b: { url: "http://u" } } });
    const removed = removeMcpServerFromToml(text, { name: "a", file })!;
    expect(parseToml(removed)).toEqual({ mcp_servers: {} });
  });

  test("values that need escaping parse back to themselves", () => {
    const server = stdio("c:\\bin\\x", ["line\nbreak", "tab\there", "it's \"q\""], { "A.B": "v=1" });
    const out = upsertMcpServerInToml("", { name: "we.ird", server, file });
    expect(parseToml(out)).toEqual({
      mcp_servers: { "we.ird": { command: "c:\\bin\\x", args: ["line\nbreak", "tab\there", "it's \"q\""], env: { "A.B": "v=1" } } },
    });
  });

  test("names: letters, digits and - _ : @ / . only", () => {
    for (const ok of ["a", "A-b_c", "@scope/pkg:tool.v1"]) expect(() => validateMcpServerName(ok)).not.toThrow();
    for (const bad of ["", "a b", "a]b", 'a"b', "é"]) expect(() => validateMcpServerName(bad)).toThrow(/invalid server name/);
  });

  test("a server missing from the file: remove says so (null)", () => {
    expect(removeMcpServerFromToml(`[mcp_servers.a]\ncommand = "a"\n`, { name: "b", file })).toBeNull();
  });
});

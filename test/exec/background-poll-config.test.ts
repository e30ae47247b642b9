// `background_terminal_max_timeout` (config.toml, ms) bounds an empty write_stdin poll, as in the reference.
import { afterEach, expect, it } from "vitest";
import { modelInfo } from "../../src/core/model/catalog.js";
import { buildToolset, type Toolset } from "../../src/core/tools/toolset.js";
import { sandboxHome, write } from "../config/helpers.js";
import { fakeToolContext, parseUnifiedOutput } from "./fake-tool-context.js";

let toolset: Toolset | undefined;
afterEach(async () => {
  await toolset?.dispose();
  toolset = undefined;
});

it("an empty poll waits at most background_terminal_max_timeout, not the yield it asked for", async () => {
  const { home, load } = sandboxHome();
  write(`${home}/config.toml`, "background_terminal_max_timeout = 5000\n");
  const config = await load();
  expect(config.backgroundTerminalMaxTimeoutMs).toBe(5000);
  toolset = buildToolset({ info: modelInfo("gpt-5.5"), config });
  const { ctx } = fakeToolContext();
  const call = async (name: string, args: unknown) => {
    const item = await toolset!.registry.dispatch({ type: "function_call", name, arguments: JSON.stringify(args), call_id: name }, ctx);
    if (item.type !== "function_call_output" || typeof item.output !== "string") throw new Error("unexpected output item");
    return parseUnifiedOutput(item.output);
  };
  const started = await call("exec_command", { cmd: "sleep 60", login: false, yield_time_ms: 250 });
  const t0 = Date.now();
  const out = await call("write_stdin", { session_id: started.sessionId, chars: "", yield_time_ms: 30_000 });
  expect(out.sessionId).toBe(started.sessionId);
  expect(Date.now() - t0).toBeLessThan(15_000);
  expect(Date.now() - t0).toBeGreaterThanOrEqual(4900);
});

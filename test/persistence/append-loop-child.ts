// Child process for the crash test: appends forever and reports each append only after it resolved.
import { createRolloutStore } from "../../src/core/persistence/rollout-store.js";

const [codexHome, threadId] = process.argv.slice(2);
if (!codexHome || !threadId) throw new Error("usage: append-loop-child <codexHome> <threadId>");
const store = createRolloutStore({ codexHome });
const writer = await store.create({
  id: threadId,
  timestamp: new Date().toISOString(),
  cwd: process.cwd(),
  originator: "codex_exec",
  cli_version: "0.0.0",
  source: "exec",
});
process.stdout.write(`path ${writer.path}\n`);
const pad = "x".repeat(3000); // large lines make a kill mid-write likely
for (let i = 0; ; i++) {
  // Two appends in flight at once exercise the queue; each is reported only once resolved.
  const a = writer.append({ type: "event_msg", payload: { type: "agent_message", message: `a${i} ${pad}` } });
  const b = writer.append({ type: "event_msg", payload: { type: "agent_message", message: `b${i} ${pad}` } });
  await a;
  process.stdout.write(`done a${i}\n`);
  await b;
  process.stdout.write(`done b${i}\n`);
}

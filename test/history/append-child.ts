// Child process for the concurrency test: appends `count` prompts tagged with its name, as fast as it can.
import { createMessageHistory } from "../../src/core/history/index.js";

const [codexHome, name, count, maxBytes] = process.argv.slice(2);
if (!codexHome || !name || !count) throw new Error("usage: append-child <codexHome> <name> <count> [maxBytes]");
const history = createMessageHistory({
  codexHome,
  persistence: "save-all",
  ...(maxBytes ? { maxBytes: Number(maxBytes) } : {}),
  // Two busy writers: wait longer than the default before giving up on the lock.
  lock: { attempts: 100_000, retryMs: 1 },
});
const pad = "y".repeat(200);
for (let i = 0; i < Number(count); i++) {
  await history.append(`session-${name}`, `${name} ${i} ${pad}`);
  // A person does not type in a tight loop: leave the other writer a moment to take the lock (no starvation).
  await new Promise((r) => setTimeout(r, 1));
}
process.stdout.write("done\n");

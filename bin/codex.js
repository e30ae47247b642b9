#!/usr/bin/env node
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import vm from "node:vm";

// fetch (undici) parses HTTP with a WebAssembly llhttp. V8 re-compiles its hot functions with TurboFan on
// a background thread, and process exit has to wait for that job: 100–500 ms between the last JSONL line
// and the exit, and ~30 MiB of RSS. The baseline (Liftoff) code is plenty for the rare fetch we make.
setFlagsFromString("--liftoff-only");

/**
 * Loads dist/cli.cjs through vm.Script with V8's code cache kept in dist/.v8-cache/ (keyed by the command,
 * the bundle's size and mtime, and the Node version; V8 itself rejects a cache from another V8 or other
 * flags). A missing or rejected cache is written at exit, after the run compiled what it needed. Falls
 * back to the ES module build if the CommonJS bundle is absent.
 */
async function loadCli() {
  const file = fileURLToPath(new URL("../dist/cli.cjs", import.meta.url));
  // One cache per command: it holds what that command compiled (exec compiles the agent, --version nothing).
  const command = process.argv.slice(2).find((a) => !a.startsWith("-")) ?? "main";
  const kind = /^[a-z][a-z_-]{0,19}$/.test(command) ? command : "other";
  return loadCached(file, kind) ?? import("../dist/cli.js");
}

/** Compiles and runs one CommonJS bundle of dist/ with a code cache; null when the file is missing. */
function loadCached(file, kind) {
  let source;
  let stat;
  try {
    // The bundles are ASCII (scripts/build.mjs: charset "ascii"): read as one-byte text, with no UTF-8 decoding.
    source = readFileSync(file, "latin1");
    stat = statSync(file);
  } catch {
    return null;
  }
  const name = `${kind}-${stat.size}-${Math.trunc(stat.mtimeMs)}-${process.version}-${process.arch}.bin`;
  // Beside the bundle; $CODEX_HOME/cache/v8 when dist/ is read-only (a system-wide install).
  const home = process.env.CODEX_HOME || path.join(os.homedir(), ".codex");
  const dirs = [path.join(path.dirname(file), ".v8-cache"), path.join(home, "cache", "v8")];
  let cachedData;
  for (const dir of dirs) {
    try {
      cachedData = readFileSync(path.join(dir, name));
      break;
    } catch {
      cachedData = undefined;
    }
  }
  // __codexLoadCached: another CommonJS bundle of dist/ loaded like this one (the TUI, dist/tui.cjs).
  const wrapper = `(function (exports, require, module, __filename, __dirname, __codexLoadCached) {${source}\n})`;
  const script = new vm.Script(wrapper, { filename: file, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    process.once("exit", () => {
      const data = script.createCachedData();
      for (const dir of dirs) {
        try {
          mkdirSync(dir, { recursive: true });
          const tmp = path.join(dir, `${name}.${process.pid}.tmp`);
          writeFileSync(tmp, data);
          renameSync(tmp, path.join(dir, name));
          return;
        } catch {
          // not writable: try the next place, or run without a cache next time too
        }
      }
    });
  }
  const module = { exports: {} };
  script.runInThisContext()(
    module.exports,
    createRequire(file),
    module,
    file,
    path.dirname(file),
    (other, otherKind) => loadCached(other, otherKind) ?? createRequire(file)(other),
  );
  return module.exports;
}

const { main } = await loadCli();

// Exit as soon as the command is done: an idle keep-alive connection to the model server would
// otherwise hold the process open for a while. Writes to a pipe are synchronous only until the pipe
// is full; whatever libuv still queues (a long transcript piped into `tail`) is flushed first.
const flushed = (stream) =>
  new Promise((resolve) => {
    if (!stream.writableLength || stream.destroyed) return resolve();
    stream.once("drain", resolve);
    stream.once("error", resolve);
    stream.once("close", resolve);
  });
main(process.argv.slice(2))
  .then(() => Promise.all([flushed(process.stdout), flushed(process.stderr)]))
  .then(() => process.exit(process.exitCode ?? 0));

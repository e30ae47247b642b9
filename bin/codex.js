#!/usr/bin/env node
import { setFlagsFromString } from "node:v8";

// fetch (undici) parses HTTP with a WebAssembly llhttp. V8 re-compiles its hot functions with TurboFan on
// a background thread, and process exit has to wait for that job: 100–500 ms between the last JSONL line
// and the exit, and ~30 MiB of RSS. The baseline (Liftoff) code is plenty for one SSE stream.
setFlagsFromString("--liftoff-only");

const { main } = await import("../dist/cli.js");

// Exit as soon as the command is done: an idle keep-alive connection to the model server would
// otherwise hold the process open for a while. stdout/stderr writes are synchronous for files,
// pipes and terminals on Linux and macOS, so nothing written is lost.
main(process.argv.slice(2)).then(() => process.exit(process.exitCode ?? 0));

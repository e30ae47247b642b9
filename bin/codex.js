#!/usr/bin/env node
import { main } from "../dist/cli.js";

// Exit as soon as the command is done: an idle keep-alive connection to the model server would
// otherwise hold the process open for a while. stdout/stderr writes are synchronous for files,
// pipes and terminals on Linux and macOS, so nothing written is lost.
main(process.argv.slice(2)).then(() => process.exit(process.exitCode ?? 0));

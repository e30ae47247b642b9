import type { Command } from "commander";
import type { ExecIo } from "../../headless/run-exec.js";
import type { ReviewTarget } from "../../core/index.js";
import { addExecOptions, ancestorOptions, toExecArgs } from "../exec-options.js";

// `codex review [PROMPT|-]` and `codex exec review [PROMPT|-]`: a headless review turn over the working
// tree (uncommitted changes unless --base or --commit), with exec's output options (--json, -o,
// --output-schema). The work is done by the exec front end with the core review plan.

export interface ReviewCommandDeps {
  io: () => ExecIo;
  runExec: (...args: Parameters<typeof import("../../headless/run-exec.js").runExec>) => Promise<number>;
}

class ReviewUsageError extends Error {}

/** The target the flags name; at most one of --uncommitted, --base, --commit. */
export function reviewTargetFrom(opts: Record<string, unknown>): ReviewTarget {
  const given = [opts.uncommitted ? "--uncommitted" : null, opts.base ? "--base" : null, opts.commit ? "--commit" : null].filter(
    (f): f is string => f !== null,
  );
  if (given.length > 1) throw new ReviewUsageError(`${given.join(" and ")} cannot be used together`);
  if (opts.title !== undefined && !opts.commit) throw new ReviewUsageError("--title needs --commit");
  if (typeof opts.base === "string") return { kind: "base", branch: opts.base };
  if (typeof opts.commit === "string") {
    return { kind: "commit", sha: opts.commit, ...(typeof opts.title === "string" ? { title: opts.title } : {}) };
  }
  return { kind: "uncommitted" };
}

/** Adds `review` under `parent` (the program or `exec`). */
export function registerReviewCommand(parent: Command, deps: ReviewCommandDeps): Command {
  return addExecOptions(
    parent
      .command("review")
      .description("review the changes in this repository (uncommitted by default) without modifying anything")
      .argument("[prompt]", "extra review instructions (`-` reads them from stdin)")
      .option("--uncommitted", "review staged, unstaged and untracked changes (the default)")
      .option("--base <branch>", "review the changes against the merge base with BRANCH")
      .option("--commit <sha>", "review the changes introduced by one commit")
      .option("--title <title>", "with --commit: the title to show in the review summary"),
  ).action(async (prompt: string | undefined, opts: Record<string, unknown>, cmd: Command) => {
    let target: ReviewTarget;
    try {
      target = reviewTargetFrom(opts);
    } catch (err) {
      if (!(err instanceof ReviewUsageError)) throw err;
      process.stderr.write(`error: ${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    const args = toExecArgs(ancestorOptions(cmd), opts, prompt);
    args.review = { target };
    process.exitCode = await deps.runExec(args, deps.io());
  });
}

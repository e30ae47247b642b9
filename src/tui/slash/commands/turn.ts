// /init, /compact, /diff, /mention: commands that ask the model something or show the work tree.
import { existsSync } from "node:fs";
import path from "node:path";
import type { TuiCore } from "../../tui-args.js";
import type { SlashCommand } from "../registry.js";

/** Our own words for what the reference's /init asks: write a contributor guide for agents, AGENTS.md. */
export const INIT_PROMPT = [
  "Create an AGENTS.md file in the current working directory: a concise guide for coding agents (and people) contributing to this repository.",
  "First check whether AGENTS.md already exists here; if it does, leave it untouched and say so.",
  "Look at the repository before writing: its layout, build and test commands, languages, lint and format settings, and the conventions visible in recent commits.",
  "",
  "Use short Markdown sections with descriptive headings, for example:",
  "- Project structure: where the source, tests and assets live.",
  "- Build, test and development commands, each with one line on what it does.",
  "- Coding style: indentation, naming, formatters and linters the project uses.",
  "- Testing: frameworks, how tests are named and run, coverage expectations.",
  "- Commits and pull requests: message conventions and what a change should include.",
  "Leave out sections that do not apply and add any that this project needs. Keep it to a few hundred words, specific to this repository rather than generic advice.",
].join("\n");

export function turnCommands(core: TuiCore): SlashCommand[] {
  return [
    {
      name: "init",
      description: "create an AGENTS.md file with instructions for Codex",
      async run(ctx) {
        const cwd = ctx.state().session?.cwd ?? ctx.config().cwd;
        if (existsSync(path.join(cwd, "AGENTS.md"))) {
          ctx.pushCell({ kind: "info", lines: ["AGENTS.md already exists here. Skipping /init to avoid overwriting it."] });
          return;
        }
        await ctx.sendMessage(INIT_PROMPT);
      },
    },
    {
      name: "compact",
      description: "summarize conversation to prevent hitting the context limit",
      async run(ctx) {
        await ctx.submit({ type: "compact" });
      },
    },
    {
      name: "diff",
      description: "show git diff (including untracked files)",
      availableDuringTask: true,
      async run(ctx) {
        const r = await core.workingTreeDiff({ cwd: ctx.state().session?.cwd ?? ctx.config().cwd });
        if (r.type === "not_a_repository") {
          ctx.pushCell({ kind: "info", title: "/diff", lines: ["not inside a git repository"] });
        } else if (r.type === "error") {
          ctx.pushCell({ kind: "error", message: `/diff: ${r.message}`, errorKind: "internal" });
        } else if (r.diff.trim() === "") {
          ctx.pushCell({ kind: "info", title: "/diff", lines: ["No changes."] });
        } else {
          const lines = r.diff.replace(/\n$/, "").split("\n");
          if (r.truncated) lines.push("… (diff cut short: too large)");
          ctx.pushCell({ kind: "info", title: "/diff", lines });
        }
      },
    },
    {
      name: "mention",
      description: "mention a file",
      availableDuringTask: true,
      run(ctx) {
        ctx.setComposerText("@");
      },
    },
  ];
}

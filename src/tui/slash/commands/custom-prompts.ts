// Custom prompts ($CODEX_HOME/prompts/*.md) as slash commands: `/name args` sends the prompt's body with its
// placeholders filled. Read once when the TUI starts; a built-in command of the same name wins.
import type { CustomPrompt } from "../../../core/index.js";
import type { TuiCore } from "../../tui-args.js";
import type { SlashCommand } from "../registry.js";

export function customPromptCommands(core: Pick<TuiCore, "expandCustomPrompt">, prompts: readonly CustomPrompt[], taken: ReadonlySet<string>): SlashCommand[] {
  return prompts
    .filter((p) => !taken.has(p.name))
    .map((p) => ({
      name: p.name,
      description: [p.description ?? "send saved prompt", p.argumentHint].filter(Boolean).join(" "),
      async run(ctx, args) {
        await ctx.sendMessage(core.expandCustomPrompt(p, args));
      },
    }));
}

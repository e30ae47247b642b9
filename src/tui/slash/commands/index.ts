// Every command, overlay and composer helper of tuicmds, for runTui's extensions. Built once per TUI from
// core (handed in by the CLI) and the custom prompts of $CODEX_HOME/prompts.
import type { CustomPrompt, FileIndex } from "../../../core/index.js";
import type { TuiCore } from "../../tui-args.js";
import type { SlashCommand, TuiExtensions } from "../registry.js";
import { mentionAddon, shellCommandAddon, slashPopupAddon } from "./composer-addons.js";
import { customPromptCommands } from "./custom-prompts.js";
import { experimentalCommand } from "./experimental.js";
import { infoCommands } from "./info.js";
import { listOverlayRenderer } from "./list-overlay.js";
import { sessionPickerOverlay } from "./session-picker-overlay.js";
import { sessionCommands } from "./session.js";
import { settingsCommands } from "./settings.js";
import { turnCommands } from "./turn.js";

export function builtinCommands(core: TuiCore): SlashCommand[] {
  // Codex's order in the popup: settings first, then session, then the rest.
  const [model, approvals] = settingsCommands(core);
  const [newCmd, resume, fork, logout, quit, exit] = sessionCommands(core);
  const [init, compact, diff, mention] = turnCommands(core);
  const [status, mcp, ps, stop, ...rest] = infoCommands(core);
  return [model!, approvals!, experimentalCommand(core), newCmd!, resume!, fork!, init!, compact!, diff!, mention!, status!, mcp!, ps!, stop!, ...rest, logout!, quit!, exit!];
}

export async function createTuiExtensions(core: TuiCore, o: { codexHome: string; cwd: string }): Promise<TuiExtensions> {
  const builtins = builtinCommands(core);
  const taken = new Set(builtins.flatMap((c) => [c.name, ...(c.aliases ?? [])]));
  const prompts: CustomPrompt[] = await core.listCustomPrompts({ codexHome: o.codexHome });
  // A command that throws at once (e.g. before the session started) is a rejected run the app reports, not a crash.
  const commands = [...builtins, ...customPromptCommands(core, prompts, taken)].map((c): SlashCommand => ({ ...c, run: async (ctx, args) => c.run(ctx, args) }));
  let index: FileIndex | null = null;
  return {
    commands,
    overlays: [listOverlayRenderer, sessionPickerOverlay(core)],
    composerAddons: [slashPopupAddon(() => commands), mentionAddon(() => (index ??= core.createFileIndex(o.cwd))), shellCommandAddon()],
  };
}

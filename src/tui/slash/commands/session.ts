// /new, /resume, /fork, /quit, /exit, /logout: the session's own life.
import type { TuiCore } from "../../tui-args.js";
import type { SlashCommand } from "../registry.js";
import { SESSION_PICKER_OVERLAY_ID } from "./session-picker-overlay.js";

export function sessionCommands(core: TuiCore): SlashCommand[] {
  const quit: SlashCommand["run"] = (ctx) => ctx.exit();
  return [
    {
      name: "new",
      description: "start a new chat during a conversation",
      async run(ctx) {
        await ctx.switchThread(await ctx.runtime().threads.start());
      },
    },
    {
      name: "resume",
      description: "resume a saved chat",
      run(ctx) {
        ctx.openOverlay({ id: SESSION_PICKER_OVERLAY_ID, props: { kind: "resume", all: false } });
      },
    },
    {
      name: "fork",
      description: "fork the current chat",
      async run(ctx) {
        const id = ctx.state().session?.threadId;
        if (!id) throw new Error("no session to fork yet");
        const forked = await ctx.runtime().threads.fork({ id });
        await ctx.switchThread(forked);
        ctx.pushCell({ kind: "info", title: "Forked this chat", lines: [`from ${id}`] });
      },
    },
    {
      name: "logout",
      description: "log out of Codex",
      async run(ctx) {
        const removed = await core.logout(ctx.config().codexHome);
        ctx.pushCell({ kind: "info", lines: [removed ? "Logged out: the saved credentials were removed." : "Not logged in."] });
        ctx.exit();
      },
    },
    { name: "quit", description: "exit Codex", availableDuringTask: true, run: quit },
    { name: "exit", description: "exit Codex", availableDuringTask: true, run: quit },
  ];
}

// /resume inside the app: the session picker as an overlay; the picked session replaces the current thread.
import { Text } from "ink";
import { useEffect, useState } from "react";
import type { TuiCore } from "../../tui-args.js";
import { SessionPicker } from "../../picker/session-picker.js";
import { loadSessionRows, type SessionRow } from "../../picker/session-rows.js";
import type { OverlayRenderer, SlashContext } from "../registry.js";

export const SESSION_PICKER_OVERLAY_ID = "tuicmds.session-picker";

export function sessionPickerOverlay(core: TuiCore): OverlayRenderer {
  return {
    id: SESSION_PICKER_OVERLAY_ID,
    render: ({ overlay, ctx }) => <Overlay core={core} ctx={ctx} all={overlay.props["all"] === true} />,
  };
}

function Overlay({ core, ctx, all }: { core: TuiCore; ctx: SlashContext; all: boolean }) {
  const [rows, setRows] = useState<SessionRow[] | null>(null);
  useEffect(() => {
    let live = true;
    void loadSessionRows(core, { codexHome: ctx.config().codexHome, cwd: ctx.config().cwd, all }).then((r) => {
      const current = ctx.state().session?.threadId;
      if (live) setRows(r.filter((row) => row.id !== current));
    });
    return () => {
      live = false;
    };
  }, [core, ctx, all]);
  if (rows === null) return <Text dimColor>Loading saved sessions…</Text>;
  const close = () => ctx.closeOverlay(SESSION_PICKER_OVERLAY_ID);
  return (
    <SessionPicker
      kind="resume"
      rows={rows}
      showCwd={all}
      now={Date.now()}
      pageSize={10}
      onPick={(row) => {
        close();
        void ctx.runtime().threads.resume({ id: row.id }).then(
          async (thread) => {
            await ctx.switchThread(thread);
            ctx.pushCell({ kind: "info", title: "Resumed session", lines: [row.preview] });
          },
          (err: unknown) => ctx.pushCell({ kind: "error", message: `resume: ${(err as Error).message}`, errorKind: "internal" }),
        );
      }}
      onNew={close}
      onQuit={close}
    />
  );
}

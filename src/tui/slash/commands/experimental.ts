// /experimental: the features not yet stable, each on or off; choosing one flips it in config.toml
// ([features] <name> = true|false, the same edit `codex features enable|disable` makes). New sessions use it.
import type { TuiCore } from "../../tui-args.js";
import type { SlashCommand, SlashContext } from "../registry.js";
import { openListOverlay } from "./list-overlay.js";
import { applyApprovalPreset, SMART_APPROVALS_PRESET } from "./settings.js";

const SMART = "\u0000smart_approvals";

export function experimentalCommand(core: TuiCore): SlashCommand {
  return { name: "experimental", description: "toggle experimental features", run: (ctx) => chooseFeature(core, ctx, {}) };
}

function chooseFeature(core: TuiCore, ctx: SlashContext, changed: Record<string, boolean>): void {
  const features = core.FEATURES.filter((f) => f.stage === "experimental" || f.stage === "under development");
  if (features.length === 0) {
    ctx.pushCell({ kind: "info", lines: ["No experimental features in this version."] });
    return;
  }
  const enabled = (name: string) => changed[name] ?? ctx.config().features[name] ?? core.findFeature(name)?.defaultEnabled ?? false;
  // Smart Approvals first: on switches this session to on-request + workspace-write with the guardian answering,
  // and saves approvals_reviewer to config.toml; off gives the approvals back to the person.
  const smart = changed[SMART] ?? ctx.config().approvalsReviewer === "guardian";
  openListOverlay(ctx, {
    title: "Experimental features",
    subtitle: "enter toggles · saved to config.toml · new sessions use the change",
    items: [
      { label: `[${smart ? "x" : " "}] Smart Approvals`, description: "a reviewer agent answers approval requests" },
      ...features.map((f) => ({ label: `[${enabled(f.name) ? "x" : " "}] ${f.name}`, description: f.stage })),
    ],
    footer: "enter toggle · esc done",
    onChoose: (i) => {
      if (i === 0) {
        const on = !smart;
        if (on) applyApprovalPreset(core, ctx, SMART_APPROVALS_PRESET);
        else void ctx.submit({ type: "override_turn_context", approvalsReviewer: "user" });
        const edits = [{ keyPath: "approvals_reviewer", value: on ? "guardian_subagent" : "user", merge: "replace" as const }];
        void core.writeUserConfigValues({ codexHome: ctx.config().codexHome, edits }).then(
          () => {
            ctx.pushCell({ kind: "info", lines: [`Smart Approvals ${on ? "on" : "off"} (saved to config.toml)`] });
            chooseFeature(core, ctx, { ...changed, [SMART]: on });
          },
          (err: unknown) => ctx.pushCell({ kind: "error", message: `/experimental: ${(err as Error).message}`, errorKind: "internal" }),
        );
        return;
      }
      const f = features[i - 1]!;
      const value = !enabled(f.name);
      void core.writeFeatureToUserConfig({ codexHome: ctx.config().codexHome, name: f.name, value }).then(
        () => {
          ctx.pushCell({ kind: "info", lines: [`${f.name} ${value ? "enabled" : "disabled"} in config.toml (new sessions use it)`] });
          chooseFeature(core, ctx, { ...changed, [f.name]: value });
        },
        (err: unknown) => ctx.pushCell({ kind: "error", message: `/experimental: ${(err as Error).message}`, errorKind: "internal" }),
      );
    },
  });
}

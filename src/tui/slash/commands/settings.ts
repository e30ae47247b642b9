// /model (model, then reasoning effort) and /approvals (approval + sandbox presets): they change the next
// turns of this session through the override_turn_context op.
import type { AskForApproval, SandboxMode } from "../../../protocol/policy.js";
import type { TuiCore } from "../../tui-args.js";
import type { SlashCommand, SlashContext } from "../registry.js";
import { openListOverlay } from "./list-overlay.js";

interface ModelChoice {
  slug: string;
  displayName: string;
  description: string;
  efforts: { effort: string; description: string }[];
  defaultEffort: string;
}

const EFFORTS = [
  { effort: "low", description: "Fast responses with lighter reasoning" },
  { effort: "medium", description: "Balances speed and reasoning depth for everyday tasks" },
  { effort: "high", description: "Greater reasoning depth for complex problems" },
  { effort: "xhigh", description: "Extra high reasoning depth for complex problems" },
];

/** The models offered: core's picker list when this build has one, else the catalogue's current families. */
export function modelChoices(core: TuiCore): ModelChoice[] {
  const picker = (core as unknown as { pickerModels?: (o: { includeHidden: boolean }) => { slug: string; displayName: string; description: string; reasoningEfforts: { effort: string; description: string }[]; defaultReasoningEffort: string }[] }).pickerModels;
  if (picker) {
    return picker({ includeHidden: false }).map((m) => ({ slug: m.slug, displayName: m.displayName, description: m.description, efforts: m.reasoningEfforts, defaultEffort: m.defaultReasoningEffort }));
  }
  return ["gpt-5.5", "gpt-5.4", "gpt-5.3-codex"].map((slug) => ({ slug, displayName: slug, description: "", efforts: EFFORTS, defaultEffort: "medium" }));
}

export interface ApprovalPreset {
  label: string;
  description: string;
  approval: AskForApproval;
  sandbox: SandboxMode;
  /** Who answers the approvals: the person (default), or the guardian reviewer (Smart Approvals). */
  reviewer?: "user" | "guardian";
}

/** Smart Approvals: the workspace-write preset, with a guardian sub-agent answering instead of the person. */
export const SMART_APPROVALS_PRESET: ApprovalPreset = {
  label: "Smart Approvals",
  description: "Like Ask for approval, but a reviewer agent answers the requests for you (allowing or declining with a reason)",
  approval: "on-request",
  sandbox: "workspace-write",
  reviewer: "guardian",
};

/** Applies a preset to the next turns of this session. */
export function applyApprovalPreset(core: TuiCore, ctx: SlashContext, preset: ApprovalPreset): void {
  // The workspace-write roots (cwd, --add-dir, writable_roots, tmp) come from the config, as at start-up.
  const sandbox = core.resolveSandboxPolicy({ ...ctx.config(), sandboxMode: preset.sandbox });
  void ctx.submit({
    type: "override_turn_context",
    approvalPolicy: preset.approval,
    sandboxPolicy: sandbox,
    approvalsReviewer: preset.reviewer ?? "user",
  });
  ctx.pushCell({ kind: "info", lines: [`Permissions updated to ${preset.label}`] });
}

export const APPROVAL_PRESETS: ApprovalPreset[] = [
  {
    label: "Read Only",
    description: "Read files in the workspace; ask before editing or using the network",
    approval: "on-request",
    sandbox: "read-only",
  },
  {
    label: "Ask for approval",
    description: "Read and edit workspace files and run commands; ask for network access or edits outside it",
    approval: "on-request",
    sandbox: "workspace-write",
  },
  {
    label: "Full Access",
    description: "Edit anything and use the network without asking (use with caution)",
    approval: "never",
    sandbox: "danger-full-access",
  },
  SMART_APPROVALS_PRESET,
];

export function settingsCommands(core: TuiCore): SlashCommand[] {
  return [
    { name: "model", description: "choose what model and reasoning effort to use", run: (ctx) => chooseModel(core, ctx) },
    { name: "approvals", aliases: ["permissions"], description: "choose what Codex is allowed to do", run: (ctx) => chooseApprovals(core, ctx) },
  ];
}

function chooseModel(core: TuiCore, ctx: SlashContext): void {
  const current = ctx.state().session;
  // The next turns use it at once; "save" also makes it config.toml's model and effort (as Codex's Enter does).
  const apply = (model: ModelChoice, effort: string, o: { save: boolean }) => {
    void ctx.submit({ type: "override_turn_context", model: model.slug, effort });
    if (!o.save) {
      ctx.pushCell({ kind: "info", lines: [`Model changed to ${model.slug} ${effort} for this session`] });
      return;
    }
    const edits = [
      { keyPath: "model", value: model.slug, merge: "replace" as const },
      { keyPath: "model_reasoning_effort", value: effort, merge: "replace" as const },
    ];
    void core.writeUserConfigValues({ codexHome: ctx.config().codexHome, edits }).then(
      () => ctx.pushCell({ kind: "info", lines: [`Model changed to ${model.slug} ${effort}`] }),
      (err: unknown) => ctx.pushCell({ kind: "error", message: `/model: not saved to config.toml: ${(err as Error).message}`, errorKind: "internal" }),
    );
  };
  const models = modelChoices(core);
  if (current && !models.some((m) => m.slug === current.model)) {
    models.unshift({ slug: current.model, displayName: current.model, description: "", efforts: EFFORTS, defaultEffort: current.effort ?? "medium" });
  }
  openListOverlay(ctx, {
    title: "Select Model and Effort",
    items: models.map((m) => ({ label: m.displayName, description: m.description, current: m.slug === current?.model })),
    footer: "enter select · esc back",
    onChoose: (i) => {
      const model = models[i]!;
      const effortIndex = model.efforts.findIndex((e) => e.effort === (model.slug === current?.model ? current?.effort : model.defaultEffort));
      openListOverlay(ctx, {
        title: `Select Reasoning Level for ${model.displayName}`,
        items: model.efforts.map((e) => ({
          label: e.effort === model.defaultEffort ? `${e.effort} (default)` : e.effort,
          description: e.description,
          current: model.slug === current?.model && e.effort === current?.effort,
        })),
        initial: Math.max(0, effortIndex),
        footer: "enter use and save as default · s this session only · esc back",
        onChoose: (j) => apply(model, model.efforts[j]!.effort, { save: true }),
        extraKeys: { s: (j) => apply(model, model.efforts[j]!.effort, { save: false }) },
      });
    },
  });
}

function chooseApprovals(core: TuiCore, ctx: SlashContext): void {
  const session = ctx.state().session;
  const isCurrent = (p: ApprovalPreset) => session !== null && session.approval === p.approval && session.sandbox.mode === p.sandbox;
  openListOverlay(ctx, {
    title: "Update Model Permissions",
    items: APPROVAL_PRESETS.map((p) => ({ label: p.label, description: p.description, current: isCurrent(p) })),
    footer: "enter select · esc back",
    onChoose: (i) => applyApprovalPreset(core, ctx, APPROVAL_PRESETS[i]!),
  });
}

import { randomUUID } from "node:crypto";
import type { MessageItem, ResponseItem } from "../../protocol/items.js";
import type { AskForApproval, SandboxPolicy } from "../../protocol/policy.js";
import { BASE_INSTRUCTIONS } from "./base-instructions.js";
import { environmentContextXml, localDate, localTimezone } from "./environment-context.js";
import { permissionsText } from "./permissions-text.js";
import { agentsMdMessageText, loadProjectDocs } from "./project-docs.js";

/** A client-created message id in the `msg_<uuid>` form 0.169 uses. */
export const newMessageId = (): string => `msg_${randomUUID()}`;

function textMessage(role: "developer" | "user", texts: string[], id: string | undefined): MessageItem {
  const content = texts.map((text) => ({ type: "input_text", text }));
  return id === undefined ? { type: "message", role, content } : { type: "message", id, role, content };
}

export interface InitialContextParts {
  baseInstructions: string;
  /** Extra developer texts (permissions, config `instructions` / `developer_instructions`…). */
  developerTexts: string[];
  /** AGENTS.md text and the directory it is for; null when none was found. */
  agentsMd: { directory: string; text: string } | null;
  environmentContext: string;
  /** When given, every item gets an id from it. */
  newItemId?: () => string;
}

/**
 * Orders the context a fresh thread starts with: developer (base instructions), developer (extras),
 * user (AGENTS.md), user (environment context). Empty parts are left out.
 */
export function initialContextItems(p: InitialContextParts): ResponseItem[] {
  const id = (): string | undefined => p.newItemId?.();
  const items: ResponseItem[] = [textMessage("developer", [p.baseInstructions], id())];
  const extras = p.developerTexts.filter((t) => t.trim() !== "");
  if (extras.length > 0) items.push(textMessage("developer", extras, id()));
  if (p.agentsMd && p.agentsMd.text.trim() !== "") items.push(textMessage("user", [agentsMdMessageText(p.agentsMd)], id()));
  items.push(textMessage("user", [p.environmentContext], id()));
  return items;
}

export interface BuildInitialContextOptions {
  codexHome: string;
  cwd: string;
  projectDocMaxBytes: number;
  projectDocFallbackFilenames?: string[];
  /** Config `instructions`. */
  instructions?: string;
  /** Config `developer_instructions`. */
  developerInstructions?: string;
  approvalPolicy: AskForApproval;
  sandboxPolicy: SandboxPolicy;
  /** Shell path or name, e.g. $SHELL. */
  shell: string;
  /** Replaces our base prompt (e.g. `model_instructions_file`). */
  baseInstructions?: string;
  now?: () => Date;
  timezone?: string;
  newItemId?: () => string;
}

/** Loads AGENTS.md and renders everything a fresh thread sends before the first prompt. */
export async function buildInitialContext(o: BuildInitialContextOptions): Promise<ResponseItem[]> {
  const docs = await loadProjectDocs({
    codexHome: o.codexHome,
    cwd: o.cwd,
    maxBytes: o.projectDocMaxBytes,
    fallbackFilenames: o.projectDocFallbackFilenames,
  });
  const now = (o.now ?? (() => new Date()))();
  return initialContextItems({
    baseInstructions: o.baseInstructions ?? BASE_INSTRUCTIONS,
    developerTexts: [
      permissionsText({ approvalPolicy: o.approvalPolicy, sandboxPolicy: o.sandboxPolicy }),
      o.instructions ?? "",
      o.developerInstructions ?? "",
    ],
    agentsMd: docs.text === "" ? null : { directory: o.cwd, text: docs.text },
    environmentContext: environmentContextXml({
      cwd: o.cwd,
      shell: o.shell,
      currentDate: localDate(now),
      timezone: o.timezone ?? localTimezone(),
      sandboxPolicy: o.sandboxPolicy,
    }),
    newItemId: o.newItemId,
  });
}

import type { ResponseItem } from "../../protocol/items.js";

// Messages between agents are `agent_message` input items: author, recipient, and a content whose first
// part is a small header (message type, task, sender) followed by the payload. A payload the model wrote
// as a tool argument marked `encrypted` goes back as `encrypted_content` (the API may have encrypted it);
// our own text (a child's final answer) is plain. Providers that do not take `agent_message` items (local
// models) get the same text as a user message.

export type AgentMailKind = "NEW_TASK" | "MESSAGE" | "FOLLOWUP_TASK" | "FINAL_ANSWER";

export interface AgentMail {
  kind: AgentMailKind;
  author: string;
  recipient: string;
  /** The task the message is about (the recipient's path for tasks, the parent's for answers). */
  task: string;
  payload: string;
  /** The payload came from a model's tool argument (sent back as encrypted_content). */
  fromModelArgument: boolean;
}

export interface MailFormat {
  /** False for providers that refuse `agent_message` items: the mail becomes a user message. */
  agentMessageItems: boolean;
}

export function mailHeader(mail: AgentMail): string {
  return `Message Type: ${mail.kind}\nTask name: ${mail.task}\nSender: ${mail.author}\nPayload:\n`;
}

export function mailItem(mail: AgentMail, format: MailFormat): ResponseItem {
  const header = mailHeader(mail);
  if (!format.agentMessageItems) {
    return { type: "message", role: "user", content: [{ type: "input_text", text: header + mail.payload }] };
  }
  const content = mail.fromModelArgument
    ? [
        { type: "input_text", text: header },
        { type: "encrypted_content", encrypted_content: mail.payload },
      ]
    : [{ type: "input_text", text: header + mail.payload }];
  return { type: "agent_message", author: mail.author, recipient: mail.recipient, content };
}

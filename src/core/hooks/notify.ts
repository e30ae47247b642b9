import { spawn } from "node:child_process";

// The `notify = ["prog", …]` program: run after every completed turn with one JSON argument
// appended last, outside the sandbox, with the session's environment. Fire and forget: a broken
// notifier must never affect the turn.

export interface TurnCompleteNotice {
  threadId: string;
  turnId: string;
  cwd: string;
  inputMessages: string[];
  lastAssistantMessage: string | null;
}

export function notifyPayload(notice: TurnCompleteNotice, client: string): string {
  return JSON.stringify({
    type: "agent-turn-complete",
    "thread-id": notice.threadId,
    "turn-id": notice.turnId,
    cwd: notice.cwd,
    client,
    "input-messages": notice.inputMessages,
    "last-assistant-message": notice.lastAssistantMessage,
  });
}

export function createTurnNotifier(o: {
  argv: string[] | undefined;
  client: string;
  env: Record<string, string | undefined>;
  onError?: (message: string) => void;
}): ((notice: TurnCompleteNotice) => void) | undefined {
  const [program, ...args] = o.argv ?? [];
  if (!program) return undefined;
  return (notice) => {
    try {
      const child = spawn(program, [...args, notifyPayload(notice, o.client)], {
        cwd: notice.cwd,
        env: o.env,
        stdio: "ignore",
        detached: true,
      });
      child.on("error", (err) => o.onError?.(`notify program ${program} failed: ${err.message}`));
      child.unref();
    } catch (err) {
      o.onError?.(`notify program ${program} failed: ${(err as Error).message}`);
    }
  };
}

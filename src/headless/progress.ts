import type { EventMsg } from "../protocol/events.js";

// Human exec: while nothing visible happens (model thinking, a quiet command), say so on stderr,
// so a long wait never looks like a hang.

export interface ProgressTicker {
  activity(msg: EventMsg): void;
  stop(): void;
}

export function startProgressTicker(
  write: (text: string) => void,
  options: { tty: boolean; intervalMs?: number },
): ProgressTicker {
  const interval = options.intervalMs ?? (options.tty ? 1000 : 15_000);
  let lastActivity = Date.now();
  let waitingFor = "model";
  let shown = false;
  const timer = setInterval(() => {
    const seconds = Math.round((Date.now() - lastActivity) / 1000);
    if (seconds < 3) return;
    const text = `working (waiting for ${waitingFor}, ${seconds}s)`;
    if (options.tty) {
      write(`\r\x1b[2K${text}`);
      shown = true;
    } else {
      write(`${text}\n`);
    }
  }, interval);
  timer.unref();
  const clear = () => {
    if (shown) {
      write("\r\x1b[2K");
      shown = false;
    }
  };
  return {
    activity(msg) {
      if (msg.type === "agent_message_delta" || msg.type === "agent_reasoning_delta" || msg.type === "exec_command_output_delta") {
        lastActivity = Date.now();
        return;
      }
      clear();
      lastActivity = Date.now();
      if (msg.type === "exec_command_begin") waitingFor = "command";
      else if (msg.type === "exec_command_end" || msg.type === "task_started") waitingFor = "model";
    },
    stop() {
      clearInterval(timer);
      clear();
    },
  };
}

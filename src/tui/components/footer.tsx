import { Box, Text } from "ink";
import { useEffect, useState } from "react";
import type { TuiState } from "../state/types.js";
import { useColor } from "./theme.js";

/** "Working (12s • esc to interrupt)" while a turn runs, with the status of long waits. */
export function WorkingLine({ turn, status, now }: { turn: TuiState["turn"]; status: string | null; now?: () => number }) {
  const color = useColor();
  const clock = now ?? Date.now;
  const [, tick] = useState(0);
  useEffect(() => {
    if (!turn) return;
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [turn]);
  if (!turn) return null;
  const seconds = Math.max(0, Math.floor((clock() - turn.startedAt) / 1000));
  return (
    <Box>
      <Text>
        <Text color={color("cyan")}>{"• "}</Text>
        <Text bold>Working</Text>
        <Text dimColor>{` (${formatElapsed(seconds)} • esc to interrupt)`}</Text>
        {status ? <Text dimColor>{`  ${status}`}</Text> : null}
      </Text>
    </Box>
  );
}

export function formatElapsed(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(seconds / 3600)}h ${String(Math.floor((seconds % 3600) / 60)).padStart(2, "0")}m`;
}

/** Model, effort, context left, background terminals; or the hint of the moment. */
export function Footer({ state }: { state: TuiState }) {
  if (state.hint) {
    return (
      <Box paddingLeft={2}>
        <Text dimColor>{state.hint}</Text>
      </Box>
    );
  }
  const parts: string[] = [];
  if (state.session) parts.push(`${state.session.model}${state.session.effort ? ` ${state.session.effort}` : ""}`);
  if (state.contextLeftPercent !== null) parts.push(`${state.contextLeftPercent}% context left`);
  if (state.backgroundTerminals > 0) parts.push(`${state.backgroundTerminals} background terminal${state.backgroundTerminals === 1 ? "" : "s"}`);
  return (
    <Box paddingLeft={2}>
      <Text dimColor wrap="truncate-end">
        {parts.join(" · ")}
      </Text>
    </Box>
  );
}

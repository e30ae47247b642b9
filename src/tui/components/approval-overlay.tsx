import { Box, Text } from "ink";
import { useRef, useState } from "react";
import type { ReviewDecision } from "../../protocol/policy.js";
import type { KeyEvent } from "../input/keys.js";
import { displayCommand } from "../state/command-display.js";
import type { ApprovalRequest } from "../state/types.js";
import { ChangesView } from "./diff-view.js";
import { KEY_PRIORITY, useKeyHandler } from "./key-router.js";
import { useColor } from "./theme.js";

// The approval prompt: what is asked (command or full diff), why, and the choices. One request at a time;
// the rest wait in the queue (the count is shown).

export interface ApprovalChoice {
  key: string;
  label: string;
  decision: ReviewDecision | "feedback";
}

export function approvalChoices(request: ApprovalRequest): ApprovalChoice[] {
  if (request.kind === "exec") {
    const prefix = commandPrefix(request);
    return [
      { key: "y", label: "Yes, proceed", decision: "approved" },
      { key: "a", label: "Yes, and don't ask again this session", decision: "approved_for_session" },
      { key: "p", label: `Yes, and always allow commands starting with \`${prefix}\``, decision: "approved_execpolicy_amendment" },
      { key: "n", label: "No, and tell Codex what to do differently", decision: "feedback" },
      { key: "esc", label: "No, and stop this turn", decision: "abort" },
    ];
  }
  if (request.kind === "mcp") {
    return [
      { key: "y", label: "Yes, run the tool", decision: "approved" },
      ...(request.persist.includes("session") ? [{ key: "a", label: "Yes, and don't ask again this session", decision: "approved_for_session" as const }] : []),
      ...(request.persist.includes("always") ? [{ key: "p", label: "Yes, and don't ask again for this tool", decision: "approved_execpolicy_amendment" as const }] : []),
      { key: "n", label: "No, and tell Codex what to do differently", decision: "feedback" },
      { key: "esc", label: "No, and stop this turn", decision: "abort" },
    ];
  }
  return [
    { key: "y", label: "Yes, apply these changes", decision: "approved" },
    { key: "a", label: "Yes, and don't ask again for these files this session", decision: "approved_for_session" },
    { key: "n", label: "No, and tell Codex what to do differently", decision: "feedback" },
    { key: "esc", label: "No, and stop this turn", decision: "abort" },
  ];
}

/** What an "always allow" rule would cover: the prefix core proposed, else the command itself (core's fallback). */
export function commandPrefix(request: { command: string[]; proposedPrefix?: string[] }): string {
  return request.proposedPrefix ? displayCommand(request.proposedPrefix) : displayCommand(request.command);
}

export interface ApprovalOverlayProps {
  request: ApprovalRequest;
  queued: number;
  cwd: string;
  onDecision(decision: ReviewDecision, options?: { feedback?: string }): void;
}

export function ApprovalOverlay({ request, queued, cwd, onDecision }: ApprovalOverlayProps) {
  const color = useColor();
  const choices = approvalChoices(request);
  const [selected, setSelectedState] = useState(0);
  const selectedRef = useRef(0);
  const setSelected = (next: (s: number) => number) => {
    selectedRef.current = next(selectedRef.current);
    setSelectedState(selectedRef.current);
  };
  // Several keys can come in one read (the text, then Enter): updates go through a ref, read fresh.
  const [feedback, setFeedbackState] = useState<string | null>(null);
  const feedbackRef = useRef<string | null>(null);
  const setFeedback = (next: string | null | ((f: string | null) => string | null)) => {
    feedbackRef.current = typeof next === "function" ? next(feedbackRef.current) : next;
    setFeedbackState(feedbackRef.current);
  };

  const choose = (choice: ApprovalChoice) => {
    if (choice.decision === "feedback") setFeedback("");
    else onDecision(choice.decision);
  };

  const handle = (key: KeyEvent): boolean => {
    const feedback = feedbackRef.current;
    if (feedback !== null) {
      if (key.type === "text" || key.type === "paste") setFeedback((f) => (f ?? "") + key.text);
      else if (key.type === "key" && key.name === "backspace") setFeedback((f) => (f ?? "").slice(0, -1));
      else if (key.type === "key" && key.name === "enter") onDecision("denied", { feedback: feedback });
      else if (key.type === "key" && key.name === "escape") setFeedback(null);
      return true;
    }
    if (key.type === "key") {
      if (key.name === "up") setSelected((s) => (s + choices.length - 1) % choices.length);
      else if (key.name === "down" || key.name === "tab") setSelected((s) => (s + 1) % choices.length);
      else if (key.name === "enter") choose(choices[selectedRef.current]!);
      else if (key.name === "escape") onDecision("abort");
      return true;
    }
    if (key.type === "text") {
      const choice = choices.find((c) => c.key === key.text.toLowerCase());
      if (choice) choose(choice);
      else if (/^[1-9]$/.test(key.text) && choices[Number(key.text) - 1]) choose(choices[Number(key.text) - 1]!);
      return true;
    }
    // Ctrl+C falls through to the app (which interrupts); everything else is swallowed.
    return !(key.type === "ctrl" && key.letter === "c");
  };
  useKeyHandler(handle, { priority: KEY_PRIORITY.approval });

  return (
    <Box flexDirection="column" borderStyle="round" borderColor={color("yellow")} paddingX={1}>
      <Text bold>
        {request.kind === "exec"
          ? "Would you like to run the following command?"
          : request.kind === "patch"
            ? "Would you like to make the following edits?"
            : `Allow the ${request.server} MCP server to run ${request.tool}?`}
      </Text>
      {request.reason ? (
        <Text>
          <Text dimColor>{"Reason: "}</Text>
          <Text italic>{request.reason}</Text>
        </Text>
      ) : null}
      <Box marginY={1} flexDirection="column">
        {request.kind === "exec" ? (
          <Text>
            <Text dimColor>{"$ "}</Text>
            <Text bold>{displayCommand(request.command)}</Text>
          </Text>
        ) : request.kind === "mcp" ? (
          <Box flexDirection="column">
            <Text>{request.message}</Text>
            <Text dimColor>{`${request.server}.${request.tool}(${JSON.stringify(request.arguments)})`}</Text>
          </Box>
        ) : (
          <ChangesView changes={request.changes} cwd={cwd} />
        )}
      </Box>
      {feedback !== null ? (
        <Box flexDirection="column">
          <Text>Tell Codex what to do differently (Enter to send, Esc to go back):</Text>
          <Text>
            <Text color={color("cyan")}>{"› "}</Text>
            {feedback}
            <Text inverse> </Text>
          </Text>
        </Box>
      ) : (
        choices.map((c, i) => (
          <Text key={c.key} {...(i === selected ? { color: color("cyan"), bold: true } : {})}>
            {`${i === selected ? "›" : " "} ${i + 1}. ${c.label} `}
            <Text dimColor>{`(${c.key})`}</Text>
          </Text>
        ))
      )}
      {queued > 0 ? <Text dimColor>{`${queued} more request${queued === 1 ? "" : "s"} waiting`}</Text> : null}
    </Box>
  );
}

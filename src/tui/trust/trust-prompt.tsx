// The first-start question in a project nobody has decided about yet (or whose hooks, rules or MCP servers
// changed since it was trusted, then listing what changed): trust it — its own .codex settings, hooks, rules
// and MCP servers take effect, and the answer is saved — or go on without trusting it.
import { Box, Text } from "ink";
import { useKeyHandler } from "../components/key-router.js";
import { useRef, useState } from "react";
import type { TrustQuestion } from "../../core/index.js";
import { useColor } from "../components/theme.js";

export type TrustAnswer = "trust" | "decline" | "quit";

export interface TrustPromptProps {
  question: TrustQuestion;
  onAnswer(answer: TrustAnswer): void;
}

const CHOICES: { answer: TrustAnswer; label: string }[] = [
  { answer: "trust", label: "Trust and continue" },
  { answer: "decline", label: "Continue without trusting" },
];

export function TrustPrompt(p: TrustPromptProps) {
  const color = useColor();
  const [selected, setSelectedState] = useState(0);
  // Keys can arrive before React re-subscribes the handler: the selection is read from a ref, not the closure.
  const current = useRef(0);
  const setSelected = (n: number) => {
    current.current = n;
    setSelectedState(n);
  };
  useKeyHandler((key) => {
    if (key.type === "ctrl" && key.letter === "c") p.onAnswer("quit");
    else if (key.type === "text" && (key.text === "1" || key.text === "2")) p.onAnswer(CHOICES[Number(key.text) - 1]!.answer);
    else if (key.type === "key" && key.name === "escape") p.onAnswer("decline");
    else if (key.type === "key" && key.name === "up") setSelected(Math.max(0, current.current - 1));
    else if (key.type === "key" && key.name === "down") setSelected(Math.min(CHOICES.length - 1, current.current + 1));
    else if (key.type === "key" && key.name === "enter") p.onAnswer(CHOICES[current.current]!.answer);
    return true;
  });
  const q = p.question;
  return (
    <Box flexDirection="column" paddingX={1}>
      <Text bold>Folder access</Text>
      <Text dimColor>{q.root}</Text>
      <Text> </Text>
      {q.reason === "changed" ? <ChangedNotice question={q} /> : null}
      <Text>
        {q.reason === "changed" ? "Trust this folder again? " : "Trust this folder? "}
        Codex can read, edit and run files here, within your permission settings. A trusted folder's own
        settings (its .codex config, hooks, rules and MCP servers) also run, even without a model request.
        Your answer is saved.
      </Text>
      <Text> </Text>
      {CHOICES.map((c, i) => (
        <Text key={c.answer} {...(i === selected ? { color: color("cyan") } : {})}>
          {`${i === selected ? "›" : " "} ${i + 1}. ${c.label}`}
        </Text>
      ))}
      <Text> </Text>
      <Text dimColor>enter choose · esc continue without trusting · ctrl+c quit</Text>
    </Box>
  );
}

function ChangedNotice({ question }: { question: TrustQuestion }) {
  const color = useColor();
  if (question.changes === null || question.changes.length === 0) {
    return (
      <Box flexDirection="column" marginBottom={1}>
        <Text color={color("yellow")}>Its hooks, rules or MCP servers changed since you trusted it (what changed is not on record).</Text>
      </Box>
    );
  }
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Text color={color("yellow")}>Its hooks, rules or MCP servers changed since you trusted it:</Text>
      {question.changes.map((c) => (
        <Text key={`${c.kind}:${c.what}`}>{`  ${c.kind.padEnd(8)} ${c.what}`}</Text>
      ))}
    </Box>
  );
}

import { Box, Text } from "ink";
import type { Cell } from "../state/types.js";
import { useColor } from "./theme.js";

// The model's questions and the person's answers, left in the scrollback once the round is over:
//   • Questions 1/2 answered (interrupted)
//     • Which database should I use?
//       answer: SQLite
//       note: keep it small
//     • What should the table be called? (unanswered)

export function QuestionsCell({ cell }: { cell: Extract<Cell, { kind: "questions" }> }) {
  const color = useColor();
  const answered = cell.items.filter((i) => i.answers.length > 0).length;
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Text>
        <Text dimColor>{"• "}</Text>
        <Text bold>Questions</Text>
        <Text dimColor>{` ${answered}/${cell.items.length} answered`}</Text>
        {cell.interrupted ? <Text color={color("cyan")}>{" (interrupted)"}</Text> : null}
      </Text>
      {cell.items.map((item, i) => (
        <Box key={i} flexDirection="column" paddingLeft={2}>
          <Text>
            <Text dimColor>{"• "}</Text>
            {item.question}
            {item.answers.length === 0 ? <Text dimColor>{" (unanswered)"}</Text> : null}
          </Text>
          {item.answers.map((a, j) => (
            <Text key={j}>
              <Text dimColor>{a.note ? "    note: " : "    answer: "}</Text>
              {a.text}
            </Text>
          ))}
        </Box>
      ))}
    </Box>
  );
}

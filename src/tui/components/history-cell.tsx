import { Box, Text } from "ink";
import os from "node:os";
import type { HookRunSummary, PlanItem } from "../../protocol/events.js";
import type { SandboxPolicy } from "../../protocol/policy.js";
import { Markdown } from "../markdown/markdown.js";
import type { Cell } from "../state/types.js";
import { ChangesView } from "./diff-view.js";
import { QuestionsCell } from "./questions-cell.js";
import { useColor } from "./theme.js";

// One history cell. The same component renders a live cell (still changing) and a finished one.

/** Lines of command output a cell shows (the tail). */
const EXEC_TAIL_LINES = 5;

export function HistoryCell({ cell }: { cell: Cell }) {
  const color = useColor();
  switch (cell.kind) {
    case "session":
      return (
        <Box flexDirection="column" borderStyle="round" paddingX={1} marginBottom={1} alignSelf="flex-start">
          <Text>
            <Text bold>{">_ OpenAI Codex"}</Text>
            <Text dimColor>{` (codex-ts v${cell.version})`}</Text>
          </Text>
          <Text> </Text>
          <Text>
            <Text dimColor>{"model:     "}</Text>
            {cell.model}
            {cell.effort ? ` ${cell.effort}` : ""}
          </Text>
          <Text>
            <Text dimColor>{"directory: "}</Text>
            {tildify(cell.cwd)}
          </Text>
          <Text>
            <Text dimColor>{"approval:  "}</Text>
            {cell.approval}
            <Text dimColor>{"  sandbox: "}</Text>
            {sandboxName(cell.sandbox)}
          </Text>
        </Box>
      );
    case "user":
      return (
        <Box marginBottom={1} flexDirection="column">
          <Box>
            <Text bold color={color("cyan")}>
              {"› "}
            </Text>
            <Box flexGrow={1}>
              <Text>{cell.text}</Text>
            </Box>
          </Box>
          {cell.images.map((p, i) => (
            <Text key={i} dimColor>{`  [image: ${p}]`}</Text>
          ))}
        </Box>
      );
    case "assistant":
      // A continuation is the next block of the same answer: a blank line apart, no bullet.
      return (
        <Box marginTop={cell.continuation ? 1 : 0} marginBottom={cell.final ? 1 : 0}>
          <Text>{cell.continuation ? "  " : "• "}</Text>
          <Box flexDirection="column" flexGrow={1}>
            <Markdown text={cell.text.replace(/\n+$/, "")} />
          </Box>
        </Box>
      );
    case "reasoning":
      return (
        <Box marginBottom={1}>
          <Text dimColor>{"• "}</Text>
          <Box flexGrow={1}>
            <Text dimColor italic>
              {cell.text.trim()}
            </Text>
          </Box>
        </Box>
      );
    case "exec":
      return <ExecCell cell={cell} />;
    case "patch": {
      const title = cell.status === "applying" ? "Applying patch" : cell.status === "failed" ? "Patch failed" : "Applied patch";
      return (
        <Box flexDirection="column" marginBottom={1}>
          <Text>
            <Text color={color(cell.status === "failed" ? "red" : "green")}>{"• "}</Text>
            <Text bold>{title}</Text>
          </Text>
          <Box paddingLeft={2} flexDirection="column">
            <ChangesView changes={cell.changes} fallbackDiff={cell.diff} maxLines={200} />
            {cell.status === "failed" && cell.output ? <Text color={color("red")}>{cell.output.trim()}</Text> : null}
          </Box>
        </Box>
      );
    }
    case "plan":
      return <PlanCell plan={cell.plan} {...(cell.explanation ? { explanation: cell.explanation } : {})} />;
    case "mcp": {
      const call = `${cell.server}.${cell.tool}(${compactJson(cell.args)})`;
      const verb = cell.status === "running" ? "Calling" : "Called";
      const lines = cell.result.trim() ? cell.result.trim().split("\n") : [];
      return (
        <Box flexDirection="column" marginBottom={1}>
          <Text>
            <Text color={color(cell.status === "failed" ? "red" : cell.status === "completed" ? "green" : "cyan")}>{"• "}</Text>
            <Text bold>{verb}</Text> {call}
          </Text>
          {lines.length > 0 ? <OutputTail lines={lines} prefix="  └ " dim={cell.status !== "failed"} /> : null}
        </Box>
      );
    }
    case "hook":
      return <HookCell run={cell.run} />;
    case "web_search":
      return (
        <Box marginBottom={1}>
          <Text>
            <Text color={color("cyan")}>{"• "}</Text>
            <Text bold>{cell.query === null ? "Searching the web" : "Searched"}</Text>
            {cell.query ? ` ${cell.query}` : ""}
          </Text>
        </Box>
      );
    case "collab": {
      const verbs = { spawn_agent: ["Spawning agent", "Spawned agent"], send_input: ["Messaging agent", "Messaged agent"], wait: ["Waiting for agents", "Waited for agents"], close_agent: ["Closing agent", "Closed agent"] } as const;
      const [runningVerb, doneVerb] = verbs[cell.tool];
      return (
        <Box flexDirection="column" marginBottom={1}>
          <Text>
            <Text color={color(cell.status === "failed" ? "red" : cell.status === "completed" ? "green" : "cyan")}>{"• "}</Text>
            <Text bold>{cell.status === "running" ? runningVerb : doneVerb}</Text>
            {cell.prompt ? <Text dimColor>{` ${oneLine(cell.prompt, 60)}`}</Text> : null}
          </Text>
          {Object.entries(cell.states).map(([id, st]) => (
            <Text key={id} dimColor>{`  └ ${id.slice(0, 8)} ${st.status}${st.message ? `: ${oneLine(st.message, 60)}` : ""}`}</Text>
          ))}
        </Box>
      );
    }
    case "guardian": {
      const words = { running: "Reviewing the request (Smart Approvals)", approved: "Approved by the reviewer", denied: "Denied by the reviewer", failed: "The review failed", aborted: "Review stopped" } as const;
      return (
        <Box flexDirection="column" marginBottom={1}>
          <Text>
            <Text color={color(cell.status === "approved" ? "green" : cell.status === "running" ? "cyan" : "red")}>{"• "}</Text>
            <Text bold>{words[cell.status]}</Text>
            {cell.riskLevel ? <Text dimColor>{` (risk ${cell.riskLevel})`}</Text> : null}
          </Text>
          {cell.rationale ? <Text dimColor>{`  └ ${cell.rationale}`}</Text> : null}
        </Box>
      );
    }
    case "compacted":
      return (
        <Box marginBottom={1}>
          <Text dimColor>{`• Context compacted${cell.trigger === "auto" ? " automatically" : ""} (${cell.tokensBefore.toLocaleString("en-US")} → ${cell.tokensAfter.toLocaleString("en-US")} tokens)`}</Text>
        </Box>
      );
    case "warning":
      return (
        <Box marginBottom={1}>
          <Text color={color("yellow")}>{"⚠ "}</Text>
          <Box flexGrow={1}>
            <Text color={color("yellow")}>{cell.message}</Text>
          </Box>
        </Box>
      );
    case "error":
      return (
        <Box marginBottom={1}>
          <Text color={color("red")}>{"■ "}</Text>
          <Box flexGrow={1}>
            <Text color={color("red")}>{cell.message}</Text>
          </Box>
        </Box>
      );
    case "questions":
      return <QuestionsCell cell={cell} />;
    case "info":
      return (
        <Box flexDirection="column" marginBottom={1}>
          {cell.title ? (
            <Text>
              <Text>{"• "}</Text>
              <Text bold>{cell.title}</Text>
            </Text>
          ) : null}
          {cell.lines.map((l, i) => (
            <Text key={i}>{cell.title ? `  ${l}` : l}</Text>
          ))}
        </Box>
      );
  }
}

function ExecCell({ cell }: { cell: Extract<Cell, { kind: "exec" }> }) {
  const color = useColor();
  const running = cell.status === "running";
  const ok = cell.status === "completed" && cell.exitCode === 0;
  const bullet = running || cell.status === "background" ? color("cyan") : ok ? color("green") : color("red");
  const lines = cell.output.replace(/\n$/, "") === "" ? [] : cell.output.replace(/\n$/, "").split("\n");
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Box>
        <Text color={bullet}>{"• "}</Text>
        <Box flexGrow={1}>
          <Text>
            <Text bold>{running ? "Running " : cell.status === "declined" ? "Declined " : "Ran "}</Text>
            {cell.command}
          </Text>
        </Box>
      </Box>
      {lines.length > 0 ? <OutputTail lines={lines} prefix="  └ " dim /> : null}
      {running ? null : (
        <Text dimColor>
          {cell.status === "declined"
            ? "    ✗ declined"
            : cell.status === "background" || (cell.status === "completed" && cell.exitCode === null)
              ? "    ↳ still running in the background"
              : `    ${ok ? "✓" : "✗"} exit ${cell.exitCode ?? "?"}${cell.durationMs !== null ? ` • ${formatDuration(cell.durationMs)}` : ""}`}
        </Text>
      )}
    </Box>
  );
}

function OutputTail({ lines, prefix, dim }: { lines: string[]; prefix: string; dim: boolean }) {
  const hidden = Math.max(0, lines.length - EXEC_TAIL_LINES);
  const shown = lines.slice(-EXEC_TAIL_LINES);
  return (
    <Box flexDirection="column">
      {hidden > 0 ? <Text dimColor>{`${prefix}… +${hidden} lines`}</Text> : null}
      {shown.map((l, i) => (
        <Box key={i}>
          <Text dimColor>{i === 0 && hidden === 0 ? prefix : " ".repeat(prefix.length)}</Text>
          <Box flexGrow={1}>
            <Text dimColor={dim} wrap="truncate-end">
              {l.replace(/\t/g, "  ")}
            </Text>
          </Box>
        </Box>
      ))}
    </Box>
  );
}

function PlanCell({ plan, explanation }: { plan: PlanItem[]; explanation?: string }) {
  const color = useColor();
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Text>
        <Text>{"• "}</Text>
        <Text bold>Updated Plan</Text>
      </Text>
      {explanation ? <Text dimColor italic>{`  ${explanation}`}</Text> : null}
      {plan.map((p, i) => (
        <Box key={i}>
          <Text dimColor>{i === 0 ? "  └ " : "    "}</Text>
          {p.status === "completed" ? (
            <Text dimColor strikethrough>{`✔ ${p.step}`}</Text>
          ) : p.status === "in_progress" ? (
            <Text bold color={color("cyan")}>{`□ ${p.step}`}</Text>
          ) : (
            <Text>{`□ ${p.step}`}</Text>
          )}
        </Box>
      ))}
    </Box>
  );
}

function HookCell({ run }: { run: HookRunSummary }) {
  const color = useColor();
  const running = run.status === "running";
  const word = run.status.charAt(0).toUpperCase() + run.status.slice(1);
  const statusColor = run.status === "completed" ? "green" : run.status === "running" ? "cyan" : "red";
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Text>
        <Text color={color(statusColor)}>{"• "}</Text>
        <Text bold>{`hook: ${run.eventName}`}</Text>
        {running ? (run.statusMessage ? ` ${run.statusMessage}` : " running") : <Text color={color(statusColor)}>{` ${word}`}</Text>}
        {!running && run.durationMs !== undefined ? <Text dimColor>{` • ${formatDuration(run.durationMs)}`}</Text> : null}
      </Text>
      {run.entries.map((e, i) => (
        <Text key={i}>
          {"  "}
          <Text color={e.kind === "error" ? color("red") : e.kind === "warning" ? color("yellow") : undefined} dimColor={e.kind === "context"}>
            {`${e.kind}:`}
          </Text>
          {` ${e.text}`}
        </Text>
      ))}
    </Box>
  );
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const m = Math.floor(ms / 60_000);
  return `${m}m ${Math.floor((ms % 60_000) / 1000)}s`;
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function compactJson(value: unknown): string {
  if (value === undefined || value === null) return "";
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

function tildify(p: string): string {
  const home = os.homedir();
  return p === home ? "~" : p.startsWith(`${home}/`) ? `~${p.slice(home.length)}` : p;
}

function sandboxName(policy: SandboxPolicy): string {
  return policy.mode;
}

import type { ToolSpec } from "../tools/contract.js";
import type { CellItem, CellReport } from "./cell-host.js";

export const DEFAULT_EXEC_YIELD_MS = 30_000;
export const DEFAULT_WAIT_YIELD_MS = 10_000;
export const DEFAULT_MAX_OUTPUT_TOKENS = 10_000;

export interface ExecPragma {
  yieldMs: number;
  maxOutputTokens: number;
}

/** Reads the optional first-line `// @exec: {...}` pragma; a malformed one is an error for the model. */
export function parseExecInput(input: string): { source: string; pragma: ExecPragma } | { error: string } {
  const pragma: ExecPragma = { yieldMs: DEFAULT_EXEC_YIELD_MS, maxOutputTokens: DEFAULT_MAX_OUTPUT_TOKENS };
  const m = /^[ \t]*\/\/ @exec:([^\r\n]*)/.exec(input);
  if (m) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(m[1]!);
    } catch {
      return { error: `exec pragma is not a JSON object: ${m[1]!.trim()}` };
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      return { error: `exec pragma is not a JSON object: ${m[1]!.trim()}` };
    }
    const p = parsed as Record<string, unknown>;
    if (typeof p.yield_time_ms === "number" && p.yield_time_ms >= 0) pragma.yieldMs = p.yield_time_ms;
    if (typeof p.max_output_tokens === "number" && p.max_output_tokens > 0) pragma.maxOutputTokens = p.max_output_tokens;
  }
  if (input.trim() === "") return { error: "exec needs JavaScript source" };
  // The pragma stays in the source as a comment, so line numbers in stack traces match what the model wrote.
  return { source: input, pragma };
}

const STATUS: Record<CellReport["status"], (id: string) => string> = {
  completed: () => "Script completed",
  running: (id) => `Script running with cell ID ${id}`,
  failed: () => "Script failed",
  terminated: () => "Script terminated",
};

/** The content items the model gets for an exec or wait: header, the cell's items, then its error. */
export function formatCellReport(r: CellReport, o: { maxOutputTokens: number }): CellItem[] {
  const header = `${STATUS[r.status](r.cellId)}\nWall time ${(r.wallMs / 1000).toFixed(1)} seconds\nOutput:\n`;
  const items: CellItem[] = [{ type: "input_text", text: header }, ...r.items];
  if (r.error !== undefined) items.push({ type: "input_text", text: `Script error:\n${r.error}` });
  return truncateTexts(items, o.maxOutputTokens * 4);
}

/** Keeps text items within `budget` characters (about four per token), marking the cut. */
function truncateTexts(items: CellItem[], budget: number): CellItem[] {
  let left = budget;
  return items.map((item) => {
    if (item.type !== "input_text") return item;
    if (item.text.length <= left) {
      left -= item.text.length;
      return item;
    }
    const kept = item.text.slice(0, Math.max(0, left));
    const cut = item.text.length - kept.length;
    left = 0;
    return { type: "input_text", text: `${kept}…[${cut} characters truncated]` };
  });
}

/** The JavaScript identifier a nested tool is reached by: `tools.<name>`. */
export function jsToolName(name: string): string {
  const id = name.replace(/[^A-Za-z0-9_$]/g, "_");
  return /^[0-9]/.test(id) ? `_${id}` : id;
}

type Schema = Record<string, unknown>;

/** A TypeScript type for a JSON schema (what the model reads in exec's description). */
export function tsType(schema: unknown, indent = ""): string {
  if (!schema || typeof schema !== "object") return "unknown";
  const s = schema as Schema;
  if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(" | ") || "never";
  if ("const" in s) return JSON.stringify(s.const);
  const union = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (Array.isArray(union)) return union.map((u) => tsType(u, indent)).join(" | ");
  const type = Array.isArray(s.type) ? s.type : [s.type];
  const parts = type.map((t) => {
    switch (t) {
      case "string":
        return "string";
      case "number":
      case "integer":
        return "number";
      case "boolean":
        return "boolean";
      case "null":
        return "null";
      case "array":
        return `Array<${tsType(s.items, indent)}>`;
      case "object":
        return objectType(s, indent);
      default:
        return s.properties ? objectType(s, indent) : "unknown";
    }
  });
  return parts.join(" | ");
}

function objectType(s: Schema, indent: string): string {
  const props = (s.properties ?? {}) as Record<string, Schema>;
  const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
  const inner = `${indent}  `;
  const lines = Object.entries(props).map(([key, p]) => {
    const doc = typeof p.description === "string" ? `${inner}// ${p.description.replace(/\s*\n\s*/g, " ")}\n` : "";
    const name = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : JSON.stringify(key);
    return `${doc}${inner}${name}${required.has(key) ? "" : "?"}: ${tsType(p, inner)};`;
  });
  return lines.length === 0 ? "{}" : `{\n${lines.join("\n")}\n${indent}}`;
}

/** One `declare const tools` line per nested tool, as exec's description lists them. */
export function toolDeclaration(spec: ToolSpec & { type: "function" | "custom" }): string {
  const name = jsToolName(spec.name);
  const arg = spec.type === "custom" ? "input: string" : `args: ${tsType(spec.parameters)}`;
  return `### \`${name}\`\n${spec.description.trim()}\n\n\`\`\`ts\ndeclare const tools: { ${name}(${arg}): Promise<unknown>; };\n\`\`\``;
}

const EXEC_INTRO = `Runs JavaScript that can call the other tools and combine their results.
- Send raw JavaScript source: no JSON wrapper, no quoting, no markdown fences.
- The source is evaluated as an async ES module (top-level \`await\` works) in a fresh context for every call.
- There are no Node APIs, no file system, no network and no \`console\`; reach the outside world only through \`tools\`.
- Every other tool is a method of the global \`tools\`: \`await tools.<name>(args)\` returns a Promise of the tool's result. Function tools take an object, freeform tools a string. A failing tool rejects, so use try/catch where a failure is expected.
- When the module finishes, promises nobody awaited are dropped.
- An optional first line \`// @exec: {"yield_time_ms": 10000, "max_output_tokens": 1000}\` sets when \`exec\` returns while the script still runs (default 30000 ms) and the token budget of its result (default 10000).
- A script still running at its yield time keeps running as a cell; \`exec\` then answers \`Script running with cell ID <id>\` and \`wait\` collects the rest.

Globals:
- \`text(value)\`: add a text item to the result (non-strings are JSON-encoded).
- \`image(url | { image_url, details? })\`: add an image (a \`data:\` URL, or an MCP image block).
- \`store(key, value)\` / \`load(key)\`: keep JSON values for later \`exec\` calls of this session (\`load\` gives \`undefined\` for a missing key).
- \`notify(value)\`: send a progress note for this call right away.
- \`yield_control()\`: hand the output so far to the model now; the script keeps running.
- \`exit()\`: end the script successfully at once.
- \`setTimeout(cb, ms)\` / \`clearTimeout(id)\`: timers; a pending timer does not keep the script alive.
- \`ALL_TOOLS\`: \`[{ name, description }]\` of every nested tool.
- \`import { text, tools } from "@openai/code_mode"\` (or \`"tools.js"\`) gives the same globals; any other import fails.`;

export function execDescription(nested: ReadonlyArray<ToolSpec & { type: "function" | "custom" }>): string {
  if (nested.length === 0) return EXEC_INTRO;
  return `${EXEC_INTRO}\n\nNested tools:\n\n${nested.map(toolDeclaration).join("\n\n")}`;
}

export const WAIT_DESCRIPTION = `Waits for an \`exec\` cell that is still running and returns its new output, or its final result.
- Only for a cell id that \`exec\` (or an earlier \`wait\`) reported as running.
- \`yield_time_ms\`: how long to wait for the cell before answering (default 10000 ms).
- \`max_tokens\`: token budget of this answer (default 10000).
- \`terminate: true\`: stop the cell; the answer comes once it has stopped.
- A finished cell answers with its result once and is then closed.`;

export const WAIT_PARAMETERS = {
  type: "object",
  properties: {
    cell_id: { type: "string", description: "Id of the running exec cell." },
    max_tokens: { type: "number", description: "Token budget for this answer. Defaults to 10000." },
    terminate: { type: "boolean", description: "True stops the cell; otherwise wait for output." },
    yield_time_ms: { type: "number", description: "How long to wait before answering. Defaults to 10000 ms." },
  },
  required: ["cell_id"],
  additionalProperties: false,
};

export const EXEC_GRAMMAR = String.raw`
start: pragma_source | plain_source
pragma_source: PRAGMA_LINE NEWLINE SOURCE
plain_source: SOURCE

PRAGMA_LINE: /[ \t]*\/\/ @exec:[^\r\n]*/
NEWLINE: /\r?\n/
SOURCE: /[\s\S]+/
`;

// Prompt resolution for `codex exec` (exec-jsonl.md §1): positional, `-`, and piped stdin.

export class PromptError extends Error {}

export interface PromptSources {
  positional: string | undefined;
  stdinIsTty: boolean;
  readStdin(): Promise<string>;
  notice(text: string): void;
}

export async function resolvePrompt(src: PromptSources): Promise<string> {
  if (src.positional !== undefined && src.positional !== "-") {
    if (src.stdinIsTty) return src.positional;
    src.notice("Reading additional input from stdin...");
    const extra = await src.readStdin();
    if (extra.trim() === "") return src.positional;
    return `${src.positional}\n\n<stdin>\n${extra}${extra.endsWith("\n") ? "" : "\n"}</stdin>\n`;
  }
  if (src.stdinIsTty && src.positional === undefined) {
    throw new PromptError("No prompt provided. Pass a prompt as an argument, or `-` to read it from stdin.");
  }
  const text = await src.readStdin();
  if (text.trim() === "") throw new PromptError("No prompt provided via stdin.");
  return text;
}

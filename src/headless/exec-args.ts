import type { SandboxMode } from "../protocol/policy.js";
import type { ExecReviewArgs } from "./review-setup.js";

/** Everything `codex exec` was asked to do, as parsed by the CLI layer. */
export interface ExecArgs {
  prompt?: string;
  /**
   * The prompt came after `--` (the newer SDK's style): stdin stays open for control lines, so it is
   * not read as extra prompt input.
   */
  promptAfterDoubleDash?: boolean;
  json: boolean;
  model?: string;
  profile?: string;
  configOverrides: string[];
  enable: string[];
  disable: string[];
  sandbox?: SandboxMode;
  fullAuto: boolean;
  dangerouslyBypass: boolean;
  /** `--dangerously-bypass-hook-trust`. */
  bypassHookTrust?: boolean;
  /** `--trust`: trust the project (and future chats in it) before starting. */
  trust?: boolean;
  cd?: string;
  addDirs: string[];
  images: string[];
  skipGitRepoCheck: boolean;
  outputSchema?: string;
  outputLastMessage?: string;
  color: "always" | "never" | "auto";
  ephemeral: boolean;
  oss: boolean;
  /** `--local-provider` (`ollama`, `lmstudio`); implies `oss`. */
  localProvider?: string;
  /** Every option given on the command line (commander attribute names), for "not supported yet" warnings. */
  givenOptions?: string[];
  strictConfig: boolean;
  ignoreUserConfig: boolean;
  threadSource?: string;
  resume?: { sessionId?: string; last: boolean; all: boolean };
  fork?: { sessionId: string };
  /** `exec review` / `codex review`: the prompt is extra focus, the turn reviews this target. */
  review?: ExecReviewArgs;
}

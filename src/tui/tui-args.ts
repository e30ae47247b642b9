import type * as CoreModule from "../core/index.js";
import type * as StartupModule from "../core/startup.js";
import type { SandboxMode } from "../protocol/policy.js";

/** What `codex [PROMPT]` was asked to do (the same options as `codex exec`, plus -a). */
export interface TuiArgs {
  prompt?: string;
  model?: string;
  profile?: string;
  configOverrides: string[];
  enable: string[];
  disable: string[];
  sandbox?: SandboxMode;
  /** Raw `-a` value. */
  approval?: string;
  fullAuto: boolean;
  dangerouslyBypass: boolean;
  bypassHookTrust?: boolean;
  cd?: string;
  addDirs: string[];
  images: string[];
  oss: boolean;
  localProvider?: string;
  givenOptions?: string[];
  strictConfig: boolean;
  ignoreUserConfig: boolean;
  /** `codex resume` / `codex fork` (the picker is a TUI feature): which session to open. */
  resume?: { sessionId?: string; last: boolean; all: boolean };
  fork?: { sessionId: string };
  /** `codex resume` / `codex fork` without an id: the session picker chooses (src/tui/picker/prepare-start.tsx). */
  pickSession?: { kind: "resume" | "fork"; all: boolean; includeNonInteractive: boolean };
}

export interface TuiIo {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
  cwd: string;
  version: string;
  helperBinDirs: string[];
}

/**
 * Core, handed in by the CLI (already loaded there, with V8's code cache): the TUI chunk holds only the
 * front end (ink, React, Markdown), not a second copy of the agent.
 */
export type TuiCore = typeof CoreModule;

/** core/startup: what the first frame is decided with (the trust question) before core itself loads. */
export type TuiStartup = Pick<typeof StartupModule, "startupTrustQuestion" | "acceptProjectTrust" | "declineProjectTrust" | "resolveCodexHome">;

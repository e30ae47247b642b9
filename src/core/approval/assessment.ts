/** What to do with a proposed action, decided before anyone is asked. */
export type Assessment =
  | {
      kind: "auto";
      /** Run inside the sandbox (false under danger-full-access or for allow-rule commands). */
      sandboxed: boolean;
    }
  | {
      kind: "ask";
      /** Shown to the person; undefined when there is nothing beyond the command itself. */
      reason?: string;
      /** The argv prefix an "approve and remember" would allow (first plain command). */
      proposedPrefix?: string[];
    }
  | {
      kind: "reject";
      /** Returned to the model as the tool output. */
      reason: string;
    };

// Data shapes of the `.rules` exec policy. Field names of RuleMatch / Evaluation follow the JSON
// that `codex execpolicy check` prints (`matchedRules[].prefixRuleMatch.matchedPrefix`, …).

export type RuleDecision = "allow" | "prompt" | "forbidden";

/** Strictness order: the most restrictive matching rule wins. */
export const DECISION_RANK: Record<RuleDecision, number> = { allow: 0, prompt: 1, forbidden: 2 };

export interface PrefixRule {
  /** One entry per argv position; each entry lists the accepted alternatives. */
  pattern: string[][];
  decision: RuleDecision;
  justification?: string;
  /** Where the rule was declared, for messages. */
  source: { file: string; line: number };
}

export interface ExecPolicy {
  readonly rules: readonly PrefixRule[];
}

export interface RuleMatch {
  prefixRuleMatch: {
    matchedPrefix: string[];
    decision: RuleDecision;
    justification?: string;
  };
}

export interface Evaluation {
  matchedRules: RuleMatch[];
  /** Absent when no rule matched. */
  decision?: RuleDecision;
}

/** A `.rules` file that does not parse or whose examples fail; message reads `file:line: msg`. */
export class ExecPolicyParseError extends Error {
  readonly file: string;
  readonly line: number;
  readonly detail: string;
  constructor(file: string, line: number, detail: string) {
    super(`${file}:${line}: ${detail}`);
    this.name = "ExecPolicyParseError";
    this.file = file;
    this.line = line;
    this.detail = detail;
  }
}

export const EMPTY_EXEC_POLICY: ExecPolicy = Object.freeze({ rules: Object.freeze([]) });

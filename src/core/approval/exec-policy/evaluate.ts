import {
  DECISION_RANK,
  type Evaluation,
  type ExecPolicy,
  type PrefixRule,
  type RuleDecision,
  type RuleMatch,
} from "./types.js";

/** The argv prefix a rule matches, or undefined. */
export function matchRule(rule: PrefixRule, argv: readonly string[]): string[] | undefined {
  if (argv.length < rule.pattern.length) return undefined;
  for (let i = 0; i < rule.pattern.length; i += 1) {
    const alternatives = rule.pattern[i] as string[];
    if (!alternatives.includes(argv[i] as string)) return undefined;
  }
  return argv.slice(0, rule.pattern.length);
}

export function strictest(decisions: Iterable<RuleDecision>): RuleDecision | undefined {
  let best: RuleDecision | undefined;
  for (const d of decisions) if (best === undefined || DECISION_RANK[d] > DECISION_RANK[best]) best = d;
  return best;
}

/** Every rule whose prefix matches `argv`, in declaration order, and the strictest decision. */
export function evaluate(policy: ExecPolicy, argv: readonly string[]): Evaluation {
  const matchedRules: RuleMatch[] = [];
  for (const rule of policy.rules) {
    const matchedPrefix = matchRule(rule, argv);
    if (matchedPrefix === undefined) continue;
    matchedRules.push({
      prefixRuleMatch: {
        matchedPrefix,
        decision: rule.decision,
        ...(rule.justification !== undefined ? { justification: rule.justification } : {}),
      },
    });
  }
  const decision = strictest(matchedRules.map((m) => m.prefixRuleMatch.decision));
  return decision === undefined ? { matchedRules } : { matchedRules, decision };
}

/** A policy with extra rules appended (policies are immutable values). */
export function withRules(policy: ExecPolicy, rules: readonly PrefixRule[]): ExecPolicy {
  return { rules: [...policy.rules, ...rules] };
}

export { evaluate, matchRule, strictest, withRules } from "./evaluate.js";
export { parseRules } from "./parser.js";
export { loadExecPolicy, loadExecPolicyOrWarn, loadRuleFiles, DEFAULT_RULES_FILE, RULES_DIR } from "./load.js";
export { appendAllowPrefixRule, allowRuleLine, defaultRulesPath } from "./amend.js";
export {
  EMPTY_EXEC_POLICY,
  ExecPolicyParseError,
  type Evaluation,
  type ExecPolicy,
  type PrefixRule,
  type RuleDecision,
  type RuleMatch,
} from "./types.js";

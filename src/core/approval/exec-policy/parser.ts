import { shlexJoin, shlexSplit } from "../shlex.js";
import { matchRule } from "./evaluate.js";
import { tokenize, type Token } from "./lexer.js";
import { ExecPolicyParseError, type PrefixRule, type RuleDecision } from "./types.js";

// Parses the `.rules` Starlark subset: a sequence of top-level calls to `prefix_rule(...)` (and the
// accepted-but-ignored `host_executable(...)` / `network_rule(...)`), with string and list values.
// Examples in `match` / `not_match` are checked against the rule as soon as it is read.

type Value =
  | { kind: "string"; value: string; line: number }
  | { kind: "list"; items: Value[]; line: number }
  | { kind: "none"; line: number };

interface Call {
  name: string;
  line: number;
  args: Map<string, Value>;
}

const PREFIX_RULE_PARAMS = ["pattern", "decision", "match", "not_match", "justification"];
const IGNORED_CALLS: Record<string, string[]> = {
  host_executable: ["name", "paths"],
  network_rule: ["host", "protocol", "decision", "justification"],
};
const DECISIONS = new Set<RuleDecision>(["allow", "prompt", "forbidden"]);

class Reader {
  private pos = 0;
  constructor(
    private readonly file: string,
    private readonly tokens: Token[],
  ) {}
  peek(offset = 0): Token {
    const last = this.tokens[this.tokens.length - 1] as Token;
    return this.tokens[this.pos + offset] ?? last;
  }
  next(): Token {
    const t = this.peek();
    if (t.kind !== "eof") this.pos += 1;
    return t;
  }
  fail(msg: string, line = this.peek().line): never {
    throw new ExecPolicyParseError(this.file, line, msg);
  }
  isPunct(value: string): boolean {
    const t = this.peek();
    return t.kind === "punct" && t.value === value;
  }
  expectPunct(value: string): void {
    if (!this.isPunct(value)) this.fail(`expected "${value}" but found ${describe(this.peek())}`);
    this.next();
  }
}

function describe(t: Token): string {
  if (t.kind === "eof") return "end of file";
  if (t.kind === "string") return `string ${JSON.stringify(t.value)}`;
  return `"${t.value}"`;
}

function readValue(r: Reader): Value {
  const t = r.next();
  if (t.kind === "string") {
    let value = t.value;
    // Starlark allows `"a" + "b"`; long justifications are often split this way.
    while (r.isPunct("+")) {
      r.next();
      const more = r.next();
      if (more.kind !== "string") r.fail("only strings can be joined with +", more.line);
      value += more.value;
    }
    return { kind: "string", value, line: t.line };
  }
  if (t.kind === "ident" && t.value === "None") return { kind: "none", line: t.line };
  if (t.kind === "punct" && t.value === "[") {
    const items: Value[] = [];
    while (!r.isPunct("]")) {
      items.push(readValue(r));
      if (!r.isPunct("]")) r.expectPunct(",");
    }
    r.next();
    return { kind: "list", items, line: t.line };
  }
  return r.fail(`expected a string or a list but found ${describe(t)}`, t.line);
}

function readCall(r: Reader, positional: Record<string, string[]>): Call {
  const head = r.next();
  if (head.kind !== "ident") return r.fail(`expected a rule call but found ${describe(head)}`, head.line);
  const params = positional[head.value];
  if (params === undefined) r.fail(`unknown function "${head.value}"`, head.line);
  r.expectPunct("(");
  const args = new Map<string, Value>();
  let index = 0;
  while (!r.isPunct(")")) {
    const t = r.peek();
    let name: string;
    const after = r.peek(1);
    if (t.kind === "ident" && after.kind === "punct" && after.value === "=") {
      name = t.value;
      r.next();
      r.next();
      if (!params.includes(name)) r.fail(`${head.value}: unexpected argument "${name}"`, t.line);
    } else {
      const byPosition = params[index];
      if (byPosition === undefined) r.fail(`${head.value}: too many positional arguments`, t.line);
      name = byPosition;
    }
    index += 1;
    if (args.has(name)) r.fail(`${head.value}: argument "${name}" given twice`, t.line);
    args.set(name, readValue(r));
    if (!r.isPunct(")")) r.expectPunct(",");
  }
  r.next();
  return { name: head.value, line: head.line, args };
}

function stringArg(file: string, call: Call, name: string): string | undefined {
  const v = call.args.get(name);
  if (v === undefined || v.kind === "none") return undefined;
  if (v.kind !== "string") throw new ExecPolicyParseError(file, v.line, `${name} must be a string`);
  return v.value;
}

function parsePattern(file: string, call: Call): string[][] {
  const v = call.args.get("pattern");
  if (v === undefined || v.kind === "none") {
    throw new ExecPolicyParseError(file, call.line, "prefix_rule: missing required argument \"pattern\"");
  }
  if (v.kind !== "list") throw new ExecPolicyParseError(file, v.line, "pattern must be a list");
  if (v.items.length === 0) throw new ExecPolicyParseError(file, v.line, "pattern cannot be empty");
  return v.items.map((item) => {
    if (item.kind === "string") return [item.value];
    if (item.kind === "list") {
      if (item.items.length === 0) {
        throw new ExecPolicyParseError(file, item.line, "pattern alternatives cannot be empty");
      }
      return item.items.map((alt) => {
        if (alt.kind !== "string") {
          throw new ExecPolicyParseError(file, alt.line, "pattern alternatives must be strings");
        }
        return alt.value;
      });
    }
    throw new ExecPolicyParseError(file, item.line, "pattern elements must be strings or lists of strings");
  });
}

function parseExamples(file: string, call: Call, name: string): { argv: string[]; line: number }[] {
  const v = call.args.get(name);
  if (v === undefined || v.kind === "none") return [];
  if (v.kind !== "list") throw new ExecPolicyParseError(file, v.line, `${name} must be a list`);
  return v.items.map((item) => {
    let argv: string[] | undefined;
    if (item.kind === "string") {
      argv = shlexSplit(item.value);
      if (argv === undefined) {
        throw new ExecPolicyParseError(file, item.line, `${name} example has invalid shell syntax`);
      }
    } else if (item.kind === "list") {
      argv = item.items.map((tok) => {
        if (tok.kind !== "string") {
          throw new ExecPolicyParseError(file, tok.line, `${name} example tokens must be strings`);
        }
        return tok.value;
      });
    } else {
      throw new ExecPolicyParseError(file, item.line, `${name} examples must be strings or lists`);
    }
    if (argv.length === 0) throw new ExecPolicyParseError(file, item.line, `${name} example cannot be empty`);
    return { argv, line: item.line };
  });
}

function buildPrefixRule(file: string, call: Call): PrefixRule {
  const decisionRaw = stringArg(file, call, "decision") ?? "allow";
  if (!DECISIONS.has(decisionRaw as RuleDecision)) {
    const line = call.args.get("decision")?.line ?? call.line;
    throw new ExecPolicyParseError(
      file,
      line,
      `invalid decision "${decisionRaw}" (expected "allow", "prompt" or "forbidden")`,
    );
  }
  const justification = stringArg(file, call, "justification");
  if (justification !== undefined && justification.trim() === "") {
    throw new ExecPolicyParseError(file, call.args.get("justification")?.line ?? call.line, "justification cannot be empty");
  }
  const rule: PrefixRule = {
    pattern: parsePattern(file, call),
    decision: decisionRaw as RuleDecision,
    ...(justification !== undefined ? { justification } : {}),
    source: { file, line: call.line },
  };
  for (const ex of parseExamples(file, call, "match")) {
    if (matchRule(rule, ex.argv) === undefined) {
      throw new ExecPolicyParseError(file, ex.line, `match example \`${shlexJoin(ex.argv)}\` does not match this rule`);
    }
  }
  for (const ex of parseExamples(file, call, "not_match")) {
    if (matchRule(rule, ex.argv) !== undefined) {
      throw new ExecPolicyParseError(file, ex.line, `not_match example \`${shlexJoin(ex.argv)}\` matches this rule`);
    }
  }
  return rule;
}

/** Parses one `.rules` file; throws ExecPolicyParseError naming `file:line`. */
export function parseRules(file: string, text: string): PrefixRule[] {
  const reader = new Reader(file, tokenize(file, text));
  const positional = { prefix_rule: PREFIX_RULE_PARAMS, ...IGNORED_CALLS };
  const rules: PrefixRule[] = [];
  while (reader.peek().kind !== "eof") {
    const call = readCall(reader, positional);
    if (call.name === "prefix_rule") rules.push(buildPrefixRule(file, call));
  }
  return rules;
}

import { ExecPolicyParseError } from "./types.js";

// Tokens of the Starlark subset `.rules` files use: identifiers, string literals (both quote
// styles, triple quotes, the usual escapes), punctuation and `#` comments.

export type Token =
  | { kind: "ident"; value: string; line: number }
  | { kind: "string"; value: string; line: number }
  | { kind: "punct"; value: "(" | ")" | "[" | "]" | "," | "=" | "+"; line: number }
  | { kind: "eof"; line: number };

const ESCAPES: Record<string, string> = {
  n: "\n", t: "\t", r: "\r", "\\": "\\", '"': '"', "'": "'", "0": "\0", "\n": "",
};

export function tokenize(file: string, text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  const fail = (msg: string, at = line): never => {
    throw new ExecPolicyParseError(file, at, msg);
  };
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === "\n") {
      line += 1;
      i += 1;
    } else if (ch === " " || ch === "\t" || ch === "\r") {
      i += 1;
    } else if (ch === "#") {
      while (i < text.length && text[i] !== "\n") i += 1;
    } else if (ch === "\\" && text[i + 1] === "\n") {
      i += 1;
    } else if (/[A-Za-z_]/.test(ch)) {
      const start = i;
      while (i < text.length && /[A-Za-z0-9_]/.test(text[i] as string)) i += 1;
      tokens.push({ kind: "ident", value: text.slice(start, i), line });
    } else if ("()[],=+".includes(ch)) {
      tokens.push({ kind: "punct", value: ch as "(", line });
      i += 1;
    } else if (ch === '"' || ch === "'") {
      const startLine = line;
      const triple = text.startsWith(ch.repeat(3), i);
      const delim = triple ? ch.repeat(3) : ch;
      i += delim.length;
      let value = "";
      for (;;) {
        if (i >= text.length) fail("unterminated string literal", startLine);
        const c = text[i] as string;
        if (text.startsWith(delim, i)) {
          i += delim.length;
          break;
        }
        if (c === "\n") {
          if (!triple) fail("unterminated string literal", startLine);
          line += 1;
        }
        if (c === "\\") {
          const next = text[i + 1];
          if (next === undefined) fail("unterminated string literal", startLine);
          const mapped = ESCAPES[next as string];
          if (mapped === undefined) fail(`invalid escape sequence \\${next}`);
          if (next === "\n") line += 1;
          value += mapped;
          i += 2;
          continue;
        }
        value += c;
        i += 1;
      }
      tokens.push({ kind: "string", value, line: startLine });
    } else {
      fail(`unexpected character ${JSON.stringify(ch)}`);
    }
  }
  tokens.push({ kind: "eof", line });
  return tokens;
}

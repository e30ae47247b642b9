// POSIX-shell-style word splitting and quoting, the way Python's `shlex` does it: rule examples
// (`match = ["git status"]`) are written as shell strings, and reasons quote argv back for people.

const SAFE_WORD = /^[A-Za-z0-9@%+=:,./_-]+$/;

/** Splits a command line into words; returns undefined on an unterminated quote or trailing `\`. */
export function shlexSplit(input: string): string[] | undefined {
  const words: string[] = [];
  let current = "";
  let inWord = false;
  let i = 0;
  while (i < input.length) {
    const ch = input[i] as string;
    if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = "";
      inWord = false;
      i += 1;
      continue;
    }
    inWord = true;
    if (ch === "'") {
      const end = input.indexOf("'", i + 1);
      if (end < 0) return undefined;
      current += input.slice(i + 1, end);
      i = end + 1;
    } else if (ch === '"') {
      i += 1;
      let closed = false;
      while (i < input.length) {
        const c = input[i] as string;
        if (c === '"') {
          closed = true;
          i += 1;
          break;
        }
        if (c === "\\" && i + 1 < input.length && '"\\$`\n'.includes(input[i + 1] as string)) {
          current += input[i + 1];
          i += 2;
          continue;
        }
        current += c;
        i += 1;
      }
      if (!closed) return undefined;
    } else if (ch === "\\") {
      if (i + 1 >= input.length) return undefined;
      current += input[i + 1];
      i += 2;
    } else {
      current += ch;
      i += 1;
    }
  }
  if (inWord) words.push(current);
  return words;
}

/** Quotes one word so a POSIX shell reads it back unchanged. */
export function shlexQuote(word: string): string {
  if (word === "") return "''";
  if (SAFE_WORD.test(word)) return word;
  return `'${word.replace(/'/g, `'"'"'`)}'`;
}

export function shlexJoin(words: readonly string[]): string {
  return words.map(shlexQuote).join(" ");
}

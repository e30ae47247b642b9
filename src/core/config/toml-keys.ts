// Small helpers for TOML key syntax, shared by `-c key=value` parsing and by the locator that maps a
// validation error back to a line in the file text.

/** Splits `a."b.c".'d'` into `["a", "b.c", "d"]`; null when the key is not valid TOML key syntax. */
export function splitDottedKey(input: string): string[] | null {
  const parts: string[] = [];
  let i = 0;
  const s = input;
  const skipWs = (): void => {
    while (i < s.length && (s[i] === " " || s[i] === "\t")) i++;
  };
  for (;;) {
    skipWs();
    const c = s[i];
    if (c === undefined) return null;
    if (c === '"' || c === "'") {
      const end = findClosingQuote(s, i);
      if (end < 0) return null;
      const body = s.slice(i + 1, end);
      parts.push(c === '"' ? unescapeBasic(body) : body);
      i = end + 1;
    } else {
      const m = /^[A-Za-z0-9_-]+/.exec(s.slice(i));
      if (!m) return null;
      parts.push(m[0]);
      i += m[0].length;
    }
    skipWs();
    if (i >= s.length) return parts;
    if (s[i] !== ".") return null;
    i++;
  }
}

/** Index of the quote closing the string opened at `start`, or -1. */
export function findClosingQuote(s: string, start: number): number {
  const q = s[start];
  for (let j = start + 1; j < s.length; j++) {
    if (q === '"' && s[j] === "\\") {
      j++;
      continue;
    }
    if (s[j] === q) return j;
  }
  return -1;
}

/** Index of the first `=` that is not inside a quoted key segment, or -1. */
export function findKeyValueSeparator(s: string): number {
  for (let j = 0; j < s.length; j++) {
    const c = s[j];
    if (c === '"' || c === "'") {
      const end = findClosingQuote(s, j);
      if (end < 0) return -1;
      j = end;
    } else if (c === "=") {
      return j;
    }
  }
  return -1;
}

function unescapeBasic(body: string): string {
  try {
    return JSON.parse(`"${body}"`) as string;
  } catch {
    return body;
  }
}

/** Renders a key path for messages: bare segments stay bare, others are quoted. */
export function formatKeyPath(path: readonly (string | number)[]): string {
  return path
    .map((p) => (typeof p === "number" || /^[A-Za-z0-9_-]+$/.test(p) ? String(p) : JSON.stringify(p)))
    .join(".");
}

/**
 * Best-effort 1-based line of `path` in TOML `text`: the line whose table header + key is the longest
 * prefix of `path`. Good enough for error messages; multi-line values may confuse it.
 */
export function locateKeyLine(text: string, path: readonly (string | number)[]): number | undefined {
  const want = path.map(String);
  let table: string[] = [];
  let best: { line: number; len: number } | undefined;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, idx) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    let full: string[] | null = null;
    if (line.startsWith("[")) {
      const arr = line.startsWith("[[");
      const close = line.indexOf(arr ? "]]" : "]");
      if (close < 0) return;
      const key = splitDottedKey(line.slice(arr ? 2 : 1, close));
      if (!key) return;
      table = key;
      full = key;
    } else {
      const eq = findKeyValueSeparator(line);
      if (eq < 0) return;
      const key = splitDottedKey(line.slice(0, eq));
      if (!key) return;
      full = [...table, ...key];
    }
    const len = commonPrefixIfWhole(full, want);
    if (len > 0 && (!best || len > best.len)) best = { line: idx + 1, len };
  });
  return best?.line;
}

/** full.length when `full` is a prefix of `want`, else 0. */
function commonPrefixIfWhole(full: string[], want: string[]): number {
  if (full.length > want.length) return 0;
  for (let i = 0; i < full.length; i++) if (full[i] !== want[i]) return 0;
  return full.length;
}

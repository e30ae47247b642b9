// Typographic punctuation models rarely reproduce exactly; the last matching tier folds it to ASCII.
const FOLD: Record<string, string> = {};
for (const c of "\u2010\u2011\u2012\u2013\u2014\u2015\u2212") FOLD[c] = "-";
for (const c of "\u2018\u2019\u201A\u201B") FOLD[c] = "'";
for (const c of "\u201C\u201D\u201E\u201F") FOLD[c] = '"';
for (const c of "\u00A0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u202F\u205F\u3000") FOLD[c] = " ";
const FOLD_RE = /[\u2010-\u2015\u2212\u2018-\u201F\u00A0\u2002-\u200A\u202F\u205F\u3000]/g;

export function foldPunctuation(s: string): string {
  return s.trim().replace(FOLD_RE, (c) => FOLD[c] ?? c);
}

const TIERS: ReadonlyArray<((s: string) => string) | null> = [
  null,
  (s) => s.trimEnd(),
  (s) => s.trim(),
  foldPunctuation,
];

/**
 * Index where `pattern` occurs in `lines` at or after `from`, trying four tiers of decreasing strictness
 * (exact, trimEnd, trim, trim + punctuation folding), each a full scan before the next. With `eof`, the
 * end of the file is tried first. An empty pattern matches at `from`.
 */
export function seekSequence(
  lines: readonly string[],
  pattern: readonly string[],
  from: number,
  opts: { eof: boolean },
): number | null {
  if (pattern.length === 0) return from;
  if (pattern.length > lines.length) return null;
  const last = lines.length - pattern.length;
  if (opts.eof) {
    const atEnd = scanTiers(lines, pattern, last, last);
    if (atEnd !== null) return atEnd;
  }
  return scanTiers(lines, pattern, from, last);
}

function scanTiers(lines: readonly string[], pattern: readonly string[], from: number, to: number): number | null {
  for (const norm of TIERS) {
    const found = norm === null ? scanExact(lines, pattern, from, to) : scanNormalised(lines, pattern, from, to, norm);
    if (found !== null) return found;
  }
  return null;
}

function scanExact(lines: readonly string[], pattern: readonly string[], from: number, to: number): number | null {
  const head = pattern[0];
  outer: for (let i = from; i <= to; i++) {
    if (lines[i] !== head) continue;
    for (let k = 1; k < pattern.length; k++) if (lines[i + k] !== pattern[k]) continue outer;
    return i;
  }
  return null;
}

function scanNormalised(
  lines: readonly string[],
  pattern: readonly string[],
  from: number,
  to: number,
  norm: (s: string) => string,
): number | null {
  const pat = pattern.map(norm);
  outer: for (let i = from; i <= to; i++) {
    for (let k = 0; k < pat.length; k++) if (norm(lines[i + k] ?? "") !== pat[k]) continue outer;
    return i;
  }
  return null;
}

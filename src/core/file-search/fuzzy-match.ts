// Fuzzy matching of a typed query against a path: every query character must appear in order; the best
// alignment is chosen by a small dynamic programme that rewards matches at word boundaries (after `/`, `_`,
// `-`, `.`, a space, a lower→upper camel step), runs of consecutive characters, and matches inside the file
// name, and charges for gaps. Smart case: a query with an upper-case letter matches case-sensitively.
// Whitespace splits the query into terms that must all match (each scored on its own, indices merged).

export interface FuzzyMatch {
  score: number;
  /** Positions in the candidate (UTF-16 code units) of the matched characters, ascending, no duplicates. */
  indices: number[];
}

const SCORE_MATCH = 16;
const GAP_START = -3;
const GAP_EXTENSION = -1;
const BONUS_BOUNDARY_START = 10;
const BONUS_BOUNDARY_SLASH = 9;
const BONUS_BOUNDARY = 8;
const BONUS_CAMEL = 7;
const BONUS_CONSECUTIVE = 4;
const BONUS_FILE_NAME = 2;
const BONUS_WORD_END = 4;
const FIRST_CHAR_MULTIPLIER = 2;
const NONE = -1e9;

/** Matches `query` (split on whitespace into terms) against `candidate`; null when some term does not match. */
export function fuzzyMatch(query: string, candidate: string): FuzzyMatch | null {
  return createFuzzyMatcher(query).match(candidate);
}

export interface FuzzyMatcher {
  /** Null when some term does not match. `lowered` is `candidate.toLowerCase()` when the caller keeps one. */
  match(candidate: string, lowered?: string): FuzzyMatch | null;
}

/** A matcher for one query, reusing its scratch buffers across candidates (one per search, not shared). */
export function createFuzzyMatcher(query: string): FuzzyMatcher {
  const terms = query
    .split(/\s+/)
    .filter((t) => t.length > 0)
    .map((term) => {
      const caseSensitive = term !== term.toLowerCase();
      return { p: caseSensitive ? term : term.toLowerCase(), caseSensitive };
    });
  const scratch: Scratch = { H: new Float64Array(256), chunk: new Int32Array(256), from: new Int32Array(256), bonus: new Int32Array(64) };
  return {
    match(candidate, lowered) {
      if (terms.length === 0) return null;
      const low = () => (lowered ??= candidate.toLowerCase());
      if (terms.length === 1) {
        const t = terms[0]!;
        return matchTerm(t.p, candidate, t.caseSensitive ? candidate : low(), scratch);
      }
      let score = 0;
      const all = new Set<number>();
      for (const t of terms) {
        const m = matchTerm(t.p, candidate, t.caseSensitive ? candidate : low(), scratch);
        if (m === null) return null;
        score += m.score;
        for (const i of m.indices) all.add(i);
      }
      return { score, indices: [...all].sort((a, b) => a - b) };
    },
  };
}

interface Scratch {
  H: Float64Array;
  chunk: Int32Array;
  from: Int32Array;
  bonus: Int32Array;
}

function matchTerm(p: string, candidate: string, t: string, scratch: Scratch): FuzzyMatch | null {
  const n = p.length;
  // The window [first, last] that any alignment lies in: the leftmost forward subsequence start and the
  // rightmost backward subsequence end. No forward subsequence means no match.
  let first = -1;
  let pi = 0;
  for (let j = 0; j < t.length && pi < n; j++) {
    if (t.charCodeAt(j) === p.charCodeAt(pi)) {
      if (pi === 0) first = j;
      pi++;
    }
  }
  if (pi < n) return null;
  let last = t.length - 1;
  for (let j = t.length - 1, k = n - 1; j >= 0; j--) {
    if (t.charCodeAt(j) === p.charCodeAt(k)) {
      if (k === n - 1) last = j;
      if (--k < 0) break;
    }
  }
  const m = last - first + 1;
  const nameStart = candidate.lastIndexOf("/") + 1;
  if (scratch.bonus.length < m) scratch.bonus = new Int32Array(m * 2);
  if (scratch.H.length < n * m) {
    scratch.H = new Float64Array(n * m * 2);
    scratch.chunk = new Int32Array(n * m * 2);
    scratch.from = new Int32Array(n * m * 2);
  }
  const { bonus, H, chunk, from } = scratch;
  for (let j = 0; j < m; j++) {
    const at = first + j;
    bonus[j] = boundaryBonus(candidate, at) + (at >= nameStart ? BONUS_FILE_NAME : 0);
  }
  // H[i*m+j]: best score with query char i matched at window position j; from: the previous char's position.
  H.fill(NONE, 0, n * m);
  from.fill(-1, 0, n * m);
  for (let j = 0; j < m; j++) {
    if (t.charCodeAt(first + j) === p.charCodeAt(0)) {
      H[j] = SCORE_MATCH + bonus[j]! * FIRST_CHAR_MULTIPLIER;
      chunk[j] = bonus[j]!;
    }
  }
  for (let i = 1; i < n; i++) {
    const row = i * m;
    const prev = row - m;
    const c = p.charCodeAt(i);
    let gapBest = NONE; // best H[i-1][k] + gap penalty for k <= j-2
    let gapFrom = -1;
    for (let j = 1; j < m; j++) {
      if (j >= 2) {
        const extended = gapBest + GAP_EXTENSION;
        const opened = H[prev + j - 2]! + GAP_START;
        if (opened >= extended) {
          gapBest = opened;
          gapFrom = j - 2;
        } else gapBest = extended;
      }
      if (t.charCodeAt(first + j) !== c) continue;
      const b = bonus[j]!;
      let best = NONE;
      let bestFrom = -1;
      let bestChunk = b;
      const diag = H[prev + j - 1]!;
      if (diag > NONE) {
        const runBonus = b >= BONUS_BOUNDARY ? b : Math.max(b, chunk[prev + j - 1]!, BONUS_CONSECUTIVE);
        best = diag + SCORE_MATCH + runBonus;
        bestFrom = j - 1;
        bestChunk = b >= BONUS_BOUNDARY ? b : chunk[prev + j - 1]!;
      }
      if (gapFrom >= 0 && gapBest + SCORE_MATCH + b > best) {
        best = gapBest + SCORE_MATCH + b;
        bestFrom = gapFrom;
        bestChunk = b;
      }
      if (bestFrom < 0) continue;
      H[row + j] = best;
      from[row + j] = bestFrom;
      chunk[row + j] = bestChunk;
    }
  }
  let end = -1;
  let score = NONE;
  const lastRow = (n - 1) * m;
  for (let j = 0; j < m; j++) {
    if (H[lastRow + j]! > score) {
      score = H[lastRow + j]!;
      end = j;
    }
  }
  if (end < 0) return null;
  const indices = new Array<number>(n);
  for (let i = n - 1, j = end; i >= 0; i--) {
    indices[i] = first + j;
    j = from[i * m + j]!;
  }
  // A term that ends where a word ends ("index" in index.ts, not in indexing.md) is the better hit.
  const after = candidate.charCodeAt(indices[n - 1]! + 1);
  if (Number.isNaN(after) || after === 46 || after === 47 || after === 95 || after === 45) score += BONUS_WORD_END;
  return { score: Math.max(1, Math.round(score)), indices };
}

function boundaryBonus(s: string, at: number): number {
  if (at === 0) return BONUS_BOUNDARY_START;
  const prev = s.charCodeAt(at - 1);
  if (prev === 47 /* / */) return BONUS_BOUNDARY_SLASH;
  if (prev === 95 || prev === 45 || prev === 46 || prev === 32 || prev === 92) return BONUS_BOUNDARY;
  const cur = s.charCodeAt(at);
  const prevLower = prev >= 97 && prev <= 122;
  const curUpper = cur >= 65 && cur <= 90;
  const prevLetter = prevLower || (prev >= 65 && prev <= 90);
  const curDigit = cur >= 48 && cur <= 57;
  if ((prevLower && curUpper) || (prevLetter && curDigit)) return BONUS_CAMEL;
  return 0;
}

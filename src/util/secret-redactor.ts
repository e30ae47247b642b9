/**
 * The one secret redactor. Known secret values (the API key…) and well-known key shapes (OpenAI-style
 * `sk-…`, AWS access key ids, GitHub tokens, `Bearer …` credentials) become `[REDACTED]` wherever text
 * leaves the process for disk or logs: the journal, spooled command output, error messages.
 */
export const REDACTED = "[REDACTED]";

/** Known secrets shorter than this are ignored: they would shred ordinary text and are not real keys. */
export const MIN_SECRET_LENGTH = 4;

interface ShapeRule {
  pattern: RegExp;
  replacement: string;
}

/**
 * Every shape has a bounded length, so a streaming redactor only ever has to hold back a bounded tail.
 * Word boundaries keep identifiers such as `task-…` or `disk-…` intact.
 */
const SHAPES: readonly ShapeRule[] = [
  { pattern: /\bsk-[A-Za-z0-9_-]{20,512}/g, replacement: REDACTED },
  { pattern: /\bAKIA[0-9A-Z]{16}\b/g, replacement: REDACTED },
  { pattern: /\bgh[pousr]_[A-Za-z0-9]{36,255}\b/g, replacement: REDACTED },
  { pattern: /\bgithub_pat_[A-Za-z0-9_]{22,255}/g, replacement: REDACTED },
  { pattern: /\bBearer[ \t]{1,16}[A-Za-z0-9._~+/=-]{16,512}/gi, replacement: `Bearer ${REDACTED}` },
];
/** Longest text any shape can match (with margin). */
const MAX_SHAPE_LENGTH = 600;

interface Span {
  start: number;
  end: number;
  replacement: string;
}

export interface StreamRedactor {
  /** Redacted text that is safe to emit now; a bounded tail is held back until more text (or end) arrives. */
  write(text: string): string;
  /** Everything still held back, redacted. */
  end(): string;
}

export interface SecretRedactor {
  redact(text: string): string;
  /** A deep copy of `value` with every string (object keys included) redacted; other values untouched. */
  redactValue<T>(value: T): T;
  /** For text that arrives in chunks: a secret split across two chunks is still found. */
  stream(): StreamRedactor;
}

export function createSecretRedactor(secrets: readonly (string | null | undefined)[]): SecretRedactor {
  const known = [...new Set(secrets.filter((s): s is string => typeof s === "string" && s.length >= MIN_SECRET_LENGTH))];
  const longestKnown = known.reduce((n, s) => Math.max(n, s.length), 0);
  const holdBack = Math.max(longestKnown - 1, MAX_SHAPE_LENGTH);

  const spansOf = (text: string): Span[] => {
    const found: Span[] = [];
    for (const secret of known) {
      for (let i = text.indexOf(secret); i >= 0; i = text.indexOf(secret, i + secret.length)) {
        found.push({ start: i, end: i + secret.length, replacement: REDACTED });
      }
    }
    for (const { pattern, replacement } of SHAPES) {
      for (const m of text.matchAll(pattern)) found.push({ start: m.index, end: m.index + m[0].length, replacement });
    }
    return mergeSpans(found);
  };

  const redact = (text: string): string => (text.length === 0 ? text : applySpans(text, spansOf(text), text.length));

  const redactValue = (value: unknown): unknown => {
    if (typeof value === "string") return redact(value);
    if (Array.isArray(value)) return value.map(redactValue);
    if (value !== null && typeof value === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[redact(k)] = redactValue(v);
      return out;
    }
    return value;
  };

  const stream = (): StreamRedactor => {
    let held = "";
    return {
      write(text: string): string {
        held += text;
        if (held.length <= holdBack) return "";
        const spans = spansOf(held);
        // Cut so the held-back tail can hold any secret that may continue in the next chunk, and never
        // inside a match (which is then held back whole: every match is bounded).
        let cut = held.length - holdBack;
        for (let i = spans.length - 1; i >= 0; i--) {
          const s = spans[i]!;
          if (s.start < cut && s.end > cut) cut = s.start;
        }
        // Never split a surrogate pair (the halves would each be written as U+FFFD).
        const code = held.charCodeAt(cut - 1);
        if (cut > 0 && code >= 0xd800 && code <= 0xdbff) cut--;
        const out = applySpans(held, spans, cut);
        held = held.slice(cut);
        return out;
      },
      end(): string {
        const out = redact(held);
        held = "";
        return out;
      },
    };
  };

  return { redact, redactValue: <T>(v: T) => redactValue(v) as T, stream };
}

/** One-shot form: `text` with every known secret and secret-shaped token redacted. */
export function redactSecrets(text: string, secrets: readonly (string | null | undefined)[]): string {
  return createSecretRedactor(secrets).redact(text);
}

/** Sorted, with overlapping spans joined (a joined span is always plain `[REDACTED]`). */
function mergeSpans(spans: Span[]): Span[] {
  if (spans.length <= 1) return spans;
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Span[] = [];
  for (const s of spans) {
    const last = out.at(-1);
    if (last && s.start < last.end) {
      if (s.end > last.end) {
        last.end = s.end;
        last.replacement = REDACTED;
      }
    } else {
      out.push({ ...s });
    }
  }
  return out;
}

/** `text[0, upTo)` with every span that ends by `upTo` replaced (spans are sorted and disjoint). */
function applySpans(text: string, spans: readonly Span[], upTo: number): string {
  let out = "";
  let pos = 0;
  for (const s of spans) {
    if (s.end > upTo) break;
    out += text.slice(pos, s.start) + s.replacement;
    pos = s.end;
  }
  return out + text.slice(pos, upTo);
}

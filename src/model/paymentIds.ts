/**
 * Payment ids in free text (source, logs, terminal lines), as the contract makes them: `pay_` and 20
 * to 32 lower-case letters and digits, standing alone — not inside a longer word, and not the start
 * of a client secret (`pay_…_secret_…` is followed by `_`, so it is never a link). Pure: imports only
 * the domain. Scanning a 1 MB log takes a few milliseconds (bench/links.ts).
 */
import { isPaymentId } from '../domain/ids';

/** The contract's id format (perfectpay-api.md: "accept any length from 20 to 32"). */
export const CONTRACT_PAYMENT_ID_RE = /^pay_[a-z0-9]{20,32}$/;

/** Documents larger than this (characters) get no links and no hovers. */
export const MAX_SCANNED_CHARS = 1024 * 1024;
/** At most this many ids are returned for one text (every id of a 1 MB request log, with room to spare). */
export const MAX_IDS_PER_TEXT = 20_000;

export interface FoundId {
  id: string;
  /** Offsets in the text: [start, end). */
  start: number;
  end: number;
}

// The literal prefix lets the engine skip ahead fast; the boundaries are checked by hand (faster
// than a lookbehind over a whole megabyte).
const CANDIDATE = /pay_[a-z0-9]{20,32}/g;

/** Letters, digits, `_` and `-`: what may not touch an id on either side. */
function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;
}

/** Every payment id in `text`, in order (at most `limit`). */
export function findPaymentIds(text: string, limit = MAX_IDS_PER_TEXT): FoundId[] {
  const out: FoundId[] = [];
  if (limit <= 0 || text.indexOf('pay_') < 0) return out;
  const re = new RegExp(CANDIDATE.source, 'g');
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const start = m.index;
    const end = start + m[0].length;
    if (start > 0 && isWordChar(text.charCodeAt(start - 1))) continue;
    if (end < text.length && isWordChar(text.charCodeAt(end))) continue;
    out.push({ id: m[0], start, end });
    if (out.length >= limit) break;
  }
  return out;
}

/** The id that covers offset `at` of `line` (a hover's position), if any. */
export function paymentIdAt(line: string, at: number): FoundId | undefined {
  // Only the part of the line that can hold an id touching `at` is scanned.
  const from = Math.max(0, at - 40);
  const part = line.slice(from, at + 40);
  for (const f of findPaymentIds(part)) {
    const start = f.start + from;
    const end = f.end + from;
    // An id cut by the window's edge is not an id of the line: check it against the whole line.
    if (start <= at && at <= end && isWholeId(line, start, end)) return { id: f.id, start, end };
  }
  return undefined;
}

function isWholeId(line: string, start: number, end: number): boolean {
  return (start === 0 || !isWordChar(line.charCodeAt(start - 1))) && (end >= line.length || !isWordChar(line.charCodeAt(end)));
}

/** Whether a string is a payment id of the contract's format (a link's or a hover's argument). */
export function isContractPaymentId(value: unknown): value is string {
  return isPaymentId(value) && CONTRACT_PAYMENT_ID_RE.test(value);
}

/**
 * Whether links and hovers apply to a document of `languageId` under the setting
 * `perfectpay.links.languages`: `*` is every language, `!id` excludes one (exclusions win), an empty
 * list is none.
 */
export function languageMatches(languageId: string, patterns: readonly string[]): boolean {
  let included = false;
  for (const raw of patterns) {
    const p = String(raw).trim();
    if (p.startsWith('!')) {
      if (p.slice(1) === languageId) return false;
    } else if (p === '*' || p === languageId) included = true;
  }
  return included;
}

/** What a typed or pasted text gives as a payment id: the id, or why there is none. */
export type IdFromText = { id: string } | { problem: 'empty' | 'none' | 'several' };

/**
 * The payment id in what a person typed or pasted into "Open Payment by ID": an id on its own (any id
 * the API allows, a caller-chosen one too), or the one id in a pasted URL, log line or client secret
 * (`…/sandbox/payments/pay_…/3ds`, `GET /payments/pay_… -> 200`, `pay_…_secret_…`). Text that holds
 * several different ids is not guessed at.
 */
export function paymentIdFromText(text: string): IdFromText {
  const t = text.trim();
  if (!t) return { problem: 'empty' };
  if (isPaymentId(t) && !/_secret_/.test(t)) return { id: t };
  const ids = new Set(findPaymentIds(t.slice(0, MAX_SCANNED_CHARS)).map((f) => f.id));
  // A client secret is `{payment_id}_secret_…`: the id is its start. In a URL's path, after
  // `/payments/`, an id of any form the API allows (a caller-chosen one too).
  for (const re of [/(?<![A-Za-z0-9_-])(pay_[A-Za-z0-9_-]+?)_secret_[A-Za-z0-9]+/g, /\/payments\/(pay_[A-Za-z0-9_-]+)(?=[/?#\s]|$)/g]) {
    for (const m of t.slice(0, MAX_SCANNED_CHARS).matchAll(re)) if (isPaymentId(m[1])) ids.add(m[1]!);
  }
  if (ids.size === 1) return { id: [...ids][0]! };
  return { problem: ids.size ? 'several' : 'none' };
}

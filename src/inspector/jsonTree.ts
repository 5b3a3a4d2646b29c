/**
 * A JSON value (a payment's metadata) as the flat rows of the protocol's JSON tree: document order,
 * each container followed by its entries one level deeper. Redacted on the way (the one list of
 * sensitive names: their values are never shown; card numbers in text keep their last four), and
 * bounded (rows, depth, text length) so that a hostile answer cannot make the panel draw forever.
 *
 * Pure: no `vscode`, no DOM.
 */
import { maskCardNumber, maskCardsInText } from '../domain/cards';
import { isSensitiveName, REDACTED } from '../domain/redact';
import type { JsonRow } from '../shared/protocol';

export const JSON_TREE_LIMITS = { maxRows: 500, maxDepth: 12, maxText: 4000 } as const;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}

/** The rows of `value`'s entries (an object's or an array's); a scalar is one row with key ''. */
export function jsonRows(value: unknown, limits: { maxRows: number; maxDepth: number; maxText: number } = JSON_TREE_LIMITS): JsonRow[] {
  const rows: JsonRow[] = [];
  let full = false;

  const more = (depth: number, text: string) => rows.push({ depth, key: '', inArray: false, kind: 'more', text, size: null });

  const entries = (v: unknown): [string, unknown, boolean][] =>
    Array.isArray(v) ? v.map((x, i) => [String(i), x, true]) : Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, x, false]);

  const walk = (key: string, inArray: boolean, v: unknown, depth: number): void => {
    if (full) return;
    if (rows.length >= limits.maxRows - 1) {
      full = true;
      more(depth, 'More entries not shown (the metadata is too large to show whole).');
      return;
    }
    const row = (kind: JsonRow['kind'], text: string | null, size: number | null = null) => rows.push({ depth, key, inArray, kind, text, size });
    if (!inArray && (isSensitiveName(key) || key.toLowerCase() === 'card_number')) {
      row('string', key.toLowerCase() === 'card_number' && typeof v === 'string' ? maskCardNumber(v) : REDACTED);
      return;
    }
    if (v === null || v === undefined) row('null', 'null');
    else if (typeof v === 'string') row('string', maskCardsInText(clip(v, limits.maxText)));
    else if (typeof v === 'number') row('number', Number.isFinite(v) ? String(v) : 'null');
    else if (typeof v === 'boolean') row('boolean', String(v));
    else if (Array.isArray(v) || isRecord(v)) {
      const children = entries(v);
      row(Array.isArray(v) ? 'array' : 'object', null, children.length);
      if (children.length === 0) return;
      if (depth + 1 >= limits.maxDepth) {
        more(depth + 1, `Nested deeper than ${limits.maxDepth} levels: not shown (see the raw JSON).`);
        return;
      }
      for (const [k, x, arr] of children) walk(k, arr, x, depth + 1);
    } else row('string', maskCardsInText(clip(String(v), limits.maxText)));
  };

  if (Array.isArray(value) || isRecord(value)) {
    for (const [k, x, arr] of entries(value)) walk(k, arr, x, 0);
  } else if (value !== null && value !== undefined) {
    walk('', false, value, 0);
  }
  return rows;
}

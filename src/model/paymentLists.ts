/**
 * Merging two copies of a file of lists per payment (the history, the answers kept for Compare), as two
 * windows each hold one: every entry of either is kept once, in time order. Pure: the store
 * (src/services/paymentFileStore.ts) reads the file, merges, and writes under a lock.
 */

/** What each kept entry has: when it was seen (ISO 8601). */
export interface Dated {
  at: string;
}

export type Append<T> = (list: readonly T[], entry: T) => T[];

/**
 * One payment's two lists as one: each entry once (the same JSON in both is one entry), oldest first,
 * through `append` (which drops a read that repeats the one before, and caps the length).
 */
export function mergeEntries<T extends Dated>(a: readonly T[], b: readonly T[], append: Append<T>): T[] {
  if (!b.length) return [...a];
  if (!a.length) return [...b];
  const seen = new Set<string>();
  const all: T[] = [];
  for (const e of [...a, ...b]) {
    const key = JSON.stringify(e);
    if (seen.has(key)) continue;
    seen.add(key);
    all.push(e);
  }
  // Stable: entries of the same instant keep the order they came in.
  all.sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
  return all.reduce<T[]>((list, e) => append(list, e), []);
}

/**
 * The file's lists (`theirs`, as another window last wrote them) and this window's (`mine`) as one map,
 * in recency order (a Map's insertion order): the payments only the file has first, then this
 * window's in its own order.
 */
export function mergeByPayment<T extends Dated>(theirs: ReadonlyMap<string, readonly T[]>, mine: ReadonlyMap<string, readonly T[]>, append: Append<T>): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const [id, list] of theirs) if (!mine.has(id)) out.set(id, [...list]);
  for (const [id, list] of mine) out.set(id, mergeEntries(theirs.get(id) ?? [], list, append));
  return out;
}

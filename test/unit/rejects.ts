import assert from 'node:assert/strict';

/** Awaits `p`, which must reject with a `type`; runs `check` on the error and returns it. */
export async function rejects<T extends Error>(p: Promise<unknown>, type: new (...a: never[]) => T, check?: (e: T) => void): Promise<T> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof type, `expected ${type.name}, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
    check?.(e as T);
    return e as T;
  }
  assert.fail(`expected ${type.name}, but it resolved`);
}

// Several windows, one global storage: the merge of two copies of a lists-per-payment file (history,
// answers), the shared local sandbox's lock file format, and the lock between windows.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withFileLock } from '../../src/environment/fileLock';
import { appendObservation, type PaymentObservation } from '../../src/model/history';
import { mergeByPayment, mergeEntries } from '../../src/model/paymentLists';
import { makeSandboxLock, parseSandboxLock } from '../../src/sandbox/lock';

const obs = (at: string, cause: PaymentObservation['cause'], status: string): PaymentObservation => ({ at, cause, status });

describe('merging two windows\' lists per payment', () => {
  it('keeps the payments of both files: A\'s payment kept, B\'s kept', () => {
    const a = new Map([['pay_a', [obs('2026-01-01T00:00:01Z', 'create', 'requires_payment_method')]]]);
    const b = new Map([['pay_b', [obs('2026-01-01T00:00:02Z', 'create', 'requires_payment_method')]]]);
    const merged = mergeByPayment(a, b, appendObservation);
    assert.deepEqual([...merged.keys()], ['pay_a', 'pay_b']);
    assert.deepEqual(merged.get('pay_a'), a.get('pay_a'));
    assert.deepEqual(merged.get('pay_b'), b.get('pay_b'));
  });

  it('one payment seen by both: each entry once, in time order', () => {
    const created = obs('2026-01-01T00:00:01Z', 'create', 'requires_payment_method');
    const theirs = [created, obs('2026-01-01T00:00:03Z', 'confirm', 'requires_capture')];
    const mine = [created, obs('2026-01-01T00:00:02Z', 'retrieve', 'requires_payment_method'), obs('2026-01-01T00:00:04Z', 'capture', 'succeeded')];
    const merged = mergeEntries(theirs, mine, appendObservation);
    // The read that repeats the create's state is dropped by append, as in one window.
    assert.deepEqual(merged.map((o) => o.cause), ['create', 'confirm', 'capture']);
    assert.deepEqual(mergeByPayment(new Map([['p', theirs]]), new Map([['p', mine]]), appendObservation).get('p'), merged);
  });

  it('the same file merged with itself is unchanged', () => {
    const list = [obs('2026-01-01T00:00:01Z', 'create', 'x'), obs('2026-01-01T00:00:02Z', 'confirm', 'y')];
    assert.deepEqual(mergeEntries(list, list, appendObservation), list);
  });
});

describe('the shared local sandbox\'s lock file', () => {
  const fields = { pid: 4242, url: 'http://127.0.0.1:50123', apiKey: 'sk_local_0123456789abcdef', publishableKey: 'pk_snd_0123456789abcdef', seed: 25, startedAt: '2026-01-01T00:00:00.000Z' };

  it('reads back what was written', () => {
    const lock = makeSandboxLock(fields);
    assert.deepEqual(parseSandboxLock(JSON.stringify(lock)).lock, lock);
  });

  it('refuses anything else, saying why without echoing the key', () => {
    const bad: unknown[] = [
      'not json',
      null,
      { ...makeSandboxLock(fields), version: 2 },
      { ...makeSandboxLock(fields), format: 'other' },
      { ...makeSandboxLock(fields), url: 'http://example.com:80' },
      { ...makeSandboxLock(fields), pid: 0 },
      { ...makeSandboxLock(fields), apiKey: undefined },
    ];
    for (const b of bad) {
      const r = parseSandboxLock(typeof b === 'string' ? b : JSON.stringify(b));
      assert.equal(r.lock, undefined, JSON.stringify(b));
      assert.ok(r.problem, JSON.stringify(b));
      assert.ok(!r.problem.includes(fields.apiKey));
    }
  });
});

describe('the lock between windows (withFileLock)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'pp-lock-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs read-modify-write sections one at a time: no write lost', async () => {
    const file = join(dir, 'n.json');
    writeFileSync(file, '0');
    await Promise.all(
      Array.from({ length: 20 }, () =>
        withFileLock(`${file}.lock`, async () => {
          const n = Number(readFileSync(file, 'utf8'));
          await new Promise((r) => setImmediate(r));
          writeFileSync(file, String(n + 1));
        }, { intervalMs: 1 }),
      ),
    );
    assert.equal(readFileSync(file, 'utf8'), '20');
  });

  it('takes over a lock left by a window that died holding it', async () => {
    const lock = join(dir, 'x.lock');
    writeFileSync(lock, '1\n');
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    assert.equal(await withFileLock(lock, async () => 'ran', { staleMs: 10_000 }), 'ran');
    assert.equal(existsSync(lock), false);
  });
});

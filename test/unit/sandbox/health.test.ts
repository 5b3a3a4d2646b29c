/**
 * GET /health (issue 19 §4): {"status":"ok"} with no key, for containers and CI waits; untouched by
 * the injected faults; only GET.
 */
import * as assert from 'node:assert/strict';
import { useSandbox } from './helpers';

describe('sandbox: GET /health', function () {
  // Every API request would fail: the health route is not an API route.
  const t = useSandbox({ faults: { errorRate: 1 } });

  it('answers {"status":"ok"} without a key, whatever the faults', async () => {
    const res = await fetch(`${t.url}/health`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(await res.json(), { status: 'ok' });
    // With a wrong key too (a container's probe sends none; a key is not looked at).
    const withKey = await t.call('GET', '/health', undefined, { 'api-key': 'wrong' });
    assert.deepEqual(withKey.json, { status: 'ok' });
    // The API routes are still closed without a key.
    const res2 = await fetch(`${t.url}/payments/list`);
    assert.equal(res2.status, 401);
  });

  it('only GET', async () => {
    const a = await t.call('POST', '/health', {});
    assert.equal(a.status, 405);
  });
});

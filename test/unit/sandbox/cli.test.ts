/**
 * The sandbox CLI (argument parsing, serving, stopping on a signal) and a clean close() that does
 * not keep the process alive.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs, UsageError } from '../../../src/sandbox/cli';
import { createHmac } from 'node:crypto';
import { waitFor } from '../helpers';
import { card } from './helpers';
import { startReceiver } from './receiver';

const CLI = path.resolve(__dirname, '../../../src/sandbox/main.js');
const INDEX = path.resolve(__dirname, '../../../src/sandbox/index.js');

function run(args: string[], onLine?: (line: string, child: ReturnType<typeof spawn>) => void, env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stdout!.on('data', (c: string) => {
    stdout += c;
    for (const line of c.split('\n')) if (line) onLine?.(line, child);
  });
  child.stderr!.on('data', (c: string) => (stderr += c));
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

describe('sandbox: CLI', function () {
  this.timeout(15_000);

  it('parses the documented flags', () => {
    const c = parseArgs(['--port', '4242', '--api-key', 'sk_test_local', '--publishable-key', 'pk_snd_local', '--seed', '25', '--latency=50', '--error-rate', '0.1',
      '--drop-rate', '0.05', '--rate-limit-rate', '0.02', '--malformed-rate', '0.01', '--retry-after', '3', '--expiry-ms', '1000', '--processing-delay', '10', '--refund-delay', '20',
      '--host', '0.0.0.0', '--snapshot', '/tmp/sandbox.json', '--webhook-url', 'http://localhost:3000/webhooks', '--webhook-secret', 'whsec_given', '--webhook-retries', '1,2.5', '-q']);
    assert.deepEqual(c.options, {
      port: 4242, host: '0.0.0.0', apiKey: 'sk_test_local', publishableKey: 'pk_snd_local', seed: 25, latencyMs: 50, expiryMs: 1000, processingDelayMs: 10, refundDelayMs: 20,
      snapshotFile: '/tmp/sandbox.json',
      faults: { errorRate: 0.1, malformedRate: 0.01, dropRate: 0.05, rateLimitRate: 0.02, retryAfterSeconds: 3 },
      webhooks: { url: 'http://localhost:3000/webhooks', secret: 'whsec_given', retryDelaysMs: [1000, 2500] },
    });
    assert.equal(c.quiet, true);
    assert.deepEqual(c.generated, { apiKey: false, publishableKey: false, webhookSecret: false });
    assert.equal(parseArgs([]).options.port, 4242);
    assert.equal(parseArgs(['--help']).help, true);
    assert.equal(parseArgs(['-h']).help, true);
  });

  it('checks the webhook flags and makes a webhook secret when none is given', () => {
    const a = parseArgs([]);
    assert.match(a.options.webhooks?.secret ?? '', /^[0-9a-f]{64}$/);
    assert.notEqual(a.options.webhooks?.secret, parseArgs([]).options.webhooks?.secret);
    assert.equal(a.options.webhooks?.url, null);
    assert.equal(a.generated.webhookSecret, true);
    assert.throws(() => parseArgs(['--webhook-url', 'ftp://x/y']), /--webhook-url: the webhook URL must be http or https/);
    assert.throws(() => parseArgs(['--webhook-url', 'nope']), /is not a URL/);
    assert.throws(() => parseArgs(['--webhook-secret', ' ']), /--webhook-secret must not be empty/);
    assert.throws(() => parseArgs(['--webhook-retries', '1,x']), /--webhook-retries must be seconds/);
    assert.deepEqual(parseArgs(['--webhook-retries', '']).options.webhooks?.retryDelaysMs, []);
  });

  it('makes both keys at random when they are not given, a new pair each time', () => {
    const a = parseArgs([]);
    const b = parseArgs([]);
    assert.match(a.options.apiKey, /^snd_[A-Za-z0-9]{32}$/);
    assert.match(a.options.publishableKey ?? '', /^pk_snd_[A-Za-z0-9]{32}$/);
    assert.notEqual(a.options.apiKey, b.options.apiKey);
    assert.notEqual(a.options.publishableKey, b.options.publishableKey);
    assert.deepEqual(a.generated, { apiKey: true, publishableKey: true, webhookSecret: true });
  });

  it('refuses bad flags with a reason', () => {
    for (const [args, why] of [
      [['--bogus'], /Unknown option: --bogus/],
      [['--port'], /--port needs a value/],
      [['--port', 'abc'], /--port must be a number/],
      [['--port', '70000'], /at most 65535/],
      [['--seed=-1'], /whole number/],
      [['--seed', '-1'], /--seed needs a value/],
      [['--error-rate', '1.5'], /between 0 and 1/],
      [['--error-rate', '0.6', '--drop-rate', '0.6'], /add up to 1.2/],
      [['--api-key', ''], /must not be empty/],
      [['--publishable-key', ''], /must not be empty/],
      [['--api-key', 'same', '--publishable-key', 'same'], /must differ/],
      [['extra'], /Unexpected argument: extra/],
    ] as const) {
      assert.throws(() => parseArgs([...args]), (e: unknown) => e instanceof UsageError && why.test(e.message));
    }
  });

  it('exits 2 with one line on a bad flag', async () => {
    const r = await run([CLI, '--seed', 'many']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'perfectpay sandbox: --seed must be a number (got "many") (see perfectpay sandbox --help)\n');
  });

  it('listens beyond loopback only with a key given (flag or PERFECTPAY_API_KEY), and prints no key from the environment', async () => {
    assert.throws(() => parseArgs(['--host', '0.0.0.0']), (e: unknown) => e instanceof UsageError && /--host 0\.0\.0\.0 listens beyond this machine: give the key with --api-key or PERFECTPAY_API_KEY/.test(e.message));
    assert.equal(parseArgs(['--host', 'localhost']).options.host, 'localhost');
    assert.equal(parseArgs(['--host', '0.0.0.0', '--api-key', 'sk_flag']).options.apiKey, 'sk_flag');
    const c = parseArgs(['--host', '0.0.0.0'], { PERFECTPAY_API_KEY: 'sk_from_env', PERFECTPAY_PUBLISHABLE_KEY: 'pk_from_env' });
    assert.equal(c.options.apiKey, 'sk_from_env');
    assert.equal(c.options.publishableKey, 'pk_from_env');
    assert.deepEqual(c.fromEnv, { apiKey: true, publishableKey: true });
    // A flag wins over the environment.
    assert.equal(parseArgs(['--api-key', 'sk_flag'], { PERFECTPAY_API_KEY: 'sk_from_env' }).options.apiKey, 'sk_flag');

    let answered: Promise<void> | undefined;
    const r = await run([CLI, '--port', '0', '--quiet'], (line, child) => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (!m) return;
      answered = (async () => {
        const res = await fetch(`${m[1]}/payments/list`, { headers: { 'api-key': 'sk_secret_env_key' } });
        assert.equal(res.status, 200);
        child.kill('SIGINT');
      })();
    }, { PERFECTPAY_API_KEY: 'sk_secret_env_key' });
    await answered;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /api-key: \(from PERFECTPAY_API_KEY\)\n/);
    assert.match(r.stdout, /SIGINT: stopping/);
    assert.doesNotMatch(r.stdout, /sk_secret_env_key/);
  });

  it('prints its URL, serves the API, and stops cleanly on SIGTERM', async () => {
    let answered: Promise<void> | undefined;
    const r = await run([CLI, '--port', '0', '--api-key', 'sk_cli', '--seed', '5', '--quiet'], (line, child) => {
      const m = /PerfectPay sandbox listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (!m) return;
      answered = (async () => {
        const res = await fetch(`${m[1]}/payments/list`, { headers: { 'api-key': 'sk_cli' } });
        assert.equal(res.status, 200);
        assert.equal(((await res.json()) as any).size, 5);
        child.kill('SIGTERM');
      })();
    });
    assert.ok(answered, `no URL printed: ${r.stdout} ${r.stderr}`);
    await answered;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /SIGTERM: stopping/);
    assert.match(r.stdout, /api-key: sk_cli\n/);
  });

  it('prints the keys it made, which then work: the secret key everywhere, the publishable key for retrieve only', async () => {
    // The keys are printed on lines of their own after the URL: read them from the whole output.
    const keys = await new Promise<{ url: string; apiKey: string; pk: string; stop: () => void }>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, '--port', '0', '--seed', '1', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout!.setEncoding('utf8');
      child.stdout!.on('data', (c: string) => {
        text += c;
        const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1];
        const apiKey = /api-key: (snd_[A-Za-z0-9]{32}) \(made for this run\)/.exec(text)?.[1];
        const pk = /publishable key: (pk_snd_[A-Za-z0-9]{32}) \(made for this run\)/.exec(text)?.[1];
        if (url && apiKey && pk) resolve({ url, apiKey, pk, stop: () => child.kill('SIGTERM') });
      });
      child.once('exit', () => reject(new Error(`exited before printing its keys: ${text}`)));
    });
    try {
      const list = await fetch(`${keys.url}/payments/list`, { headers: { 'api-key': keys.apiKey } });
      assert.equal(list.status, 200);
      const p = ((await list.json()) as any).data[0];
      assert.equal((await fetch(`${keys.url}/payments/list`, { headers: { 'api-key': keys.pk } })).status, 401);
      const got = await fetch(`${keys.url}/payments/${p.payment_id}?client_secret=${p.client_secret}`, { headers: { 'api-key': keys.pk } });
      assert.equal(got.status, 200);
    } finally {
      keys.stop();
    }
  });

  it('--webhook-url: prints the webhook secret it made and the retries, and signs its deliveries with that secret', async () => {
    const receiver = await startReceiver();
    const child = spawn(process.execPath, [CLI, '--port', '0', '--api-key', 'sk_cli', '--webhook-url', receiver.url, '--webhook-retries', '1,2', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const printed = await new Promise<{ url: string; secret: string; text: string }>((resolve, reject) => {
        let text = '';
        child.stdout!.setEncoding('utf8');
        child.stdout!.on('data', (c: string) => {
          text += c;
          const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1];
          const secret = /webhook secret: ([0-9a-f]{64}) \(made for this run\)/.exec(text)?.[1];
          if (url && secret && text.includes('Ctrl+C')) resolve({ url, secret, text });
        });
        child.once('exit', () => reject(new Error(`exited before printing its secret: ${text}`)));
      });
      assert.match(printed.text, new RegExp(`webhooks: ${receiver.url.replace(/[/.]/g, '\\$&')}, 2 retries \\(after 1 s, 2 s\\)`));
      const res = await fetch(`${printed.url}/payments`, {
        method: 'POST',
        headers: { 'api-key': 'sk_cli', 'content-type': 'application/json' },
        body: JSON.stringify({ amount: 100, currency: 'USD', confirm: true, ...card('4242424242424242') }),
      });
      assert.equal(res.status, 200);
      await waitFor(() => receiver.deliveries.length === 1, 'the delivery');
      const d = receiver.deliveries[0]!;
      assert.equal(d.headers['x-webhook-signature-512'], createHmac('sha512', printed.secret).update(d.raw).digest('hex'));
    } finally {
      child.kill('SIGTERM');
      await receiver.close();
    }
  });

  it('--snapshot: saves the payments on SIGTERM and starts from them next time', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-cli-'));
    const file = path.join(dir, 'sandbox.json');
    try {
      const serve = (onUrl: (url: string) => Promise<void>) => {
        let work: Promise<void> | undefined;
        const done = run([CLI, '--port', '0', '--api-key', 'sk_cli', '--snapshot', file, '--quiet'], (line, child) => {
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
          if (m && !work) work = onUrl(m[1]!).finally(() => child.kill('SIGTERM'));
        });
        return done.then(async (r) => {
          await work;
          return r;
        });
      };
      let id = '';
      const first = await serve(async (url) => {
        const res = await fetch(`${url}/payments`, {
          method: 'POST', headers: { 'api-key': 'sk_cli', 'content-type': 'application/json' },
          body: JSON.stringify({ amount: 1234, currency: 'EUR', description: 'kept across runs' }),
        });
        id = ((await res.json()) as any).payment_id;
      });
      assert.equal(first.code, 0, first.stderr);
      assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).payments.length, 1);
      const second = await serve(async (url) => {
        const res = await fetch(`${url}/payments/${id}`, { headers: { 'api-key': 'sk_cli' } });
        assert.equal(res.status, 200);
        assert.equal(((await res.json()) as any).description, 'kept across runs');
      });
      assert.equal(second.code, 0, second.stderr);
      assert.match(second.stdout, /payments: 1 \(from the snapshot\)/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('--snapshot when the terminal closes or the process dies', () => {
    let dir = '';
    let file = '';
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-cli-'));
      file = path.join(dir, 'sandbox.json');
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    /** Runs the CLI on `file`, creates one payment over HTTP, then `after(child)`; the payment's id and how it ended. */
    async function createThen(after: (child: ReturnType<typeof spawn>, id: string) => Promise<void>) {
      let work: Promise<string> | undefined;
      const r = await run([CLI, '--port', '0', '--api-key', 'sk_cli', '--seed', '0', '--snapshot', file, '--quiet'], (line, child) => {
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
        if (!m || work) return;
        work = (async () => {
          const res = await fetch(`${m[1]}/payments`, {
            method: 'POST', headers: { 'api-key': 'sk_cli', 'content-type': 'application/json' },
            body: JSON.stringify({ amount: 4321, currency: 'USD', description: 'saved without a clean stop' }),
          });
          const id = ((await res.json()) as any).payment_id as string;
          await after(child, id);
          return id;
        })();
        work.catch(() => child.kill('SIGKILL'));
      });
      assert.ok(work, `no URL printed: ${r.stdout} ${r.stderr}`);
      return { ...r, id: await work };
    }
    const savedIds = (): string[] => {
      try {
        return (JSON.parse(fs.readFileSync(file, 'utf8')).payments as { payment_id: string }[]).map((p) => p.payment_id);
      } catch {
        return [];
      }
    };

    it('saves on SIGHUP (the terminal closed) and stops cleanly', async () => {
      const r = await createThen(async (child) => void child.kill('SIGHUP'));
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /SIGHUP: stopping/);
      assert.deepEqual(savedIds(), [r.id]);
    });

    it('saves soon after every change, so a crash (SIGKILL) loses nothing saved', async () => {
      const r = await createThen(async (child, id) => {
        await waitFor(() => savedIds().includes(id), 'the new payment to be saved without a signal');
        child.kill('SIGKILL');
      });
      assert.equal(r.signal, 'SIGKILL');
      assert.deepEqual(savedIds(), [r.id]);
    });
  });

  it('close() leaves nothing keeping the process alive (keep-alive sockets, latency timers)', async () => {
    const script = `
      const { startSandbox } = require(${JSON.stringify(INDEX)});
      (async () => {
        // An API request draws its fault once, just before the latency wait: a rate that never strikes
        // (0.999 drawn against 0.001) tells when the request is pending behind the latency.
        let pending = false;
        const faults = { errorRate: 0.001, random: () => ((pending = true), 0.999) };
        const s = await startSandbox({ apiKey: 'k', seed: 3, latencyMs: 5000, faults });
        const fast = await startSandbox({ apiKey: 'k' });
        await (await fetch(fast.url + '/payments/list', { headers: { 'api-key': 'k' } })).text();
        fetch(s.url + '/payments/list', { headers: { 'api-key': 'k' } }).catch(() => {});
        while (!pending) await new Promise((r) => setTimeout(r, 10));
        await s.close();
        await fast.close();
        console.log('closed');
      })();`;
    // Timed from 'closed', not from the spawn: starting Node on a busy machine is not what is tested.
    let closedAt = 0;
    const r = await run(['-e', script], (line) => {
      if (line.includes('closed')) closedAt = Date.now();
    });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(closedAt > 0, r.stdout);
    // The pending request waits 5 s of latency: ending well before that means close() stopped it.
    assert.ok(Date.now() - closedAt < 2_500, `the process ended by itself ${Date.now() - closedAt} ms after close()`);
  });
});

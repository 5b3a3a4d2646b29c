/**
 * The sandbox CLI (argument parsing, serving, stopping on a signal) and a clean close() that does
 * not keep the process alive.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { parseArgs, UsageError } from '../../../src/sandbox/cli';

const CLI = path.resolve(__dirname, '../../../src/sandbox/cli.js');
const INDEX = path.resolve(__dirname, '../../../src/sandbox/index.js');

function run(args: string[], onLine?: (line: string, child: ReturnType<typeof spawn>) => void) {
  // A child that hangs is killed after 30 s (the test then fails on its exit code, not on mocha's timeout;
  // a loaded machine may take seconds to start node).
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000, killSignal: 'SIGKILL' });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stdout!.on('data', (c: string) => {
    stdout += c;
    for (const line of c.split('\n')) if (line) onLine?.(line, child);
  });
  child.stderr!.on('data', (c: string) => (stderr += c));
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    child.on('exit', (code, signal) => {
      resolve({ code, signal, stdout, stderr });
    });
  });
}

describe('sandbox: CLI', function () {
  this.timeout(60_000);

  it('parses the documented flags', () => {
    const c = parseArgs(['--port', '4242', '--api-key', 'sk_test_local', '--seed', '25', '--latency=50', '--error-rate', '0.1',
      '--drop-rate', '0.05', '--rate-limit-rate', '0.02', '--malformed-rate', '0.01', '--retry-after', '3', '--expiry-ms', '1000', '--processing-delay', '10', '--host', '0.0.0.0']);
    assert.deepEqual(c.options, {
      port: 4242, host: '0.0.0.0', apiKey: 'sk_test_local', seed: 25, latencyMs: 50, expiryMs: 1000, processingDelayMs: 10,
      faults: { errorRate: 0.1, malformedRate: 0.01, dropRate: 0.05, rateLimitRate: 0.02, retryAfterSeconds: 3 },
    });
    assert.equal(parseArgs([]).options.port, 4242);
    assert.equal(parseArgs(['--help']).help, true);
  });

  it('refuses bad flags with a reason', () => {
    for (const [args, why] of [
      [['--bogus'], /Unknown option: --bogus/],
      [['--port'], /--port needs a value/],
      [['--port', 'abc'], /--port must be a number/],
      [['--port', '70000'], /at most 65535/],
      [['--seed', '-1'], /whole number/],
      [['--error-rate', '1.5'], /between 0 and 1/],
      [['--error-rate', '0.6', '--drop-rate', '0.6'], /add up to 1.2/],
      [['--api-key', ''], /must not be empty/],
    ] as const) {
      assert.throws(() => parseArgs([...args]), (e: unknown) => e instanceof UsageError && why.test(e.message));
    }
  });

  it('exits 2 with the usage on a bad flag', async () => {
    const r = await run([CLI, '--seed', 'many']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--seed must be a number/);
    assert.match(r.stderr, /Usage: perfectpay-sandbox/);
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
  });

  it('close() leaves nothing keeping the process alive (keep-alive sockets, latency timers)', async () => {
    const script = `
      const http = require('node:http');
      const { startSandbox } = require(${JSON.stringify(INDEX)});
      // Tells when a request has reached a server (the sandbox's http.Server), to close it under that request.
      let arrived;
      const emit = http.Server.prototype.emit;
      http.Server.prototype.emit = function (event, ...args) {
        if (event === 'request' && arrived) arrived();
        return emit.call(this, event, ...args);
      };
      (async () => {
        const s = await startSandbox({ apiKey: 'k', seed: 3, latencyMs: 60000 });
        const fast = await startSandbox({ apiKey: 'k' });
        await (await fetch(fast.url + '/payments/list', { headers: { 'api-key': 'k' } })).text();
        const reached = new Promise((r) => { arrived = r; });
        fetch(s.url + '/payments/list', { headers: { 'api-key': 'k' } }).catch(() => {}); // pending behind latency
        await reached;
        await s.close();
        await fast.close();
        console.log('closed');
      })();`;
    const r = await run(['-e', script]);
    // Ended by itself, not by run()'s 30 s kill: no socket nor the 60 s latency timer kept it alive.
    assert.equal(r.signal, null, `the process was killed (${r.signal}): something kept it alive after close()`);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /closed/);
  });
});

/**
 * The `perfectpay` tool as a user gets it (issue 19): the tarball of `npm run package:cli` installed
 * with `npm install -g` into an empty folder (offline: it has no dependencies), then run as real
 * processes: `perfectpay sandbox` (its URL, GET /health, SIGTERM), `perfectpay scenarios run --sandbox`
 * on a passing and a failing file (the lines, the JUnit XML, exit code 1), a key from the environment
 * never printed, bad flags (one line, exit 2), `--help`, `--version`.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSandbox } from '../../../src/sandbox';
import { declinedExpectedToSucceed, twoPartCapture } from '../../scenarioFixtures';
import { junitXml, xmlEscape } from '../../../src/cli/junit';
import { lazyMcpCommand } from '../../../src/cli/main';
import { mcpCommand } from '../../../src/cli/mcp';

const ROOT = path.resolve(__dirname, '../../../..');
const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the installed `perfectpay`; `onOutput` sees the output so far (and may signal the child). */
function perfectpay(bin: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; onOutput?: (stdout: string, child: ReturnType<typeof spawn>) => void } = {}): Promise<Ran> {
  // The bin as npm installed it: through its `#!/usr/bin/env node` line.
  const child = spawn(bin, args, { cwd: opts.cwd, env: { ...process.env, PERFECTPAY_API_KEY: '', ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stdout!.on('data', (c: string) => {
    stdout += c;
    opts.onOutput?.(stdout, child);
  });
  child.stderr!.on('data', (c: string) => (stderr += c));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      // Wait for the streams to end: the last lines come after 'exit' sometimes.
      let open = 2;
      const done = () => --open === 0 && resolve({ code, signal, stdout, stderr });
      if (child.stdout!.readableEnded) done(); else child.stdout!.once('end', done);
      if (child.stderr!.readableEnded) done(); else child.stderr!.once('end', done);
    });
  });
}

describe('perfectpay CLI: the npm package installed and run', function () {
  this.timeout(120_000);
  let dir: string;
  let bin: string;
  let work: string;

  before(function () {
    const bundle = path.join(ROOT, 'dist', 'perfectpay.js');
    assert.ok(fs.existsSync(bundle), 'dist/perfectpay.js is built by `node esbuild.mjs` (entry cli) before the unit tests');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perfectpay-cli-test-'));
    const out = execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'package-cli.mjs'), '--out', dir], { encoding: 'utf8' });
    const tgz = out.trim().split('\n').pop()!;
    assert.equal(path.basename(tgz), `perfectpay-cli-${VERSION}.tgz`);
    // `npm install -g` into an empty prefix, with no registry (--offline): nothing to download.
    const prefix = path.join(dir, 'global');
    fs.mkdirSync(prefix);
    execFileSync('npm', ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tgz], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    bin = path.join(prefix, 'bin', 'perfectpay');
    assert.ok(fs.existsSync(bin), 'npm made the perfectpay command');
    const installed = fs.readdirSync(path.join(prefix, 'lib', 'node_modules'));
    assert.deepEqual(installed, ['perfectpay-cli'], 'one package, no dependencies');
    work = path.join(dir, 'project');
    fs.mkdirSync(path.join(work, 'scenarios'), { recursive: true });
    fs.writeFileSync(path.join(work, 'scenarios', 'good.perfectpay.json'), JSON.stringify(twoPartCapture('two-part capture'), null, 2));
    fs.writeFileSync(path.join(work, 'scenarios', 'bad.perfectpay.json'), declinedExpectedToSucceed('declined <card> & "quotes"'));
  });

  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('--help lists the commands, each has its own --help, --version is the package\'s', async () => {
    const top = await perfectpay(bin, ['--help']);
    assert.equal(top.code, 0);
    for (const c of ['sandbox', 'scenarios run', 'matrix', 'mcp']) assert.match(top.stdout, new RegExp(`^  ${c} +\\S`, 'm'));
    for (const args of [['sandbox', '--help'], ['scenarios', 'run', '--help'], ['matrix', '-h']]) {
      const r = await perfectpay(bin, args);
      assert.equal(r.code, 0, args.join(' '));
      assert.match(r.stdout, new RegExp(`^Usage: perfectpay ${args.slice(0, -1).join(' ')} \\[options\\]`), args.join(' '));
      assert.equal(r.stderr, '');
    }
    const v = await perfectpay(bin, ['--version']);
    assert.equal(v.stdout, `${VERSION}\n`);
  });

  it('a bad flag or command: one line on stderr, exit 2', async () => {
    for (const [args, line] of [
      [['sandbox', '--bogus'], 'perfectpay sandbox: Unknown option: --bogus (see perfectpay sandbox --help)'],
      [['sandbox', '--host', '0.0.0.0'], 'perfectpay sandbox: --host 0.0.0.0 listens beyond this machine: give the key with --api-key or PERFECTPAY_API_KEY (see perfectpay sandbox --help)'],
      [['scenarios', 'run', '--sandbox', '--concurrency', 'lots'], 'perfectpay scenarios run: --concurrency must be a whole number from 1 to 32 (got "lots") (see perfectpay scenarios run --help)'],
      [['scenarios', 'run', '--sandbox', '--reporter', 'junit'], 'perfectpay scenarios run: --reporter junit needs --output FILE (see perfectpay scenarios run --help)'],
      [['scenarios', 'run', 'scenarios'], 'perfectpay scenarios run: where should they run? Give --base-url URL (the key in PERFECTPAY_API_KEY) or --sandbox (see perfectpay scenarios run --help)'],
      [['scenarios', 'run', '--base-url', 'http://127.0.0.1:9', 'scenarios'], 'perfectpay scenarios run: PERFECTPAY_API_KEY is not set: the API key of --base-url\'s server goes there (never in a flag) (see perfectpay scenarios run --help)'],
      [['scenarios', 'run', '--sandbox', 'nowhere'], 'perfectpay scenarios run: no such file or folder: nowhere (see perfectpay scenarios run --help)'],
      [['matrix', 'extra', '--sandbox'], 'perfectpay matrix: Unexpected argument: extra (see perfectpay matrix --help)'],
      [['mcp'], 'perfectpay mcp: give --sandbox or --base-url (one of them) (see perfectpay mcp --help)'],
      [['mcp', '--sandbox', '--base-url', 'http://127.0.0.1:9'], 'perfectpay mcp: give --sandbox or --base-url (one of them) (see perfectpay mcp --help)'],
      [['refunds'], 'perfectpay: unknown command "refunds" (see perfectpay --help)'],
      [['--bogus'], 'perfectpay: unknown option: --bogus (see perfectpay --help)'],
    ] as const) {
      const r = await perfectpay(bin, [...args], { cwd: work });
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.stderr, `${line}\n`, args.join(' '));
      assert.equal(r.stdout, '', args.join(' '));
    }
  });

  it('perfectpay sandbox: prints its URL and keys, GET /health answers without a key, SIGTERM stops it with exit 0', async () => {
    let health: Promise<unknown> | undefined;
    const r = await perfectpay(bin, ['sandbox', '--port', '0', '--quiet'], {
      onOutput: (out, child) => {
        const url = /PerfectPay sandbox listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(out)?.[1];
        if (!url || health || !/Ctrl\+C to stop\n/.test(out)) return;
        health = (async () => {
          const res = await fetch(`${url}/health`);
          const body = await res.json();
          child.kill('SIGTERM');
          return { status: res.status, body };
        })();
      },
    });
    assert.ok(health, `no URL printed: ${r.stdout} ${r.stderr}`);
    assert.deepEqual(await health, { status: 200, body: { status: 'ok' } });
    assert.equal(r.signal, null);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /api-key: snd_[A-Za-z0-9]{32} \(made for this run\)\n/);
    assert.match(r.stdout, /SIGTERM: stopping the sandbox\n/);
  });

  it('perfectpay scenarios run --sandbox: one line per step, a summary, JUnit XML with the failure\'s step, expected and actual; exit code 1', async () => {
    const r = await perfectpay(bin, ['scenarios', 'run', '--sandbox', 'scenarios/good.perfectpay.json', 'scenarios/bad.perfectpay.json', '--reporter', 'junit', '--output', 'reports/perfectpay.xml'], { cwd: work });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.equal(r.stderr, '');
    // As the Testing view's output shows them.
    assert.match(r.stdout, /^▶ two-part capture — Local sandbox \(http:\/\/127\.0\.0\.1:\d+, started for this run\)  \(scenarios\/good\.perfectpay\.json\)$/m);
    assert.match(r.stdout, /^  ✓ 3\. expect status = requires_capture, amount_capturable = 1000 \(\d+ ms\)  pay_\w+$/m);
    assert.match(r.stdout, /^✓ passed in \d+ ms$/m);
    assert.match(r.stdout, /^  ✗ 3\. expect status = succeeded \(\d+ ms\)  pay_\w+\n    Step 3\. expect status = succeeded: status expected "succeeded", got "failed" \(error_code card_declined: Your card was declined\.\)\.$/m);
    assert.match(r.stdout, /^✗ failed at step 3\. expect status = succeeded$/m);
    assert.match(r.stdout, /\n2 scenarios: 1 passed, 1 failed \(\d+\.\d s\)\nJUnit XML: reports\/perfectpay\.xml\n$/);
    assert.doesNotMatch(r.stdout, /4000000000000002|4242424242424242/, 'cards masked');

    const xml = fs.readFileSync(path.join(work, 'reports', 'perfectpay.xml'), 'utf8');
    assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="perfectpay" tests="2" failures="1" errors="0" skipped="0" time="[\d.]+">/);
    assert.equal(xml.match(/<testcase /g)?.length, 2);
    assert.equal(xml.match(/<failure /g)?.length, 1);
    const bad = /<testcase classname="scenarios\/bad\.perfectpay\.json" name="declined &lt;card&gt; &amp; &quot;quotes&quot;" time="[\d.]+">\n {6}<failure type="step 3\. expect status = succeeded" message="([^"]*)">([^<]*)<\/failure>/.exec(xml);
    assert.ok(bad, xml);
    assert.equal(bad[1], 'Step 3. expect status = succeeded: status expected &quot;succeeded&quot;, got &quot;failed&quot; (error_code card_declined: Your card was declined.).');
    assert.equal(bad[2], [
      'Step: 3. expect status = succeeded',
      'Step 3. expect status = succeeded: status expected "succeeded", got "failed" (error_code card_declined: Your card was declined.).',
      'Expected:', '{\n  "status": "succeeded"\n}',
      'Actual:', '{\n  "status": "failed"\n}',
    ].join('\n'));
    assert.match(xml, /<testcase classname="scenarios\/good\.perfectpay\.json" name="two-part capture" time="[\d.]+">\n {6}<system-out>/);
  });

  it('a file with mistakes: reported with its line, not run, counted in the exit code', async () => {
    fs.writeFileSync(path.join(work, 'wrong.perfectpay.json'), '{\n  "name": "wrong",\n  "steps": [\n    { "capture": { "amount_to_capture": "all" } }\n  ]\n}');
    try {
      const r = await perfectpay(bin, ['scenarios', 'run', '--sandbox', 'wrong.perfectpay.json'], { cwd: work });
      assert.equal(r.code, 1);
      assert.match(r.stdout, /^✗ wrong: not run, the file has a problem\n {4}wrong\.perfectpay\.json: line 4: steps\[0\]\.capture\.amount_to_capture: must be an integer/m);
      assert.match(r.stdout, /1 scenario: 0 passed, 0 failed, 1 not run/);
    } finally {
      fs.rmSync(path.join(work, 'wrong.perfectpay.json'));
    }
  });

  it('expect_webhook with --sandbox: the sandbox delivers to an inbox the run started; a wrong type fails naming what came', async () => {
    const steps = (type: string) => [{ create: { amount: 1000, currency: 'USD', confirm: true, card: '4242424242424242' } }, { expect_webhook: { event_type: type, fields: { status: 'succeeded' }, within_s: type === 'payment_succeeded' ? 10 : 1 } }];
    fs.writeFileSync(path.join(work, 'hook.perfectpay.json'), JSON.stringify({ name: 'hook', steps: steps('payment_succeeded') }));
    fs.writeFileSync(path.join(work, 'nohook.perfectpay.json'), JSON.stringify({ name: 'nohook', steps: steps('payment_failed') }));
    try {
      const ok = await perfectpay(bin, ['scenarios', 'run', '--sandbox', 'hook.perfectpay.json'], { cwd: work });
      assert.equal(ok.code, 0, ok.stdout + ok.stderr);
      assert.match(ok.stdout, /^ {2}✓ 2\. expect webhook payment_succeeded with status = succeeded \(\d+ ms\) {2}pay_/m);
      const bad = await perfectpay(bin, ['scenarios', 'run', '--sandbox', 'nohook.perfectpay.json'], { cwd: work });
      assert.equal(bad.code, 1);
      assert.match(bad.stdout, /^ {4}Step 2\. expect webhook payment_failed with status = succeeded: expected a payment_failed webhook about pay_\S+ within 1 s; received payment_succeeded\.$/m);
    } finally {
      fs.rmSync(path.join(work, 'hook.perfectpay.json'));
      fs.rmSync(path.join(work, 'nohook.perfectpay.json'));
    }
  });

  it('perfectpay matrix --sandbox: every row of the contract, a summary, the exit code the rows that differ', async () => {
    const r = await perfectpay(bin, ['matrix', '--sandbox'], { cwd: work });
    const m = /\n32 rows: (\d+) as documented, (\d+) differ, (\d+) not run \(\d+\.\d s\)\n$/.exec(r.stdout);
    assert.ok(m, r.stdout + r.stderr);
    assert.equal(r.code, Number(m[2]) + Number(m[3]));
    assert.match(r.stdout, /^▶ Visa •••• 4242 — Local sandbox \(http:\/\/127\.0\.0\.1:\d+, started for this run\)$/m);
    assert.equal(r.stdout.match(/^▶ /gm)?.length, 32);
    assert.doesNotMatch(r.stdout, /4242424242424242/);
  });

  it('a scenario for another environment: not run, saying how to choose one here', async () => {
    const key = 'sk_cli_env_0123456789abcdef';
    const sandbox = await startSandbox({ port: 0, apiKey: key });
    try {
      const r = await perfectpay(bin, ['scenarios', 'run', '--base-url', sandbox.url, '--environment', 'sandbox', 'scenarios/good.perfectpay.json'], { cwd: work, env: { PERFECTPAY_API_KEY: key } });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /^✗ Not run: this scenario says "environment": "local", and the current environment is PerfectPay sandbox \(http:\/\/127\.0\.0\.1:\d+\)\. Run it with --sandbox, or say what --base-url is with --environment\.$/m);
      assert.match(r.stdout, /1 scenario: 0 passed, 0 failed, 1 not run/);
      assert.equal(sandbox.paymentCount(), 0, 'nothing sent');
    } finally {
      await sandbox.close();
    }
  });

  it('--base-url with the key from PERFECTPAY_API_KEY: a folder searched, the key never printed', async () => {
    const key = 'sk_cli_secret_0123456789abcdef';
    const sandbox = await startSandbox({ port: 0, apiKey: key });
    try {
      const r = await perfectpay(bin, ['scenarios', 'run', '--base-url', sandbox.url, 'scenarios'], { cwd: work, env: { PERFECTPAY_API_KEY: key } });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /— Local sandbox \(http:\/\/127\.0\.0\.1:\d+\)  \(scenarios\/bad\.perfectpay\.json\)/);
      assert.match(r.stdout, /2 scenarios: 1 passed, 1 failed/);
      assert.doesNotMatch(r.stdout + r.stderr, new RegExp(key));
    } finally {
      await sandbox.close();
    }
  });
});

describe('perfectpay CLI: the list of commands', () => {
  it('perfectpay mcp, listed lazily, has mcp.ts\'s own name and summary', () => {
    assert.deepEqual([lazyMcpCommand.name, lazyMcpCommand.summary], [mcpCommand.name, mcpCommand.summary]);
  });
});

describe('perfectpay CLI: JUnit XML', () => {
  it('escapes what XML reads as markup, and replaces what XML 1.0 cannot hold', () => {
    assert.equal(xmlEscape('a<b>&"c\'\n', true), 'a&lt;b&gt;&amp;&quot;c&apos;&#10;');
    assert.equal(xmlEscape('x\u0000y\u001bz\uFFFE'), 'x\uFFFDy\uFFFDz\uFFFD');
    assert.equal(xmlEscape('😀 é'), '😀 é');
    const xml = junitXml('s]]>', [{ name: 'n', classname: 'c', problems: ['line 1: bad <thing>'], output: ']]>' }], new Date(0), 0);
    assert.match(xml, /<testsuite name="s\]\]&gt;" tests="1" failures="0" errors="1" skipped="0" time="0\.000" timestamp="1970-01-01T00:00:00">/);
    assert.match(xml, /<error type="invalid scenario file" message="The scenario file has a problem: line 1: bad &lt;thing&gt;">line 1: bad &lt;thing&gt;<\/error>/);
    assert.match(xml, /<system-out>\]\]&gt;<\/system-out>/);
  });
});

describe('perfectpay CLI: stopped by a signal', function () {
  this.timeout(60_000);
  it('Ctrl+C during a run: the step in flight cancelled, the sandbox stopped, exit code 130', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perfectpay-cli-sigint-'));
    try {
      // A wait that would last a minute: the payment is never confirmed.
      fs.writeFileSync(path.join(dir, 'slow.perfectpay.json'), JSON.stringify({ name: 'slow', steps: [{ create: { amount: 100, currency: 'USD' } }, { wait: { status: 'succeeded', timeout_s: 60 } }] }));
      const started = performance.now();
      let sent = false;
      const r = await perfectpay(process.execPath, [path.join(ROOT, 'dist', 'perfectpay.js'), 'scenarios', 'run', '--sandbox', '.'], {
        cwd: dir,
        onOutput: (out, child) => {
          if (sent || !/^Running 1 scenario on /m.test(out)) return;
          sent = true;
          child.kill('SIGINT');
        },
      });
      assert.equal(r.code, 130, r.stdout + r.stderr);
      assert.match(r.stdout, /^– cancelled$/m);
      assert.match(r.stdout, /1 scenario: 0 passed, 0 failed, 1 not run/);
      assert.equal(r.stderr, 'SIGINT: the run was stopped\n');
      assert.ok(performance.now() - started < 30_000, 'it did not wait for the minute');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

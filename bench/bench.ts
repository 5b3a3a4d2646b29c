/**
 * `npm run bench`: prints figures, measured side by side in one run on this machine. Not a test:
 * nothing here passes or fails; the targets are in the README.
 *
 *  1. the sandbox's requests per second (retrieve; create+confirm) against a bare node:http server
 *     answering the same JSON, each in its own process; creates at 1, 50 and 500 in flight (one
 *     connection each: a user's test suite running in parallel);
 *  2. the client's time per request against a bare `undici.request` to the same URL;
 *  3. the time to page through 10,000 payments (one request per page of 100), and the time of a
 *     filtered page (POST /payments/list, status + amount) against an unfiltered one (GET);
 *  4. the extension's start-up: loading dist/extension.js and running activate() in fresh processes
 *     (bench/startup.ts); the figures the extension-host suite measured in real VS Code (activate(),
 *     the inspector's first paint) read from test-results/; bundle sizes;
 *  5. memory: the sandbox process with 10,000 payments, and this process after paging them;
 *  6. payment ids as links: scanning a 1 MB log, hover latency warm and cold (bench/links.ts).
 *  7. scenarios (bench/scenarios.ts): the test-card matrix's run time, a scenario step's overhead.
 *  8. a refund's round trip (POST /refunds through the client) against a capture's, side by side.
 *  9. a request through a forward proxy on loopback (http.proxy; test/testProxy.ts) against the same
 *     request direct.
 * 10. agent tools (bench/agents.ts): loading dist/agentRuntime.js, a tool's own work over its requests.
 * 11. the perfectpay CLI (bench/cli.ts): start to the sandbox's first answer; the matrix's wall time
 *     against the Testing view's (measured by the extension-host suite).
 * 12. webhooks: the create+confirm answer time with deliveries on against off (target ≤ 1.1×), and
 *     deliveries per second to a local receiver (each server in its own process).
 */
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Agent, request } from 'undici';
import { PerfectPayClient, type Payment } from '../src/api';
import { benchCli } from './cli';
import { startTestProxy } from '../test/testProxy';
import { benchLinks } from './links';
import { benchAgents } from './agents';
import { benchScenarios } from './scenarios';

const ROOT = path.resolve(__dirname, '..', '..');
const KEY = 'sk_bench';

interface Child {
  proc: ChildProcess;
  url: string;
  info: Record<string, number>;
}

function startChild(...args: string[]): Promise<Child> {
  return new Promise((resolve, reject) => {
    const proc = fork(path.join(__dirname, 'serverChild.js'), args, { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    proc.once('message', (m: { url: string } & Record<string, number>) => resolve({ proc, url: m.url, info: m }));
    proc.once('error', reject);
    proc.once('exit', (code) => reject(new Error(`server child exited with ${code}`)));
  });
}

function ask(child: Child, what: string): Promise<Record<string, number>> {
  return new Promise((resolve) => {
    child.proc.once('message', (m: Record<string, number>) => resolve(m));
    child.proc.send(what);
  });
}

function stop(child: Child): void {
  child.proc.removeAllListeners('exit');
  child.proc.send('exit');
}

/** Sends `total` requests, `concurrency` at a time, over keep-alive; answers per second. */
async function load(url: string, total: number, concurrency: number, make: (i: number) => { path: string; method: 'GET' | 'POST'; body?: string }): Promise<number> {
  const u = new URL(url);
  const agent = new Agent({ connections: concurrency, keepAliveTimeout: 10_000 });
  let next = 0;
  let failures = 0;
  const worker = async (): Promise<void> => {
    while (next < total) {
      const i = next++;
      const r = make(i);
      const res = await agent.request({
        origin: u.origin,
        path: r.path,
        method: r.method,
        headers: { 'api-key': KEY, 'content-type': 'application/json' },
        body: r.body,
      });
      await res.body.text();
      if (res.statusCode >= 400) failures++;
    }
  };
  // Warm up the connections and the JIT.
  const warm = total;
  next = 0;
  await Promise.all(Array.from({ length: concurrency }, worker));
  next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const secs = (performance.now() - t0) / 1000;
  await agent.close();
  if (failures) console.log(`    (${failures} error answers of ${warm * 2})`);
  return total / secs;
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

async function benchServers(): Promise<void> {
  console.log('\n1. Server throughput (requests/s, 16 connections unless told, server in its own process)');
  const sandbox = await startChild('sandbox', '0');
  const client = new PerfectPayClient({ baseUrl: sandbox.url, apiKey: KEY });
  const sample = await client.createPayment({ amount: 4999, currency: 'USD', capture_method: 'automatic' });
  const confirmed = await client.createPayment({
    amount: 4999, currency: 'USD', confirm: true, payment_method: 'card', payment_method_type: 'credit',
    payment_method_data: { card: { card_number: '4242424242424242', card_exp_month: '12', card_exp_year: '39', card_cvc: '123' } },
  });
  await client.close();
  const bare = await startChild('bare', JSON.stringify(confirmed));
  const N = 6000;
  const cardBody = JSON.stringify({
    amount: 4999, currency: 'USD', confirm: true, payment_method: 'card', payment_method_type: 'credit',
    payment_method_data: { card: { card_number: '4242424242424242', card_exp_month: '12', card_exp_year: '39', card_cvc: '123' } },
  });
  const retrieve = (): { path: string; method: 'GET' } => ({ path: `/payments/${sample.payment_id}`, method: 'GET' });
  const createConfirm = (): { path: string; method: 'POST'; body: string } => ({ path: '/payments', method: 'POST', body: cardBody });
  const sRetrieve = await load(sandbox.url, N, 16, retrieve);
  const bRetrieve = await load(bare.url, N, 16, retrieve);
  const sCreate = await load(sandbox.url, N, 16, createConfirm);
  const bCreate = await load(bare.url, N, 16, createConfirm);
  console.log(`   retrieve        sandbox ${fmt(sRetrieve)}/s   bare node:http ${fmt(bRetrieve)}/s   ratio ${fmt(sRetrieve / bRetrieve, 2)}`);
  console.log(`   create+confirm  sandbox ${fmt(sCreate)}/s   bare node:http ${fmt(bCreate)}/s   ratio ${fmt(sCreate / bCreate, 2)}`);
  // A user's suite creating in parallel: as many connections as requests in flight.
  const create = (): { path: string; method: 'POST'; body: string } => ({ path: '/payments', method: 'POST', body: '{"amount":4999,"currency":"USD"}' });
  for (const inFlight of [1, 50, 500]) {
    const total = 2000;
    const sRate = await load(sandbox.url, total, inFlight, create);
    const bRate = await load(bare.url, total, inFlight, create);
    console.log(`   create, ${String(inFlight).padStart(3)} in flight  sandbox ${fmt(sRate)}/s   bare node:http ${fmt(bRate)}/s   ratio ${fmt(sRate / bRate, 2)}`);
  }
  stop(sandbox);
  stop(bare);
}

async function benchClient(): Promise<void> {
  console.log('\n2. Client time per request (sequential retrieves, same keep-alive settings)');
  const sandbox = await startChild('sandbox', '0');
  const client = new PerfectPayClient({ baseUrl: sandbox.url, apiKey: KEY });
  const p = await client.createPayment({ amount: 4999, currency: 'USD' });
  const u = new URL(sandbox.url);
  const agent = new Agent({ keepAliveTimeout: 10_000 });
  const N = 3000;
  const bare = async (): Promise<void> => {
    const res = await request(`${u.origin}/payments/${p.payment_id}`, { dispatcher: agent, headers: { 'api-key': KEY } });
    JSON.parse(await res.body.text());
  };
  const ours = async (): Promise<Payment> => client.retrievePayment(p.payment_id);
  // Interleave rounds so that drift on the machine hits both alike.
  let tBare = 0;
  let tOurs = 0;
  for (let round = 0; round < 2; round++) {
    let t0 = performance.now();
    for (let i = 0; i < N; i++) await bare();
    if (round) tBare += performance.now() - t0;
    t0 = performance.now();
    for (let i = 0; i < N; i++) await ours();
    if (round) tOurs += performance.now() - t0;
  }
  const perBare = (tBare / N) * 1000;
  const perOurs = (tOurs / N) * 1000;
  console.log(`   PerfectPayClient ${fmt(perOurs)} µs   bare undici.request ${fmt(perBare)} µs   ratio ${fmt(perOurs / perBare, 2)} (validation, redaction, events included)`);
  await client.close();
  await agent.close();
  stop(sandbox);
}

async function benchPaging(): Promise<void> {
  console.log('\n3. Paging through 10,000 payments (limit 100, one request per page)');
  const sandbox = await startChild('sandbox', '10000');
  console.log(`   sandbox seeded 10,000 payments in ${fmt(sandbox.info.seedMs ?? 0)} ms`);
  let requests = 0;
  const client = new PerfectPayClient({ baseUrl: sandbox.url, apiKey: KEY, onEvent: () => requests++ });
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  let n = 0;
  for await (const _p of client.listAllPayments({ limit: 100 })) n++;
  const ms = performance.now() - t0;
  console.log(`   ${fmt(n)} payments in ${fmt(ms)} ms over ${requests} requests (${fmt(ms / requests, 1)} ms a page)`);
  await benchFiltering(sandbox.url);
  const mem = await ask(sandbox, 'memory');
  console.log('\n5. Memory');
  console.log(`   sandbox process holding 10,000 payments: rss ${fmt(mem.rssMb ?? 0)} MB, heap ${fmt(mem.heapMb ?? 0)} MB`);
  console.log(`   this process after paging them: heap grew ${fmt((process.memoryUsage().heapUsed - heap0) / 2 ** 20, 1)} MB (pages are not kept)`);
  await client.close();
  stop(sandbox);
}

/**
 * List filtering over the 10,000 payments: a page of POST /payments/list with a status and amount
 * filter (every payment is looked at, and the matches counted for total_count) against a page of
 * GET /payments/list (a binary search, then the page), both of 100, sequential, same keep-alive.
 */
async function benchFiltering(url: string): Promise<void> {
  const u = new URL(url);
  const agent = new Agent({ keepAliveTimeout: 10_000 });
  const headers = { 'api-key': KEY, 'content-type': 'application/json' };
  const filter = JSON.stringify({ status: ['succeeded', 'requires_capture'], amount_filter: { start_amount: 1_000, end_amount: 20_000 }, limit: 100 });
  const unfiltered = async (): Promise<number> => {
    const res = await request(`${u.origin}/payments/list?limit=100`, { dispatcher: agent, headers });
    return (JSON.parse(await res.body.text()) as { size: number }).size;
  };
  let total = 0;
  const filtered = async (): Promise<number> => {
    const res = await request(`${u.origin}/payments/list`, { dispatcher: agent, method: 'POST', headers, body: filter });
    const page = JSON.parse(await res.body.text()) as { count: number; total_count: number };
    total = page.total_count;
    return page.count;
  };
  const N = 40;
  const time = async (f: () => Promise<number>): Promise<number> => {
    for (let i = 0; i < 5; i++) await f(); // warm up
    const t0 = performance.now();
    for (let i = 0; i < N; i++) await f();
    return (performance.now() - t0) / N;
  };
  // Interleaved, so that drift on the machine hits both alike.
  let tPlain = 0;
  let tFiltered = 0;
  for (let round = 0; round < 2; round++) {
    tPlain += await time(unfiltered);
    tFiltered += await time(filtered);
  }
  tPlain /= 2;
  tFiltered /= 2;
  console.log(
    `   list filtering over 10,000 payments: filtered page (POST, status + amount, ${fmt(total)} matches counted) ${fmt(tFiltered, 1)} ms, ` +
      `unfiltered page (GET) ${fmt(tPlain, 1)} ms, ratio ${fmt(tFiltered / tPlain, 2)}`,
  );
  await agent.close();
}

/** Runs bench/startup.js in a fresh process (a cold start, as VS Code's is): its figures. */
function startupOnce(): { loadMs: number; activateMs: number; runtimeLoaded: boolean } | undefined {
  const r = spawnSync(process.execPath, [path.join(__dirname, 'startup.js'), ROOT], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.log(`   start-up run failed: ${(r.stderr || r.stdout).trim().split('\n')[0]}`);
    return undefined;
  }
  return JSON.parse(r.stdout);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function benchStartup(): Promise<void> {
  console.log('\n4. Start-up and bundle');
  if (!fs.existsSync(path.join(ROOT, 'dist', 'extension.js'))) {
    console.log('   dist/extension.js is missing: run `npm run build:release` first');
    return;
  }
  const runs = Array.from({ length: 9 }, startupOnce).filter((r) => r !== undefined);
  if (runs.length) {
    const load = runs.map((r) => r.loadMs);
    const act = runs.map((r) => r.activateMs);
    console.log(
      `   cold start, ${runs.length} fresh processes: load dist/extension.js median ${fmt(median(load), 1)} ms (min ${fmt(Math.min(...load), 1)}), ` +
        `activate() median ${fmt(median(act), 1)} ms (min ${fmt(Math.min(...act), 1)}); target < 20 ms`,
    );
    console.log(`   runtime (client + sandbox) loaded by activate(): ${runs.some((r) => r.runtimeLoaded) ? 'YES (it should not be)' : 'no'}`);
  }
  const real = path.join(ROOT, 'test-results', 'activation.json');
  if (fs.existsSync(real)) {
    const r = JSON.parse(fs.readFileSync(real, 'utf8')) as { activateMs?: number; at?: string };
    if (r.activateMs !== undefined) console.log(`   activate() inside real VS Code (extension-host suite, ${r.at ?? 'last run'}): ${fmt(r.activateMs, 1)} ms`);
  }
  const paintFile = path.join(ROOT, 'test-results', 'first-paint.json');
  if (fs.existsSync(paintFile)) {
    const r = JSON.parse(fs.readFileSync(paintFile, 'utf8')) as { at?: string; paints?: { ms: number; webviewMs: number }[] };
    const ms = (r.paints ?? []).map((p) => p.ms);
    const doc = (r.paints ?? []).map((p) => p.webviewMs);
    if (ms.length) {
      console.log(
        `   "Inspect Payment" to the inspector's first paint, real VS Code (${ms.length} panels, ${r.at ?? 'last run'}): ` +
          `median ${fmt(median(ms))} ms (min ${fmt(Math.min(...ms))}), of which the webview document's own load to paint median ${fmt(median(doc))} ms`,
      );
    }
  }
  const budgets: Record<string, number> = { 'extension.js': 220, 'runtime.js': 520, 'scenarioRuntime.js': 80, 'agentRuntime.js': 80 };
  for (const f of ['extension.js', 'runtime.js', 'scenarioRuntime.js', 'agentRuntime.js', 'sandbox-cli.js', 'perfectpay.js', 'webview.js', 'webview-toolkit.js']) {
    const p = path.join(ROOT, 'dist', f);
    if (!fs.existsSync(p)) continue;
    const kb = fs.statSync(p).size / 1024;
    const budget = budgets[f] ? ` (budget ≤ ${budgets[f]} KB minified)` : '';
    console.log(`   dist/${f.padEnd(15)} ${fmt(kb, 1).padStart(8)} KB${budget}`);
  }
}

async function benchRefunds(): Promise<void> {
  console.log('\n8. Refund against capture (client round trip, sequential, each on its own payment)');
  const sandbox = await startChild('sandbox', '0');
  const client = new PerfectPayClient({ baseUrl: sandbox.url, apiKey: KEY });
  const card = { payment_method: 'card', payment_method_type: 'credit', payment_method_data: { card: { card_number: '4242424242424242', card_exp_month: '12', card_exp_year: '39', card_cvc: '123' } } };
  const N = 300;
  const make = (capture_method: 'manual' | 'automatic') =>
    Promise.all(Array.from({ length: N }, () => client.createPayment({ amount: 4999, currency: 'USD', capture_method, confirm: true, ...card })));
  const authorised = await make('manual');
  const paid = await make('automatic');
  // Interleaved halves, so that drift on the machine hits both alike.
  let tCapture = 0;
  let tRefund = 0;
  for (let half = 0; half < 2; half++) {
    const from = half * (N / 2);
    let t0 = performance.now();
    for (let i = from; i < from + N / 2; i++) await client.capturePayment(authorised[i]!.payment_id, { amount_to_capture: 4999 }, { before: authorised[i]! });
    tCapture += performance.now() - t0;
    t0 = performance.now();
    for (let i = from; i < from + N / 2; i++) await client.createRefund({ payment_id: paid[i]!.payment_id, amount: 4999 });
    tRefund += performance.now() - t0;
  }
  const perCapture = (tCapture / N) * 1000;
  const perRefund = (tRefund / N) * 1000;
  console.log(`   refund ${fmt(perRefund)} µs   capture ${fmt(perCapture)} µs   ratio ${fmt(perRefund / perCapture, 2)} (${N} of each)`);
  await client.close();
  stop(sandbox);
}

async function benchWebhooks(): Promise<void> {
  console.log('\n12. Webhooks (create+confirm through the client, sequential; receiver in its own process)');
  const receiver = await startChild('receiver');
  const off = await startChild('sandbox', '0');
  const on = await startChild('sandbox', '0', receiver.url);
  const card = { payment_method: 'card', payment_method_type: 'credit', payment_method_data: { card: { card_number: '4242424242424242', card_exp_month: '12', card_exp_year: '39', card_cvc: '123' } } };
  const clients = { off: new PerfectPayClient({ baseUrl: off.url, apiKey: KEY }), on: new PerfectPayClient({ baseUrl: on.url, apiKey: KEY }) };
  const N = 800;
  const run = async (c: PerfectPayClient, n: number) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await c.createPayment({ amount: 4999, currency: 'USD', confirm: true, ...card });
    return performance.now() - t0;
  };
  await run(clients.off, 50);
  await run(clients.on, 50);
  // Interleaved sixteenths, so that drift on the machine (other processes) hits both alike.
  let tOff = 0;
  let tOn = 0;
  for (let q = 0; q < 16; q++) {
    tOff += await run(clients.off, N / 16);
    tOn += await run(clients.on, N / 16);
  }
  const perOff = (tOff / N) * 1000;
  const perOn = (tOn / N) * 1000;
  // The answer time a client sees: one create+confirm every 15 ms (about 65 a second, far above what a
  // person or a test suite sends), each timed alone; medians. The delivery of one payment's event goes
  // out between requests, as on any sandbox that is not saturated.
  const paced = async (c: PerfectPayClient, n: number): Promise<number[]> => {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const next = performance.now() + 15;
      const t0 = performance.now();
      await c.createPayment({ amount: 4999, currency: 'USD', confirm: true, ...card });
      times.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
    }
    return times;
  };
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const pacedOff: number[] = [];
  const pacedOn: number[] = [];
  for (let q = 0; q < 4; q++) {
    pacedOff.push(...(await paced(clients.off, 60)));
    pacedOn.push(...(await paced(clients.on, 60)));
  }
  const mOn = median(pacedOn) * 1000;
  const mOff = median(pacedOff) * 1000;
  console.log(`   create+confirm answer time, one every 15 ms (median of ${pacedOn.length}):  deliveries on ${fmt(mOn)} µs   off ${fmt(mOff)} µs   ratio ${fmt(mOn / mOff, 2)} (target ≤ 1.10)`);
  console.log(`   create+confirm back to back (saturated, ${N} each; throughput, not an answer time):  deliveries on ${fmt(perOn)} µs   off ${fmt(perOff)} µs   ratio ${fmt(perOn / perOff, 2)}`);
  // Deliveries per second: a burst of creates, 16 at a time; the time until the receiver has them all.
  const base = await waitDelivered(receiver, N + 50);
  const M = 1000;
  const t0 = performance.now();
  // load() sends its total twice (a warm-up, then the measured run): 2 × M events.
  await load(on.url, M, 16, () => ({ path: '/payments', method: 'POST', body: JSON.stringify({ amount: 100, currency: 'USD', confirm: true, ...card }) }));
  const got = await waitDelivered(receiver, base + 2 * M);
  const ms = performance.now() - t0;
  const delivered = got - base;
  console.log(`   ${fmt(delivered)} of ${fmt(2 * M)} deliveries in ${fmt(ms)} ms: ${fmt((delivered / ms) * 1000)} deliveries/s to a local receiver (creates sent 16 at a time meanwhile${delivered < 2 * M ? `; ${fmt(2 * M - delivered)} dropped by the bounded queue` : ''})`);
  await clients.off.close();
  await clients.on.close();
  stop(off);
  stop(on);
  stop(receiver);
}

/** Waits until the receiver has `target` deliveries, or until its count stops growing for a second; answers the count. */
async function waitDelivered(receiver: Child, target: number): Promise<number> {
  let last = -1;
  let still = performance.now();
  for (;;) {
    const count = (await ask(receiver, 'count')).count ?? 0;
    if (count >= target) return count;
    if (count !== last) {
      last = count;
      still = performance.now();
    } else if (performance.now() - still > 1000) {
      return count;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function benchProxy(): Promise<void> {
  console.log('\n9. A request through a proxy against direct (sequential retrieves, plain http, proxy on loopback)');
  const sandbox = await startChild('sandbox', '0');
  const port = new URL(sandbox.url).port;
  const proxy = await startTestProxy(['perfectpay-hosted.test']);
  const direct = new PerfectPayClient({ baseUrl: sandbox.url, apiKey: KEY });
  const viaProxy = new PerfectPayClient({ baseUrl: `http://perfectpay-hosted.test:${port}`, apiKey: KEY, network: { proxy: proxy.url, env: {}, systemCertificates: false } });
  const p = await direct.createPayment({ amount: 4999, currency: 'USD' });
  const N = 1000;
  let tDirect = 0;
  let tProxy = 0;
  for (let round = 0; round < 2; round++) {
    let t0 = performance.now();
    for (let i = 0; i < N; i++) await direct.retrievePayment(p.payment_id);
    if (round) tDirect += performance.now() - t0;
    t0 = performance.now();
    for (let i = 0; i < N; i++) await viaProxy.retrievePayment(p.payment_id);
    if (round) tProxy += performance.now() - t0;
  }
  const perDirect = (tDirect / N) * 1000;
  const perProxy = (tProxy / N) * 1000;
  console.log(`   through the proxy ${fmt(perProxy)} µs   direct ${fmt(perDirect)} µs   ratio ${fmt(perProxy / perDirect, 2)} (${proxy.carried.length} requests carried)`);
  await Promise.all([direct.close(), viaProxy.close()]);
  await proxy.close();
  stop(sandbox);
}

async function benchScenarioRuns(): Promise<void> {
  const sandbox = await startChild('sandbox', '0');
  await benchScenarios(sandbox.url, KEY);
  stop(sandbox);
}

async function benchAgentTools(): Promise<void> {
  const sandbox = await startChild('sandbox', '0');
  await benchAgents(ROOT, sandbox.url, KEY);
  stop(sandbox);
}

async function main(): Promise<void> {
  console.log(`PerfectPay Explorer benchmark — node ${process.version}, ${require('node:os').cpus().length} cores, ${new Date().toISOString()}`);
  // `node out/bench/bench.js refunds`: section 8 alone (quick).
  if (process.argv[2] === 'refunds') {
    await benchRefunds();
    process.exit(0);
  }
  // `node out/bench/bench.js proxy`: section 9 alone.
  if (process.argv[2] === 'proxy') {
    await benchProxy();
    process.exit(0);
  }
  // `node out/bench/bench.js agents`: section 10 alone (quick).
  if (process.argv[2] === 'agents') {
    await benchAgentTools();
    process.exit(0);
  }
  // `node out/bench/bench.js cli`: section 11 alone.
  if (process.argv[2] === 'cli') {
    await benchCli();
    process.exit(0);
  }
  // `node out/bench/bench.js webhooks`: section 12 alone (quick).
  if (process.argv[2] === 'webhooks') {
    await benchWebhooks();
    process.exit(0);
  }
  await benchStartup();
  await benchServers();
  await benchClient();
  await benchPaging();
  await benchLinks();
  await benchScenarioRuns();
  await benchRefunds();
  await benchProxy();
  await benchAgentTools();
  await benchCli();
  await benchWebhooks();
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

/**
 * `npm run bench`, section 6: payment ids as links and hovers.
 *
 *  - scanning a 1 MB log file (written to a temporary file and read back, as VS Code would hold it)
 *    for payment ids: the scan alone, and with every match turned into a line/column range (what the
 *    DocumentLinkProvider does with `document.positionAt`); target < 50 ms;
 *  - hover latency against the local sandbox (in this process, as it runs inside VS Code's extension
 *    host): warm (the answer is in the cache: the card is built from it) and cold (one GET of a
 *    payment never seen, then the card). In VS Code a cold hover also waits for its debounce
 *    (HOVER_TIMINGS.debounceMs) before sending;
 *  - the same two measured inside real VS Code by the extension-host suite (test-results/links.json),
 *    when it has run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PerfectPayClient, type Payment } from '../src/api';
import { HOVER_TIMINGS, hoverCardMarkdown } from '../src/model/hoverCard';
import { findPaymentIds, MAX_SCANNED_CHARS } from '../src/model/paymentIds';
import { startSandbox } from '../src/sandbox';

const ROOT = path.resolve(__dirname, '..', '..');
const KEY = 'sk_bench_links';

const fmt = (n: number, digits = 1): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

/** A request log of ~1 MB: timestamps, routes with ids, client secrets, card-like noise. */
function writeLog(file: string): { ids: number } {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const id = (): string => {
    let s = 'pay_';
    for (let i = 0; i < 26; i++) s += alphabet[Math.floor(Math.random() * alphabet.length)];
    return s;
  };
  const lines: string[] = [];
  let size = 0;
  let ids = 0;
  for (let i = 0; size < MAX_SCANNED_CHARS - 200; i++) {
    const p = id();
    const kind = i % 4;
    const line =
      kind === 0 ? `2026-11-24 15:04:${String(i % 60).padStart(2, '0')}.${String(i % 1000).padStart(3, '0')} [info] POST /payments/${p}/capture → 200 in 14 ms`
      : kind === 1 ? `2026-11-24 15:04:05.000 [debug]   response body: {"payment_id":"${p}","client_secret":"${p}_secret_ZqgE3d2x8a2vnwUf3mfg","status":"succeeded"}`
      : kind === 2 ? `2026-11-24 15:04:05.000 [warn] GET /payments/list?limit=25 → 429 in 3 ms RE_04: Too many requests (trace ${i.toString(36)})`
      : `    at processPayment (/srv/app/payments.ts:${i % 500}:17) payment=${p} order=ord_${i}`;
    ids += kind === 0 || kind === 1 || kind === 3 ? 1 : 0;
    lines.push(line);
    size += line.length + 1;
  }
  fs.writeFileSync(file, lines.join('\n'));
  return { ids };
}

/** Offsets to {line, character}, as TextDocument.positionAt does (line starts + binary search). */
function positions(text: string, offsets: number[]): Array<{ line: number; character: number }> {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return offsets.map((o) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - starts[lo]! };
  });
}

function benchScan(): void {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'perfectpay-links-')), 'requests.log');
  const { ids } = writeLog(file);
  const text = fs.readFileSync(file, 'utf8');
  const scan: number[] = [];
  const links: number[] = [];
  let found = 0;
  // The first run is the one a person meets after start-up (nothing compiled yet): shown apart.
  const t = performance.now();
  positions(text, findPaymentIds(text).flatMap((x) => [x.start, x.end]));
  const first = performance.now() - t;
  for (let run = 0; run < 25; run++) {
    let t0 = performance.now();
    const f = findPaymentIds(text);
    scan.push(performance.now() - t0);
    t0 = performance.now();
    const f2 = findPaymentIds(text);
    positions(text, f2.flatMap((x) => [x.start, x.end]));
    links.push(performance.now() - t0);
    found = f.length;
  }
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  console.log(`   1 MB log (${fmt(text.length / 1024, 0)} KB, ${ids} ids + as many client secrets, which are not links): ${found} links`);
  console.log(`   scan: median ${fmt(quantile(scan, 0.5))} ms, p95 ${fmt(quantile(scan, 0.95))} ms; scan + line/column ranges: median ${fmt(quantile(links, 0.5))} ms, p95 ${fmt(quantile(links, 0.95))} ms; the very first run (cold JIT) ${fmt(first)} ms (target < 50 ms)`);
}

async function benchHover(): Promise<void> {
  const sandbox = await startSandbox({ port: 0, apiKey: KEY, seed: 0 });
  const client = new PerfectPayClient({ baseUrl: sandbox.url, apiKey: KEY });
  const maker = new PerfectPayClient({ baseUrl: sandbox.url, apiKey: KEY });
  const N = 200;
  const ids: string[] = [];
  for (let i = 0; i < N; i++) ids.push((await maker.createPayment({ amount: 1000 + i, currency: 'USD', customer_id: `cus_${i}` })).payment_id);
  const cache = new Map<string, Payment>();
  const card = (p: Payment): string => hoverCardMarkdown({ id: p.payment_id, state: { kind: 'found', payment: p }, environmentLabel: 'Local sandbox', icon: 'clock', now: Date.now() });
  await client.retrievePayment(ids[0]!); // the connection and the JIT, as after the first hover of a session
  const cold: number[] = [];
  for (const id of ids) {
    const t0 = performance.now();
    const p = await client.retrievePayment(id);
    cache.set(id, p);
    card(p);
    cold.push(performance.now() - t0);
  }
  const warm: number[] = [];
  for (let round = 0; round < 5; round++) {
    for (const id of ids) {
      const t0 = performance.now();
      card(cache.get(id)!);
      warm.push(performance.now() - t0);
    }
  }
  console.log(`   hover, warm (answer cached < 30 s: no request): median ${fmt(quantile(warm, 0.5) * 1000, 0)} µs, p95 ${fmt(quantile(warm, 0.95) * 1000, 0)} µs (${warm.length} cards)`);
  console.log(`   hover, cold (one GET to the local sandbox + the card): median ${fmt(quantile(cold, 0.5))} ms, p95 ${fmt(quantile(cold, 0.95))} ms (${cold.length} payments never seen)`);
  await client.close();
  await maker.close();
  await sandbox.close();
}

function realVsCode(): void {
  const f = path.join(ROOT, 'test-results', 'links.json');
  if (!fs.existsSync(f)) {
    console.log('   (run the extension-host suite for the same inside real VS Code: test-results/links.json)');
    return;
  }
  type Times = { warmMs?: number[]; coldMs?: number[] };
  const r = JSON.parse(fs.readFileSync(f, 'utf8')) as {
    at?: string;
    provider?: Times;
    executeHoverProvider?: Times;
    linksOneMb?: { firstMs: number; againMs: number; count: number; providerMs?: number[] };
  };
  const show = (xs: number[] | undefined): string => (xs?.length ? `median ${fmt(quantile(xs, 0.5))} ms (${xs.length})` : '—');
  console.log(`   inside real VS Code (extension-host suite, ${r.at ?? 'last run'}):`);
  console.log(`     our hover provider against the local sandbox: warm ${show(r.provider?.warmMs)}, cold ${show(r.provider?.coldMs)} (cold = ${HOVER_TIMINGS.debounceMs} ms debounce + GET + card)`);
  console.log(`     vscode.executeHoverProvider (workbench round trip, every provider): warm ${show(r.executeHoverProvider?.warmMs)}, cold ${show(r.executeHoverProvider?.coldMs)}`);
  if (r.linksOneMb) {
    console.log(`     a 1 MB log's links: our DocumentLinkProvider ${show(r.linksOneMb.providerMs)}; through vscode.executeLinkProvider (there and back through the workbench) ${fmt(r.linksOneMb.firstMs, 0)} ms the first time, ${fmt(r.linksOneMb.againMs, 0)} ms again (${r.linksOneMb.count} links)`);
  }
}

export async function benchLinks(): Promise<void> {
  console.log(`\n6. Payment ids as links and hovers (load average ${os.loadavg().map((x) => fmt(x)).join(' ')} on ${os.cpus().length} cores)`);
  benchScan();
  await benchHover();
  realVsCode();
}

if (require.main === module) {
  benchLinks().then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}

/**
 * `npm run bench:ui` (and the end of `npm run bench`): PerfectPay Explorer as users get it — the release
 * build packed into its .vsix and installed with `--install-extension` — timed in real VS Code (code-server
 * 1.100.3 in headless Chromium) side by side with the minimal probe extension of test/probe (one static
 * tree of 10 rows in its own activity-bar container, one webview panel per row whose inline script draws a
 * line of text), both in ONE code-server and the same extension host. Not a test: it prints figures.
 *
 * Each round is a fresh window (a new browser context: no restored views or editors):
 *  (b) the view's first page: activity-bar click until 10 rows are drawn, PerfectPay's against the probe's
 *      static tree (which goes first alternates between rounds); PerfectPay's includes its activation and
 *      the local sandbox's start;
 *  (a) a panel opened from a tree row click until its text is drawn in the webview's frame (the probe's
 *      `#probe-text`, the inspector's `.payment-id`): after two throwaway probe panels (a window's first
 *      webviews are slow whichever extension opens them), the first inspector of the window against the
 *      next probe panel, then later opens alternating probe and PerfectPay.
 * Medians over rounds (first opens, first pages) and over every later open, and the ratios.
 * In the first round, before PerfectPay's view is opened, the extension host's log must show that it is not
 * activated: a window that never opens PerfectPay pays nothing for it.
 *
 * How the times are taken, in the page, not through Playwright's round trips: an init script records the
 * main frame's pointerdown (performance.timeOrigin + now()); for the tree, an animation-frame loop started at
 * that pointerdown sees the rows in the DOM (the frame they are painted in); in every webview document a 5 ms
 * timer (started at the frame's creation: timers survive the document VS Code writes into it, animation-frame
 * callbacks do not) sees the text, then the next animation frame records the time it is drawn.
 *
 * Environment: PERFECTPAY_BENCH_ROUNDS (windows, default 3), PERFECTPAY_BENCH_OPENS (later opens of each per
 * window, default 5), PERFECTPAY_VSIX (a .vsix to use instead of packing one from dist/).
 * Writes test-results/ui-bench.json.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { CodeServer, launchChromium, preparePage } from '../test/e2e/codeServer';
import { activations, extHostLog, PERFECTPAY_ID } from '../test/e2e/extHostLog';

const ROOT = path.resolve(__dirname, '..', '..');
const PROBE_DIR = path.join(ROOT, 'test', 'probe');
const PROBE_ID = 'perfectpay-bench.perfectpay-bench-probe';
const ROUNDS = Number(process.env.PERFECTPAY_BENCH_ROUNDS ?? 3);
const OPENS = Number(process.env.PERFECTPAY_BENCH_OPENS ?? 5);
const PAYMENT_ROW = /\d+(\.\d+)? [A-Z]{3}/;

interface Side {
  name: 'probe' | 'perfectpay';
  /** The activity-bar item's aria-label contains this. */
  container: string;
  /** A row of its tree (a payment, a probe row). */
  row: RegExp;
}
const PROBE: Side = { name: 'probe', container: 'Probe', row: /^Probe row \d+/ };
const PP: Side = { name: 'perfectpay', container: 'PerfectPay', row: PAYMENT_ROW };

/** In every frame: the main frame's pointerdown time and the tree-rows waiter; the webview documents' text waiter. */
const INSTRUMENT = `(() => {
  const now = () => performance.timeOrigin + performance.now();
  if (window.top === window) {
    window.__ppBench = { armed: null, t0: 0, t1: 0 };
    const loop = () => {
      const a = window.__ppBench.armed;
      if (!a) return;
      const re = new RegExp(a.re);
      const rows = [...document.querySelectorAll('.part.sidebar .pane .monaco-list-row')].filter((r) => re.test(r.textContent || ''));
      if (rows.length >= a.rows) { window.__ppBench.t1 = now(); window.__ppBench.armed = null; return; }
      requestAnimationFrame(loop);
    };
    document.addEventListener('pointerdown', () => {
      const b = window.__ppBench;
      if (!b.armed || b.t0) return;
      b.t0 = now();
      if (b.armed.rows) requestAnimationFrame(loop);
    }, true);
    return;
  }
  // A webview's document frame starts as about:blank, then VS Code loads fake.html into it and writes the
  // extension's HTML: this window (and its timers) lives through that.
  if (location.href !== 'about:blank' && !/\\/pre\\/fake\\.html/.test(location.href)) return;
  const started = Date.now();
  const iv = setInterval(() => {
    const el = document.querySelector('#probe-text, .payment-id');
    if (el && (el.textContent || '').trim()) {
      clearInterval(iv);
      window.__ppSeenAt = now();
      requestAnimationFrame(() => { window.__ppDrawnAt = now(); });
    } else if (Date.now() - started > 120000) clearInterval(iv);
  }, 5);
})();`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
const ms = (n: number) => (Number.isFinite(n) ? `${Math.round(n)} ms` : 'n/a');
const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');

async function waitUntil<T>(what: string, get: () => Promise<T | undefined | null | false>, timeoutMs = 60_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

function packVsix(dir: string): string {
  if (process.env.PERFECTPAY_VSIX) return path.resolve(process.env.PERFECTPAY_VSIX);
  if (fs.readdirSync(path.join(ROOT, 'dist')).some((f) => f.endsWith('.map'))) {
    console.log('   note: dist/ holds a development build; run `npm run build:release` first (npm run bench:ui does)');
  }
  const out = path.join(dir, 'perfectpay-explorer.vsix');
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/package.mjs'), '--out', out], { cwd: ROOT, stdio: 'pipe' });
  return out;
}

class Window {
  constructor(readonly cs: CodeServer, readonly context: BrowserContext, readonly page: Page) {}

  static async open(cs: CodeServer, browser: Browser, round: number): Promise<Window> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await preparePage(page);
    await page.addInitScript({ content: INSTRUMENT });
    await page.goto(cs.url());
    const w = new Window(cs, context, page);
    for (const side of [PROBE, PP]) await w.activityItem(side).waitFor({ state: 'visible', timeout: 90_000 });
    // This window's extension host has done its start-up activations (one log per extension host).
    await waitUntil(`the extension host of window ${round + 1} to finish its start-up activations`,
      async () => (extHostLog(cs.userDataDir).match(/Eager extensions activated/g) ?? []).length > round, 90_000, 200);
    return w;
  }

  activityItem(side: Side) {
    return this.page.locator(`.part.activitybar .action-item:has(.action-label[aria-label*="${side.container}"])`).first();
  }

  /** Shows `side`'s view container unless it is showing, and waits for a row of its tree. */
  async show(side: Side): Promise<void> {
    const item = this.activityItem(side);
    if (!(await item.evaluate((el) => el.classList.contains('checked')))) await item.locator('.action-label').click();
    await this.rowLocator(side).first().waitFor({ state: 'visible', timeout: 60_000 });
  }

  rowLocator(side: Side) {
    return this.page.locator('.part.sidebar .pane .monaco-list-row').filter({ hasText: side.row });
  }

  private async arm(rows: number, re?: RegExp): Promise<void> {
    await this.page.evaluate(([n, src]) => {
      const b = (globalThis as unknown as { __ppBench: { armed: unknown; t0: number; t1: number } }).__ppBench;
      b.t0 = 0;
      b.t1 = 0;
      b.armed = { rows: n, re: src };
    }, [rows, re?.source ?? ''] as const);
  }

  private async times(): Promise<{ t0: number; t1: number }> {
    return this.page.evaluate(() => {
      const b = (globalThis as unknown as { __ppBench: { t0: number; t1: number } }).__ppBench;
      return { t0: b.t0, t1: b.t1 };
    });
  }

  /** (b) Activity-bar click until 10 rows of `side`'s tree are drawn (the container must not be showing yet). */
  async firstPage(side: Side): Promise<number> {
    const item = this.activityItem(side);
    if (await item.evaluate((el) => el.classList.contains('checked'))) throw new Error(`${side.name}'s view is already showing`);
    await this.arm(10, side.row);
    await item.locator('.action-label').click();
    const t = await waitUntil(`10 rows in ${side.name}'s view`, async () => {
      const v = await this.times();
      return v.t1 ? v : undefined;
    });
    return t.t1 - t.t0;
  }

  /** (a) Click on row `index` of `side`'s tree until the new webview's text is drawn. */
  async openPanel(side: Side, index: number): Promise<number> {
    await this.show(side);
    const before = new Set(this.page.frames());
    await this.arm(0);
    const row = this.rowLocator(side).nth(index);
    await row.scrollIntoViewIfNeeded();
    await row.click();
    const drawnAt = await waitUntil(`the ${side.name} panel of row ${index} to draw its text`, async () => {
      for (const f of this.page.frames()) {
        if (before.has(f)) continue;
        const v = await drawnTime(f);
        if (v) return v;
      }
      return undefined;
    });
    const { t0 } = await this.times();
    if (!t0) throw new Error('the row click was not seen');
    return drawnAt - t0;
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
  }
}

async function drawnTime(f: Frame): Promise<number | undefined> {
  return f.evaluate(() => (globalThis as unknown as { __ppDrawnAt?: number }).__ppDrawnAt).catch(() => undefined);
}

interface Round {
  firstPage: { probe: number; perfectpay: number };
  throwaway: number[];
  firstOpen: { probe: number; perfectpay: number };
  later: { probe: number[]; perfectpay: number[] };
}

export async function runUiBench(): Promise<void> {
  console.log('\n6. In real VS Code (code-server 1.100.3, headless Chromium): PerfectPay from its .vsix against the probe extension (test/probe)');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'perfectpay-uibench-'));
  let cs: CodeServer | undefined;
  let browser: Browser | undefined;
  try {
    const vsix = packVsix(tmp);
    console.log(`   ${path.basename(vsix)}: ${(fs.statSync(vsix).size / 1024).toFixed(1)} KB, installed with --install-extension; probe loaded as extension under development`);
    cs = await CodeServer.start({
      extensionDevelopmentPath: PROBE_DIR,
      installExtensions: [vsix],
      settings: { 'perfectpay.environment': 'local', 'perfectpay.localSandbox.seed': 25, 'perfectpay.pageSize': 25, 'workbench.sideBar.location': 'left' },
    });
    browser = await launchChromium();
    const rounds: Round[] = [];
    let notActivated: string | undefined;
    for (let r = 0; r < ROUNDS; r++) {
      const w = await Window.open(cs, browser, r);
      try {
        const ppBefore = activations(cs.userDataDir).filter((a) => a.extensionId === PERFECTPAY_ID).length;
        if (ppBefore > r) console.log(`   note: window ${r + 1} activated PerfectPay before its view was opened`);
        const order = r % 2 === 0 ? [PROBE, PP] : [PP, PROBE];
        const firstPage = { probe: NaN, perfectpay: NaN };
        for (const side of order) {
          firstPage[side.name] = await w.firstPage(side);
          if (r === 0 && side === PROBE) {
            const all = activations(cs.userDataDir);
            const pp = all.filter((a) => a.extensionId === PERFECTPAY_ID);
            const probe = all.find((a) => a.extensionId === PROBE_ID);
            notActivated = pp.length
              ? `NO: PerfectPay was activated (${pp.map((a) => a.event).join(', ')}) in a window that only opened the probe`
              : `yes: in a window that has started and opened only the probe's view (activated by ${probe?.event ?? '?'}), PerfectPay is not activated`;
          }
        }
        const throwaway = [await w.openPanel(PROBE, 0), await w.openPanel(PROBE, 1)];
        const firstOpen = { perfectpay: await w.openPanel(PP, 0), probe: await w.openPanel(PROBE, 2) };
        const later = { probe: [] as number[], perfectpay: [] as number[] };
        for (let k = 0; k < OPENS; k++) {
          const pair = k % 2 === 0 ? [PROBE, PP] : [PP, PROBE];
          for (const side of pair) {
            const t = side === PP ? await w.openPanel(PP, 1 + k) : await w.openPanel(PROBE, (3 + k) % 10);
            later[side.name].push(t);
          }
        }
        rounds.push({ firstPage, throwaway, firstOpen, later });
        console.log(`   window ${r + 1}: first page probe ${ms(firstPage.probe)}, PerfectPay ${ms(firstPage.perfectpay)}; ` +
          `throwaway panels ${throwaway.map(ms).join(', ')}; first inspector ${ms(firstOpen.perfectpay)} (probe ${ms(firstOpen.probe)}); ` +
          `later inspectors ${later.perfectpay.map(ms).join(', ')} (probe ${later.probe.map(ms).join(', ')})`);
      } finally {
        await w.close();
      }
    }
    const fpProbe = median(rounds.map((x) => x.firstPage.probe));
    const fpPp = median(rounds.map((x) => x.firstPage.perfectpay));
    const foProbe = median(rounds.map((x) => x.firstOpen.probe));
    const foPp = median(rounds.map((x) => x.firstOpen.perfectpay));
    const lProbe = median(rounds.flatMap((x) => x.later.probe));
    const lPp = median(rounds.flatMap((x) => x.later.perfectpay));
    const lRatios = rounds.map((x) => median(x.later.perfectpay) / median(x.later.probe));
    console.log(`   view's first page (activity-bar click to 10 rows), median of ${rounds.length} windows: ` +
      `PerfectPay ${ms(fpPp)}, probe ${ms(fpProbe)}: ${ratio(fpPp, fpProbe)} (target ≤ 1.5×)`);
    console.log(`   first inspector of a window (row click to text drawn, after 2 throwaway panels), median of ${rounds.length}: ` +
      `PerfectPay ${ms(foPp)}, probe ${ms(foProbe)}: ${ratio(foPp, foProbe)} (target ≤ 1.2×)`);
    console.log(`   later inspectors, median of ${rounds.flatMap((x) => x.later.perfectpay).length}: PerfectPay ${ms(lPp)}, probe ${ms(lProbe)}: ` +
      `${ratio(lPp, lProbe)} (per window ${lRatios.map((x) => `${x.toFixed(2)}×`).join(', ')}; target ≤ 1.1×)`);
    console.log(`   zero cost until used: ${notActivated ?? 'not checked'}`);
    fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
    fs.writeFileSync(path.join(ROOT, 'test-results', 'ui-bench.json'), JSON.stringify({
      at: new Date().toISOString(), cores: os.cpus().length, rounds,
      medians: { firstPage: { probe: fpProbe, perfectpay: fpPp }, firstOpen: { probe: foProbe, perfectpay: foPp }, later: { probe: lProbe, perfectpay: lPp } },
      notActivated,
    }, null, 2));
  } finally {
    await browser?.close().catch(() => undefined);
    await cs?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module) {
  console.log(`PerfectPay Explorer UI benchmark — node ${process.version}, ${os.cpus().length} cores, ${new Date().toISOString()}`);
  runUiBench().then(() => process.exit(0), (e) => {
    console.error(e);
    process.exit(1);
  });
}

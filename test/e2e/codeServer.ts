// Real VS Code for tests on a machine that cannot download VS Code desktop: code-server 4.100.3
// (= VS Code 1.100.3, installed by scripts/install-code-server.sh into .vscode-test/code-server) opened
// in headless Debian Chromium through playwright-core. See /work/shared/vscode-offline.md.
//
// Two layers:
//   startCodeServer(options)  a code-server on a free loopback port, with a fresh user-data dir (its
//                             User/settings.json written first), a fresh empty extensions dir and a fresh
//                             workspace folder; url() is the page that loads the extension under development
//                             (and, for test/runVsCodeTests.ts, the extension-host test module) through the
//                             workbench's `payload` URL parameter, since code-server refuses
//                             --extensionDevelopmentPath on its command line.
//   VsCodeSession.start(...)  the same, plus Chromium showing the workbench, and helpers to drive it as a
//                             person does: openPerfectPayView(), runCommand(title), answerInput(text),
//                             pickItem(label), treeRows(), notifications(), webviewFrame(), screenshot(name).
//
// Use from an e2e test (out/test/e2e/**/*.e2e.js, run by `npm run test:e2e`):
//
//   let vs: VsCodeSession;
//   before(async () => { vs = await VsCodeSession.start({ theme: 'dark', settings: { 'perfectpay.environment': 'local' } }); });
//   after(async () => { await vs?.close(); });
//   it('lists payments', async () => { await vs.openPerfectPayView(); assert.ok((await vs.treeRows()).length > 0); });
//
// Environment: PERFECTPAY_CHROMIUM (default /usr/bin/chromium); PERFECTPAY_E2E_HEADED=1 shows the browser
// (needs a display); PERFECTPAY_KEEP_TMP=1 keeps the temporary dirs for a post-mortem.
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';

/** The repository root (this file runs from out/test/e2e/, or test/e2e/ under ts-node). */
export const repoRoot: string = (() => {
  let dir = __dirname;
  while (dir !== path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'perfectpay-explorer') return dir;
    dir = path.dirname(dir);
  }
  throw new Error(`cannot find the perfectpay-explorer repository above ${__dirname}`);
})();

export const codeServerBin = path.join(repoRoot, '.vscode-test/code-server/node_modules/.bin/code-server');
export const chromiumPath = process.env.PERFECTPAY_CHROMIUM || '/usr/bin/chromium';
/** Chromium flags that work on these machines (closed network: no background connections). */
export const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

/** Settings every test profile starts with; a test's own settings are merged over them. */
export const baseSettings: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'chat.commandCenter.enabled': false,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'perfectpay.environment': 'local',
};

export const themes = { light: 'Default Light Modern', dark: 'Default Dark Modern' } as const;

/** Installs code-server if it is missing (idempotent; apt-installs chromium, libkrb5-dev, ripgrep if needed). */
export function installCodeServer(): void {
  execFileSync('bash', [path.join(repoRoot, 'scripts/install-code-server.sh')], { stdio: 'inherit' });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface CodeServerOptions {
  /** Merged over baseSettings into the fresh profile's User/settings.json. */
  settings?: Record<string, unknown>;
  /** 'light' or 'dark' sets workbench.colorTheme to Default Light/Dark Modern. */
  theme?: keyof typeof themes;
  /** The extension to load as under development (default: this repository); null: none (see installExtensions). */
  extensionDevelopmentPath?: string | null;
  /** .vsix files to install into the fresh extensions dir first (`code-server --install-extension`), as a user does. */
  installExtensions?: string[];
  /** An extension-host test module (absolute path to a .js exporting run()). */
  extensionTestsPath?: string;
  /** Files to create in the fresh workspace folder: relative path -> content. */
  workspaceFiles?: Record<string, string>;
  /** Extra environment for code-server (and, through it, the extension host). */
  env?: Record<string, string>;
  /** Port to listen on (default: a free one). */
  port?: number;
  /** Install code-server first if missing (default true). */
  install?: boolean;
  /** Also copy code-server's output to this stream as it comes. */
  echo?: NodeJS.WritableStream;
}

export class CodeServer {
  private logText = '';
  private exited: number | null | undefined = undefined;
  private readonly exitWaiters: (() => void)[] = [];

  private constructor(
    readonly port: number,
    readonly tmpDir: string,
    readonly workspaceDir: string,
    readonly userDataDir: string,
    readonly extensionsDir: string,
    readonly extensionDevelopmentPath: string | null,
    readonly extensionTestsPath: string | undefined,
    private readonly proc: ChildProcess,
    echo?: NodeJS.WritableStream,
  ) {
    const onData = (d: Buffer) => {
      const s = d.toString('utf8');
      this.logText += s;
      echo?.write(s);
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    proc.on('exit', (code) => {
      this.exited = code;
      this.exitWaiters.splice(0).forEach((f) => f());
    });
  }

  static async start(options: CodeServerOptions = {}): Promise<CodeServer> {
    if (options.install !== false) installCodeServer();
    if (!fs.existsSync(codeServerBin)) throw new Error(`code-server is not installed at ${codeServerBin}`);
    const port = options.port ?? (await freePort());
    const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'perfectpay-vscode-'));
    const userDataDir = path.join(tmpDir, 'user-data');
    const extensionsDir = path.join(tmpDir, 'extensions');
    const workspaceDir = path.join(tmpDir, 'workspace');
    for (const d of [userDataDir, extensionsDir, workspaceDir]) fs.mkdirSync(d, { recursive: true });
    fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
    const settings = { ...baseSettings, ...(options.theme ? { 'workbench.colorTheme': themes[options.theme] } : {}), ...options.settings };
    fs.writeFileSync(path.join(userDataDir, 'User/settings.json'), JSON.stringify(settings, null, 2));
    for (const [rel, content] of Object.entries(options.workspaceFiles ?? {})) {
      fs.mkdirSync(path.dirname(path.join(workspaceDir, rel)), { recursive: true });
      fs.writeFileSync(path.join(workspaceDir, rel), content);
    }
    for (const vsix of options.installExtensions ?? []) {
      execFileSync(codeServerBin, ['--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsix],
        { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env }, timeout: 120_000 });
    }
    const proc = spawn(codeServerBin, [
      '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
      '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, workspaceDir,
    ], {
      cwd: repoRoot,
      detached: true, // its own process group, so stop() ends the server and its extension hosts together
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env },
    });
    const cs = new CodeServer(port, tmpDir, workspaceDir, userDataDir, extensionsDir,
      options.extensionDevelopmentPath === undefined ? repoRoot : options.extensionDevelopmentPath, options.extensionTestsPath, proc, options.echo);
    liveServers.add(cs);
    try {
      await cs.waitHealthy(60_000);
    } catch (err) {
      await cs.stop();
      throw err;
    }
    return cs;
  }

  /** code-server's output so far (server log, extension host messages). */
  log(): string {
    return this.logText;
  }

  get running(): boolean {
    return this.exited === undefined;
  }

  private async waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`code-server exited (code ${this.exited}) before it was up:\n${this.logText}`);
      try {
        const res = await fetch(`http://127.0.0.1:${this.port}/healthz`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(250);
    }
    throw new Error(`code-server did not answer /healthz within ${timeoutMs} ms:\n${this.logText}`);
  }

  /** Resolves with the first match of `re` in the log (waiting for it), or rejects after timeoutMs. */
  async waitForLog(re: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = this.logText.match(re);
      if (m) return m;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${re} in the code-server log`);
      await sleep(200);
    }
  }

  /** A URI of this server's file system, as the web workbench's payload expects. */
  remoteUri(absPath: string): string {
    return `vscode-remote://127.0.0.1:${this.port}${absPath.split(path.sep).map(encodeURIComponent).join('/')}`;
  }

  /**
   * The workbench page: opens the fresh workspace and loads the extension (and test module) via `payload`;
   * with no extension under development, only the installed extensions run (no payload).
   */
  url(): string {
    const payload: [string, string][] = [];
    if (this.extensionDevelopmentPath !== null) payload.push(['extensionDevelopmentPath', this.remoteUri(this.extensionDevelopmentPath)]);
    if (this.extensionTestsPath) payload.push(['extensionTestsPath', this.remoteUri(this.extensionTestsPath)]);
    return `http://127.0.0.1:${this.port}/?folder=${encodeURIComponent(this.workspaceDir)}` +
      (payload.length ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : '');
  }

  /** Ends code-server and everything it started (extension hosts), then removes its temporary dirs. */
  async stop(): Promise<void> {
    liveServers.delete(this);
    if (this.running && this.proc.pid) {
      killGroup(this.proc.pid, 'SIGTERM');
      const exited = new Promise<void>((r) => this.exitWaiters.push(r));
      await Promise.race([exited, sleep(5000)]);
      // The extension host may outlive the server by a moment: end the whole group for sure.
      killGroup(this.proc.pid, 'SIGKILL');
    }
    if (!process.env.PERFECTPAY_KEEP_TMP) fs.rmSync(this.tmpDir, { recursive: true, force: true });
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

// Never leave a code-server behind, whatever way the test process ends.
const liveServers = new Set<CodeServer>();
process.on('exit', () => {
  for (const cs of liveServers) {
    const pid = (cs as unknown as { proc: ChildProcess }).proc.pid;
    if (pid) killGroup(pid, 'SIGKILL');
  }
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(sig, () => process.exit(130));
}

/** Headless Debian Chromium (fresh profile) through playwright-core. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: !process.env.PERFECTPAY_E2E_HEADED,
    args: chromiumArgs,
  });
}

/**
 * Readies a page for the workbench. code-server registers its own (PWA) service worker with scope "/"
 * and `clients.claim()`: when it activates after a webview's iframe has loaded, it takes control of that
 * iframe, whose own service worker then never does ("Found unexpected service worker controller ...
 * Waiting for controllerchange" in the console) and the webview stays blank, its resources never served.
 * Refusing that one registration (code-server only logs an error) leaves webviews as in desktop VS Code.
 */
export async function preparePage(page: Page): Promise<void> {
  await page.addInitScript({
    content: `(() => {
      const sw = navigator.serviceWorker;
      if (!sw) return;
      const register = sw.register.bind(sw);
      sw.register = (url, options) => /\\/_static\\/out\\/browser\\/serviceWorker\\.js/.test(String(url))
        ? Promise.reject(new Error('code-server service worker disabled by the test harness'))
        : register(url, options);
    })();`,
  });
}

export const screenshotsDir = path.join(repoRoot, 'test-results/screenshots');

export interface SessionOptions extends CodeServerOptions {
  viewport?: { width: number; height: number };
  /** Wait this long for the workbench to show (default 60 s). */
  loadTimeoutMs?: number;
}

/** A code-server with the extension loaded, shown in Chromium, with helpers to drive it like a user. */
export class VsCodeSession {
  /** Browser console lines (including what the extension host forwards there). */
  readonly console: string[] = [];

  private constructor(readonly server: CodeServer, readonly browser: Browser, readonly page: Page) {
    page.on('console', (m) => this.console.push(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => this.console.push(`[pageerror] ${e.message}`));
  }

  static async start(options: SessionOptions = {}): Promise<VsCodeSession> {
    const server = await CodeServer.start(options);
    let browser: Browser | undefined;
    try {
      browser = await launchChromium();
      const page = await browser.newPage({ viewport: options.viewport ?? { width: 1400, height: 900 } });
      const session = new VsCodeSession(server, browser, page);
      await preparePage(page);
      await page.goto(server.url());
      await session.waitForWorkbench(options.loadTimeoutMs ?? 60_000);
      const theme = (options.settings?.['workbench.colorTheme'] as string | undefined) ?? (options.theme && themes[options.theme]);
      if (theme) await session.ensureColorTheme(theme);
      return session;
    } catch (err) {
      await browser?.close().catch(() => undefined);
      await server.stop();
      throw err;
    }
  }

  /**
   * Waits for the workbench to be on screen and its extensions registered: the activity bar, the status
   * bar, a colour theme from the theme extensions (a `vscode-theme-*` class) and the extension host.
   */
  async waitForWorkbench(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    await this.page.locator('.monaco-workbench .part.activitybar').waitFor({ state: 'visible', timeout: timeoutMs });
    await this.page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: timeoutMs });
    await this.page.locator('.monaco-workbench[class*="vscode-theme-"]').waitFor({ state: 'attached', timeout: Math.max(1000, deadline - Date.now()) });
    await this.server.waitForLog(/Launched Extension Host Process/, Math.max(1000, deadline - Date.now()));
  }

  /** The id-derived class of the colour theme in use, e.g. `vscode-theme-defaults-themes-dark_modern-json`. */
  async colorThemeClass(): Promise<string | undefined> {
    const cls = (await this.page.locator('.monaco-workbench').getAttribute('class')) ?? '';
    return cls.split(/\s+/).find((c) => c.startsWith('vscode-theme-'));
  }

  /**
   * Makes sure the colour theme `label` (e.g. "Default Dark Modern") is the one shown. code-server's web
   * workbench in extension-development mode (our `payload` URL) does not apply workbench.colorTheme from the
   * user settings at start-up (it shows Light+), so when the theme did not come up by itself this picks it
   * with "Preferences: Color Theme", as a person would.
   */
  async ensureColorTheme(label: string): Promise<void> {
    const known: Record<string, string> = { 'Default Dark Modern': 'dark_modern', 'Default Light Modern': 'light_modern' };
    const fragment = known[label];
    if (fragment) {
      const deadline = Date.now() + 3000;
      while (Date.now() < deadline) {
        if ((await this.colorThemeClass())?.includes(fragment)) return;
        await sleep(200);
      }
    }
    await this.runCommand('Preferences: Color Theme');
    await this.pickItem(label);
    if (fragment) {
      await this.waitFor(() => this.colorThemeClass(), (c) => !!c?.includes(fragment), 10_000, `colour theme ${label}`);
    }
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
  }

  /** Shows the PerfectPay view container (clicks its activity-bar item unless it is already open). */
  async openPerfectPayView(timeoutMs = 30_000): Promise<void> {
    const item = this.page.locator('.part.activitybar .action-item:has(.action-label[aria-label*="PerfectPay"])').first();
    await item.waitFor({ state: 'visible', timeout: timeoutMs });
    const checked = await item.evaluate((el) => el.classList.contains('checked'));
    if (!checked) await item.locator('.action-label').click();
    await this.page.locator('.part.sidebar .pane').first().waitFor({ state: 'visible', timeout: timeoutMs });
  }

  /** Runs a command from the palette by its title (as shown, e.g. "PerfectPay: Create Payment"). */
  async runCommand(title: string, timeoutMs = 15_000): Promise<void> {
    await this.page.keyboard.press('Control+Shift+P');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: timeoutMs });
    await input.fill(`>${title}`);
    const rows = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    await rows.first().waitFor({ state: 'visible', timeout: timeoutMs });
    // Prefer the row whose label is exactly the title (another command may merely start with it).
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const labels = await rows.locator('.label-name').allTextContents();
      const exact = labels.findIndex((l) => l.trim() === title);
      if (exact >= 0) {
        await rows.nth(exact).click();
        return;
      }
      if (Date.now() > deadline) throw new Error(`no command "${title}" in the palette; it shows: ${labels.join(' | ')}`);
      await sleep(200);
    }
  }

  /** Types into the open input box (showInputBox, or a quick pick's filter) and presses Enter. */
  async answerInput(text: string, timeoutMs = 15_000): Promise<void> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: timeoutMs });
    await input.fill(text);
    await input.press('Enter');
  }

  /** Clicks the first quick-pick item whose text contains `labelSubstring`. */
  async pickItem(labelSubstring: string, timeoutMs = 15_000): Promise<void> {
    const row = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: labelSubstring }).first();
    await row.waitFor({ state: 'visible', timeout: timeoutMs });
    await row.click();
  }

  /** The quick input's title bar text, e.g. "PerfectPay: Create Payment (1/6)" (the step counter included). */
  async quickInputTitle(): Promise<string> {
    return norm(await this.page.locator('.quick-input-widget .quick-input-title').innerText().catch(() => ''));
  }

  /** Waits until the quick input's title shows `step` (e.g. "2/6"). */
  async waitForStep(step: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const title = await this.quickInputTitle();
      if (title.includes(step)) return;
      if (Date.now() > deadline) throw new Error(`the quick input did not reach step ${step}; its title is "${title}"`);
      await sleep(100);
    }
  }

  /** The quick input's validation message (why a typed value is refused), if any. */
  async validationMessage(): Promise<string> {
    return (await this.page.locator('.quick-input-widget .quick-input-message').innerText().catch(() => '')).trim();
  }

  /** The quick pick's items as shown (label and description), to see what is offered. */
  async quickPickItems(): Promise<string[]> {
    return (await this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').allInnerTexts()).map(norm);
  }

  /** The text of each visible row of the tree views in the side bar. */
  async treeRows(): Promise<string[]> {
    return (await this.page.locator('.part.sidebar .pane .monaco-list-row').allInnerTexts()).map(norm);
  }

  /** Waits until some tree row contains `text`, and returns all rows. */
  async waitForTreeRow(text: string | RegExp, timeoutMs = 15_000): Promise<string[]> {
    return this.waitFor(() => this.treeRows(), (rows) => rows.some((r) => match(r, text)), timeoutMs, `tree row ${text}`);
  }

  /** The text of the notification toasts on screen. */
  async notifications(): Promise<string[]> {
    return (await this.page.locator('.notifications-toasts .notification-toast').allInnerTexts()).map(norm);
  }

  /** Waits until a notification toast contains `text`, and returns all toasts. */
  async waitForNotification(text: string | RegExp, timeoutMs = 15_000): Promise<string[]> {
    return this.waitFor(() => this.notifications(), (n) => n.some((t) => match(t, text)), timeoutMs, `notification ${text}`);
  }

  /**
   * The document frame of a webview (the inner iframe VS Code creates as `pending-frame` and renames
   * `active-frame` once loaded; Playwright may keep either name); with `selector`, the one containing it.
   */
  async webviewFrame(selector?: string, timeoutMs = 20_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const f of this.page.frames().filter((fr) => fr.name() === 'active-frame' || fr.name() === 'pending-frame')) {
        if (!selector) return f;
        if (await f.locator(selector).count().catch(() => 0)) return f;
      }
      if (Date.now() > deadline) throw new Error(`no webview${selector ? ` containing ${selector}` : ''} within ${timeoutMs} ms`);
      await sleep(200);
    }
  }

  /** Saves a PNG of the whole window to test-results/screenshots/NAME.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(screenshotsDir, { recursive: true });
    const file = path.join(screenshotsDir, `${name.replace(/[^\w.-]+/g, '_')}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Closes Chromium and code-server. */
  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    await this.server.stop();
  }

  private async waitFor<T>(get: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number, what: string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await get();
      if (ok(v)) return v;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${JSON.stringify(v)}`);
      await sleep(200);
    }
  }
}

function norm(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function match(s: string, m: string | RegExp): boolean {
  return typeof m === 'string' ? s.includes(m) : m.test(s);
}

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
//   VsCodeSession.start(...)  the same, plus Chromium showing the workbench, and the one set of helpers the
//                             e2e tests drive it with, as a person does, by keyboard: openPerfectPayView(),
//                             runCommand(title), answerInput(text), answerQuickPick(label), waitForStep(n/m),
//                             createFromPalette({...}), openInspector(id), inspectorFrame(id), treeRows(),
//                             waitForTreeRow(text), waitForNotification(text), dismissNotifications(),
//                             webviewFrame(), screenshot(name).
//
// Nothing here sleeps for a fixed time: every wait is waitFor(probe, { timeout, what }) (exported, for the
// tests too), which polls a condition and, on timeout, says what it was waiting for and what it last saw.
// Quick picks are answered by keyboard (filter text, arrow keys, Enter once the focused row is the one
// wanted), never by clicking rows, which a hover tooltip can cover. Steps that are safe to repeat (opening
// the palette, picking the colour theme, loading the workbench) are retried when they did not take.
//
// Use from an e2e test (out/test/e2e/**/*.e2e.js, run by `npm run test:e2e`):
//
//   const vs = useSession({ theme: 'dark', settings: { 'perfectpay.environment': 'local' } });
//   it('lists payments', async () => { await vs().openPerfectPayView(); assert.ok((await vs().treeRows()).length > 0); });
//
// Environment: PERFECTPAY_CHROMIUM (default /usr/bin/chromium); PERFECTPAY_E2E_HEADED=1 shows the browser
// (needs a display); PERFECTPAY_KEEP_TMP=1 keeps the temporary dirs for a post-mortem.
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { setTimeout as pause } from 'timers/promises';
import { chromium, type Browser, type Frame, type Locator, type Page } from 'playwright-core';
import { timeouts } from './timeouts';

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

export interface WaitOptions {
  /** What is awaited, named in the timeout error ("the tree row /49.99 USD/"). */
  what: string;
  /** Give up after this many ms (default 30 s, sized for a loaded two-core machine). */
  timeout?: number;
  /** Between two looks (default 100 ms). */
  interval?: number;
}

/** A value that counts as "not yet" for waitFor. */
type Falsy = false | 0 | '' | null | undefined;

/**
 * Waits until `probe` gives a truthy value, and resolves with it. A probe that throws counts as "not yet"
 * (so a probe may assert). On timeout it rejects with an error naming `what` and the last thing seen: the
 * last error's message, or the last value. The one place of the e2e harness (and of the runner,
 * test/runVsCodeTests.ts) that waits between looks: every other wait is a condition through this.
 */
export async function waitFor<T>(probe: () => T | Promise<T>, options: WaitOptions): Promise<Exclude<T, Falsy>> {
  const timeout = options.timeout ?? timeouts.step;
  const deadline = Date.now() + timeout;
  let last: { value?: unknown; error?: unknown } = {};
  for (;;) {
    try {
      const v = await probe();
      if (v) return v as Exclude<T, Falsy>;
      last = { value: v };
    } catch (error) {
      last = { error };
    }
    if (Date.now() >= deadline) {
      const seen = 'error' in last
        ? `; last: ${last.error instanceof Error ? last.error.message : String(last.error)}`
        : last.value !== undefined && last.value !== false ? `; last seen: ${JSON.stringify(last.value)?.slice(0, 500)}` : '';
      throw new Error(`timed out after ${timeout} ms waiting for ${options.what}${seen}`);
    }
    await pause(options.interval ?? 100);
  }
}

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
        { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env }, timeout: timeouts.load });
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
      await cs.waitHealthy(timeouts.load);
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
    let gone: Error | undefined;
    try {
      await waitFor(async () => {
        if (!this.running) {
          gone = new Error(`code-server exited (code ${this.exited}) before it was up:\n${this.logText}`);
          return true;
        }
        const res = await fetch(`http://127.0.0.1:${this.port}/healthz`); // throws while not listening yet
        return res.ok;
      }, { what: `code-server's /healthz on port ${this.port}`, timeout: timeoutMs, interval: 250 });
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${this.logText}`);
    }
    if (gone) throw gone;
  }

  /** Resolves with the first match of `re` in the log (waiting for it), or rejects after timeoutMs. */
  async waitForLog(re: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    return waitFor(() => this.logText.match(re), { what: `${re} in the code-server log`, timeout: timeoutMs });
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
      await waitFor(() => !this.running, { what: 'code-server to exit on SIGTERM', timeout: timeouts.short }).catch(() => undefined);
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
  /** Wait this long for the workbench to show (default 120 s: a loaded two-core machine is slow). */
  loadTimeoutMs?: number;
}

/** One row of the open quick pick, as shown. */
export interface QuickPickRow {
  /** Its place in the whole (virtual) list. */
  index: number;
  /** The label alone (icons are not text), e.g. "PerfectPay sandbox". */
  label: string;
  /** Everything the row shows: label, description, detail. */
  text: string;
  /** The active row: the one Enter accepts. */
  focused: boolean;
}

export interface CreateFromPaletteOptions {
  /** As typed in step 1, e.g. "49.99". */
  amount: string;
  /** Step 2's label (default USD). */
  currency?: string;
  /** Step 3's label (default automatic). */
  capture?: 'automatic' | 'manual' | 'manual_multiple';
  /** Step 4's label (default no_three_ds). */
  authentication?: 'no_three_ds' | 'three_ds';
  /** Step 5. */
  description: string;
  /** The test card or method to confirm with at once (its label, or part of it, e.g. "Visa 4242"); none: create only. */
  method?: string;
}

export interface Created {
  id: string;
  /** The notifications listed when the new payment's own one was (see notifications()). */
  notifications: string[];
}

const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = `${QUICK_INPUT} .quick-input-box input`;
const QUICK_PICK_ROWS = `${QUICK_INPUT} .quick-input-list .monaco-list-row`;
const TOASTS = '.notifications-toasts .notification-toast';
/** The Notifications centre, and its entries (each notification shown since the last "Clear All"). */
const CENTRE = '.notifications-center';
const CENTRE_ENTRIES = `${CENTRE} .notifications-list-container .notification-list-item`;
/** A webview's document frame: "pending-frame" when created, renamed "active-frame" once loaded (Playwright may keep either). */
const isWebviewDocument = (f: Frame) => f.name() === 'active-frame' || f.name() === 'pending-frame';

/** A code-server with the extension loaded, shown in Chromium, with helpers to drive it like a user. */
export class VsCodeSession {
  /** Browser console lines (including what the extension host forwards there), and the harness's own notes. */
  readonly console: string[] = [];

  private constructor(readonly server: CodeServer, readonly browser: Browser, readonly page: Page) {
    page.on('console', (m) => this.console.push(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => this.console.push(`[pageerror] ${e.message}`));
    // Playwright's own waits (a click, a fill) get the time a loaded machine needs.
    page.setDefaultTimeout(timeouts.slow);
  }

  static async start(options: SessionOptions = {}): Promise<VsCodeSession> {
    const server = await CodeServer.start(options);
    let browser: Browser | undefined;
    try {
      browser = await launchChromium();
      const page = await browser.newPage({ viewport: options.viewport ?? { width: 1400, height: 900 } });
      const session = new VsCodeSession(server, browser, page);
      await preparePage(page);
      await session.load(options.loadTimeoutMs ?? timeouts.load);
      const theme = (options.settings?.['workbench.colorTheme'] as string | undefined) ?? (options.theme && themes[options.theme]);
      if (theme) await session.ensureColorTheme(theme);
      return session;
    } catch (err) {
      await browser?.close().catch(() => undefined);
      await server.stop();
      throw err;
    }
  }

  /** Opens the workbench page and waits for it; reloads once when it did not come up (loading is safe to repeat). */
  private async load(timeoutMs: number): Promise<void> {
    await this.page.goto(this.server.url(), { waitUntil: 'domcontentloaded', timeout: timeoutMs });
    try {
      await this.waitForWorkbench(timeoutMs);
    } catch (err) {
      this.note(`the workbench did not come up (${(err as Error).message}); reloading the page once`);
      await this.page.reload({ waitUntil: 'domcontentloaded', timeout: timeoutMs });
      await this.waitForWorkbench(timeoutMs);
    }
  }

  private note(text: string): void {
    this.console.push(`[harness] ${text}`);
  }

  /**
   * Waits for the workbench to be on screen and its extensions registered: the activity bar, the status
   * bar, a colour theme from the theme extensions (a `vscode-theme-*` class) and the extension host.
   */
  async waitForWorkbench(timeoutMs = timeouts.load): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const left = () => Math.max(1000, deadline - Date.now());
    await this.page.locator('.monaco-workbench .part.activitybar').waitFor({ state: 'visible', timeout: left() });
    await this.page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: left() });
    await this.page.locator('.monaco-workbench[class*="vscode-theme-"]').waitFor({ state: 'attached', timeout: left() });
    await this.server.waitForLog(/Launched Extension Host Process/, left());
  }

  /** The id-derived class of the colour theme in use, e.g. `vscode-theme-defaults-themes-dark_modern-json`. */
  async colorThemeClass(): Promise<string | undefined> {
    const cls = (await this.page.locator('.monaco-workbench').getAttribute('class')) ?? '';
    return cls.split(/\s+/).find((c) => c.startsWith('vscode-theme-'));
  }

  /**
   * Makes sure the colour theme `label` (e.g. "Default Dark Modern") is the one shown. code-server's web
   * workbench in extension-development mode (our `payload` URL) does not apply workbench.colorTheme from the
   * user settings at start-up (it shows Light+), so this picks it with "Preferences: Color Theme", as a
   * person would, by keyboard. Picking a theme is safe to repeat, so a pick that did not take (the quick
   * pick closed under it while the workbench was still settling) is tried again, up to three times.
   */
  async ensureColorTheme(label: string): Promise<void> {
    const known: Record<string, string> = {
      'Default Dark Modern': 'dark_modern', 'Default Light Modern': 'light_modern', 'Default High Contrast': 'hc_black',
    };
    const fragment = known[label];
    const shown = async () => !!fragment && !!(await this.colorThemeClass())?.includes(fragment);
    for (let attempt = 1; ; attempt++) {
      if (await shown()) return;
      try {
        await this.closeQuickInput();
        await this.runCommand('Preferences: Color Theme');
        await this.answerQuickPick(label);
        if (fragment) await waitFor(shown, { what: `the colour theme ${label} to be applied`, timeout: timeouts.step });
        await this.closeQuickInput();
        return;
      } catch (err) {
        if (attempt >= 3) throw err;
        this.note(`picking the colour theme ${label} did not take (attempt ${attempt}: ${(err as Error).message}); again`);
      }
    }
  }

  /** Shows the PerfectPay view container (clicks its activity-bar item unless it is already open). */
  async openPerfectPayView(timeoutMs = timeouts.slow): Promise<void> {
    const item = this.page.locator('.part.activitybar .action-item:has(.action-label[aria-label*="PerfectPay"])').first();
    await item.waitFor({ state: 'visible', timeout: timeoutMs });
    const open = async () => item.evaluate((el) => el.classList.contains('checked'));
    // The item toggles: click only while it is not open, and again only if a click did not take.
    for (let attempt = 1; !(await open()); attempt++) {
      await item.locator('.action-label').click();
      try {
        await waitFor(open, { what: 'the PerfectPay view container to open', timeout: timeouts.action });
      } catch (err) {
        if (attempt >= 3) throw err;
      }
    }
    await this.page.locator('.part.sidebar .pane').first().waitFor({ state: 'visible', timeout: timeoutMs });
  }

  // ------------------------------------------------------------------------------ quick input, by keyboard

  /** The quick input's text box (the palette's, a quick pick's filter, or an input box). */
  get quickInputBox(): Locator {
    return this.page.locator(QUICK_INPUT_BOX);
  }

  /** Runs a command from the palette by its title (as shown, e.g. "PerfectPay: Create Payment"). */
  async runCommand(title: string, timeoutMs = timeouts.step): Promise<void> {
    const box = this.quickInputBox;
    const paletteOpen = async () => (await box.isVisible()) && (await box.inputValue({ timeout: timeouts.look })).startsWith('>');
    // Everything before Enter is safe to repeat: a key press lost to a moving focus, or a palette that
    // closed under the typing (a window that takes the focus), is opened and typed into again.
    let attempt = 0;
    await waitFor(async () => {
      if (++attempt > 1) this.note(`the palette did not show "${title}" (attempt ${attempt - 1}); opening it again`);
      if (!(await paletteOpen().catch(() => false))) {
        await this.page.keyboard.press('Control+Shift+P');
        await waitFor(paletteOpen, { what: 'the command palette to open', timeout: timeouts.short });
      }
      await box.fill(`>${title}`, { timeout: timeouts.short });
      await this.focusQuickPickRow(title, { exact: true, timeoutMs: timeouts.action });
      return true;
    }, { what: `the command palette to show "${title}"`, timeout: Math.max(timeoutMs, timeouts.step) });
    const ran = () => waitFor(async () => !(await box.isVisible()) || (await box.inputValue()) !== `>${title}`,
      { what: `the palette to run "${title}"`, timeout: timeouts.action });
    await box.press('Enter');
    // Still there with the same row focused: the Enter did not arrive, and pressing it again is safe.
    await ran().catch(async () => {
      this.note(`the palette still shows "${title}" after Enter; pressing Enter again`);
      await box.press('Enter');
      await ran();
    });
  }

  /** Types `text` into the open input box (an input box, not a quick pick) and presses Enter. */
  async answerInput(text: string, timeoutMs = timeouts.step): Promise<void> {
    await this.typeInput(text, timeoutMs);
    await this.quickInputBox.press('Enter');
  }

  /** Types `text` into the open input box without accepting it (to see its validation message). */
  async typeInput(text: string, timeoutMs = timeouts.step): Promise<void> {
    const box = this.quickInputBox;
    await box.waitFor({ state: 'visible', timeout: timeoutMs });
    await box.fill(text);
    await this.waitForInputValue(text, timeoutMs);
  }

  /** Waits until the input box holds `value` (e.g. a prefilled answer). */
  async waitForInputValue(value: string, timeoutMs = timeouts.step): Promise<void> {
    const box = this.quickInputBox;
    await waitFor(async () => (await box.inputValue({ timeout: timeouts.look })) === value, { what: `the input box to hold "${value}"`, timeout: timeoutMs });
  }

  /**
   * Answers the open quick pick with the row `label`, by keyboard: types the filter (default: the label
   * itself), moves the focus with the arrow keys until the focused row is that one (its label exactly, else a
   * row showing the text, e.g. a description), then presses Enter. When the filter hides the row (the quick
   * pick does not match on that text), the filter is cleared and the arrow keys walk the whole list.
   */
  async answerQuickPick(label: string | RegExp, options: { filter?: string; timeoutMs?: number } = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? timeouts.step;
    const box = this.quickInputBox;
    await box.waitFor({ state: 'visible', timeout: timeoutMs });
    const filter = options.filter ?? (typeof label === 'string' ? label : '');
    await box.fill(filter);
    try {
      await this.focusQuickPickRow(label, { timeoutMs: filter ? Math.min(timeoutMs, timeouts.action) : timeoutMs });
    } catch (err) {
      if (!filter) throw err;
      this.note(`the filter "${filter}" does not show "${label}" (${(err as Error).message}); walking the whole list`);
      await box.fill('');
      await this.focusQuickPickRow(label, { timeoutMs });
    }
    await box.press('Enter');
  }

  /**
   * In a multi-select quick pick: filters by `label`, moves the keyboard into the list (ArrowDown: the list
   * takes the focus), walks to the row `label`, ticks it with Space and waits until it shows ticked. Enter
   * (`page.keyboard`) then accepts the ticked rows.
   */
  async checkQuickPickRow(label: string, timeoutMs = timeouts.step): Promise<void> {
    const box = this.quickInputBox;
    await box.waitFor({ state: 'visible', timeout: timeoutMs });
    await box.fill(label);
    await waitFor(async () => (await this.quickPickRows()).some((r) => r.label === label), { what: `a row "${label}"`, timeout: timeoutMs });
    await box.press('ArrowDown');
    let settled = 0;
    await waitFor(async () => {
      const rows = await this.quickPickRows();
      const target = rows.find((r) => r.label === label);
      const focused = rows.find((r) => r.focused);
      if (target && focused?.index === target.index) return ++settled >= 2;
      settled = 0;
      await this.page.keyboard.press(focused && target && target.index < focused.index ? 'ArrowUp' : 'ArrowDown');
      throw new Error(`the focused row is "${focused?.text ?? '(none)'}"`);
    }, { what: `the focused row to be "${label}"`, timeout: timeoutMs });
    await this.page.keyboard.press('Space');
    const row = this.page.locator(QUICK_PICK_ROWS).filter({ has: this.page.locator('.label-name', { hasText: label }) }).first();
    await waitFor(() => row.evaluate((el) =>
      el.getAttribute('aria-checked') === 'true' ||
      !!el.querySelector('input[type="checkbox"]:checked, .monaco-custom-toggle.checked, [role="checkbox"][aria-checked="true"]')),
    { what: `the row "${label}" to be ticked`, timeout: timeoutMs });
  }

  /** The open quick pick's rendered rows (a long list renders only those near the focus). */
  async quickPickRows(): Promise<QuickPickRow[]> {
    return this.page.locator(QUICK_PICK_ROWS).evaluateAll((rows) => rows.map((r) => ({
      index: Number(r.getAttribute('data-index')),
      label: (r.querySelector('.label-name')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
      text: String((r as unknown as { innerText: string }).innerText ?? '').replace(/\s+/g, ' ').trim(),
      focused: r.classList.contains('focused'),
    })));
  }

  /**
   * Moves the quick pick's focus (arrow keys) to the row `label` and resolves once it is there, seen twice in
   * a row (the list has settled, so Enter accepts that row and no other).
   */
  private async focusQuickPickRow(label: string | RegExp, o: { exact?: boolean; timeoutMs: number }): Promise<void> {
    const box = this.quickInputBox;
    const find = (rows: QuickPickRow[]) => {
      if (typeof label !== 'string') return rows.find((r) => label.test(r.label) || label.test(r.text));
      return rows.find((r) => r.label === label) ?? (o.exact ? undefined : rows.find((r) => r.text.includes(label)));
    };
    let settled = 0;
    let misses = 0;
    await waitFor(async () => {
      const rows = await this.quickPickRows();
      const target = find(rows);
      const focused = rows.find((r) => r.focused);
      if (!target) {
        settled = 0;
        // Not among the rendered rows: a long list may have it further on (the arrow keys wrap around).
        if (rows.length > 0 && ++misses % 5 === 0) await box.press('ArrowDown');
        throw new Error(`no row "${label}" among: ${rows.map((r) => `${r.focused ? '>' : ''}${r.text}`).join(' | ')}`);
      }
      if (focused?.index === target.index) return ++settled >= 2;
      settled = 0;
      await box.press(focused && target.index < focused.index ? 'ArrowUp' : 'ArrowDown');
      throw new Error(`the focused row is "${focused?.text ?? '(none)'}", not "${target.text}"`);
    }, { what: `the quick pick's focused row to be "${label}"`, timeout: o.timeoutMs });
  }

  /** Closes the quick input if one is open (Escape), and waits until it is gone. */
  async closeQuickInput(timeoutMs = timeouts.action): Promise<void> {
    const widget = this.page.locator(QUICK_INPUT);
    await waitFor(async () => {
      if (!(await widget.isVisible())) return true;
      await this.page.keyboard.press('Escape');
      return false;
    }, { what: 'the quick input to close', timeout: timeoutMs, interval: 250 });
  }

  /** The quick input's title bar text, e.g. "PerfectPay: Create Payment (1/6)" (the step counter included). */
  async quickInputTitle(): Promise<string> {
    return norm(await this.page.locator(`${QUICK_INPUT} .quick-input-title`).innerText({ timeout: timeouts.look }).catch(() => ''));
  }

  /** Waits until the quick input's title shows `step` (e.g. "2/6"), and returns the title. */
  async waitForStep(step: string, timeoutMs = timeouts.step): Promise<string> {
    return waitFor(async () => {
      const title = await this.quickInputTitle();
      if (!title.includes(step)) throw new Error(`the quick input's title is "${title}"`);
      return title;
    }, { what: `the quick input to reach step ${step}`, timeout: timeoutMs });
  }

  /** The quick input's validation message (why a typed value is refused), if any. */
  async validationMessage(): Promise<string> {
    return (await this.page.locator(`${QUICK_INPUT} .quick-input-message`).innerText({ timeout: timeouts.look }).catch(() => '')).trim();
  }

  /** Waits until the quick input's validation message matches `re`, and returns it. */
  async waitForValidation(re: RegExp, timeoutMs = timeouts.action): Promise<string> {
    return waitFor(async () => {
      const m = await this.validationMessage();
      if (!re.test(m)) throw new Error(`the validation message is "${m}"`);
      return m;
    }, { what: `the validation message ${re}`, timeout: timeoutMs });
  }

  /** The quick pick's items as shown (label and description), to see what is offered. */
  async quickPickItems(): Promise<string[]> {
    return (await this.quickPickRows()).map((r) => r.text);
  }

  // ------------------------------------------------------------------------------ PerfectPay flows

  /**
   * "PerfectPay: Create Payment" answered from the palette, every step by keyboard: amount, currency, capture
   * method, authentication, description, and "confirm now" with `method` (or create only). Resolves with the
   * new payment's id, read from its own notification (one whose id was not on screen before).
   */
  async createFromPalette(o: CreateFromPaletteOptions): Promise<Created> {
    // No notification of an earlier payment may answer for this one: clear them first.
    await this.clearNotifications();
    await this.runCommand('PerfectPay: Create Payment');
    await this.waitForStep('1/6');
    await this.answerInput(o.amount);
    await this.waitForStep('2/6');
    await this.answerQuickPick(o.currency ?? 'USD');
    await this.waitForStep('3/6');
    await this.answerQuickPick(o.capture ?? 'automatic');
    await this.waitForStep('4/6');
    await this.answerQuickPick(o.authentication ?? 'no_three_ds');
    await this.waitForStep('5/6');
    await this.answerInput(o.description);
    await this.waitForStep('6/6');
    if (o.method) {
      await this.answerQuickPick('Yes, confirm now');
      await this.waitForStep('7/7');
      await this.answerQuickPick(o.method);
    } else {
      await this.answerQuickPick('No, create only');
    }
    const done = o.method ? /Created and confirmed (pay_\w+)/ : /Created (pay_\w+)/;
    let id = '';
    const notifications = await this.waitForNotification((t) => {
      id = done.exec(t)?.[1] ?? id;
      return !!id;
    }, timeouts.step, `the notification of the new payment (${done})`);
    return { id, notifications };
  }

  /**
   * Opens the inspector of payment `id` with "PerfectPay: Inspect Payment" (opening it twice only reveals it).
   * Resolves with its webview document.
   */
  async openInspector(id: string): Promise<Frame> {
    await this.runCommand('PerfectPay: Inspect Payment');
    await this.answerQuickPick(id);
    return this.inspectorFrame(id);
  }

  /**
   * The inspector webview document showing payment `id` (its `.payment-id`; a RegExp: any id it matches),
   * once it has rendered.
   */
  async inspectorFrame(id: string | RegExp, timeoutMs = timeouts.slow): Promise<Frame> {
    const shows = (text: string | null) => text !== null && (typeof id === 'string' ? text === id : id.test(text.trim()));
    return waitFor(async () => {
      for (const f of this.page.frames().filter(isWebviewDocument)) {
        if (shows(await f.locator('.payment-id').first().textContent({ timeout: 500 }).catch(() => null))) return f;
      }
      return undefined;
    }, { what: `an inspector showing ${id}`, timeout: timeoutMs, interval: 250 });
  }

  /** Switches the environment with "PerfectPay: Select Environment" (a label such as "Local sandbox"). */
  async selectEnvironment(label: string, statusBarText: string): Promise<void> {
    await this.runCommand('PerfectPay: Select Environment');
    await this.answerQuickPick(label);
    await this.page.locator(`.part.statusbar :text("${statusBarText}")`).first().waitFor({ state: 'visible', timeout: timeouts.step });
  }

  // ------------------------------------------------------------------------------ what is on screen

  /**
   * Rests the mouse on `target` (at fractions `fx`, `fy` of its box) after a move from `away` pixels above it,
   * so that VS Code asks for a hover again. The box is read in the same step as the move: Monaco redraws a
   * line (a link decoration splits it) and replaces its elements, so a box read earlier may belong to an
   * element that is gone. A replaced element is looked up again.
   */
  async restMouseOn(target: Locator, o: { fx?: number; fy?: number; away?: number } = {}): Promise<void> {
    await waitFor(async () => {
      const box = await target.boundingBox({ timeout: timeouts.look });
      if (!box) throw new Error('the element is not on screen (replaced or hidden)');
      await this.page.mouse.move(box.x + box.width * 0.1, box.y - (o.away ?? 40));
      await this.page.mouse.move(box.x + box.width * (o.fx ?? 0.5), box.y + box.height * (o.fy ?? 0.5), { steps: 3 });
      return true;
    }, { what: 'the mouse to rest on the element', timeout: timeouts.action });
  }

  /** The text of each visible row of the tree views in the side bar. */
  /** Expands a pane of the side bar (e.g. "Webhooks", collapsed at first) or collapses it. */
  async setPaneExpanded(title: RegExp, expanded: boolean): Promise<void> {
    const header = this.page.locator('.part.sidebar .pane-header', { hasText: title }).first();
    await header.waitFor({ state: 'visible', timeout: timeouts.step });
    const state = async () => (await header.getAttribute('aria-expanded')) === 'true';
    if ((await state()) !== expanded) await header.click();
    await waitFor(async () => (await state()) === expanded, { what: `the pane ${title} ${expanded ? 'expanded' : 'collapsed'}`, timeout: timeouts.step });
  }

  async treeRows(): Promise<string[]> {
    return (await this.page.locator('.part.sidebar .pane .monaco-list-row').allInnerTexts()).map(norm);
  }

  /** Waits until some tree row contains `text`, and returns all rows. */
  async waitForTreeRow(text: string | RegExp, timeoutMs = timeouts.step): Promise<string[]> {
    return this.waitForAll(() => this.treeRows(), (r) => match(r, text), timeoutMs, `a tree row ${text}`);
  }

  /**
   * Hovers the tree row showing `rowText` until its tooltip (one showing `tooltipText`) is up, and returns the
   * tooltip's text. A hover is safe to repeat: when the tooltip did not come (the row was drawn again under
   * the pointer as the tree refreshed), the pointer leaves and hovers again.
   */
  async treeRowTooltip(rowText: string, tooltipText: string, timeoutMs = timeouts.slow): Promise<string> {
    const row = this.page.locator('.part.sidebar .pane .monaco-list-row', { hasText: rowText }).first();
    const tooltip = this.page.locator('.monaco-hover, .workbench-hover').filter({ hasText: tooltipText }).first();
    return waitFor(async () => {
      await this.page.mouse.move(900, 600);
      await row.hover({ timeout: timeouts.action });
      await tooltip.waitFor({ state: 'visible', timeout: timeouts.short });
      return norm(await tooltip.innerText());
    }, { what: `the tooltip of the tree row "${rowText}" showing "${tooltipText}"`, timeout: timeoutMs, interval: 250 });
  }

  /**
   * Every notification since the last "Clear All", as the Notifications centre lists them (message, source
   * and buttons): the centre keeps each one until it is cleared, where a toast hides on its own timer. The
   * centre is opened to be read and left as it was found.
   */
  async notifications(): Promise<string[]> {
    return this.withNotificationsCentre(() => this.centreEntries());
  }

  /**
   * Waits until a notification in the Notifications centre contains `text` (or satisfies it), and returns
   * them all. Toasts are never waited for: a busy machine can show and hide one between two looks.
   */
  async waitForNotification(text: string | RegExp | ((entry: string) => boolean), timeoutMs = timeouts.step, what?: string): Promise<string[]> {
    const ok = typeof text === 'function' ? text : (t: string) => match(t, text);
    return this.withNotificationsCentre(() => this.waitForAll(() => this.centreEntries(), ok, timeoutMs, what ?? `a notification ${text}`));
  }

  /** Whether any notification in the centre carries the error icon (what a person sees as an error). */
  async errorNotifications(): Promise<string[]> {
    return this.withNotificationsCentre(async () =>
      (await this.page.locator(`${CENTRE_ENTRIES}:has(.codicon-error)`).allInnerTexts()).map(norm));
  }

  /** Clears the notification toasts on screen (for a screenshot), if any, and waits until none shows. */
  async dismissNotifications(): Promise<void> {
    const visible = () => this.page.locator(TOASTS).filter({ visible: true }).count();
    if ((await visible()) === 0) return;
    await this.clearNotifications();
  }

  /**
   * Clears every notification ("Notifications: Clear All Notifications"), listed or shown, so that the next
   * one looked for is new; waits until none is shown or listed.
   */
  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications');
    await waitFor(async () => (await this.page.locator(TOASTS).filter({ visible: true }).count()) + (await this.page.locator(CENTRE_ENTRIES).count()) === 0,
      { what: 'the notifications to be cleared' });
  }

  /** The centre's entries, as text (the centre is open). */
  private async centreEntries(): Promise<string[]> {
    return (await this.page.locator(CENTRE_ENTRIES).allInnerTexts()).map(norm);
  }

  /**
   * Runs `read` with the Notifications centre open ("Notifications: Show Notifications"), then hides it
   * again if it was hidden, so that it covers nothing a later step clicks or photographs.
   */
  private async withNotificationsCentre<T>(read: () => Promise<T>): Promise<T> {
    const centre = this.page.locator(CENTRE);
    const wasOpen = await centre.isVisible();
    if (!wasOpen) {
      await waitFor(async () => {
        if (await centre.isVisible()) return true;
        await this.runCommand('Notifications: Show Notifications');
        return centre.waitFor({ state: 'visible', timeout: timeouts.short }).then(() => true, () => false);
      }, { what: 'the Notifications centre to open' });
    }
    try {
      return await read();
    } finally {
      if (!wasOpen && (await centre.isVisible())) {
        await this.runCommand('Notifications: Hide Notifications');
        await centre.waitFor({ state: 'hidden', timeout: timeouts.action });
      }
    }
  }

  /**
   * The document frame of a webview (the inner iframe VS Code creates as `pending-frame` and renames
   * `active-frame` once loaded; Playwright may keep either name); with `selector`, the one containing it.
   */
  async webviewFrame(selector?: string, timeoutMs = timeouts.slow): Promise<Frame> {
    return waitFor(async () => {
      for (const f of this.page.frames().filter(isWebviewDocument)) {
        if (!selector || (await f.locator(selector).count().catch(() => 0))) return f;
      }
      return undefined;
    }, { what: `a webview${selector ? ` containing ${selector}` : ''}`, timeout: timeoutMs, interval: 250 });
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

  /** Waits until one of the texts `get` gives satisfies `ok`, and returns them all. */
  private async waitForAll(get: () => Promise<string[]>, ok: (s: string) => boolean, timeoutMs: number, what: string): Promise<string[]> {
    return waitFor(async () => {
      const all = await get();
      if (!all.some(ok)) throw new Error(`on screen: ${all.join(' | ') || '(nothing)'}`);
      return all;
    }, { what, timeout: timeoutMs });
  }
}

function norm(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function match(s: string, m: string | RegExp): boolean {
  return typeof m === 'string' ? s.includes(m) : m.test(s);
}

/**
 * For a describe(): a session started with `options` before its tests and closed after them. The
 * function returned gives the session inside a test (or a later hook).
 */
export function useSession(options: SessionOptions = {}): () => VsCodeSession {
  let vs: VsCodeSession | undefined;
  before(async () => {
    vs = await VsCodeSession.start(options);
  });
  after(async () => {
    await vs?.close();
  });
  return () => {
    if (!vs) throw new Error('the VS Code session starts in a before hook: use it inside a test');
    return vs;
  };
}

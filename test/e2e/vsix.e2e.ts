// The extension as users get it (issue 10): `npm run package` builds the .vsix (release build, pinned vsce),
// which is installed into a clean code-server with `--install-extension` and a fresh extensions dir, with NO
// extension under development (no `payload` in the URL). Then, as a person: open the PerfectPay view, see the
// local sandbox's demo payments, open one in the inspector with a click on its row, and see no error.
//
// PERFECTPAY_VSIX=/path/to.vsix tests that file instead of packaging one.
// Packaging runs `npm run build:release`, which leaves release bundles in dist/; this file then rebuilds the
// development ones (as `npm run test:e2e` built them) so that later suites see what they expect.
// Screenshots: test-results/screenshots/vsix-*.png.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { repoRoot, VsCodeSession } from './codeServer';
import { activations, extHostLog, PERFECTPAY_ID } from './extHostLog';
import { timeouts } from './timeouts';

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string; publisher: string };
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Runs `npm run package -- --out DIR/…vsix` and returns the file (its output is shown only on failure). */
function packageVsix(dir: string): string {
  const out = path.join(dir, `${pkg.name}-${pkg.version}.vsix`);
  try {
    execFileSync(npm, ['run', 'package', '--', '--out', out], { cwd: repoRoot, encoding: 'utf8', stdio: 'pipe', timeout: timeouts.test });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`npm run package failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
  return out;
}

/**
 * Another extension, as a stranger writes it: its command activates PerfectPay Explorer through the public
 * API (`getExtension(…).activate()`) and shows what it got back. Packaged with the same pinned vsce.
 */
function packageExportsProbe(dir: string): string {
  const src = path.join(dir, 'exports-probe');
  fs.mkdirSync(src, { recursive: true });
  fs.writeFileSync(path.join(src, 'package.json'), JSON.stringify({
    name: 'exports-probe',
    displayName: 'Exports probe',
    description: 'Reads what PerfectPay Explorer gives other extensions.',
    version: '0.0.1',
    publisher: 'perfectpay-test',
    license: 'MIT',
    engines: { vscode: '^1.100.0' },
    main: './extension.js',
    activationEvents: ['onCommand:exportsProbe.read'],
    contributes: { commands: [{ command: 'exportsProbe.read', title: 'Read PerfectPay Exports', category: 'Exports Probe' }] },
  }, null, 2));
  fs.writeFileSync(path.join(src, 'README.md'), '# Exports probe\n\nA test fixture of PerfectPay Explorer.\n');
  fs.writeFileSync(path.join(src, 'LICENSE'), 'MIT\n');
  fs.writeFileSync(path.join(src, 'extension.js'), [
    "const vscode = require('vscode');",
    'exports.activate = (context) => {',
    "  context.subscriptions.push(vscode.commands.registerCommand('exportsProbe.read', async () => {",
    `    const ext = vscode.extensions.getExtension(${JSON.stringify(PERFECTPAY_ID)});`,
    "    if (!ext) return vscode.window.showInformationMessage('Exports probe: PerfectPay not found');",
    '    const got = await ext.activate();',
    "    const shape = got === undefined ? 'undefined' : got === null ? 'null' : typeof got + ' ' + Object.keys(got).join(',');",
    "    vscode.window.showInformationMessage('Exports probe: active=' + ext.isActive + ' exports=' + shape);",
    '  }));',
    '};',
    '',
  ].join('\n'));
  const out = path.join(dir, 'exports-probe-0.0.1.vsix');
  execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '--allow-missing-repository', '--out', out], {
    cwd: src, encoding: 'utf8', stdio: 'pipe', timeout: timeouts.load,
  });
  return out;
}

describe('e2e: the packaged .vsix installed in a clean VS Code', function () {
  this.timeout(timeouts.test);
  let vs: VsCodeSession | undefined;
  let tmp: string | undefined;
  let vsix: string;
  let devBuildBefore = false;
  let probeDir: string | undefined;

  before(async function () {
    this.timeout(timeouts.testWithPackage);
    devBuildBefore = fs.existsSync(path.join(repoRoot, 'dist/extension.js.map'));
    if (process.env.PERFECTPAY_VSIX) {
      vsix = path.resolve(process.env.PERFECTPAY_VSIX);
    } else {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'perfectpay-vsix-'));
      vsix = packageVsix(tmp);
    }
    assert.ok(fs.statSync(vsix).size < 400 * 1024, `the .vsix is ${fs.statSync(vsix).size} bytes, over 400 KB`);
    probeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'perfectpay-exports-probe-'));
    const probe = packageExportsProbe(probeDir);
    vs = await VsCodeSession.start({
      extensionDevelopmentPath: null,
      installExtensions: [vsix, probe],
      settings: { 'perfectpay.environment': 'local', 'perfectpay.localSandbox.seed': 25, 'perfectpay.pageSize': 25 },
    });
  });

  after(async () => {
    await vs?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    if (probeDir) fs.rmSync(probeDir, { recursive: true, force: true });
    if (devBuildBefore && !process.env.PERFECTPAY_VSIX) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'ignore' });
  });

  it('is installed from the .vsix into the fresh extensions dir, and nothing is loaded as under development', () => {
    const dir = path.join(vs!.server.extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
    assert.ok(fs.existsSync(path.join(dir, 'package.json')), `not installed at ${dir}: ${fs.readdirSync(vs!.server.extensionsDir).join(', ')}`);
    assert.ok(fs.existsSync(path.join(dir, 'dist/extension.js')));
    assert.ok(!fs.readdirSync(path.join(dir, 'dist')).some((f) => f.endsWith('.map')), 'sourcemaps shipped');
    assert.ok(!fs.existsSync(path.join(dir, 'node_modules')), 'node_modules shipped');
    assert.ok(!vs!.page.url().includes('payload='), 'the page loads an extension under development');
  });

  it('opens the PerfectPay view and lists the demo payments of the local sandbox', async () => {
    await vs!.openPerfectPayView();
    const rows = await vs!.waitForTreeRow(/\d+(\.\d+)? [A-Z]{3}/, timeouts.slow);
    const payments = rows.filter((r) => /\d+(\.\d+)? [A-Z]{3}/.test(r));
    assert.ok(payments.length >= 20, `rows: ${rows.join(' | ')}`);
    await vs!.page.waitForSelector('.part.statusbar :text("PerfectPay: Local sandbox")', { timeout: timeouts.action });
    const ours = activations(vs!.server.userDataDir).filter((a) => a.extensionId === PERFECTPAY_ID);
    assert.deepStrictEqual(ours.map((a) => a.event), ['onView:perfectpay.payments']);
    await vs!.screenshot('vsix-view');
  });

  it('opens a payment in the inspector with a click on its row', async () => {
    const row = vs!.page.locator('.part.sidebar .pane .monaco-list-row').filter({ hasText: /\d+(\.\d+)? [A-Z]{3}/ }).first();
    await row.click();
    const frame = await vs!.inspectorFrame(/^pay_\w+$/, timeouts.slow);
    // Its details and timeline are drawn.
    await frame.locator('.status').first().waitFor({ state: 'visible', timeout: timeouts.action });
    await frame.locator('.timeline .tl-label').first().waitFor({ state: 'visible', timeout: timeouts.action });
    await vs!.screenshot('vsix-inspector');
  });

  it('gives another extension nothing from activate()', async () => {
    await vs!.runCommand('Exports Probe: Read PerfectPay Exports');
    const listed = await vs!.waitForNotification(/Exports probe:/, timeouts.step);
    const said = listed.find((t) => t.includes('Exports probe:'))!;
    assert.match(said, /Exports probe: active=true exports=undefined/);
  });

  it('showed no error notification, and the extension logged no activation error', async () => {
    // The Notifications centre lists every notification of the session, also those whose toast has gone.
    assert.deepStrictEqual(await vs!.errorNotifications(), []);
    const log = extHostLog(vs!.server.userDataDir);
    const errors = log.split('\n').filter((l) => /\[error\]/.test(l) && /perfectpay/i.test(l));
    assert.deepStrictEqual(errors, []);
  });
});

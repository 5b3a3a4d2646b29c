// Runs the extension-host test suite (out/test/vscode/**/*.test.js, through out/test/vscode/index.js)
// inside a real VS Code with the extension under development loaded.    `npm run test:vscode`
//
//   default:                  code-server 4.100.3 (= VS Code 1.100.3, installed on demand by
//                             scripts/install-code-server.sh) opened in headless Chromium; the extension and
//                             the test module are passed through the workbench's `payload` URL parameter.
//   PERFECTPAY_TEST_ELECTRON=1  VS Code desktop through @vscode/test-electron's runTests (it downloads VS Code,
//                             which needs internet access that these machines do not have).
//
// Options: --grep PATTERN (only matching tests), --order reverse|shuffle[:SEED] (the tests in another order,
// test/testOrder.ts; also env PERFECTPAY_TEST_ORDER), --timeout SECONDS (whole run, default 600; also env
// PERFECTPAY_VSCODE_TIMEOUT), --verbose (echo code-server's log; also env PERFECTPAY_VERBOSE=1).
//
// How the result comes back: index.ts's run() writes {passed, failed, pending, failures, output} as JSON to
// a file whose path this runner passes both as env PERFECTPAY_TEST_RESULT and in
// `<fresh workspace>/.perfectpay-test-run.json` (the code-server extension host does not necessarily inherit
// our environment; it always sees its workspace folder). We wait for that file, or for code-server's
// "Extension Host Process exited with code" line, or the timeout.
//
// Prints the mocha output and the failures, then a last line `vscode: N passed, N failed`. Exit code 1 on
// any failed test, on no test run, on a timeout or when the host died without a result.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { baseSettings, CodeServer, launchChromium, preparePage, repoRoot, waitFor } from './e2e/codeServer';

interface Result {
  passed: number;
  failed: number;
  pending: number;
  failures: { title: string; message: string; stack?: string }[];
  output?: string;
}

const argv = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const grep = opt('--grep');
const order = opt('--order') ?? process.env.PERFECTPAY_TEST_ORDER;
const timeoutSec = Number(opt('--timeout') ?? process.env.PERFECTPAY_VSCODE_TIMEOUT ?? 600);
const verbose = argv.includes('--verbose') || process.env.PERFECTPAY_VERBOSE === '1';
const testsModule = path.join(repoRoot, 'out/test/vscode/index.js');

function readResult(file: string): Result | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Result;
  } catch {
    return undefined;
  }
}

function report(result: Result | undefined, problem?: string): number {
  if (result?.output) {
    process.stdout.write('\n' + result.output.replace(/\n*$/, '\n'));
  }
  if (result?.failures.length && !result.output) {
    console.log('\nFailures:');
    result.failures.forEach((f, i) => {
      console.log(`  ${i + 1}) ${f.title}\n     ${(f.stack ?? f.message).split('\n').join('\n     ')}`);
    });
  }
  const passed = result?.passed ?? 0;
  const failed = result?.failed ?? 0;
  if (problem) console.log(`\nvscode suite: ${problem}`);
  else if (passed + failed === 0) console.log('\nvscode suite: no test ran (is out/test/vscode/**/*.test.js compiled?)');
  console.log(`vscode: ${passed} passed, ${failed} failed`);
  return problem || failed > 0 || passed + failed === 0 ? 1 : 0;
}

async function viaCodeServer(): Promise<number> {
  const resultDir = fs.mkdtempSync(path.join(os.tmpdir(), 'perfectpay-vscode-result-'));
  const resultFile = path.join(resultDir, 'result.json');
  const t0 = Date.now();
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  const browserConsole: string[] = [];
  try {
    server = await CodeServer.start({
      extensionTestsPath: testsModule,
      env: { PERFECTPAY_TEST_RESULT: resultFile, ...(grep ? { PERFECTPAY_TEST_GREP: grep } : {}), ...(order ? { PERFECTPAY_TEST_ORDER: order } : {}) },
      workspaceFiles: { '.perfectpay-test-run.json': JSON.stringify({ resultFile, grep, order }) },
      echo: verbose ? process.stderr : undefined,
    });
    console.log(`code-server up on 127.0.0.1:${server.port} (${Date.now() - t0} ms); loading the extension and the tests...`);
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('console', (m) => browserConsole.push(`[browser ${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => browserConsole.push(`[browser pageerror] ${e.message}`));
    await preparePage(page);
    // Only the navigation itself is awaited (a loaded machine may take well over Playwright's default 30 s to
    // fire "load"); the run's own end is what the wait below is for.
    await page.goto(server.url(), { waitUntil: 'commit', timeout: 120_000 });

    // The run ends with its result file; or the host dies without one; or code-server does.
    let exitSeenAt: number | undefined;
    const cs = server;
    const outcome = await waitFor((): { result: Result } | { problem: string } | undefined => {
      const result = fs.existsSync(resultFile) ? readResult(resultFile) : undefined;
      if (result) return { result };
      const exit = cs.log().match(/Extension Host Process exited with code:? *(-?\d+|null)/);
      if (exit && exitSeenAt === undefined) exitSeenAt = Date.now();
      // The host is gone and 3 s later there is still no result: it died, or run() never wrote one.
      if (exitSeenAt !== undefined && Date.now() - exitSeenAt > 3000) return { problem: `the extension host exited (code ${exit?.[1]}) without writing a result` };
      if (!cs.running) return { problem: 'code-server exited before the tests finished' };
      return undefined;
    }, { what: 'the extension-host suite to finish', timeout: Math.max(1000, t0 + timeoutSec * 1000 - Date.now()), interval: 250 })
      .catch((err: Error) => ({ problem: err.message }));
    if ('result' in outcome) {
      console.log(`extension-host suite finished (${Date.now() - t0} ms in all)`);
      return report(outcome.result);
    }
    dumpDiagnostics(server, browserConsole);
    return report(undefined, outcome.problem);
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    fs.rmSync(resultDir, { recursive: true, force: true });
  }
}

function dumpDiagnostics(server: CodeServer, browserConsole: string[]): void {
  const tail = (s: string[], n: number) => s.slice(-n).join('\n');
  console.log('\n--- code-server log (last 80 lines) ---\n' + tail(server.log().split('\n'), 80));
  console.log('\n--- browser console (last 60 lines) ---\n' + tail(browserConsole, 60));
}

async function viaTestElectron(): Promise<number> {
  const { runTests } = await import('@vscode/test-electron');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'perfectpay-electron-'));
  const resultFile = path.join(tmp, 'result.json');
  const workspace = path.join(tmp, 'workspace');
  const userData = path.join(tmp, 'user-data');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(workspace, { recursive: true });
  fs.writeFileSync(path.join(userData, 'User/settings.json'), JSON.stringify(baseSettings, null, 2));
  fs.writeFileSync(path.join(workspace, '.perfectpay-test-run.json'), JSON.stringify({ resultFile, grep, order }));
  let problem: string | undefined;
  try {
    await runTests({
      version: process.env.PERFECTPAY_VSCODE_VERSION ?? '1.100.3',
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: testsModule,
      extensionTestsEnv: { PERFECTPAY_TEST_RESULT: resultFile, ...(grep ? { PERFECTPAY_TEST_GREP: grep } : {}) },
      launchArgs: [workspace, '--user-data-dir', userData, '--extensions-dir', path.join(tmp, 'extensions'),
        '--disable-workspace-trust', '--disable-gpu', ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
    });
  } catch (err) {
    // runTests rejects when the host exits non-zero (failed tests); the result file tells the details.
    if (!fs.existsSync(resultFile)) problem = `VS Code desktop run failed: ${String(err)}`;
  }
  const result = readResult(resultFile);
  fs.rmSync(tmp, { recursive: true, force: true });
  return report(result, problem);
}

async function main(): Promise<void> {
  if (!fs.existsSync(testsModule)) {
    console.error(`${path.relative(repoRoot, testsModule)} is missing: run \`npm run compile-tests\` first`);
    console.log('vscode: 0 passed, 0 failed');
    process.exit(1);
  }
  if (!fs.existsSync(path.join(repoRoot, 'dist/extension.js'))) {
    console.error('dist/extension.js is missing: run `npm run build` first');
    console.log('vscode: 0 passed, 0 failed');
    process.exit(1);
  }
  const code = process.env.PERFECTPAY_TEST_ELECTRON === '1' ? await viaTestElectron() : await viaCodeServer();
  process.exit(code);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  console.log('vscode: 0 passed, 0 failed');
  process.exit(1);
});

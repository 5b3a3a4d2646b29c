// The test module VS Code's extension host loads for `extensionTestsPath` (the contract of
// @vscode/test-electron, which code-server's web workbench honours too): it exports run(), the host
// awaits it and then exits with code 0 (resolved) or 1 (rejected).
//
// run() builds a Mocha (BDD: describe/it) over every out/test/vscode/**/*.test.js, runs it with the spec
// reporter, and writes the outcome as JSON for the runner (test/runVsCodeTests.ts):
//   { passed, failed, pending, total, durationMs, failures: [{ title, message, stack }], output }
// `output` is mocha's report interleaved with what the extension and the tests logged on `console`, so the
// runner can show it even though the extension host's own stdout goes nowhere under code-server.
//
// Where the result goes: the extension host in code-server is a child of the code-server server and may
// not see the environment of whoever started the run, so the runner passes the path twice:
//   1. env PERFECTPAY_TEST_RESULT, if the host sees it;
//   2. `<first workspace folder>/.perfectpay-test-run.json` = { resultFile, grep?, order? }: the runner opens a
//      fresh temporary workspace folder for each run and writes this file into it first;
//   3. otherwise (e.g. the "Extension Tests" launch configuration) `<first workspace folder>/.perfectpay-test-result.json`,
//      or, with no folder open, out/test/vscode/.result.json beside this file.
// The file is written to a temporary name and renamed, so a reader never sees half of it.
import * as fs from 'fs';
import * as path from 'path';
import { format } from 'util';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { reorder } from '../testOrder';

export interface TestRunResult {
  passed: number;
  failed: number;
  pending: number;
  total: number;
  durationMs: number;
  failures: { title: string; message: string; stack?: string }[];
  output: string;
}

interface RunOptions {
  resultFile?: string;
  grep?: string;
  /** "reverse" or "shuffle[:SEED]" (test/testOrder.ts): to show that no test needs another to run first. */
  order?: string;
}

function readRunOptions(): RunOptions {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const fromFile: RunOptions = {};
  if (folder?.scheme === 'file') {
    const f = path.join(folder.fsPath, '.perfectpay-test-run.json');
    if (fs.existsSync(f)) Object.assign(fromFile, JSON.parse(fs.readFileSync(f, 'utf8')) as RunOptions);
  }
  const resultFile =
    process.env.PERFECTPAY_TEST_RESULT ||
    fromFile.resultFile ||
    (folder?.scheme === 'file'
      ? path.join(folder.fsPath, '.perfectpay-test-result.json')
      : path.join(__dirname, '.result.json'));
  return { resultFile, grep: process.env.PERFECTPAY_TEST_GREP || fromFile.grep, order: process.env.PERFECTPAY_TEST_ORDER || fromFile.order };
}

function findTests(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findTests(p));
    else if (entry.name.endsWith('.test.js')) found.push(p);
  }
  return found.sort();
}

/**
 * Copies what the extension and the tests log through `console` into `sink` (interleaved with mocha's
 * report), and still logs it as usual. VS Code's extension host makes console.log & co. unassignable
 * (they forward to the renderer), so this swaps the global `console` object for the run instead.
 */
function captureConsole(sink: string[]): () => void {
  const original = globalThis.console;
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'console');
  if (descriptor && !descriptor.configurable) return () => undefined;
  const copy = Object.create(original) as Console;
  const levels = { log: '', info: '', debug: '', warn: '[warn] ', error: '[error] ' } as const;
  for (const [m, prefix] of Object.entries(levels) as [keyof typeof levels, string][]) {
    const orig = original[m];
    // defineProperty, not assignment: VS Code's console has setters that ignore assignments.
    Object.defineProperty(copy, m, {
      configurable: true,
      writable: true,
      value: (...args: unknown[]) => {
        sink.push(prefix + format(...args) + '\n');
        orig.apply(original, args);
      },
    });
  }
  try {
    Object.defineProperty(globalThis, 'console', { value: copy, configurable: true, writable: true, enumerable: false });
  } catch {
    return () => undefined;
  }
  return () => {
    if (descriptor) Object.defineProperty(globalThis, 'console', descriptor);
    else Object.defineProperty(globalThis, 'console', { value: original, configurable: true, writable: true });
  };
}

function writeResult(file: string, result: TestRunResult): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(result, null, 2));
  fs.renameSync(tmp, file);
}

export async function run(): Promise<void> {
  const options = readRunOptions();
  const output: string[] = [];
  const failures: TestRunResult['failures'] = [];
  const started = Date.now();
  // Mocha's reporters print through Base.consoleLog: send that into the result (the runner prints it).
  const base = Mocha.reporters.Base as unknown as { consoleLog: (...a: unknown[]) => void };
  const savedConsoleLog = base.consoleLog;
  base.consoleLog = (...a: unknown[]) => {
    output.push(format(...a) + '\n');
  };
  const restoreConsole = captureConsole(output);
  let stats = { passes: 0, failures: 0, pending: 0, tests: 0 };
  try {
    const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 20000, slow: 2000 });
    if (options.grep) mocha.grep(options.grep);
    for (const file of findTests(__dirname)) mocha.addFile(file);
    await mocha.loadFilesAsync();
    const reordered = reorder(mocha.suite, options.order);
    if (reordered) output.push(`  (${reordered})\n`);
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      runner.on('fail', (test, err: Error) => {
        failures.push({ title: test.fullTitle(), message: err?.message ?? String(err), stack: err?.stack });
      });
      runner.on('end', () => {
        stats = { passes: runner.stats?.passes ?? 0, failures: runner.stats?.failures ?? 0,
          pending: runner.stats?.pending ?? 0, tests: runner.stats?.tests ?? 0 };
      });
    });
  } catch (err) {
    // Loading a test file failed (syntax error, a throwing import...): report it as a failure.
    const e = err instanceof Error ? err : new Error(String(err));
    failures.push({ title: 'loading the extension-host test files', message: e.message, stack: e.stack });
    stats.failures = Math.max(stats.failures, failures.length);
  } finally {
    base.consoleLog = savedConsoleLog;
    restoreConsole();
  }
  const failed = Math.max(stats.failures, failures.length);
  const result: TestRunResult = {
    passed: stats.passes,
    failed,
    pending: stats.pending,
    total: stats.passes + failed + stats.pending,
    durationMs: Date.now() - started,
    failures,
    output: output.join(''),
  };
  if (options.resultFile) writeResult(options.resultFile, result);
  if (failed > 0) throw new Error(`${failed} extension-host test(s) failed`);
  if (result.passed === 0) throw new Error('no extension-host test ran');
}

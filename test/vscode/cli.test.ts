// One engine (issue 19): the same scenario files give the same verdicts in the Testing view and in the
// `perfectpay` CLI (dist/perfectpay.js run as a process, `scenarios run --sandbox`): each scenario's
// outcome, each step's, and the failing step's message, expected and actual. Also the test-card
// matrix's wall time in the Testing view, for `npm run bench` (test-results/matrix-ui.json).
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ScenarioController } from '../../src/scenarios/controller';
import { declinedExpectedToSucceed, twoPartCapture } from '../scenarioFixtures';
import { api, EXT_ID, settings } from './helpers';

function runCli(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const bundle = path.join(vscode.extensions.getExtension(EXT_ID)!.extensionPath, 'dist', 'perfectpay.js');
  assert.ok(fs.existsSync(bundle), 'dist/perfectpay.js is built by `node esbuild.mjs`');
  // The extension host's Node (code-server's); as plain Node in VS Code desktop's Electron.
  const child = spawn(process.execPath, [bundle, ...args], { cwd, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', PERFECTPAY_API_KEY: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** What the CLI printed of one scenario: its outcome, and its steps ("✓ 1. create 10.00 USD" → passed, "1. create 10.00 USD"). */
function cliVerdict(stdout: string, name: string): { scenario: string; steps: { outcome: string; label: string }[] } {
  const block = stdout.split(/^(?=▶ )/m).find((b) => b.startsWith(`▶ ${name} — `));
  assert.ok(block, `no output for ${name}:\n${stdout}`);
  const marks: Record<string, string> = { '✓': 'passed', '✗': 'failed', '–': 'skipped' };
  const steps = [...block.matchAll(/^ {2}([✓✗–]) (.+?) \(\d+ ms\)/gm)].map((m) => ({ outcome: marks[m[1]!]!, label: m[2]! }));
  const scenario = /^✓ passed in \d+ ms$/m.test(block) ? 'passed' : /^✗ failed at step /m.test(block) ? 'failed' : 'other';
  return { scenario, steps };
}

describe('The same verdicts in the Testing view and in the perfectpay CLI', function () {
  this.timeout(180_000);
  let s: ScenarioController;

  before(async () => {
    await api();
    await settings({ environment: 'local' });
    s = (await vscode.commands.executeCommand<ScenarioController>('perfectpay.scenarios.testApi'))!;
    assert.ok(s);
  });

  it('a passing and a failing file: each scenario, each step, and the failure\'s message, expected and actual', async () => {
    const folder = vscode.workspace.workspaceFolders![0]!.uri;
    const t = Math.random().toString(36).slice(2, 8);
    const files = [
      { name: `cli parity pass ${t}`, file: `cli-pass-${t}.perfectpay.json`, text: JSON.stringify(twoPartCapture(`cli parity pass ${t}`), null, 2) },
      { name: `cli parity fail ${t}`, file: `cli-fail-${t}.perfectpay.json`, text: declinedExpectedToSucceed(`cli parity fail ${t}`) },
    ];
    const uris: vscode.Uri[] = [];
    for (const f of files) {
      const uri = vscode.Uri.joinPath(folder, 'scenarios', f.file);
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(f.text));
      uris.push(uri);
    }
    try {
      // The Testing view.
      const entries = await Promise.all(uris.map((u) => s.entry(u)));
      const results = await s.run(new vscode.TestRunRequest(entries.map((e) => e!.item)), new vscode.CancellationTokenSource().token);
      const rec = s.lastRun!;
      // The CLI, on the same files.
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'perfectpay-cli-parity-'));
      const cli = await runCli(['scenarios', 'run', '--sandbox', '--reporter', 'junit', '--output', path.join(out, 'junit.xml'), ...uris.map((u) => u.fsPath)], path.join(folder.fsPath, 'scenarios'));
      const xml = fs.readFileSync(path.join(out, 'junit.xml'), 'utf8');
      fs.rmSync(out, { recursive: true, force: true });
      assert.equal(cli.code, 1, cli.stdout + cli.stderr);

      const verdicts = entries.map((e, i) => {
        const r = results.get(e!.item.id)!;
        const view = { scenario: r.outcome, steps: [] as { outcome: string; label: string }[] };
        e!.item.children.forEach((c) => {
          const state = rec.states.get(c.id)?.state;
          if (state !== 'skipped') view.steps.push({ outcome: state!, label: c.label });
        });
        view.steps.sort((a, b) => parseInt(a.label) - parseInt(b.label));
        return { view, cli: cliVerdict(cli.stdout, files[i]!.name) };
      });
      assert.deepEqual(verdicts.map((v) => v.view.scenario), ['passed', 'failed']);
      for (const v of verdicts) assert.deepEqual(v.cli, v.view);

      // The failure: the same message, expected and actual in the view's diff and in the JUnit XML.
      const m = rec.states.get(`${entries[1]!.item.id}#2`)!.messages[0]!;
      const failure = /<failure type="step ([^"]*)" message="([^"]*)">[^]*?Expected:\n([^]*?)\nActual:\n([^]*?)<\/failure>/.exec(xml);
      assert.ok(failure, xml);
      const unescape = (x: string) => x.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
      assert.equal(failure[1], '3. expect status = succeeded');
      assert.equal(unescape(failure[2]!), m.message);
      assert.deepEqual(JSON.parse(failure[3]!), JSON.parse(m.expected!));
      assert.deepEqual(JSON.parse(failure[4]!), JSON.parse(m.actual!));
    } finally {
      for (const u of uris) await vscode.workspace.fs.delete(u);
    }
  });

  it('the test-card matrix in the Testing view: its wall time (for npm run bench)', async () => {
    const t0 = performance.now();
    await s.run(new vscode.TestRunRequest([s.matrix()]), new vscode.CancellationTokenSource().token);
    const ms = performance.now() - t0;
    const rows = s.lastRun!.results.size;
    assert.equal(rows, s.matrix().children.size);
    const dir = path.join(vscode.extensions.getExtension(EXT_ID)!.extensionPath, 'test-results');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'matrix-ui.json'), JSON.stringify({ at: new Date().toISOString(), rows, ms: Math.round(ms) }));
  });
});

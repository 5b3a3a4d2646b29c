// Payment scenarios inside a real VS Code, against the local sandbox the extension starts: the
// TestController "PerfectPay Scenarios" finds files written into the workspace, runs them, and
// reports pass and fail with the messages (step, expected, actual, answer, payment links); CodeLens,
// the test-card matrix and its Markdown export, New Scenario from Payment, the environment rule,
// cancellation. Each test makes its own files and payments.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Payment } from '../../src/api/schemas';
import type { PerfectPayTestApi } from '../../src/extension';
import { MATRIX_ROWS } from '../../src/scenarioEngine/matrix';
import type { ScenarioResult } from '../../src/scenarioEngine/runner';
import type { RecordedRun, ScenarioController } from '../../src/scenarios/controller';
import type { MatrixSummary } from '../../src/scenarios/commands';
import { newPaymentId } from '../../src/domain/ids';
import { fakePerfectPay, paymentAnswer, type FakePerfectPay } from '../fakePerfectPay';
import { declinedExpectedToSucceed, twoPartCapture } from '../scenarioFixtures';
import { api, cardArg, createPayment, lastError, requestsDuring, run, settings, waitFor } from './helpers';
import { testRunOf } from '../../src/domain/payment';
import { canDo } from '../../src/domain/status';

const tag = (): string => Math.random().toString(36).slice(2, 8);

function folder(): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the extension-host suite runs with a workspace folder');
  return f.uri;
}

async function write(name: string, content: unknown): Promise<vscode.Uri> {
  const uri = vscode.Uri.joinPath(folder(), 'scenarios', name);
  const text = typeof content === 'string' ? content : JSON.stringify(content, null, 2);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

/** Resolves when `check` is true, re-checked on each of the controller's file updates (no fixed sleep). */
function until(s: ScenarioController, check: () => boolean, what: string, ms = 15_000): Promise<void> {
  if (check()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out waiting for ${what}`));
    }, ms);
    const sub = s.onDidUpdateFile(() => {
      if (!check()) return;
      clearTimeout(timer);
      sub.dispose();
      resolve();
    });
  });
}

async function runItems(s: ScenarioController, items: vscode.TestItem[], cts = new vscode.CancellationTokenSource()): Promise<{ results: Map<string, ScenarioResult>; rec: RecordedRun }> {
  const results = await s.run(new vscode.TestRunRequest(items), cts.token);
  assert.ok(s.lastRun);
  return { results, rec: s.lastRun };
}

const PASSING = (name: string) => twoPartCapture(name, name);

/** Deliberately wrong: a declined card expected to succeed (the expect's "status" is on line 6, 0-based). */
const FAILING = declinedExpectedToSucceed;

describe('PerfectPay scenarios in the Testing view', function () {
  this.timeout(120_000);
  let a: PerfectPayTestApi;
  let s: ScenarioController;

  before(async () => {
    a = await api();
    await settings({ environment: 'local' });
    s = (await vscode.commands.executeCommand<ScenarioController>('perfectpay.scenarios.testApi'))!;
    assert.ok(s, 'the scenario test API is registered in ExtensionMode.Test');
  });

  it('activation made the controller but read no file (discovery waits for the Testing view)', () => {
    assert.equal(s.controller.id, 'perfectpay.scenarios');
    assert.equal(s.controller.label, 'PerfectPay Scenarios');
    assert.equal(s.discoveredAtActivation, false);
    // When nothing has asked for them yet (this test first), no item either.
    if (!s.discovered) assert.equal(s.controller.items.size, 0);
  });

  it('discovers a file written into the workspace, each step a child with its line; follows a new file through the watcher', async () => {
    const t = tag();
    const first = await write(`pass-${t}.perfectpay.json`, PASSING(`two-part capture ${t}`));
    // What the Testing view does when it opens.
    await s.controller.resolveHandler!(undefined);
    assert.ok(s.discovered);
    // Discovered now, or earlier by another test (then the watcher brings it in).
    await until(s, () => s.controller.items.get(first.toString()) !== undefined, 'the file written before to be an item');
    const item = s.controller.items.get(first.toString())!;
    assert.equal(item.label, `two-part capture ${t}`);
    assert.equal(item.children.size, 7);
    const step3 = item.children.get(`${first.toString()}#2`);
    assert.equal(step3?.label, '3. expect status = requires_capture, amount_capturable = 1000');
    assert.equal(step3?.range?.start.line, 17, 'the step item points at its line (gutter results)');
    assert.ok(s.controller.items.get('perfectpay.matrix'), 'the built-in matrix is in the view');

    const second = vscode.Uri.joinPath(folder(), 'scenarios', `late-${t}.perfectpay.json`);
    const seen = until(s, () => s.controller.items.get(second.toString()) !== undefined, 'the watcher to see the new file');
    await vscode.workspace.fs.writeFile(second, new TextEncoder().encode(JSON.stringify(PASSING(`late ${t}`))));
    await seen;
    // An edit on disk updates the items.
    const renamed = until(s, () => s.controller.items.get(second.toString())?.label === `renamed ${t}`, 'the watcher to see the change');
    await vscode.workspace.fs.writeFile(second, new TextEncoder().encode(JSON.stringify(PASSING(`renamed ${t}`))));
    await renamed;
    const gone = until(s, () => s.controller.items.get(second.toString()) === undefined, 'the watcher to see the deletion');
    await vscode.workspace.fs.delete(second);
    await gone;
  });

  it('runs a passing and a failing scenario: pass, and a failure that names the step, expected and actual, with the answer and the payment link', async () => {
    const t = tag();
    const good = await s.entry(await write(`good-${t}.perfectpay.json`, PASSING(`good ${t}`)));
    const bad = await s.entry(await write(`bad-${t}.perfectpay.json`, FAILING(`bad ${t}`)));
    assert.ok(good && bad);
    const { results, rec } = await runItems(s, [good.item, bad.item]);

    const g = results.get(good.item.id)!;
    assert.equal(g.outcome, 'passed', g.message);
    assert.equal(rec.states.get(good.item.id)?.state, 'passed');
    good.item.children.forEach((c) => assert.equal(rec.states.get(c.id)?.state, 'passed', c.label));

    const b = results.get(bad.item.id)!;
    assert.equal(b.outcome, 'failed');
    assert.equal(rec.states.get(bad.item.id)?.state, 'failed');
    const failedStep = rec.states.get(`${bad.item.id}#2`)!;
    assert.equal(failedStep.state, 'failed');
    const m = failedStep.messages[0]!;
    assert.match(m.message, /^Step 3\. expect status = succeeded: status expected "succeeded", got "failed" \(error_code card_declined: Your card was declined\.\)\.$/);
    assert.deepEqual(JSON.parse(m.expected!), { status: 'succeeded' });
    assert.deepEqual(JSON.parse(m.actual!), { status: 'failed' });
    assert.equal(m.line, 6, 'the message points at the field that did not match');
    assert.equal(m.uri, bad.uri.toString());
    // The second message: the answer, redacted, and the payment as a link to its inspector.
    const paymentId = b.payments[0]!;
    const answer = failedStep.messages[1]!;
    assert.ok(answer.message.includes(`(command:perfectpay.inspectPayment?${encodeURIComponent(JSON.stringify([paymentId]))})`), 'the payment is a link to its inspector');
    assert.match(answer.message, /"error_code": "card_declined"/, 'the answer is attached');
    assert.match(answer.message, /"client_secret": "pay_\w+_secret_••••"/, 'the answer is redacted');
    assert.equal(answer.line, 5, 'the answer is at the step');
    assert.doesNotMatch(JSON.stringify(failedStep.messages), /4000000000000002/, 'no card number in the messages');
    assert.equal(rec.states.get(`${bad.item.id}#3`)?.state, 'skipped', 'the steps after the failure are skipped');
    assert.deepEqual(rec.states.get(bad.item.id)?.messages, [m], 'the file item carries the diff');

    // Every payment made is in the output, as plain text (Test Results shows no links there: no raw `command:` URI).
    for (const id of [...g.payments, ...b.payments]) {
      assert.ok(rec.output.includes(`payment ${id}`), `the output names ${id}`);
    }
    assert.doesNotMatch(rec.output, /command:/, 'a raw command URI in the output');
    assert.doesNotMatch(rec.output, /4242424242424242|4000000000000002/);
    // The payments went through the service: in its cache and history, like any other.
    assert.equal(a.service.cached(g.payments[0]!)?.status, 'succeeded');
    assert.deepEqual(a.service.history(g.payments[0]!).map((o) => o.cause), ['create', 'confirm', 'capture', 'capture']);
  });

  it('CodeLens "Run scenario" above the name and each expect; the command runs the file', async () => {
    const t = tag();
    const uri = await write(`lens-${t}.perfectpay.json`, PASSING(`lens ${t}`));
    await vscode.window.showTextDocument(uri);
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
    const ours = lenses.filter((l) => l.command?.command === 'perfectpay.runScenario');
    assert.deepEqual(ours.map((l) => l.range.start.line), [1, 17, 28, 36]);
    assert.ok(ours.every((l) => /Run scenario/.test(l.command!.title)));
    const result = await run<ScenarioResult>(ours[0]!.command!.command, ours[0]!.command!.arguments?.[0]);
    assert.equal(result?.outcome, 'passed', result?.message);
    const after = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
    assert.ok(after.some((l) => l.command?.title === '$(play) Run scenario · last run passed'));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('a wrong file: its problems at their lines (item error, Problems view), errored when run, nothing sent', async () => {
    const t = tag();
    const uri = await write(`broken-${t}.perfectpay.json`, '{ "name": "broken",\n  "steps": [\n    { "create": { "amount": "10", "currency": "USD" } }\n  ] }');
    const entry = await s.entry(uri);
    assert.ok(entry?.item.error, 'the item shows the problem');
    const diags = vscode.languages.getDiagnostics(uri);
    assert.equal(diags.length, 1);
    assert.equal(diags[0]!.range.start.line, 2);
    assert.equal(diags[0]!.message, 'steps[0].create.amount: must be an integer, without quotes (10), found the string "10"');
    const { result: { rec }, sent } = await requestsDuring(a, () => runItems(s, [entry.item]));
    const st = rec.states.get(entry.item.id)!;
    assert.equal(st.state, 'errored');
    assert.match(st.messages[0]!.message, /line 3: steps\[0\]\.create\.amount: must be an integer/);
    assert.deepEqual(sent.filter((r) => !r.startsWith('GET ')), [], 'the scenario sent nothing');
  });

  it('each mistake of an open scenario once in Problems (the JSON schema marks some too), all of them counted', async () => {
    const uri = await write(`two-${tag()}.perfectpay.json`, '{ "name": "two",\n  "steps": [\n    { "create": { "amount": "10", "currency": "USD" } },\n    { "wait": { "status": "succeeded", "timeout_s": "5" } }\n  ] }');
    const entry = await s.entry(uri);
    assert.equal(s.problemCount(uri), 2);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    try {
      const byLine = () => {
        const lines = new Map<number, string[]>();
        for (const d of vscode.languages.getDiagnostics(uri)) lines.set(d.range.start.line, [...(lines.get(d.range.start.line) ?? []), `${d.source}: ${d.message}`]);
        return lines;
      };
      // Once the JSON language service has validated the file: one mark on each mistake's line.
      await waitFor(() => {
        const lines = byLine();
        return vscode.languages.getDiagnostics(uri).some((d) => d.source !== 'PerfectPay scenario') && [2, 3].every((l) => lines.get(l)?.length === 1) && lines.size === 2;
      }, { what: `each mistake once (${JSON.stringify([...byLine()])})` });
      assert.ok(entry?.item.error, 'the Testing view still names the problems');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
  });

  it('a scenario for another environment is not run (errored, nothing sent)', async () => {
    const uri = await write(`other-env-${tag()}.perfectpay.json`, { environment: 'sandbox', steps: [{ create: { amount: 100, currency: 'USD' } }] });
    const entry = await s.entry(uri);
    const { result: { results, rec }, sent } = await requestsDuring(a, () => runItems(s, [entry!.item]));
    assert.equal(results.get(entry!.item.id)?.outcome, 'refused');
    assert.equal(rec.states.get(entry!.item.id)?.state, 'errored');
    assert.match(rec.states.get(entry!.item.id)!.messages[0]!.message, /^Not run: this scenario says "environment": "sandbox", and the current environment is Local sandbox/);
    assert.deepEqual(sent.filter((r) => !r.startsWith('GET ')), [], 'the scenario sent nothing');
  });

  it('cancelling the run stops the step in flight and skips the rest', async () => {
    const uri = await write(`cancel-${tag()}.perfectpay.json`, {
      steps: [{ create: { amount: 100, currency: 'USD' } }, { wait: { status: 'succeeded', timeout_s: 120 } }, { cancel: {} }],
    });
    const entry = await s.entry(uri);
    const cts = new vscode.CancellationTokenSource();
    // Cancel once the create has answered (the wait is then polling).
    const sub = a.service.onDidChangePayment((e) => {
      if (e.cause === 'create') setImmediate(() => cts.cancel());
    });
    try {
      const { results, rec } = await runItems(s, [entry!.item], cts);
      const r = results.get(entry!.item.id)!;
      assert.equal(r.outcome, 'cancelled');
      assert.deepEqual(r.steps.map((x) => x.outcome), ['passed', 'skipped', 'skipped']);
      assert.equal(rec.states.get(entry!.item.id)?.state, 'skipped');
      assert.equal(a.service.cached(r.payments[0]!)?.status, 'requires_payment_method', 'the cancel step was not sent');
    } finally {
      sub.dispose();
    }
  });

  it('a switch of environment during a run stops it: the steps left are not sent anywhere', async () => {
    const uri = await write(`switch-${tag()}.perfectpay.json`, {
      steps: [{ create: { amount: 100, currency: 'USD' } }, { wait: { status: 'succeeded', timeout_s: 120 } }, { cancel: {} }],
    });
    const entry = await s.entry(uri);
    const sub = a.service.onDidChangePayment((e) => {
      if (e.cause === 'create') void settings({ environment: 'sandbox' });
    });
    try {
      const { results, rec } = await runItems(s, [entry!.item]);
      const r = results.get(entry!.item.id)!;
      assert.equal(r.outcome, 'cancelled');
      assert.deepEqual(r.steps.map((x) => x.outcome), ['passed', 'skipped', 'skipped']);
      const st = rec.states.get(entry!.item.id)!;
      assert.equal(st.state, 'errored');
      assert.equal(st.messages[0]?.message, 'Stopped: the environment changed to PerfectPay sandbox during the run (the steps left were not sent).');
    } finally {
      sub.dispose();
      await settings({ environment: 'local' });
    }
    assert.equal(a.service.environment().kind, 'local');
  });

  it('"Run Test Card Matrix": every row of the contract in the Testing view; the results as a Markdown table', async () => {
    const summary = await run<MatrixSummary>('perfectpay.runTestCardMatrix');
    assert.ok(summary);
    assert.equal(summary.environment, 'Local sandbox');
    assert.equal(summary.passed + summary.differ + summary.notRun, MATRIX_ROWS.length);
    assert.equal(summary.notRun, 0);
    // The local sandbox honours the rows of its own card table (the rest are being brought to the contract).
    for (const id of ['card-4242424242424242', 'card-4000000000000002', 'card-4000000000003220', 'card-4000000000000259', 'method-bank_transfer-pix', 'method-voucher-boleto']) {
      assert.equal(summary.results.get(id)?.outcome, 'passed', `${id}: ${summary.results.get(id)?.message}`);
    }
    const rowItem = s.matrix().children.get('perfectpay.matrix/card-4242424242424242');
    assert.equal(s.lastRun?.states.get(rowItem!.id)?.state, 'passed');
    // Its payments are marked as the matrix's, and none is left waiting (a customer's step, a capture).
    const made = [...summary.results.values()].flatMap((r) => r.payments);
    assert.ok(made.length >= MATRIX_ROWS.length, `${made.length} payments`);
    const now = await Promise.all(made.map((id) => a.service.retrievePayment(id)));
    assert.deepEqual(now.filter((p) => testRunOf(p) !== 'matrix').map((p) => p.payment_id), [], 'every matrix payment is marked');
    assert.deepEqual(now.filter((p) => canDo('cancel', p.status)).map((p) => `${p.payment_id} ${p.status}`), [], 'none is left waiting');
    assert.ok(now.some((p) => p.status === 'cancelled'), 'the waiting ones were cancelled');
    const md = await run<string>('perfectpay.exportTestCardMatrix');
    assert.ok(md);
    assert.equal(md.split('\n').filter((l) => /^\| \d+ \|/.test(l)).length, MATRIX_ROWS.length);
    assert.match(md, /\| 1 \| Visa •••• 4242 \| card •••• 4242 \| succeeded \| succeeded \| ✅ as documented \|/);
    assert.equal(vscode.window.activeTextEditor?.document.languageId, 'markdown');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('"Run All Tests" runs the workspace\'s scenarios, not the matrix (it has its own run profile); scenario payments are marked', async () => {
    const uri = await write(`run-all-${tag()}.perfectpay.json`, PASSING(`run all ${tag()}`));
    const entry = await s.entry(uri);
    // "Run All" includes nothing; the other tests' files are left out (some are slow on purpose), the matrix is not.
    const others: vscode.TestItem[] = [];
    s.controller.items.forEach((i) => void (i.id !== entry!.item.id && i.id !== s.matrix().id && others.push(i)));
    const results = await s.run(new vscode.TestRunRequest(undefined, others), new vscode.CancellationTokenSource().token);
    assert.ok(results.has(entry!.item.id), 'the file ran');
    assert.deepEqual([...results.keys()].filter((k) => !k.startsWith('file:')), [], 'no matrix row ran');
    const payment = await a.service.retrievePayment(results.get(entry!.item.id)!.payments[0]!);
    assert.equal(testRunOf(payment), 'scenario');
  });

  it('"New Scenario from Payment" writes a file that reproduces the payment, and it passes', async () => {
    const t = tag();
    const created = await createPayment({ amount: 3000, currency: 'USD', capture_method: 'manual', description: `From history ${t}` });
    await run<Payment>('perfectpay.confirmPayment', { paymentId: created.payment_id, ...cardArg('4242424242424242') });
    await run<Payment>('perfectpay.capturePayment', { paymentId: created.payment_id, amount_to_capture: 1000 });
    const uri = await run<vscode.Uri>('perfectpay.newScenarioFromPayment', created.payment_id);
    assert.ok(uri);
    assert.match(uri.path, new RegExp(`/scenarios/from-history-${t}-pay_.*\\.perfectpay\\.json$`));
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    assert.match(text, /\{ "capture": \{ "amount_to_capture": 1000 \} \},\n    \{ "expect": \{ "status": "partially_captured", "amount_received": 1000 \} \}/);
    const entry = await s.entry(uri);
    const { results } = await runItems(s, [entry!.item]);
    assert.equal(results.get(entry!.item.id)?.outcome, 'passed', results.get(entry!.item.id)?.message);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});

// A hostile custom server: the payment_id of its answer must not name the scenario's file.
describe('New Scenario from Payment against a server that answers a hostile payment_id', function () {
  this.timeout(60_000);
  const KEY = `sk_test_hostile_id_${Date.now()}`;
  let fake: FakePerfectPay;

  before(async () => {
    await api();
    fake = await fakePerfectPay(KEY);
    await settings({ environment: 'custom', baseUrl: fake.api.base });
    assert.equal(await run('perfectpay.setApiKey', KEY), true);
    // The settings' change events may still be arriving (each starts a new environment): until the
    // fake answers a list through the service, the environment is not the one the test is about.
    const a = await api();
    await waitFor(async () => (await a.service.listPayments({ limit: 1 })) !== undefined && a.service.environment().baseUrl === fake.api.base,
      { what: 'the custom environment to answer' });
  });
  after(async () => {
    await settings({ environment: 'local', baseUrl: undefined });
    await fake?.close();
  });

  it('names the file from the id asked for, inside scenarios/, whatever payment_id the answer carries', async () => {
    const t = tag();
    const id = newPaymentId();
    // 16 characters, no description: the old name was this id itself, one folder above scenarios/.
    const hostile = `../hostile-${t}`.padEnd(16, '0').slice(0, 16);
    fake.payments.set(id, paymentAnswer(id, { payment_id: hostile, description: null, status: 'succeeded' }));
    const escaped = vscode.Uri.joinPath(folder(), 'scenarios', `${hostile}.perfectpay.json`);
    assert.ok(!escaped.path.includes('/scenarios/'), `the hostile id leaves scenarios/: ${escaped.path}`);
    try {
      const uri = await run<vscode.Uri>('perfectpay.newScenarioFromPayment', id);
      assert.ok(uri, `no file written: ${lastError(await api()) ?? 'no error shown'}`);
      assert.equal(uri.path, vscode.Uri.joinPath(folder(), 'scenarios', `${id.slice(0, 16)}.perfectpay.json`).path);
      await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(escaped)), 'a file was written outside scenarios/');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await vscode.workspace.fs.delete(uri);
    } finally {
      await Promise.resolve(vscode.workspace.fs.delete(escaped)).catch(() => undefined);
    }
  });
});

/**
 * The test-card matrix: written from the contract (checked against perfectpay-api.md's tables when
 * that file is beside the project), every row a valid scenario, run against the local sandbox over
 * real HTTP, and exported as a Markdown table.
 *
 * The local sandbox is being brought to the contract's card table: rows it does not honour yet are
 * reported, not asserted. Asserted: every row whose card or method the sandbox knows (src/domain/
 * cards.ts) with the same outcome as the contract.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PerfectPayClient } from '../../../src/api';
import { TEST_CARDS, TEST_METHODS, type TestCard } from '../../../src/domain/cards';
import { actualText, MATRIX_ROWS, matrixMarkdown, matrixScenarios, type MatrixRow } from '../../../src/scenarioEngine/matrix';
import { runScenario, runWithLimit, SCENARIO_CONCURRENCY, type ScenarioResult } from '../../../src/scenarioEngine/runner';
import { startSandbox } from '../../../src/sandbox';
import { clientPort } from '../../../src/scenarioEngine/clientPort';

const KEY = 'sk_test_matrix_0123456789';
const CONTRACT = path.resolve(__dirname, '../../../../../shared/perfectpay-api.md');

/** Whether the sandbox's own table (the domain's) gives this row the contract's outcome. */
function sandboxAgrees(row: MatrixRow): boolean {
  if (row.create) return false;
  if (row.method) {
    return TEST_METHODS.some((m) => m.payment_method === row.method!.payment_method && m.payment_method_type === row.method!.payment_method_type && m.nextAction === row.expect.next_action_type);
  }
  const card: TestCard | undefined = TEST_CARDS.find((c) => c.number === row.card);
  if (!card) return false;
  const o = card.outcome;
  switch (o.kind) {
    case 'authorised':
      return row.expect.status === 'succeeded';
    case 'declined':
      return row.expect.status === 'failed' && row.expect.error_code === o.code;
    case 'three_ds_redirect':
      return row.expect.next_action_type === 'redirect_to_url';
    case 'three_ds_invoke':
      return row.expect.next_action_type === 'three_ds_invoke';
    case 'processing':
      return row.expect.status === 'processing';
  }
}

describe('test-card matrix', function () {
  this.timeout(60_000);

  it('has every card and method of the contract, with the outcome it documents', function () {
    if (!fs.existsSync(CONTRACT)) this.skip();
    const doc = fs.readFileSync(CONTRACT, 'utf8');
    const cards = doc.slice(doc.indexOf('| card number | outcome at confirm |'), doc.indexOf('Any authorisable card'));
    let n = 0;
    for (const line of cards.split('\n').filter((l) => /^\| \d/.test(l))) {
      const [numbers, outcome] = line.split('|').slice(1, 3).map((c) => c.trim()) as [string, string];
      for (const number of numbers.match(/\d{12,19}/g) ?? []) {
        n++;
        const row = MATRIX_ROWS.find((r) => r.card === number && !r.create && !r.expect.refund);
        assert.ok(row, `the matrix has no row for the contract's card ${number}`);
        if (outcome.startsWith('authorised after a delay')) assert.deepEqual([row.expect.status, row.expect.thenStatus], ['processing', 'succeeded']);
        else if (outcome.startsWith('authorised')) assert.equal(row.expect.status, 'succeeded', number);
        else if (outcome.startsWith('declined')) {
          const code = [...outcome.matchAll(/`(\w+)`/g)].pop()![1];
          assert.deepEqual([row.expect.status, row.expect.error_code], ['failed', code], number);
        } else if (outcome.startsWith('3DS')) {
          const type = /`(redirect_to_url|three_ds_invoke)`/.exec(outcome)![1];
          assert.deepEqual([row.expect.status, row.expect.next_action_type], ['requires_customer_action', type], number);
        } else assert.fail(`unread contract outcome: ${outcome}`);
      }
    }
    // The Refunds section's cards: authorised, then their refund's two statuses.
    const refundTable = doc.slice(doc.indexOf('4000000000005126') - 2).split('\n');
    for (const line of refundTable.slice(0, refundTable.findIndex((l) => !l.startsWith('|')))) {
      const [number, outcome] = line.split('|').slice(1, 3).map((c) => c.trim()) as [string, string];
      n++;
      const row = MATRIX_ROWS.find((r) => r.card === number && r.expect.refund);
      assert.ok(row, `the matrix has no refund row for the contract's card ${number}`);
      const [first, then] = [...outcome.matchAll(/`(\w+)`/g)].map((x) => x[1]);
      assert.deepEqual([row.expect.status, row.expect.refund!.status, row.expect.refund!.thenStatus], ['succeeded', first, then], number);
    }
    assert.equal(n, MATRIX_ROWS.filter((r) => r.card && !r.create).length, 'a matrix card row that the contract does not list');
    // That table alone: it ends at the first line that is not a row (later sections have tables too).
    const methods = doc.slice(doc.indexOf('| payment_method / payment_method_type | next_action |')).split('\n');
    const tableEnd = methods.findIndex((l) => !l.startsWith('|'));
    let m = 0;
    for (const line of methods.slice(0, tableEnd < 0 ? undefined : tableEnd).filter((l) => /^\| `/.test(l))) {
      const [pm, rest] = line.split('|').slice(1, 3).map((c) => c.trim()) as [string, string];
      const family = /`(\w+)`/.exec(pm)![1]!;
      const types = [...pm.matchAll(/`(\w+)`/g)].map((x) => x[1]!).slice(1);
      const next = /`(\w+)`/.exec(rest)![1];
      for (const t of types) {
        m++;
        const row = MATRIX_ROWS.find((r) => r.method?.payment_method === family && r.method.payment_method_type === t);
        assert.ok(row, `the matrix has no row for ${family}/${t}`);
        assert.equal(row.expect.next_action_type, next, `${family}/${t}`);
      }
    }
    assert.equal(m, MATRIX_ROWS.filter((r) => r.method).length);
  });

  it('every row is a valid scenario: create, confirm, expect (and wait for the processing card)', () => {
    const all = matrixScenarios();
    assert.equal(all.length, MATRIX_ROWS.length);
    assert.equal(new Set(MATRIX_ROWS.map((r) => r.id)).size, MATRIX_ROWS.length, 'row ids are unique');
    for (const { row, scenario } of all) {
      assert.deepEqual(scenario.steps.slice(0, 3).map((s) => s.kind), ['create', 'confirm', 'expect'], row.id);
      assert.equal(scenario.environment, undefined, 'the matrix runs on the current environment');
      assert.doesNotMatch(scenario.name + scenario.steps.map((s) => s.label).join(), /\d{12}/, 'no card number is shown');
    }
  });

  describe('against the local sandbox (real HTTP, 4 rows at a time)', () => {
    let sandbox: Awaited<ReturnType<typeof startSandbox>>;
    let client: PerfectPayClient;
    const results = new Map<string, ScenarioResult>();

    before(async () => {
      sandbox = await startSandbox({ port: 0, apiKey: KEY, processingDelayMs: 300 });
      client = new PerfectPayClient({ baseUrl: sandbox.url, apiKey: KEY });
      const port = clientPort(client);
      const all = matrixScenarios();
      const out = await runWithLimit(all, SCENARIO_CONCURRENCY, ({ scenario }) =>
        runScenario(scenario, port, { environment: { kind: 'local', label: 'Local sandbox', supportsSimulate: true }, pollMs: { first: 100, max: 300 } }),
      );
      all.forEach(({ row }, i) => results.set(row.id, out[i]!));
    });
    after(async () => {
      await client?.close();
      await sandbox?.close();
    });

    it('passes every row the sandbox already honours as the contract says', () => {
      const asserted = MATRIX_ROWS.filter(sandboxAgrees);
      assert.ok(asserted.length >= 15, `only ${asserted.length} rows in common`);
      for (const row of asserted) {
        const r = results.get(row.id)!;
        assert.equal(r.outcome, 'passed', `${row.title}: ${r.message}`);
      }
      const others = MATRIX_ROWS.filter((r) => !sandboxAgrees(r));
      const report = others.map((r) => `${r.title}: ${results.get(r.id)!.outcome}${results.get(r.id)!.outcome === 'passed' ? '' : ` (${actualText(results.get(r.id))})`}`);
      console.log(`      rows not asserted (the sandbox does not honour the contract's table there yet), ${others.length}:\n        ${report.join('\n        ')}`);
      // Each of those still ran to an outcome (nothing refused, nothing left hanging).
      for (const r of others) assert.ok(['passed', 'failed'].includes(results.get(r.id)!.outcome), r.id);
    });

    it('exports the results as a Markdown table, cards masked', () => {
      const md = matrixMarkdown(results, { environment: 'Local sandbox', at: '2026-11-24T15:04:05.000Z' });
      const rows = md.split('\n').filter((l) => /^\| \d+ \|/.test(l));
      assert.equal(rows.length, MATRIX_ROWS.length);
      assert.match(md, /^# PerfectPay test-card matrix\n\nEnvironment: Local sandbox · run 2026-11-24T15:04:05\.000Z · \d+ as documented, \d+ differ, 0 not run \(of 32\)/);
      assert.match(md, /\| 1 \| Visa •••• 4242 \| card •••• 4242 \| succeeded \| succeeded \| ✅ as documented \|/);
      assert.match(md, /\| 3 \| Visa •••• 0002 \| card •••• 0002 \| failed, card_declined \| failed, card_declined \| ✅ as documented \|/);
      assert.match(md, /\| 9 \| Visa •••• 0259 \| card •••• 0259 \| processing, then succeeded \| processing, then succeeded \| ✅ as documented \|/);
      assert.match(md, /\| bank_transfer \/ pix \| bank_transfer \/ pix \| requires_customer_action, qr_code_information \| requires_customer_action, qr_code_information \| ✅ as documented \|/);
      assert.doesNotMatch(md, /\d{12}/);
    });
  });

  it('a row that did not run says so', () => {
    const md = matrixMarkdown(new Map(), { environment: 'PerfectPay sandbox', at: 'now' });
    assert.match(md, /0 as documented, 0 differ, 32 not run/);
    assert.match(md, /\| 1 \| Visa •••• 4242 \| card •••• 4242 \| succeeded \| not run \| ⏭ not run \|/);
  });
});

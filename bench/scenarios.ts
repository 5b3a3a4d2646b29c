/**
 * Scenario figures for `npm run bench` (called from bench/bench.ts with a local sandbox running in
 * its own process, with its default 3 s processing delay, as the extension starts it):
 *  - the test-card matrix's run time (every card and method of the contract), 4 scenarios at a time
 *    as the Testing view runs them, and one at a time;
 *  - one scenario's overhead per step against the bare client call: N `retrieve` steps against N
 *    `client.retrievePayment` calls on the same payment (interleaved rounds), and an `expect` step's
 *    cost (no request).
 */
import { PerfectPayClient } from '../src/api';
import { parseScenario, type Scenario } from '../src/scenarioEngine/scenario';
import { matrixScenarios } from '../src/scenarioEngine/matrix';
import { runScenario, runWithLimit, SCENARIO_CONCURRENCY, type RunEnvironment, type ScenarioResult } from '../src/scenarioEngine/runner';
import { clientPort } from '../src/scenarioEngine/clientPort';

const ENV: RunEnvironment = { kind: 'local', label: 'Local sandbox', supportsSimulate: true };
const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

function parse(value: unknown): Scenario {
  const r = parseScenario(JSON.stringify(value));
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('; '));
  return r.scenario;
}

export async function benchScenarios(url: string, apiKey: string): Promise<void> {
  console.log('\n6. Scenarios (local sandbox in its own process, default 3 s processing delay)');
  const client = new PerfectPayClient({ baseUrl: url, apiKey });
  const port = clientPort(client);
  try {
    const rows = matrixScenarios();
    const runMatrix = async (concurrency: number): Promise<{ ms: number; results: ScenarioResult[] }> => {
      const t0 = performance.now();
      const results = await runWithLimit(rows, concurrency, ({ scenario }) => runScenario(scenario, port, { environment: ENV }));
      return { ms: performance.now() - t0, results };
    };
    await runMatrix(SCENARIO_CONCURRENCY); // warm-up (connections, JIT)
    const par = await runMatrix(SCENARIO_CONCURRENCY);
    const seq = await runMatrix(1);
    const passed = par.results.filter((r) => r.outcome === 'passed').length;
    const requests = par.results.reduce((n, r) => n + r.steps.filter((s) => s.kind !== 'expect' && s.outcome !== 'skipped').length, 0);
    const slowest = par.results.reduce((a, b) => (b.durationMs > a.durationMs ? b : a));
    console.log(
      `   test-card matrix, ${rows.length} rows (${passed} as documented by this sandbox, ${rows.length - passed} differ), ${requests} create, confirm and wait steps: ` +
        `${fmt(par.ms)} ms ${SCENARIO_CONCURRENCY} at a time, ${fmt(seq.ms)} ms one at a time`,
    );
    console.log(`   slowest row: ${slowest.name}, ${fmt(slowest.durationMs)} ms (it waits for the sandbox's processing delay); the others median ${fmt(median(par.results.filter((r) => r !== slowest).map((r) => r.durationMs)), 1)} ms`);

    // Overhead per step: N retrieve steps against N bare client calls, on the same payment.
    const p = await client.createPayment({ amount: 4999, currency: 'USD' });
    const N = 400;
    const retrieves = parse({ steps: [{ retrieve: { payment: p.payment_id } }, ...Array.from({ length: N - 1 }, () => ({ retrieve: {} }))] });
    const expects = parse({ steps: [{ retrieve: { payment: p.payment_id } }, ...Array.from({ length: N }, () => ({ expect: { status: 'requires_payment_method', 'next_action': null } }))] });
    const bare: number[] = [];
    const scen: number[] = [];
    const exp: number[] = [];
    for (let round = 0; round < 4; round++) {
      let t0 = performance.now();
      for (let i = 0; i < N; i++) await client.retrievePayment(p.payment_id);
      const b = performance.now() - t0;
      t0 = performance.now();
      const r = await runScenario(retrieves, port, { environment: ENV });
      const sc = performance.now() - t0;
      if (r.outcome !== 'passed') throw new Error(`the retrieve scenario failed: ${r.message}`);
      t0 = performance.now();
      await runScenario(expects, port, { environment: ENV });
      const ex = performance.now() - t0;
      if (round === 0) continue; // warm-up
      bare.push((b / N) * 1000);
      scen.push((sc / N) * 1000);
      exp.push(((ex - sc / N) / N) * 1000);
    }
    const mb = median(bare);
    const ms = median(scen);
    console.log(
      `   one scenario, ${N} retrieve steps: ${fmt(ms)} µs a step against the bare client call's ${fmt(mb)} µs: overhead ${fmt(ms - mb)} µs a step ` +
        `(${fmt(((ms - mb) / mb) * 100, 1)} %; step events, answer kept redacted)`,
    );
    console.log(`   an expect step (2 fields, no request): ${fmt(median(exp), 1)} µs`);
  } finally {
    await client.close();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : NaN;
}

/**
 * Agent tool figures for `npm run bench` (a local sandbox in its own process): loading the tools'
 * bundle (dist/agentRuntime.js, what VS Code loads when a tool is first prepared), and a tool's own
 * cost over its requests: `perfectpay_explain_payment` against the same two requests made bare
 * (retrieve with attempts and captures, the refunds list), interleaved rounds on the same payments.
 */
import fs from 'node:fs';
import path from 'node:path';
import { runTool } from '../src/agentTools';
import { PerfectPayClient } from '../src/api';
import { clientAgentPort } from '../src/cli/mcp';

const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

export async function benchAgents(root: string, url: string, apiKey: string): Promise<void> {
  console.log('\n10. Agent tools (local sandbox in its own process)');
  const bundle = path.join(root, 'dist', 'agentRuntime.js');
  if (fs.existsSync(bundle)) {
    const t0 = performance.now();
    require(bundle);
    console.log(`   load dist/agentRuntime.js: ${fmt(performance.now() - t0, 1)} ms (${fmt(fs.statSync(bundle).size / 1024, 1)} KB; once, when a tool is first prepared)`);
  }
  const client = new PerfectPayClient({ baseUrl: url, apiKey });
  const env = { kind: 'local' as const, label: 'Local sandbox', baseUrl: url, supportsSimulate: true, actionsAllowed: true, allowHint: '' };
  const port = clientAgentPort(client, env, apiKey, root, (id) => `${url}/sandbox/payments/${id}`);
  const card = { payment_method: 'card', payment_method_type: 'credit', payment_method_data: { card: { card_number: '4242424242424242', card_exp_month: '12', card_exp_year: '39', card_cvc: '123' } } };
  const N = 200;
  const payments = await Promise.all(Array.from({ length: N }, () => client.createPayment({ amount: 2000, currency: 'EUR', capture_method: 'manual_multiple', confirm: true, ...card })));
  for (const p of payments.slice(0, 20)) await runTool(port, 'perfectpay_explain_payment', { payment_id: p.payment_id }); // warm-up
  let tTool = 0;
  let tBare = 0;
  for (let half = 0; half < 2; half++) {
    const part = payments.slice(half * (N / 2), (half + 1) * (N / 2));
    // Which goes first alternates, so that a warmer second pass favours neither.
    const tool = async () => {
      const t0 = performance.now();
      for (const p of part) await runTool(port, 'perfectpay_explain_payment', { payment_id: p.payment_id });
      tTool += performance.now() - t0;
    };
    const bare = async () => {
      const t0 = performance.now();
      for (const p of part) await Promise.all([client.retrievePayment(p.payment_id, { expandAttempts: true, expandCaptures: true }), client.listRefunds({ payment_id: p.payment_id, limit: 100 })]);
      tBare += performance.now() - t0;
    };
    if (half === 0) {
      await tool();
      await bare();
    } else {
      await bare();
      await tool();
    }
  }
  const tool = (tTool / N) * 1000;
  const bare = (tBare / N) * 1000;
  console.log(`   perfectpay_explain_payment ${fmt(tool)} µs   the same requests bare ${fmt(bare)} µs   the tool's own work ${fmt(tool - bare)} µs (${N} payments)`);
  await client.close();
}

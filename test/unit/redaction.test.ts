/**
 * Every redaction rule against every output that could leak it: the client's request events, the
 * request log's lines, cURL copies and copies as code, error messages, the inspector's model, the
 * hover card, the payment's JSON document and the answers kept for comparing, and the sandbox's
 * snapshot. Each rule is a secret planted in a request (or an answer) and the text that must never
 * appear; every output is checked for every rule.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, CODE_LANGUAGES, PerfectPayClient, toCode, toCurl, type Payment, type RequestEvent } from '../../src/api';
import { redactJson } from '../../src/domain/redact';
import { buildInspectorModel } from '../../src/inspector/model';
import { answerJsonText, answerOf, paymentJsonText } from '../../src/model/answers';
import { hoverCardMarkdown } from '../../src/model/hoverCard';
import { exchangeJsonText, findExchangeRefs, logLines, summaryLine } from '../../src/model/requestLine';
import { startSandbox } from '../../src/sandbox';

const KEY = 'sk_test_redaction_suite_0123456789';
const CARD = '4000056655665556'; // Luhn-valid, not a test card of the sandbox
const CARD_SPACED = '4000 0566 5566 5556';
const AMEX = '378282246310005';
const CVC = '987';
const EMAIL = 'jane.doe@example.com';

type Output = 'event' | 'log' | 'curl' | 'code' | 'answer' | 'inspector' | 'hover' | 'document' | 'snapshot' | 'error';

interface Rule {
  name: string;
  /** Texts that must appear nowhere in these outputs. */
  never: string[];
  /** Where the rule applies (every output when absent). */
  only?: Output[];
}

const RULES: Rule[] = [
  { name: 'the API key', never: [KEY] },
  { name: 'a card number in card_number', never: [CARD] },
  { name: 'a card number in free text (description, metadata)', never: [CARD_SPACED, AMEX] },
  { name: 'the CVC (card_cvc, cvc, cvv, card_cvv)', never: [`"${CVC}"`, `: ${CVC}`] },
  // The customer's e-mail is the user's own data: shown in the answer and the inspector, masked in
  // what is written down or copied.
  { name: 'an e-mail address', never: [EMAIL], only: ['event', 'log', 'curl', 'code', 'document', 'error'] },
];

/** A create request carrying every kind of secret. */
function hostileRequest() {
  return {
    amount: 1234,
    currency: 'USD',
    description: `card ${CARD_SPACED} for order 7`,
    metadata: { note: `amex ${AMEX}`, cvv: CVC },
    customer_id: 'cus_redaction',
    email: EMAIL,
    confirm: true,
    payment_method: 'card',
    payment_method_type: 'credit',
    payment_method_data: {
      card: { card_number: CARD, card_exp_month: '12', card_exp_year: '39', card_cvc: CVC, card_cvv: CVC, cvc: CVC },
    },
  };
}

function assertClean(output: string, what: string, kind: Output): void {
  for (const rule of RULES.filter((r) => !r.only || r.only.includes(kind))) {
    for (const text of rule.never) assert.ok(!output.includes(text), `${what} leaks ${rule.name} (${text}):\n${output.slice(0, 2000)}`);
  }
}

describe('the request log: numbered exchanges', () => {
  const e = { method: 'POST', url: 'http://127.0.0.1:4242/payments?x=1', attempt: 1, durationMs: 6.4, status: 200, requestHeaders: {} };

  it('numbers each summary line, and finds the number again in the log\'s text (not in other text)', () => {
    assert.equal(summaryLine(e, 12), '#12 POST /payments?x=1 → 200 in 6 ms');
    assert.equal(summaryLine(e), 'POST /payments?x=1 → 200 in 6 ms');
    const log = `2026-12-06 22:00:00.000 [info] ${summaryLine(e, 12)}\n2026-12-06 22:00:01.000 [warn] #13 GET /payments/pay_x → 404 in 2 ms\nissue #14 was fixed\n#15 POSTED`;
    const refs = findExchangeRefs(log);
    assert.deepEqual(refs.map((r) => r.exchange), [12, 13]);
    assert.deepEqual(refs.map((r) => log.slice(r.start, r.end)), ['#12', '#13']);
  });

  it('writes an exchange that got no answer with its error', () => {
    const doc = JSON.parse(exchangeJsonText(3, { ...e, status: undefined, error: 'connection refused' }));
    assert.equal(doc.error, 'connection refused');
    assert.equal(doc.response, undefined);
  });
});

describe('the request log: how an exchange went out', () => {
  const e = { method: 'GET', url: 'https://api.example.com/payments/list', attempt: 1, durationMs: 3, status: 200, requestHeaders: {} };

  it('says which proxy carried it, and when the certificate was not verified (http.proxyStrictSSL false)', () => {
    assert.equal(summaryLine({ ...e, proxy: 'http://proxy.corp:3128' }, 4), '#4 GET /payments/list → 200 in 3 ms via proxy http://proxy.corp:3128');
    assert.equal(summaryLine({ ...e, unverifiedTls: true }), 'GET /payments/list → 200 in 3 ms (certificate NOT verified (http.proxyStrictSSL is false))');
    const doc = JSON.parse(exchangeJsonText(4, { ...e, proxy: 'http://proxy.corp:3128', unverifiedTls: true }));
    assert.equal(doc.request.proxy, 'http://proxy.corp:3128');
    assert.equal(doc.request.certificate_verified, false);
  });

  it('never shows proxy credentials, by any spelling of the name', () => {
    const out = JSON.stringify(redactJson({ 'Proxy-Authorization': 'Basic c2VjcmV0', proxy_authorization: 'Basic c2VjcmV0', proxyAuthorization: 'Basic c2VjcmV0' }));
    assert.ok(!out.includes('c2VjcmV0'), out);
  });
});

describe('redaction: every rule × every output', () => {
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  const events: RequestEvent[] = [];
  let payment: Payment | undefined;
  let createError: unknown;

  before(async () => {
    sandbox = await startSandbox({ port: 0, apiKey: KEY });
    const client = new PerfectPayClient({ baseUrl: sandbox.url, apiKey: KEY, onEvent: (e) => events.push(e) });
    try {
      payment = await client.createPayment(hostileRequest() as never);
    } catch (e) {
      // A sandbox that refuses some of these fields still must not echo the secrets in its error.
      createError = e;
    }
    await client.close();
  });
  after(() => sandbox.close());

  it('request events (bodies, URL, headers, their cURL)', () => {
    assert.ok(events.length > 0);
    assertClean(JSON.stringify(events), 'a request event', 'event');
  });

  it('the request log lines, at every level', () => {
    assertClean(events.flatMap((e) => logLines(e).map(([, l]) => l)).join('\n'), 'the request log', 'log');
  });

  it("an exchange of the request log opened as a JSON document (request and answer)", () => {
    const text = events.map((e, i) => exchangeJsonText(i + 1, e)).join('\n');
    assertClean(text, 'an exchange document', 'log');
    const doc = JSON.parse(exchangeJsonText(1, events[0]!)) as { exchange: number; request: { method: string; url: string; headers: Record<string, string>; body?: unknown }; response?: { status: number } };
    assert.equal(doc.exchange, 1);
    assert.equal(doc.request.method, 'POST');
    assert.match(doc.request.url, /\/payments$/);
    assert.ok(doc.request.body, 'the request body is in the document');
    assert.ok(!JSON.stringify(doc.request.headers).includes(KEY), 'the api-key is not');
  });

  it('a cURL copy of the request', () => {
    assertClean(toCurl({ method: 'POST', url: `${sandbox.url}/payments`, body: hostileRequest() }), 'a cURL copy', 'curl');
  });

  it('a copy of the request as code (Node, Python, HTTPie)', () => {
    for (const lang of CODE_LANGUAGES) {
      assertClean(toCode(lang, { method: 'POST', url: `${sandbox.url}/payments`, body: hostileRequest() }), `a copy as ${lang}`, 'code');
    }
  });

  it("the hover card, the payment's JSON document and the answers kept for comparing", () => {
    if (!payment) return;
    assertClean(hoverCardMarkdown({ id: payment.payment_id, state: { kind: 'found', payment }, environmentLabel: 'Local sandbox', now: Date.now() }), 'the hover card', 'hover');
    assertClean(paymentJsonText(payment), 'the JSON document', 'document');
    assertClean(answerJsonText(answerOf(payment, 'create', 'local', new Date().toISOString())), 'a kept answer', 'document');
  });

  it('the payment as answered', () => {
    if (createError) return assertClean(String((createError as Error).message), 'the error', 'error');
    assertClean(JSON.stringify(payment), 'the answer', 'answer');
  });

  it('the inspector model built from the answer', () => {
    if (!payment) return;
    const model = buildInspectorModel({
      payment,
      history: [],
      environment: { label: 'Local sandbox', supportsSimulate: true },
      receivedAt: new Date().toISOString(),
      polling: false,
    });
    assertClean(JSON.stringify(model), 'the inspector model', 'inspector');
  });

  it("the sandbox's snapshot", async () => {
    assertClean(JSON.stringify(await sandbox.snapshot()), 'the snapshot', 'snapshot');
  });

  it('an answer that is not JSON (raw, truncated JSON, HTML) keeps no client secret in the event, the log or the error', async () => {
    const secret = 'pay_redactrawanswer0000000001_secret_Zq9gE3d2x8a2vnwUf3mf';
    const bodies: Record<string, string> = {
      raw: `payment created; client secret ${secret}; card ${CARD}`,
      truncated: `{"payment_id":"pay_redactrawanswer0000000001","client_secret":"${secret}","status":"requires_pay`,
      html: `<html><body><pre>client_secret=${secret}</pre><a href="/pay?client_secret=${secret}&x=1">pay</a></body></html>`,
    };
    const server: Server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': req.url!.includes('html') ? 'text/html' : 'application/json' });
      res.end(bodies[req.url!.split('/')[2]!.replace('pay_redact', '')] ?? '');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const seen: RequestEvent[] = [];
    const c = new PerfectPayClient({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      apiKey: KEY,
      onEvent: (e) => seen.push(e),
      retry: { maxAttempts: 1 },
    });
    try {
      for (const kind of Object.keys(bodies)) {
        seen.length = 0;
        const error = await c.retrievePayment(`pay_redact${kind}`).then(() => undefined, (e: unknown) => e);
        assert.ok(error instanceof Error, `${kind}: expected a refusal of the answer`);
        const outputs = [JSON.stringify(seen), seen.flatMap((e) => logLines(e).map(([, l]) => l)).join('\n'), String(error.message)].join('\n');
        assert.ok(seen.some((e) => typeof e.responseBody === 'string' && e.responseBody.includes('_secret_••••')), `${kind}: the raw answer is logged, masked`);
        assert.ok(!outputs.includes('Zq9gE3d2x8a2vnwUf3mf'), `${kind} leaks the client secret:\n${outputs}`);
        assertClean(outputs, `a ${kind} answer`, 'log');
      }
    } finally {
      await c.close();
      server.close();
    }
  });

  it('an error whose message a hostile server filled with secrets', async () => {
    const server: Server = createServer((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { type: 'invalid_request', code: 'IR_06', message: `bad card ${CARD} with key ${KEY} for ${CARD_SPACED}` } }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const c = new PerfectPayClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, apiKey: KEY });
    try {
      await c.retrievePayment('pay_redaction_error');
      assert.fail('expected an ApiError');
    } catch (e) {
      assert.ok(e instanceof ApiError);
      assertClean(e.message, 'the error message', 'error');
      assert.match(e.message, /•••• 5556/);
    } finally {
      await c.close();
      server.close();
    }
  });
});

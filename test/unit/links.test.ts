/**
 * The pure half of "payments where developers work": ids found in text, the hover card's Markdown
 * (escaping of everything a server sent, links to our own commands only), and the answers kept for
 * comparing.
 */
import assert from 'node:assert/strict';
import { CONTRACT_PAYMENT_ID_RE, findPaymentIds, languageMatches, MAX_SCANNED_CHARS, paymentIdAt, paymentIdFromText } from '../../src/model/paymentIds';
import { HOVER_TRUSTED_COMMANDS, hoverCardMarkdown, nextStepLine, type CardPayment } from '../../src/model/hoverCard';
import { answerJsonText, answerLabel, answerOf, appendAnswer, MAX_ANSWERS_PER_PAYMENT, paymentJsonText } from '../../src/model/answers';

const ID = 'pay_mbabizu24mvu3mela5njyhpit4';
const ID20 = 'pay_abcdefghij0123456789';

describe('Open Payment by ID: the id in what is typed or pasted (issue 23)', () => {
  it('takes an id as it is (any id the API allows), trimmed', () => {
    assert.deepEqual(paymentIdFromText(ID), { id: ID });
    assert.deepEqual(paymentIdFromText(`  ${ID20}\n`), { id: ID20 });
    assert.deepEqual(paymentIdFromText('pay_order-2026_11'), { id: 'pay_order-2026_11' }, 'a caller-chosen id');
  });

  it('takes the id out of a pasted URL, log line or client secret', () => {
    for (const text of [
      `http://127.0.0.1:4242/sandbox/payments/${ID}/3ds`,
      `https://sandbox.perfectpay.example/payments/${ID}?expand_attempts=true`,
      `2026-11-24T15:04:05Z INFO GET /payments/${ID} -> 200 (12 ms)`,
      `payment_id: "${ID}",`,
      `${ID}_secret_ZqgE3d2x8a2vnwUf3mfg`,
      `perfectpay:/payments/${ID}.json`,
    ]) {
      assert.deepEqual(paymentIdFromText(text), { id: ID }, text);
    }
    assert.deepEqual(paymentIdFromText('http://localhost:4242/payments/pay_order-7/capture'), { id: 'pay_order-7' });
    assert.deepEqual(paymentIdFromText(`GET /payments/${ID} and again /payments/${ID}`), { id: ID }, 'the same id twice is one id');
  });

  it('says why there is no id: nothing typed, none in the text, or more than one', () => {
    assert.deepEqual(paymentIdFromText('   '), { problem: 'empty' });
    for (const text of ['pay mbabizu24', 'pay_', 'pay_a b', 'order 1234', 'pay_abc/def', 'https://example.com/orders/7']) {
      assert.deepEqual(paymentIdFromText(text), { problem: 'none' }, text);
    }
    assert.deepEqual(paymentIdFromText(`${ID} ${ID20}`), { problem: 'several' });
  });
});

describe('payment ids in text', () => {
  it('finds ids where developers write them, with their offsets', () => {
    const text = [
      `2026-11-24T15:04:05Z INFO GET /payments/${ID} → 200 in 12 ms`,
      `const fixture = { payment_id: "${ID20}" };`,
      `  at confirm (${ID}) 'pay_0000000000000000000000000'`,
    ].join('\n');
    const found = findPaymentIds(text);
    assert.deepEqual(found.map((f) => f.id), [ID, ID20, ID, 'pay_0000000000000000000000000']);
    for (const f of found) assert.equal(text.slice(f.start, f.end), f.id);
  });

  it('takes only the contract format, standing alone (never the start of a client secret)', () => {
    const no = [
      'pay_abcdefghij012345678', // 19 characters after pay_
      `pay_${'a'.repeat(33)}`, // 33
      'pay_ABCDEFGHIJ0123456789', // upper case
      `x${ID}`, // inside a word
      `_${ID}`,
      `-${ID}`,
      `${ID}_secret_ZqgE3d2x8a2vnwUf3mfg`, // a client secret
      `${ID}x`.replace('4x', '4X'),
      `${ID}-2`,
      'PAY_abcdefghij0123456789',
    ];
    for (const text of no) assert.deepEqual(findPaymentIds(text), [], text);
    for (const text of [`(${ID})`, `"${ID}"`, `/${ID}/capture`, `${ID}.json`, `id=${ID}&x=1`, `${ID}:`, `\t${ID}\n`]) {
      assert.deepEqual(findPaymentIds(text).map((f) => f.id), [ID], text);
    }
    assert.ok(CONTRACT_PAYMENT_ID_RE.test(ID) && CONTRACT_PAYMENT_ID_RE.test(ID20));
  });

  it('stops at the limit', () => {
    const text = Array.from({ length: 50 }, () => ID).join(' ');
    assert.equal(findPaymentIds(text).length, 50);
    assert.equal(findPaymentIds(text, 7).length, 7);
  });

  it('finds the id under a hover position, and none beside it', () => {
    const line = `charged ${ID}, then ${ID20}_secret_x`;
    const start = line.indexOf(ID);
    for (const at of [start, start + 5, start + ID.length]) assert.equal(paymentIdAt(line, at)?.id, ID, String(at));
    assert.equal(paymentIdAt(line, start - 2), undefined);
    assert.equal(paymentIdAt(line, line.indexOf(ID20) + 3), undefined, 'the start of a client secret is no id');
    const long = `${'a'.repeat(60)}${ID}`;
    assert.equal(paymentIdAt(long, 70), undefined, 'an id glued to a word is no id, however far the word starts');
  });

  it(`scans a 1 MB log in under 50 ms`, () => {
    const lines: string[] = [];
    let size = 0;
    for (let i = 0; size < MAX_SCANNED_CHARS; i++) {
      const l = `2026-11-24T15:04:${String(i % 60).padStart(2, '0')}.123Z INFO POST /payments/pay_${String(i).padStart(26, 'k')}/capture → 200 in 12 ms (trace ${i.toString(36)})`;
      lines.push(l);
      size += l.length + 1;
    }
    const log = lines.join('\n');
    let best = Infinity;
    let n = 0;
    for (let run = 0; run < 5; run++) {
      const t0 = performance.now();
      n = findPaymentIds(log, Infinity).length;
      best = Math.min(best, performance.now() - t0);
    }
    assert.equal(n, lines.length);
    assert.ok(best < 50, `best of 5: ${best.toFixed(1)} ms`);
  });

  it('applies to the languages of the setting', () => {
    assert.equal(languageMatches('typescript', ['*']), true);
    assert.equal(languageMatches('markdown', ['*', '!markdown']), false);
    assert.equal(languageMatches('log', ['log', 'json']), true);
    assert.equal(languageMatches('python', ['log', 'json']), false);
    assert.equal(languageMatches('log', []), false);
  });
});

// Markdown escaping itself is tested with src/domain/text.ts (test/unit/markdown.test.ts).

describe('the hover card', () => {
  const now = Date.parse('2026-11-24T15:10:05.000Z');
  const payment: CardPayment = {
    payment_id: ID,
    status: 'requires_capture',
    amount: 4999,
    currency: 'USD',
    customer_id: 'cus_abc123',
    created: '2026-11-24T15:04:05.000Z',
    description: 'Order 1001',
    next_action: null,
  };
  const linkTargets = (md: string): string[] => [...md.matchAll(/\]\(([^)]*)\)/g)].map((m) => m[1]!);

  it('shows status with its icon, amount, customer, age, the next step and our three commands', () => {
    const md = hoverCardMarkdown({ id: ID, state: { kind: 'found', payment }, environmentLabel: 'Local sandbox', icon: 'clock', now });
    assert.match(md, /^\$\(clock\) \*\*Requires capture\*\* · \*\*49\\\.99 USD\*\* · `pay_mbabizu24mvu3mela5njyhpit4`/);
    assert.match(md, /customer cus\\_abc123 · created 6 min ago · Local sandbox/);
    assert.match(md, /Next: Capture all or part of the amount\\?, or cancel to release it\\\./);
    const targets = linkTargets(md);
    assert.deepEqual(targets.map((t) => t.replace(/\?.*/, '')), ['command:perfectpay.inspectPayment', 'command:perfectpay.openPaymentAsJson', 'command:perfectpay.copyAsCurl']);
    for (const t of targets) assert.deepEqual(JSON.parse(decodeURIComponent(t.slice(t.indexOf('?') + 1))), [ID]);
  });

  it('says how much of a refunded payment was refunded (a failed refund does not count)', () => {
    const refunded: CardPayment = {
      ...payment,
      status: 'succeeded',
      amount_received: 4999,
      refunds: [{ amount: 1200, status: 'succeeded' }, { amount: 500, status: 'failed' }],
    };
    const md = hoverCardMarkdown({ id: ID, state: { kind: 'found', payment: refunded }, environmentLabel: 'Local sandbox', icon: 'pass', now });
    assert.match(md, /created 6 min ago · refunded 12\\.00 of 49\\.99 USD · Local sandbox/);
    assert.doesNotMatch(hoverCardMarkdown({ id: ID, state: { kind: 'found', payment }, environmentLabel: 'Local sandbox', now }), /refunded/);
  });

  it('escapes every server string: no link but ours, no HTML, no icon of theirs', () => {
    const evil: CardPayment = {
      ...payment,
      status: 'weird_[status](command:workbench.action.terminal.new)',
      currency: '<b>USD</b>',
      customer_id: '$(zap)[x](https://evil.example)',
      description: '<img src=x onerror=alert(1)> ![i](https://evil.example/i.png)',
      error_message: '`code` [y](command:perfectpay.setApiKey)',
    };
    const md = hoverCardMarkdown({ id: ID, state: { kind: 'found', payment: evil }, environmentLabel: 'Custom (https://x.example)', icon: 'question', now });
    for (const t of linkTargets(md)) assert.ok(HOVER_TRUSTED_COMMANDS.some((c) => t.startsWith(`command:${c}?`)), t);
    assert.equal(linkTargets(md).length, 3);
    assert.ok(!/(?<!\\)</.test(md), 'raw HTML');
    assert.ok(!md.includes('$(zap)') || md.includes('\\$(zap)'));
    assert.ok(!/(?<!\\)\$\(zap\)/.test(md));
    assert.match(md, /A status this version does not know/);
  });

  it('failed: the decline in one line', () => {
    assert.equal(nextStepLine({ ...payment, status: 'failed', error_code: 'card_declined', error_message: 'Your card was declined.' }), 'Failed: card_declined — Your card was declined.');
    assert.equal(nextStepLine({ ...payment, status: 'requires_customer_action', next_action: { type: 'redirect_to_url' } }), "The customer's step: redirect_to_url.");
  });

  it('loading, not found (with the other environments), no key, error', () => {
    const loading = hoverCardMarkdown({ id: ID, state: { kind: 'loading' }, environmentLabel: 'Local sandbox', now });
    assert.match(loading, /loading…/);
    assert.equal(linkTargets(loading).length, 3);
    const nf = hoverCardMarkdown({ id: ID, state: { kind: 'notFound' }, environmentLabel: 'Local sandbox', others: [{ kind: 'sandbox', label: 'PerfectPay sandbox' }], now });
    assert.match(nf, /Not found in Local sandbox\./);
    assert.deepEqual(linkTargets(nf), [`command:perfectpay.openPaymentLink?${encodeURIComponent(JSON.stringify([{ paymentId: ID, environment: 'sandbox' }]))}`]);
    const key = hoverCardMarkdown({ id: ID, state: { kind: 'needsKey' }, environmentLabel: 'PerfectPay sandbox', now });
    assert.deepEqual(linkTargets(key), ['command:perfectpay.setApiKey']);
    const err = hoverCardMarkdown({ id: ID, state: { kind: 'error', message: 'connect ECONNREFUSED [x](command:evil)' }, environmentLabel: 'Local sandbox', now });
    assert.ok(linkTargets(err).every((t) => t.startsWith('command:perfectpay.')));
  });

  it('an id not of the contract format gets no command links', () => {
    const md = hoverCardMarkdown({ id: 'pay_x")', state: { kind: 'loading' }, environmentLabel: 'Local sandbox', now });
    assert.deepEqual(linkTargets(md), []);
  });
});

describe('answers kept for comparing', () => {
  const p = (status: string, extra: Record<string, unknown> = {}) => ({
    payment_id: ID,
    client_secret: `${ID}_secret_ZqgE3d2x8a2vnwUf3mfg`,
    status,
    email: 'jane.doe@example.com',
    modified_at: new Date().toISOString(),
    ...extra,
  });

  it('the JSON document text is pretty-printed and redacted', () => {
    const text = paymentJsonText(p('succeeded'));
    assert.ok(text.startsWith('{\n  "payment_id": '));
    assert.ok(!text.includes('ZqgE3d2x8a2vnwUf3mfg'));
    assert.ok(!text.includes('jane.doe@'));
    assert.doesNotThrow(() => JSON.parse(text));
  });

  it('keeps an answer only when it changed, the first one always, redacted', () => {
    let list = appendAnswer([], answerOf(p('requires_capture'), 'create', 'local', '2026-11-24T15:00:00.000Z'));
    const same = appendAnswer(list, answerOf(p('requires_capture', { modified_at: 'later' }), 'poll', 'local', '2026-11-24T15:00:05.000Z'));
    assert.equal(same, list, 'a read that changed nothing adds nothing');
    list = appendAnswer(list, answerOf(p('succeeded'), 'capture', 'local', '2026-11-24T15:01:00.000Z'));
    assert.equal(list.length, 2);
    assert.ok(!answerJsonText(list[0]!).includes('ZqgE3d2x8a2vnwUf3mfg'));
    assert.equal(answerLabel(list[1]!), '2026-11-24 15:01:00 UTC · after capture · Succeeded');
    for (let i = 0; i < 40; i++) list = appendAnswer(list, answerOf(p('succeeded', { n: i }), 'poll', 'local', `2026-11-24T16:00:${String(i).padStart(2, '0')}.000Z`));
    assert.equal(list.length, MAX_ANSWERS_PER_PAYMENT);
    assert.equal(list[0]!.cause, 'create');
    assert.equal(list.at(-1)!.payment.n, 39);
  });
});

/**
 * The sandbox's customer pages (`/sandbox/...`): the targets of its redirects, 3DS steps and QR
 * codes, where a person completes or fails the customer's step by hand. Plain server-rendered
 * HTML; every interpolated value is escaped.
 */
import { createHmac } from 'node:crypto';
import { formatMoney } from '../domain/money';
import { STATUS_INFO } from '../domain/status';
import { escapeHtml } from '../domain/text';
import type { StoredPayment } from './types';


/**
 * Headers of every page: nothing loads but its own inline style and data images, its forms post
 * only to the sandbox, and no other page may frame it (a framed Complete button is a clickjacking
 * target: `frame-ancestors 'none'`, and X-Frame-Options for browsers that predate it). The referrer
 * policy is `same-origin`, not `no-referrer`: under `no-referrer` a browser posts the page's own
 * form with `Origin: null`, which tells the sandbox nothing; under `same-origin` it names the
 * sandbox's origin, and no other site learns a payment id from a link it followed.
 */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};

/** Titles of the pages a next_action points at. */
const PAGE_TITLES: Record<string, string> = {
  '': 'Payment',
  '3ds': '3-D Secure authentication',
  '3ds/authenticate': '3-D Secure authentication',
  '3ds/authorize': '3-D Secure authorisation',
  redirect: 'Continue with your payment provider',
  qr: 'Scan-to-pay confirmation',
};

export const PAGE_NAMES: readonly string[] = Object.keys(PAGE_TITLES);

function titleOf(page: string): string {
  return Object.prototype.hasOwnProperty.call(PAGE_TITLES, page) ? PAGE_TITLES[page]! : 'Payment';
}

const STYLE = `
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:0;background:#f4f6fa;color:#1b1f24}
main{max-width:34rem;margin:3rem auto;background:#fff;border-radius:12px;padding:2rem;box-shadow:0 2px 12px #0001}
h1{font-size:1.3rem;margin-top:0}.badge{display:inline-block;padding:.15rem .55rem;border-radius:999px;background:#e8eefc;font-size:.85rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.35rem 1rem}dt{color:#5b6470}dd{margin:0;word-break:break-all}
form{display:inline-block;margin-right:.6rem}button{font-size:1rem;padding:.55rem 1.2rem;border-radius:8px;border:0;cursor:pointer}
.ok{background:#1a7f37;color:#fff}.ko{background:#cf222e;color:#fff}.note{color:#5b6470;font-size:.9rem}
.msg{padding:.6rem .9rem;border-radius:8px;background:#fff4e5}table{border-collapse:collapse;width:100%}
td,th{text-align:left;padding:.3rem .4rem;border-bottom:1px solid #eee;font-size:.9rem}`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} · PerfectPay sandbox</title><style>${STYLE}</style></head>
<body><main>${body}</main></body></html>`;
}

/** The merchant's return_url with payment_id and status, when it is an http(s) URL. */
function returnLink(p: StoredPayment): string {
  if (!p.return_url) return '';
  let url: URL;
  try {
    url = new URL(p.return_url);
  } catch {
    return '';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return '';
  url.searchParams.set('payment_id', p.payment_id);
  url.searchParams.set('status', p.status);
  return `<p><a href="${escapeHtml(url.toString())}">Return to the merchant</a></p>`;
}

export type CustomerStep = 'complete' | 'fail';

/**
 * The hidden token of a page's form: an HMAC of the step and the payment id under the sandbox's
 * per-start secret. Another site cannot read it, it opens only that step of that payment, and a
 * page of an earlier start (another secret) no longer works.
 */
export function formToken(secret: string, paymentId: string, step: CustomerStep): string {
  return createHmac('sha256', secret).update(`${step}\n${paymentId}`).digest('hex');
}

/**
 * A payment's page. `secret` is the sandbox's per-start form secret (see formToken): a form posted
 * without its token (from another site, or a page of an earlier start) is refused.
 */
export function paymentPage(p: StoredPayment, page: string, secret: string, message?: string): string {
  const title = titleOf(page);
  const base = `/sandbox/payments/${encodeURIComponent(p.payment_id)}`;
  const rows: Array<[string, string]> = [
    ['Payment', p.payment_id],
    ['Amount', formatMoney(p.amount, p.currency)],
    ['Description', p.description ?? '—'],
    ['Method', [p.payment_method, p.payment_method_type].filter(Boolean).join(' / ') || '—'],
  ];
  if (p.card) rows.push(['Card', `${p.card.card_network} •••• ${p.card.last4}`]);
  const waiting = p.status === 'requires_customer_action' || p.status === 'processing';
  const actions = waiting
    ? `<p>${p.status === 'processing' ? 'Settlement is pending.' : 'The customer&#39;s step is waiting.'} Choose what the customer does:</p>
${stepForm(base + '/complete', page, formToken(secret, p.payment_id, 'complete'), 'ok', 'Complete')}
${stepForm(base + '/fail', page, formToken(secret, p.payment_id, 'fail'), 'ko', 'Fail')}`
    : `<p class="note">${escapeHtml(STATUS_INFO[p.status].meaning)} Nothing to do on this page.</p>${returnLink(p)}`;
  return layout(
    title,
    `<h1>${escapeHtml(title)}</h1>
<p><span class="badge">${escapeHtml(p.status)}</span> <span class="note">PerfectPay local sandbox: no real money moves.</span></p>
${message ? `<p class="msg">${escapeHtml(message)}</p>` : ''}
<dl>${rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>
${actions}`,
  );
}

function stepForm(action: string, page: string, token: string, style: string, label: string): string {
  return `<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="from" value="${escapeHtml(page)}"><input type="hidden" name="token" value="${escapeHtml(token)}"><button class="${style}" type="submit">${escapeHtml(label)}</button></form>`;
}

export function simplePage(title: string, text: string, status?: string): string {
  return layout(
    title,
    `<h1>${escapeHtml(title)}</h1>${status ? `<p><span class="badge">${escapeHtml(status)}</span></p>` : ''}<p>${escapeHtml(text)}</p>`,
  );
}

/** `GET /sandbox`: the payments waiting for a customer step, with links to their pages. */
export function indexPage(waiting: StoredPayment[], total: number): string {
  const rows = waiting
    .map(
      (p) =>
        `<tr><td><a href="/sandbox/payments/${escapeHtml(encodeURIComponent(p.payment_id))}">${escapeHtml(p.payment_id)}</a></td><td>${escapeHtml(p.status)}</td><td>${escapeHtml(formatMoney(p.amount, p.currency))}</td></tr>`,
    )
    .join('');
  return layout(
    'Sandbox',
    `<h1>PerfectPay local sandbox</h1><p class="note">${total} payment(s) stored. Payments waiting for the customer or for settlement:</p>
${rows ? `<table><tr><th>Payment</th><th>Status</th><th>Amount</th></tr>${rows}</table>` : '<p>None.</p>'}`,
  );
}

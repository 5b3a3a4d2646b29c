/**
 * One renderer per next_action view (src/model/nextActionView.ts builds the models). Every value
 * is set as text or as an attribute; URLs are never made into links: opening one goes through the
 * extension (which asks the person first, and opens only http/https URLs the payment offers).
 */
import { formatCountdown } from '../src/domain/time';
import type { NextActionView, QrView, UrlView } from '../src/shared/protocol';
import { h, icon, kvTable, type Child } from './dom';
import { absoluteTime } from './format';
import { qrFigure } from './qr';

export interface NextActionContext {
  openUrl(url: string): void;
  copy(text: string, what: string): void;
  /** The QR of a fetch_qr_code_information, as fetched by the extension (undefined: not yet). */
  fetchedQr: { qr: QrView | null; fetchedAt: string; error: string | null } | undefined;
  reportError(message: string): void;
  busy: boolean;
}

function button(label: string, onClick: () => void, opts: { primary?: boolean; title?: string; key?: string; disabled?: boolean } = {}): HTMLElement {
  return h(
    'vscode-button',
    {
      attrs: { appearance: opts.primary ? 'primary' : 'secondary', disabled: opts.disabled ?? false },
      title: opts.title,
      key: opts.key,
      on: { click: () => onClick() },
    },
    label,
  );
}

export function copyButton(value: string, what: string, ctx: Pick<NextActionContext, 'copy'>, key?: string): HTMLElement {
  return h(
    'vscode-button',
    { class: 'copy', attrs: { appearance: 'icon', 'aria-label': `Copy ${what}` }, title: `Copy ${what}`, key, on: { click: () => ctx.copy(value, what) } },
    icon('copy'),
  );
}

/** A URL shown plainly: its scheme and host first, then the whole of it; an open button for http(s). */
export function urlBlock(u: UrlView, ctx: NextActionContext, what: string, key: string): HTMLElement {
  const scheme = u.scheme || '(no scheme)';
  return h(
    'div',
    { class: 'url-block' },
    h(
      'div',
      { class: 'url-head' },
      h('vscode-tag', { class: u.openable ? 'scheme' : 'scheme scheme-unsafe' }, scheme),
      h('span', { class: 'url-host' }, u.host || '(no host)'),
    ),
    h('code', { class: 'url-full' }, u.url),
    h(
      'div',
      { class: 'url-actions' },
      u.openable
        ? button('Open in Browser…', () => ctx.openUrl(u.url), { primary: true, key: `${key}-open`, title: `Asks before opening ${u.host}` })
        : h('span', { class: 'muted' }, `Not opened from here: only http and https pages can be (this is ${scheme}).`),
      copyButton(u.url, `${what} URL`, ctx, `${key}-copy`),
    ),
  );
}

function rows(entries: [string, Child][]): HTMLElement {
  return kvTable(entries.map(([label, value]) => ({ label, value })));
}

const none = () => h('span', { class: 'muted' }, '—');

function countdown(to: number, prefix: string): HTMLElement {
  return h('span', { class: 'countdown', attrs: { 'data-countdown-to': to, 'data-countdown-prefix': prefix } }, countdownText(to, prefix));
}

export function countdownText(to: number, prefix: string, now = Date.now()): string {
  const left = to - now;
  return left > 0 ? `${prefix} ${formatCountdown(left)}` : 'Expired: waiting for the payment to update';
}

function qrSection(qr: QrView, ctx: NextActionContext, label: string, extra?: Child): HTMLElement {
  return h(
    'div',
    { class: 'qr' },
    qrFigure(qr, label, ctx.reportError),
    h(
      'div',
      { class: 'qr-side' },
      qr.displayText ? h('p', { class: 'qr-text' }, qr.displayText) : null,
      qr.expiresAt !== null
        ? h('p', { class: 'qr-expiry' }, countdown(qr.expiresAt, 'Expires in'), h('span', { class: 'muted' }, ` (${absoluteTime(qr.expiresAt)})`))
        : null,
      qr.qrUrl
        ? h('div', { class: 'qr-url' }, h('span', { class: 'muted' }, qr.drawFromUrl ? 'Drawn here from qr_code_url:' : 'Encodes:'),
            h('code', { class: 'url-full' }, qr.qrUrl), copyButton(qr.qrUrl, 'QR code URL', ctx, 'qr-url-copy'))
        : null,
      ...qr.warnings.map((w) => h('p', { class: 'warning' }, w)),
      extra,
    ),
  );
}

export function renderNextAction(view: NextActionView, ctx: NextActionContext): HTMLElement {
  switch (view.kind) {
    case 'redirect':
      return h('div', { class: 'na na-redirect' }, h('p', {}, 'The customer must visit this page to continue:'), urlBlock(view.url, ctx, 'redirect', 'redirect'));
    case 'threeDs': {
      const entries: [string, Child][] = [
        ['Authentication URL', view.authenticationUrl ? urlBlock(view.authenticationUrl, ctx, 'authentication', '3ds-auth') : none()],
        ['Authorize URL', view.authorizeUrl ? urlBlock(view.authorizeUrl, ctx, 'authorize', '3ds-authorize') : none()],
        ['Message version', view.messageVersion ?? none()],
      ];
      if (view.method) {
        entries.push(
          ['Method key', view.method.key ?? none()],
          ['Method data submission', view.method.submission === null ? none() : view.method.submission ? 'Yes' : 'No'],
          ['Method data', view.method.data
            ? h('div', { class: 'inline-copy' }, h('code', { class: 'wrap' }, view.method.data), copyButton(view.method.data, '3DS method data', ctx, '3ds-data-copy'))
            : none()],
          ['Method URL', view.method.url ? urlBlock(view.method.url, ctx, '3DS method', '3ds-method') : none()],
        );
      }
      if (view.poll) {
        entries.push(['Poll', [
          view.poll.id ? `id ${view.poll.id}` : null,
          view.poll.delaySecs !== null ? `after ${view.poll.delaySecs} s` : null,
          view.poll.frequency !== null ? `${view.poll.frequency} times` : null,
        ].filter(Boolean).join(' · ') || '—']);
      }
      return h('div', { class: 'na na-3ds' }, h('p', {}, 'A 3D Secure step: the customer authenticates with their bank.'), rows(entries));
    }
    case 'sdkToken':
      return h(
        'div',
        { class: 'na na-sdk' },
        h('p', {}, 'Hand this session token to the ', h('strong', {}, view.walletName), ' SDK.'),
        h('div', { class: 'code-block' },
          h('div', { class: 'code-actions' }, copyButton(view.tokenJson, 'session token', ctx, 'sdk-copy')),
          h('pre', {}, h('code', {}, view.tokenJson))),
      );
    case 'bankTransfer': {
      const out = h('div', { class: 'na na-bank' }, h('p', {}, 'The customer pays by bank transfer to:'));
      for (const s of view.sections) {
        const table = kvTable(
          s.rows.map((r) => ({ label: r.label, value: r.value, valueClass: 'mono', copy: copyButton(r.value, r.label, ctx, `bank-${s.name}-${r.key}`) })),
          { class: 'kv-copyable', label: s.title },
        );
        out.append(h('h4', {}, s.title), table);
      }
      if (view.receiver) {
        const stat = (label: string, value: string | null) =>
          h('div', { class: 'stat' }, h('div', { class: 'stat-label' }, label), h('div', { class: 'stat-value' }, value ?? '—'));
        out.append(h('div', { class: 'stats' },
          stat('Received', view.receiver.received), stat('Charged', view.receiver.charged), stat('Remaining', view.receiver.remaining)));
      }
      return out;
    }
    case 'qr':
      return h('div', { class: 'na na-qr' }, qrSection(view.qr, ctx, 'scan to pay'));
    case 'fetchQr': {
      if (!view.fetch.allowed) {
        // Not on the API's own origin: never fetched; the person may open it, after a confirmation.
        return h('div', { class: 'na na-fetch na-fetch-refused' },
          h('p', { class: 'warning' }, view.fetch.reason ?? 'The extension does not fetch this QR code URL.'),
          h('p', {}, 'To see the QR code, open its URL in your browser (you are asked first):'),
          urlBlock(view.fetchUrl, ctx, 'QR code', 'fetch-qr'));
      }
      const f = ctx.fetchedQr;
      const source = h('p', { class: 'muted' },
        `Fetched by the extension from ${view.fetchUrl.host || view.fetchUrl.url} (the API's own origin, without the API key), and again while the payment waits.`);
      if (!f) return h('div', { class: 'na na-fetch' }, h('p', { class: 'pending' }, h('vscode-progress-ring', {}), ' Fetching the QR code…'), source);
      const err = f.error ? h('p', { class: 'warning' }, `Last fetch failed: ${f.error}`) : null;
      if (!f.qr) return h('div', { class: 'na na-fetch' }, err ?? h('p', {}, 'No QR code yet.'), source);
      if (!f.qr.image && !f.qr.drawFromUrl) return h('div', { class: 'na na-fetch' }, h('p', { class: 'warning' }, 'The fetched answer has no QR code to show.'), ...f.qr.warnings.map((w) => h('p', { class: 'warning' }, w)), source);
      return h('div', { class: 'na na-fetch' }, qrSection(f.qr, ctx, 'scan to pay', h('div', {}, err,
        h('p', { class: 'muted' }, 'Fetched ', h('time', { attrs: { 'data-relative': Date.parse(f.fetchedAt), datetime: f.fetchedAt } }, 'just now'), '.'), source)));
    }
    case 'wait': {
      const to = view.to;
      const bar = h('div', { class: 'progress', attrs: { role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'data-progress-from': view.from, 'data-progress-to': to ?? '' } },
        h('div', { class: 'progress-fill' }));
      return h('div', { class: 'na na-wait' },
        h('p', {}, 'The customer is shown a wait screen while the payment is processed.'),
        bar,
        h('p', { class: 'wait-meta' },
          to !== null ? countdown(to, 'Time left') : h('span', {}, 'No end time given'),
          h('span', { class: 'muted' }, ` · from ${absoluteTime(view.from)}${to !== null ? ` to ${absoluteTime(to)}` : ''}`)));
    }
    case 'raw':
      return h(
        'div',
        { class: 'na na-raw' },
        h('p', {}, view.problem
          ? `This ${view.type} does not have the documented fields (${view.problem}); here it is as sent:`
          : `The extension does not know "${view.type}"; here it is as sent:`),
        h('div', { class: 'code-block' },
          h('div', { class: 'code-actions' }, copyButton(view.json, 'next_action JSON', ctx, 'na-raw-copy')),
          h('pre', {}, h('code', {}, view.json))),
      );
  }
}

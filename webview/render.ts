/**
 * The inspector page, drawn from an InspectorModel and the page's own UI state. Pure DOM building
 * through webview/dom.ts (text nodes and attributes only), with @vscode/webview-ui-toolkit elements
 * and VS Code's theme variables (webview/main.css), so it looks like the editor around it.
 */
import { nextStep, type PaymentAction, type SimulateOutcome } from '../src/domain/status';
import type { AddressView, FromWebview, InspectorModel, JsonRow, QrView, TimelineEntry } from '../src/shared/protocol';
import { h, icon, kvTable, type Child } from './dom';
import { absoluteTime, relativeTime } from './format';
import { copyButton, renderNextAction } from './nextAction';

export interface UiState {
  /** The running action's label ("Capturing…"), or null. */
  busy: string | null;
  error: string | null;
  /** What the error is about (protocol.ts): a failed read goes with the next answer, an action's stays. */
  errorSource: 'read' | 'action';
  /** The client secret, once the person asked for it (never persisted). */
  secret: string | null;
  secretPending: boolean;
  /** What the person typed in the capture field (null: the capturable amount). */
  amountDraft: string | null;
  /** The capturable amount the draft was typed against (a new one resets the draft). */
  amountBase: string;
  reasonDraft: string;
  rawOpen: boolean;
  /** Metadata tree nodes the person opened or closed (by path), over their default. */
  jsonOpen: Record<string, boolean>;
  fetchedQr: { qr: QrView | null; fetchedAt: string; error: string | null } | undefined;
}

export interface RenderActions {
  post(message: FromWebview): void;
  /** Changes UI state and draws again. */
  update(change: Partial<UiState>): void;
  /** Changes UI state without drawing (what the person is typing). */
  remember(change: Partial<UiState>): void;
  /** Takes away an action's refusal or failure, without drawing again (the person changed a field). */
  dropActionError(): void;
}

const KIND_CLASS = (kind: string) => `kind-${kind}`;

function statusPill(label: string, kind: string, small = false): HTMLElement {
  return h('span', { class: ['status', KIND_CLASS(kind), small && 'status-small'] }, h('span', { class: 'dot', attrs: { 'aria-hidden': 'true' } }), label);
}

function button(label: string, onClick: () => void, opts: { primary?: boolean; disabled?: boolean; key: string; title?: string }): HTMLElement {
  return h(
    'vscode-button',
    { attrs: { appearance: opts.primary ? 'primary' : 'secondary', disabled: opts.disabled ?? false }, key: opts.key, title: opts.title, on: { click: () => { if (!opts.disabled) onClick(); } } },
    label,
  );
}

function section(title: string, key: string, ...children: Child[]): HTMLElement {
  return h('section', { class: ['section', `section-${key}`], attrs: { 'aria-labelledby': `h-${key}` } }, h('h2', { attrs: { id: `h-${key}` } }, title), ...children);
}

function timeCell(iso: string | null): Child {
  if (!iso) return h('span', { class: 'muted' }, '—');
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  return h(
    'span',
    {},
    h('time', { attrs: { datetime: iso, 'data-relative': ms }, title: iso }, relativeTime(ms, Date.now())),
    h('span', { class: 'muted' }, ` · ${absoluteTime(ms)}`),
  );
}

const dash = () => h('span', { class: 'muted' }, '—');
const val = (s: string | null | undefined): Child => (s === null || s === undefined || s === '' ? dash() : s);

function grid(label: string, rows: [string, Child, string?][]): HTMLElement {
  return kvTable(rows.map(([k, v, rowClass]) => ({ label: k, value: v, rowClass })), { label });
}

function header(m: InspectorModel, ui: UiState, a: RenderActions): HTMLElement {
  const busy = ui.busy !== null;
  return h(
    'header',
    { class: 'head' },
    h(
      'div',
      { class: 'head-row' },
      h('h1', { class: 'amount' }, m.amounts.amount),
      statusPill(m.status.label, m.status.kind),
      m.polling ? h('span', { class: 'live', title: 'The panel reads the payment every few seconds while it can still change.' }, h('span', { class: 'live-dot', attrs: { 'aria-hidden': 'true' } }), 'Live') : null,
      h('span', { class: 'spacer' }),
      h(
        'div',
        { class: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'Payment' } },
        button('Refresh', () => a.post({ type: 'action', action: 'refresh' }), { key: 'act-refresh', disabled: busy }),
        button('Copy ID', () => a.post({ type: 'action', action: 'copyId' }), { key: 'act-copy-id' }),
        button('Copy as cURL', () => a.post({ type: 'action', action: 'copyCurl' }), { key: 'act-copy-curl', title: 'The GET of this payment, the key read from $PERFECTPAY_API_KEY' }),
      ),
    ),
    h(
      'div',
      { class: 'id-line' },
      h('code', { class: 'payment-id' }, m.paymentId),
      h('span', { class: 'muted' }, ` · ${m.environment.label} · updated `),
      h('time', { class: 'muted', attrs: { 'data-relative': Date.parse(m.receivedAt), datetime: m.receivedAt } }, relativeTime(Date.parse(m.receivedAt), Date.now())),
    ),
  );
}

function statusCallout(m: InspectorModel): HTMLElement {
  if (!m.status.known) {
    return h(
      'div',
      { class: ['callout', KIND_CLASS('unknown')], attrs: { role: 'note' } },
      h('p', {}, 'The server answered a status this extension does not know: ', h('code', {}, m.status.value), '. It is shown as sent.'),
    );
  }
  return h(
    'div',
    { class: ['callout', KIND_CLASS(m.status.kind)], attrs: { role: 'note' } },
    h('p', { class: 'meaning' }, m.status.meaning ?? ''),
    m.status.next ? h('p', { class: 'next' }, h('strong', {}, 'Next: '), m.status.next) : null,
  );
}

const SIMULATE_BUTTONS: Record<SimulateOutcome, { label: string; title: string; key: string }> = {
  succeed: { label: 'Complete Customer Step', title: 'Local sandbox: the customer completes the step', key: 'act-sim-succeed' },
  fail: { label: 'Fail Customer Step', title: 'Local sandbox: the customer fails or abandons the step', key: 'act-sim-fail' },
  expire: { label: 'Expire Payment', title: 'Local sandbox: as if expires_on had passed', key: 'act-sim-expire' },
};

/**
 * The payment's actions: the status's next step first, as the one primary button (nextStep, from the one
 * table in src/domain/status.ts); the other steps after it, alike; Cancel last, on its own row below a
 * separator, secondary.
 */
function actions(m: InspectorModel, ui: UiState, a: RenderActions): HTMLElement | null {
  const act = m.actions;
  if (!act.confirm && !act.capture && !act.cancel && !act.refund && act.simulate.length === 0) return null;
  const busy = ui.busy !== null;
  const primary = nextStep(m.status.value);
  const steps: { action: PaymentAction; group: HTMLElement }[] = [];
  if (act.confirm) {
    steps.push({ action: 'confirm', group: h('div', { class: 'group' },
      button('Confirm…', () => a.post({ type: 'action', action: 'confirm' }), { primary: primary === 'confirm', disabled: busy, key: 'act-confirm', title: 'Asks for the payment method, as the palette command does' })) });
  }
  if (act.capture) {
    const amount = ui.amountDraft ?? m.amounts.capturableInput;
    const capture = () => a.post({ type: 'action', action: 'capture', amount: (ui.amountDraft ?? m.amounts.capturableInput).trim() });
    const field = h('vscode-text-field', {
      key: 'capture-amount',
      attrs: { value: amount, size: 10, 'aria-label': `Amount to capture in ${m.amounts.currency}`, disabled: busy },
      on: {
        input: (e) => {
          a.remember({ amountDraft: (e.target as HTMLInputElement).value, amountBase: m.amounts.capturableInput });
          a.dropActionError();
        },
        // Enter captures, as the button does.
        keydown: (e: Event) => {
          const k = e as KeyboardEvent;
          if (k.key === 'Enter' && !k.isComposing && !busy) capture();
        },
      },
    }, `Amount (${m.amounts.currency})`);
    steps.push({ action: 'capture', group: h('div', { class: 'group group-field' }, field,
      button('Capture', capture, { primary: primary === 'capture', disabled: busy, key: 'act-capture', title: `Up to ${m.amounts.capturable ?? ''}` })) });
  }
  if (act.simulate.length) {
    // One button per outcome the status allows (the one table in src/domain/status.ts); the first, succeed, is the step.
    steps.push({ action: 'simulate', group: h('div', { class: 'group' }, ...act.simulate.map((outcome) => {
      const b = SIMULATE_BUTTONS[outcome];
      return button(b.label, () => a.post({ type: 'action', action: 'simulate', outcome }),
        { primary: primary === 'simulate' && outcome === 'succeed', disabled: busy, key: b.key, title: b.title });
    })) });
  }
  if (act.refund) {
    steps.push({ action: 'refund', group: h('div', { class: 'group' },
      button('Refund…', () => a.post({ type: 'action', action: 'refund' }), { disabled: busy, key: 'act-refund', title: `Asks for the amount (up to ${m.amounts.leftToRefund ?? ''}) and a reason, as the palette command does` })) });
  }
  // The next step's group first; the others in the order they were made.
  steps.sort((x, y) => Number(y.action === primary) - Number(x.action === primary));
  let cancel: HTMLElement | null = null;
  if (act.cancel) {
    const reason = ui.reasonDraft || m.cancellationReasons[0] || '';
    const dropdown = h('vscode-dropdown', {
      key: 'cancel-reason',
      attrs: { 'aria-label': 'Cancellation reason', disabled: busy },
      on: { change: (e) => { a.remember({ reasonDraft: (e.target as HTMLSelectElement).value }); a.dropActionError(); } },
    }, ...m.cancellationReasons.map((r) => h('vscode-option', { attrs: { value: r, selected: r === reason } }, r)));
    cancel = h('div', { class: 'actions-row actions-cancel', attrs: { role: 'group', 'aria-label': 'Cancel the payment' } },
      h('div', { class: 'group group-field' },
        h('div', { class: 'field' }, h('label', { class: 'field-label' }, 'Cancellation reason'), dropdown),
        button('Cancel Payment', () => a.post({ type: 'action', action: 'cancel', reason: ui.reasonDraft || reason }), { disabled: busy, key: 'act-cancel' })));
  }
  const busyNote = busy ? h('div', { class: 'busy', attrs: { role: 'status' } }, h('vscode-progress-ring', {}), h('span', {}, ui.busy ?? '')) : null;
  return h('section', { class: 'actions', attrs: { 'aria-label': 'Actions' } },
    steps.length || busyNote ? h('div', { class: 'actions-row actions-steps' }, ...steps.map((s) => s.group), busyNote) : null,
    steps.length && cancel ? h('vscode-divider', { class: 'actions-divider', attrs: { role: 'separator' } }) : null,
    cancel);
}

function details(m: InspectorModel, ui: UiState, a: RenderActions): HTMLElement {
  const d = m.details;
  const rows: [string, Child, string?][] = [
    ['Status', h('span', { class: 'inline-copy' }, statusPill(m.status.label, m.status.kind, true), h('span', { class: 'mono muted' }, m.status.value))],
    ['Amount', m.amounts.amount],
    ['Capturable', val(m.amounts.capturable)],
    ['Received', val(m.amounts.received)],
    ...(m.amounts.refunded ? [['Refunded', m.amounts.refunded] as [string, Child]] : []),
    ...(m.amounts.leftToRefund ? [['Left to refund', m.amounts.leftToRefund] as [string, Child]] : []),
    // Only when it differs from the amount (src/inspector/model.ts): say what it is.
    ...(m.amounts.net ? [['Net (with surcharge and tax)', m.amounts.net] as [string, Child]] : []),
    ['Capture method', val(d.captureMethod)],
    ['Authentication', val(d.authenticationType)],
    ['Customer', d.customerId ? h('code', { class: 'wrap' }, d.customerId) : dash()],
    ['Description', h('span', { class: 'description' }, val(d.description))],
    ['Payment method', val(d.paymentMethod)],
  ];
  if (d.customerName) rows.push(['Name', d.customerName]);
  if (d.email) rows.push(['Email', h('span', { class: 'wrap' }, d.email)]);
  if (d.phone) rows.push(['Phone', d.phone]);
  if (d.card) rows.push(['Card', d.card]);
  if (d.errorCode || d.errorMessage) {
    rows.push(['Error', h('span', { class: 'error-text' }, d.errorCode ? h('code', {}, d.errorCode) : null, d.errorCode && d.errorMessage ? ' — ' : '', d.errorMessage ?? ''), 'row-error']);
  }
  if (d.cancellationReason) rows.push(['Cancellation reason', d.cancellationReason]);
  rows.push(
    ['Created', timeCell(m.times.created)],
    ['Modified', timeCell(m.times.modified)],
    ['Expires', timeCell(m.times.expires)],
    ['Connector', val(d.connector)],
  );
  if (d.connectorTransactionId) {
    const ref = d.connectorTransactionId;
    rows.push(['Connector transaction', h('span', { class: 'inline-copy connector-txn' }, h('code', { class: 'wrap' }, ref),
      copyButton(ref, 'connector transaction ID', { copy: (text, what) => a.post({ type: 'copy', text, what }) }, 'connector-txn-copy'))]);
  }
  if (d.attemptCount !== null) rows.push(['Attempts', String(d.attemptCount)]);
  if (d.returnUrl) rows.push(['Return URL', h('code', { class: 'wrap' }, d.returnUrl)]);
  if (m.hasClientSecret) {
    const secret = ui.secret;
    rows.push(['Client secret', secret
      ? h('span', { class: 'inline-copy' }, h('code', { class: 'wrap secret' }, secret),
          button('Hide', () => a.update({ secret: null }), { key: 'secret-hide' }),
          copyButton(secret, 'client secret', { copy: (text, what) => a.post({ type: 'copy', text, what }) }, 'secret-copy'))
      : h('span', { class: 'inline-copy' }, h('span', { class: 'muted masked', attrs: { 'aria-label': 'hidden' } }, '••••••••••••'),
          button(ui.secretPending ? 'Showing…' : 'Show', () => { a.update({ secretPending: true }); a.post({ type: 'revealSecret' }); }, { key: 'secret-show', disabled: ui.secretPending }))]);
  }
  return section('Details', 'details', grid('Details', rows));
}

/** Each refund: amount, status, reason, its id (copyable), and why it failed. */
function refunds(m: InspectorModel, a: RenderActions): HTMLElement | null {
  if (!m.refunds.length) return null;
  const copy = { copy: (text: string, what: string) => a.post({ type: 'copy', text, what }) };
  return section('Refunds', 'refunds', h('ul', { class: 'refunds' }, ...m.refunds.map((r) => h('li', { class: ['refund', KIND_CLASS(r.kind)] },
    h('div', { class: 'refund-head' }, h('strong', { class: 'refund-amount' }, r.amount), statusPill(r.statusLabel, r.kind, true), r.at ? timeCell(r.at) : null),
    r.reason ? h('div', { class: 'refund-reason' }, h('span', { class: 'muted' }, 'Reason '), r.reason) : null,
    r.error ? h('div', { class: 'refund-error error-text' }, r.error) : null,
    h('div', { class: 'inline-copy refund-id' }, h('code', { class: 'wrap' }, r.id), copyButton(r.id, 'refund ID', copy, `refund-copy-${r.id}`))))));
}

function addresses(m: InspectorModel): HTMLElement | null {
  if (!m.addresses.length) return null;
  const card = (ad: AddressView) => h('div', { class: 'address', attrs: { role: 'group', 'aria-label': ad.title } },
    h('h4', {}, ad.title),
    ad.name ? h('div', { class: 'address-name' }, ad.name) : null,
    ...ad.lines.map((line) => h('div', { class: 'address-line' }, line)),
    ad.phone ? h('div', { class: 'address-phone' }, h('span', { class: 'muted' }, 'Phone '), ad.phone) : null,
    ad.email ? h('div', { class: 'address-email wrap' }, h('span', { class: 'muted' }, 'Email '), ad.email) : null);
  return section('Addresses', 'addresses', h('div', { class: 'addresses' }, ...m.addresses.map(card)));
}

/** The metadata as a tree of nested <details> (open three levels deep unless the person chose). */
export function jsonTree(rows: readonly JsonRow[], ui: Pick<UiState, 'jsonOpen'>, a: Pick<RenderActions, 'remember'>): HTMLElement {
  const root = h('div', { class: 'json-tree' });
  const stack: { el: HTMLElement; path: string }[] = [{ el: root, path: '' }];
  const keyOf = (r: JsonRow) => h('span', { class: r.inArray ? 'json-key json-index' : 'json-key' }, r.inArray ? `[${r.key}]` : r.key);
  for (const r of rows) {
    const level = Math.min(r.depth, stack.length - 1);
    stack.length = level + 1;
    const parent = stack[level]!;
    if (r.kind === 'more') {
      parent.el.append(h('div', { class: 'json-more muted' }, r.text ?? ''));
      continue;
    }
    if ((r.kind === 'object' || r.kind === 'array') && (r.size ?? 0) > 0) {
      const path = `${parent.path}\u0000${r.key}`;
      const children = h('div', { class: 'json-children' });
      const open = ui.jsonOpen[path] ?? r.depth < 3;
      const det = h('details', { class: `json-node json-${r.kind}`, attrs: { open } },
        h('summary', {}, keyOf(r), h('span', { class: 'json-meta muted' }, r.kind === 'array' ? ` [${r.size}]` : ` {${r.size}}`)),
        children) as HTMLDetailsElement;
      det.addEventListener('toggle', () => a.remember({ jsonOpen: Object.assign(ui.jsonOpen, { [path]: det.open }) }));
      parent.el.append(det);
      stack.push({ el: children, path });
      continue;
    }
    const value = r.kind === 'object' ? '{}' : r.kind === 'array' ? '[]' : r.kind === 'string' ? `"${r.text ?? ''}"` : (r.text ?? '');
    parent.el.append(h('div', { class: `json-leaf json-${r.kind}` }, keyOf(r), h('span', { class: 'json-colon muted' }, ': '),
      h('span', { class: 'json-value wrap' }, value)));
  }
  return root;
}

function metadata(m: InspectorModel, ui: UiState, a: RenderActions): HTMLElement | null {
  if (!m.metadata.length) return null;
  return section('Metadata', 'metadata', jsonTree(m.metadata, ui, a));
}

function timelineItem(e: TimelineEntry): HTMLElement {
  const ms = e.at ? Date.parse(e.at) : NaN;
  return h(
    'li',
    { class: ['tl-item', KIND_CLASS(e.kind), e.status === null && 'tl-no-status'] },
    h('span', { class: 'tl-dot', attrs: { 'aria-hidden': 'true' } }),
    h(
      'div',
      { class: 'tl-body' },
      h('div', { class: 'tl-label' }, e.label),
      e.detail ? h('div', { class: 'tl-detail' }, e.detail) : null,
      h(
        'div',
        { class: 'tl-meta' },
        e.statusLabel ? statusPill(e.statusLabel, e.kind, true) : null,
        Number.isFinite(ms)
          ? h('time', { attrs: { datetime: e.at ?? '', 'data-relative': ms }, title: absoluteTime(ms) }, relativeTime(ms, Date.now()))
          : h('span', { class: 'muted' }, 'time unknown'),
        Number.isFinite(ms) ? h('span', { class: 'muted tl-abs' }, absoluteTime(ms)) : null,
      ),
    ),
  );
}

function timeline(m: InspectorModel): HTMLElement {
  return h(
    'section',
    { class: 'section section-timeline', attrs: { 'aria-labelledby': 'h-timeline' } },
    h('h2', { attrs: { id: 'h-timeline' } }, 'Timeline ', h('vscode-badge', {}, String(m.timeline.length))),
    h('ol', { class: 'timeline' }, ...m.timeline.map(timelineItem)),
    m.polling ? h('p', { class: 'muted tl-live' }, 'Following the payment: new steps appear here as they happen.') : null,
  );
}

function rawJson(m: InspectorModel, ui: UiState, a: RenderActions): HTMLElement {
  const det = h(
    'details',
    { class: 'raw', attrs: { open: ui.rawOpen } },
    h('summary', {}, 'Raw JSON of the last answer'),
    h('div', { class: 'code-block' },
      h('div', { class: 'code-actions' }, copyButton(m.rawJson, 'JSON', { copy: (text, what) => a.post({ type: 'copy', text, what }) }, 'raw-copy')),
      h('pre', {}, h('code', {}, m.rawJson))),
  );
  det.addEventListener('toggle', () => a.remember({ rawOpen: (det as HTMLDetailsElement).open }));
  return det;
}

/** The whole page for `m`. */
export function renderPage(m: InspectorModel, ui: UiState, a: RenderActions): DocumentFragment {
  const frag = document.createDocumentFragment();
  frag.append(header(m, ui, a), statusCallout(m));
  if (ui.error) {
    frag.append(h('div', { class: 'banner banner-error', attrs: { role: 'alert' } },
      h('span', { class: 'banner-text' }, ui.error),
      h('vscode-button', { attrs: { appearance: 'icon', 'aria-label': 'Dismiss' }, title: 'Dismiss', key: 'error-dismiss', on: { click: () => a.update({ error: null }) } }, icon('close'))));
  }
  const acts = actions(m, ui, a);
  if (acts) frag.append(acts);
  if (m.nextAction) {
    frag.append(section(`Next action · ${m.nextAction.type}`, 'next-action', renderNextAction(m.nextAction, {
      openUrl: (url) => a.post({ type: 'openUrl', url }),
      copy: (text, what) => a.post({ type: 'copy', text, what }),
      fetchedQr: ui.fetchedQr,
      reportError: (message) => a.update({ error: message }),
      busy: ui.busy !== null,
    })));
  }
  frag.append(h('vscode-divider', { attrs: { role: 'separator' } }));
  frag.append(h('div', { class: 'columns' },
    h('div', { class: 'col col-main' }, refunds(m, a), details(m, ui, a), addresses(m), metadata(m, ui, a)),
    h('div', { class: 'col col-side' }, timeline(m))));
  frag.append(rawJson(m, ui, a));
  return frag;
}

/**
 * The payment inspector's webview (bundled by esbuild.mjs into dist/webview.js, loaded by nonce).
 *
 * It draws what the extension sends and asks the extension to do everything else: every message in
 * either direction is checked against src/shared/protocol.ts, and one that does not match is dropped
 * (and reported to the extension's log). It keeps { paymentId, model } with setState, so a panel
 * restored after a reload, or shown again after being hidden, paints at once from its last model.
 */
import { bundleStart } from './boot';
import './zodConfig';
import { waitProgress } from '../src/domain/time';
import { FIRST_MODEL_ID } from '../src/shared/page';
import { parseToWebview, parseWebviewState, type FromWebview, type InspectorModel, type ToWebview, type WebviewState } from '../src/shared/protocol';
import { h } from './dom';
import { relativeTime } from './format';
import { countdownText } from './nextAction';
import { renderPage, type UiState } from './render';

/** After every module of the bundle has been evaluated. */
const scriptStart = performance.now();
/** The nonce this script was let in by: the toolkit's script (loadToolkit) carries it too. */
const scriptNonce = (document.currentScript as HTMLScriptElement | null)?.nonce ?? '';


const vscode = acquireVsCodeApi<WebviewState>();
let modelIn = 0;
let readyAt = 0;
const app = document.getElementById('app') as HTMLElement;
const paymentId = app.dataset.paymentId ?? '';

let model: InspectorModel | null = null;
let drawnKey = '';
let painted = false;
const ui: UiState = {
  busy: null,
  error: null,
  errorSource: 'action',
  secret: null,
  secretPending: false,
  amountDraft: null,
  amountBase: '',
  reasonDraft: '',
  rawOpen: false,
  jsonOpen: {},
  fetchedQr: undefined,
};

/** The actions that try something on the payment: a new try takes away the last one's refusal or failure. */
const TRIES: readonly string[] = ['confirm', 'capture', 'cancel', 'simulate'];

function post(message: FromWebview): void {
  if (message.type === 'action' && TRIES.includes(message.action)) dropActionError();
  vscode.postMessage(message);
}

/** An action's error goes (a field changed, another try): its banner removed, nothing else drawn again. */
function dropActionError(): void {
  if (ui.error === null || ui.errorSource !== 'action') return;
  ui.error = null;
  app.querySelector('.banner-error')?.remove();
}

function log(level: 'info' | 'warn' | 'error', message: string): void {
  post({ type: 'log', level, message: message.slice(0, 2000) });
}

// ------------------------------------------------------------------------------ drawing

/**
 * Draws the page again, keeping focus (by data-key, and the caret in a text field) and scroll position:
 * a new answer or a busy change while the person types leaves what they typed where it was.
 */
function draw(): void {
  if (!model) {
    // Nothing to show yet: only a failure to load is worth drawing (with a way to try again).
    if (ui.error) {
      app.replaceChildren(
        h('div', { class: 'banner banner-error load-error', attrs: { role: 'alert' } }, h('span', { class: 'banner-text' }, ui.error)),
        h('vscode-button', { attrs: { appearance: 'primary', disabled: ui.busy !== null }, key: 'act-retry', on: { click: () => post({ type: 'action', action: 'refresh' }) } },
          ui.busy ? 'Trying again…' : 'Try Again'),
      );
      app.setAttribute('aria-busy', 'false');
      loadToolkit();
    }
    return;
  }
  const focused = document.activeElement?.closest('[data-key]') as HTMLElement | null;
  const focusedKey = focused?.dataset.key;
  // A toolkit text field's own input (in its shadow root), where the caret is.
  const input = focused?.shadowRoot?.activeElement;
  const caret = input instanceof HTMLInputElement ? { start: input.selectionStart, end: input.selectionEnd, direction: input.selectionDirection } : null;
  const scroll = window.scrollY;
  if (ui.amountDraft !== null && ui.amountBase !== model.amounts.capturableInput) ui.amountDraft = null;
  app.replaceChildren(renderPage(model, ui, { post, update, remember, dropActionError }));
  app.setAttribute('aria-busy', ui.busy ? 'true' : 'false');
  document.title = model.title;
  if (focusedKey) {
    const again = app.querySelector(`[data-key="${CSS.escape(focusedKey)}"]`) as HTMLElement | null;
    again?.focus();
    const field = again?.shadowRoot?.querySelector('input');
    if (caret && field && field.value.length >= (caret.end ?? 0)) field.setSelectionRange(caret.start, caret.end, caret.direction ?? undefined);
  }
  // Only to put back a scrolled page: scrolling forces a layout before the frame would do it.
  if (scroll > 0 && window.scrollY !== scroll) window.scrollTo({ top: scroll });
  tick();
  if (!painted) {
    painted = true;
    // After the browser has painted this frame.
    const drawn = performance.now();
    requestAnimationFrame(() =>
      setTimeout(() => {
        post({
          type: 'painted',
          sinceLoadMs: performance.now(),
          marks: { bundleStart, scriptStart, ready: readyAt, modelIn, drawn },
        });
        loadToolkit();
      }, 0));
  }
}

let toolkitRequested = false;
let toolkitRun = false;
/**
 * Asks for the controls' code (dist/webview-toolkit.js, webview/toolkit.ts) once: after the first paint,
 * or when there is nothing to paint yet (an error, a slow first model). It comes in a 'toolkit' message
 * (runToolkit), not as a file: the page fetches nothing.
 */
function loadToolkit(): void {
  if (toolkitRequested) return;
  toolkitRequested = true;
  post({ type: 'toolkit' });
}

/** Runs the controls' code by this script's nonce, as the page's Content-Security-Policy asks; links it if the extension had none. */
function runToolkit(code: string | null): void {
  if (toolkitRun) return;
  toolkitRun = true;
  const script = document.createElement('script');
  script.nonce = scriptNonce;
  if (code !== null) {
    script.textContent = code;
  } else if (app.dataset.toolkit) {
    script.src = app.dataset.toolkit;
    script.addEventListener('error', () => {
      // Without it the controls are plain elements: shown (they still work), and the failure logged.
      document.body.classList.add('toolkit-failed');
      log('error', 'could not load the webview toolkit');
    });
  } else {
    document.body.classList.add('toolkit-failed');
    return;
  }
  document.body.appendChild(script);
}

function update(change: Partial<UiState>): void {
  Object.assign(ui, change);
  draw();
}

function remember(change: Partial<UiState>): void {
  Object.assign(ui, change);
}

/** Live parts: countdowns, progress bars, relative times. */
function tick(): void {
  const now = Date.now();
  for (const el of app.querySelectorAll<HTMLElement>('[data-countdown-to]')) {
    el.textContent = countdownText(Number(el.dataset.countdownTo), el.dataset.countdownPrefix ?? '', now);
  }
  for (const el of app.querySelectorAll<HTMLElement>('[data-progress-from]')) {
    const from = Number(el.dataset.progressFrom);
    const to = el.dataset.progressTo ? Number(el.dataset.progressTo) : null;
    const { fraction } = waitProgress(from, to, now);
    const fill = el.firstElementChild as HTMLElement | null;
    if (fill) fill.style.width = `${(fraction * 100).toFixed(1)}%`;
    el.setAttribute('aria-valuenow', String(Math.round(fraction * 100)));
  }
  for (const el of app.querySelectorAll<HTMLElement>('[data-relative]')) {
    const text = relativeTime(Number(el.dataset.relative), now);
    if (el.textContent !== text) el.textContent = text;
  }
}
setInterval(tick, 1000);

/** What to compare to skip drawing an unchanged model (polls mostly bring nothing new). */
function keyOf(m: InspectorModel): string {
  return JSON.stringify({ ...m, receivedAt: '' });
}

function showModel(m: InspectorModel, persist: boolean): void {
  if (!modelIn) modelIn = performance.now();
  model = m;
  if (persist) vscode.setState({ paymentId: m.paymentId, model: m });
  const key = keyOf(m);
  if (key === drawnKey) {
    // Same payment: only the "updated … ago" time moves.
    const t = app.querySelector<HTMLElement>('.id-line time');
    if (t) {
      t.dataset.relative = String(Date.parse(m.receivedAt));
      t.setAttribute('datetime', m.receivedAt);
      t.textContent = relativeTime(Date.parse(m.receivedAt), Date.now());
    }
    return;
  }
  drawnKey = key;
  draw();
}

let noticeTimer: ReturnType<typeof setTimeout> | undefined;
function notice(message: string): void {
  let el = document.getElementById('notice');
  if (!el) {
    el = h('div', { class: 'notice', attrs: { id: 'notice', role: 'status', 'aria-live': 'polite' } });
    document.body.appendChild(el);
  }
  el.textContent = message;
  el.classList.add('shown');
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => el?.classList.remove('shown'), 2500);
}

// ------------------------------------------------------------------------------ messages

function handle(m: ToWebview): void {
  switch (m.type) {
    case 'model':
      if (m.model.paymentId !== paymentId) {
        log('warn', `dropped a model of another payment (${m.model.paymentId})`);
        return;
      }
      // A new answer clears a failed read's error; an action's refusal or failure stays (dropActionError).
      if (ui.error !== null && ui.errorSource === 'read' && !ui.busy) {
        ui.error = null;
        drawnKey = '';
      }
      showModel(m.model, true);
      return;
    case 'qr':
      if (m.paymentId !== paymentId) return;
      ui.fetchedQr = { qr: m.qr, fetchedAt: m.fetchedAt, error: m.error };
      draw();
      return;
    case 'busy':
      ui.busy = m.busy ? (m.action ?? 'Working…') : null;
      draw();
      return;
    case 'error':
      ui.error = m.message;
      ui.errorSource = m.source ?? 'action';
      draw();
      return;
    case 'secret':
      if (m.paymentId !== paymentId) return;
      ui.secret = m.value;
      ui.secretPending = false;
      if (!m.value) notice('This payment has no client secret.');
      draw();
      return;
    case 'notice':
      notice(m.message);
      return;
    case 'toolkit':
      runToolkit(m.code);
      return;
  }
}

/** One message from the extension (or the page's first model): checked against the protocol, then handled. */
function receive(data: unknown): void {
  const parsed = parseToWebview(data);
  if (!parsed.ok) {
    const d = data as { type?: unknown } | null;
    const t = d && typeof d === 'object' && typeof d.type === 'string' ? d.type.slice(0, 40) : typeof data;
    log('warn', `dropped an invalid message (${t}): ${parsed.error}`);
    return;
  }
  try {
    handle(parsed.value);
  } catch (e) {
    log('error', `failed to show a ${parsed.value.type} message: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
}

window.addEventListener('message', (event: MessageEvent) => receive(event.data));

window.addEventListener('error', (e) => log('error', `${e.message} (${e.filename}:${e.lineno})`));

// Typing in the panel keeps it (a preview panel is no longer replaced by the next row's click).
let keepSent = false;
document.addEventListener('input', () => {
  if (keepSent) return;
  keepSent = true;
  post({ type: 'keep' });
}, true);

// ------------------------------------------------------------------------------ start

/**
 * The first model, when the page carries it (src/inspector/html.ts): received as a message is, and
 * drawn at once. Only for a page that has not run before: a page shown again (or reloaded) has its last
 * model in its saved state, newer than the one it was opened with.
 */
function firstModelInPage(): boolean {
  const block = document.getElementById(FIRST_MODEL_ID);
  if (!block) return false;
  block.remove();
  let data: unknown;
  try {
    data = JSON.parse(block.textContent ?? '');
  } catch {
    log('warn', 'dropped the first model: not JSON');
    return false;
  }
  receive({ type: 'model', model: data });
  return model !== null;
}

const rawState = vscode.getState();
const fromPage = rawState === undefined && firstModelInPage();
// Nothing painted soon (no first model in the page, a slow answer): the controls load anyway.
setTimeout(loadToolkit, 300);
// Ready first: the extension's answer travels while this page validates its saved state. (The
// extension posts the model it already has without waiting for this; a first validation costs the
// cold page 150-700 ms, so it is not done for nothing: a new panel has no saved state.)
post({ type: 'ready' });
readyAt = performance.now();
const saved = rawState === undefined ? undefined : parseWebviewState(rawState);
if (saved?.ok && saved.value.paymentId === paymentId && saved.value.model) {
  // Restored (reload, or shown again after being hidden): paint the last model at once.
  showModel(saved.value.model, false);
} else if (!fromPage) {
  // (A first model from the page was drawn and kept already.)
  vscode.setState({ paymentId });
}

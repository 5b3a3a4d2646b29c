/**
 * What the panel's buttons do: each webview request (an action, a copy, opening a URL, showing the
 * client secret) run on the extension side. The payment actions run as the palette's own commands
 * (`perfectpay.*` with `{ paymentId, ...fields }`), so there is one code path for each; a button the
 * current model does not offer (a stale page) is refused here too. The capture amount is checked with
 * the Capture command's own validation (src/model/capture.ts).
 *
 * Pure: no `vscode`. VS Code is reached through `PanelUi` (src/inspector/ui.ts), so the dispatcher
 * is unit-tested in Node with a fake one.
 */
import type { Payment } from '../api/schemas';
import { statusLabel } from '../domain/status';
import { parseCaptureAmount } from '../model/capture';
import { COMMAND_IDS } from '../domain/commandIds';
import type { ActionMessage, FromWebview, InspectorModel, ToWebview } from '../shared/protocol';
import { openableUrls } from './nextActionView';

/** What the dispatcher needs of VS Code. */
export interface PanelUi {
  executeCommand<T>(command: string, arg: unknown): Thenable<T | undefined>;
  writeClipboard(text: string): Thenable<void>;
  /** A modal question: true when the person chose `button`. */
  confirm(message: string, detail: string, button: string): Thenable<boolean>;
  /** Opens an http(s) URL in the browser. */
  openExternal(url: string): Thenable<boolean>;
}

export const BUSY_LABELS: Record<ActionMessage['action'], string> = {
  confirm: 'Confirming…',
  capture: 'Capturing…',
  cancel: 'Cancelling…',
  refund: 'Refunding…',
  simulate: 'Simulating the customer…',
  refresh: 'Refreshing…',
  copyCurl: 'Copying…',
  copyId: 'Copying…',
};

export interface DispatcherDeps {
  paymentId: string;
  /** The payment as last read, and the model last posted. */
  payment(): Payment | undefined;
  model(): InspectorModel | undefined;
  /**
   * Reads the payment with its attempts and captures ('retrieve': the person asked; 'poll': after an
   * action). `fresh`: the answer must be of a read started after now.
   */
  refresh(cause: 'retrieve' | 'poll', fresh: boolean): Promise<void>;
  /** An action's answer (no attempts or captures: the refresh that follows reads them). */
  applyResult(payment: Payment, cause: ActionMessage['action']): void;
  post(message: ToWebview): void;
  ui: PanelUi;
  warn(message: string): void;
  /** The local sandbox's origin when it is the current environment (its own pages are loopback http). */
  localSandboxOrigin?(): string | undefined;
}

export class ActionDispatcher {
  private busy: ActionMessage['action'] | null = null;

  constructor(private readonly d: DispatcherDeps) {}

  /** The busy message to send again to a webview that (re)loads while an action runs. */
  busyMessage(): ToWebview | undefined {
    return this.busy ? { type: 'busy', busy: true, action: BUSY_LABELS[this.busy] } : undefined;
  }

  isBusy(): boolean {
    return this.busy !== null;
  }

  async copy(m: Extract<FromWebview, { type: 'copy' }>): Promise<void> {
    await this.d.ui.writeClipboard(m.text);
    this.d.post({ type: 'notice', message: `Copied ${m.what ?? 'to the clipboard'}.` });
  }

  revealSecret(): void {
    const secret = this.d.payment()?.client_secret;
    this.d.post({ type: 'secret', paymentId: this.d.paymentId, value: typeof secret === 'string' && secret !== '' ? secret : null });
  }

  /**
   * Opens a URL the current model offers (a redirect, a 3DS page, a QR code URL the extension does
   * not fetch), http(s) only, after a modal confirmation that names its host, and warns of plain
   * http unless it is the local sandbox's own page.
   */
  async openUrl(url: string): Promise<boolean> {
    const offered = openableUrls(this.d.model()?.nextAction ?? null);
    if (!offered.includes(url)) {
      this.d.warn(`Inspector: refused to open a URL that the payment does not offer (${url.slice(0, 80)})`);
      return false;
    }
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return false;
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
    const scheme = u.protocol.replace(/:$/, '').toUpperCase();
    // The local sandbox's own pages are plain http on this machine by design: nothing crosses a network.
    const own = u.origin === this.d.localSandboxOrigin?.();
    const ok = own
      ? await this.d.ui.confirm(
        'Open this page of the local sandbox in your browser?',
        `${url}\n\nThe local sandbox's own page, on this machine (${u.host}): no real money moves.`,
        'Open',
      )
      : await this.d.ui.confirm(
        `Open this ${scheme} page in your browser?`,
        `${url}\n\nHost: ${u.host}\n\nIt was sent by the payments server in this payment's next_action.${
          u.protocol === 'http:' ? '\n\nPlain HTTP: the page, and what you enter on it, travel unencrypted.' : ''}`,
        'Open',
      );
    if (!ok) return false;
    return this.d.ui.openExternal(url);
  }

  async run(m: ActionMessage): Promise<void> {
    const id = this.d.paymentId;
    if (m.action === 'refresh') {
      this.setBusy('refresh');
      try {
        await this.d.refresh('retrieve', false);
      } finally {
        this.setBusy(null);
      }
      return;
    }
    if (m.action === 'copyId') {
      await this.d.ui.executeCommand(COMMAND_IDS.copyId, { paymentId: id });
      this.d.post({ type: 'notice', message: 'Copied the payment ID.' });
      return;
    }
    if (m.action === 'copyCurl') {
      const text = await this.d.ui.executeCommand<string>(COMMAND_IDS.copyCurl, { paymentId: id, request: 'retrieve' });
      if (text) this.d.post({ type: 'notice', message: 'Copied the cURL command (the key is read from $PERFECTPAY_API_KEY).' });
      return;
    }
    if (this.busy) {
      this.d.post({ type: 'notice', message: 'Wait for the running action to finish.' });
      return;
    }
    const call = this.commandFor(m);
    if ('refusal' in call) {
      this.d.post({ type: 'error', message: call.refusal });
      return;
    }
    this.setBusy(m.action);
    try {
      const result = await this.d.ui.executeCommand<Payment>(call.command, call.arg);
      // A refund's answer is the refund, not the payment: the refresh below reads the payment.
      if (m.action !== 'refund' && result && typeof result === 'object' && result.payment_id === id) this.d.applyResult(result, m.action);
    } catch (e) {
      this.d.post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    } finally {
      this.setBusy(null);
    }
    // The answer of an action has no attempts or captures: read them for the timeline.
    await this.d.refresh('poll', true);
  }

  /** The command and argument of a payment action, or why the panel refuses it. */
  private commandFor(m: ActionMessage): { command: string; arg: Record<string, unknown> } | { refusal: string } {
    const id = this.d.paymentId;
    const model = this.d.model();
    const status = model ? `"${statusLabel(model.status.value)}"` : 'not known yet';
    const notNow = (what: string) => ({ refusal: `${what} is not possible now: the payment's status is ${status}.` });
    switch (m.action) {
      case 'confirm':
        if (!model?.actions.confirm) return notNow('Confirm');
        return { command: COMMAND_IDS.confirm, arg: { paymentId: id } };
      case 'capture': {
        if (!model?.actions.capture) return notNow('Capture');
        const p = this.d.payment();
        if (!p) return notNow('Capture');
        // The amount the person saw (the field is prefilled with the capturable amount; a message
        // without one means that amount), always sent as such: without an amount a server may capture
        // less (the create's amount_to_capture). A field left empty is refused, as the command does.
        const capturable = p.amount_capturable ?? 0;
        if (m.amount === undefined) return { command: COMMAND_IDS.capture, arg: { paymentId: id, amount_to_capture: capturable } };
        const parsed = parseCaptureAmount(m.amount, p.currency, capturable);
        if (!parsed.ok) return { refusal: parsed.reason };
        return { command: COMMAND_IDS.capture, arg: { paymentId: id, amount_to_capture: parsed.minor } };
      }
      case 'cancel':
        if (!model?.actions.cancel) return notNow('Cancel');
        return { command: COMMAND_IDS.cancel, arg: { paymentId: id, cancellation_reason: m.reason?.trim() ? m.reason.trim() : undefined } };
      case 'refund':
        // Asked as the palette asks it: the amount (what is left, prefilled) and a reason.
        if (!model?.actions.refund) return notNow('Refund');
        return { command: COMMAND_IDS.refund, arg: { paymentId: id } };
      case 'simulate':
        if (!m.outcome || !model?.actions.simulate.includes(m.outcome)) return notNow(`Simulating "${m.outcome ?? '?'}"`);
        return { command: COMMAND_IDS.simulate, arg: { paymentId: id, outcome: m.outcome } };
      default:
        return { refusal: `Unknown action ${String(m.action)}.` };
    }
  }

  private setBusy(action: ActionMessage['action'] | null): void {
    this.busy = action;
    this.d.post({ type: 'busy', busy: action !== null, action: action ? BUSY_LABELS[action] : null });
  }
}

/**
 * Payments as read-only JSON documents (`perfectpay:` URIs, src/documents/uri.ts): a
 * TextDocumentContentProvider whose text is the answer redacted and pretty-printed
 * (src/model/answers.ts). An open document follows its payment: every answer the service sees for it
 * (an action, the inspector's poll, "PerfectPay: Refresh Payment JSON") updates the text in place,
 * without a request of its own. Snapshot documents (`?at=`) show an earlier answer as it was kept.
 * Exchange documents (`/exchanges/{n}.json`) show a request of the request log and its answer.
 */
import * as vscode from 'vscode';
import { l10n } from '../environment/l10n';
import { redactJson } from '../domain/redact';
import { errorInfo } from '../environment/errors';
import { answerJsonText, paymentJsonText } from '../model/answers';
import { exchangeJsonText, KEPT_EXCHANGES, type ExchangeSource } from '../model/requestLine';
import type { PaymentsService } from '../services/PaymentsService';
import { parseEventDocumentUri, parseExchangeDocumentUri, parsePaymentDocumentUri, PAYMENT_SCHEME, type PaymentDocumentRef } from './uri';

export class PaymentDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  /** The text last given for each live document (by URI): shown again while it cannot be read. */
  private readonly lastText = new Map<string, string>();
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(
    private readonly service: PaymentsService,
    private readonly requestLog?: ExchangeSource,
  ) {
    this.disposables.push(
      service.onDidChangePayment((e) => this.onPayment(e.payment)),
      // Back in an environment: its open documents are read again.
      service.onDidChangeEnvironment((env) => {
        for (const doc of this.openLive()) if (doc.ref.environment === env.kind) this.changed.fire(doc.uri);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d.uri.scheme === PAYMENT_SCHEME) this.lastText.delete(d.uri.toString());
      }),
    );
  }

  /** The open live documents (not snapshots) of our scheme. */
  private openLive(): { uri: vscode.Uri; ref: PaymentDocumentRef }[] {
    const out: { uri: vscode.Uri; ref: PaymentDocumentRef }[] = [];
    for (const d of vscode.workspace.textDocuments) {
      if (d.uri.scheme !== PAYMENT_SCHEME) continue;
      const ref = parsePaymentDocumentUri(d.uri);
      if (ref && !ref.at) out.push({ uri: d.uri, ref });
    }
    return out;
  }

  private onPayment(payment: { payment_id: string }): void {
    const kind = this.service.environment().kind;
    for (const { uri, ref } of this.openLive()) {
      if (ref.paymentId !== payment.payment_id || ref.environment !== kind) continue;
      if (this.lastText.get(uri.toString()) === documentText(payment, ref)) continue;
      this.changed.fire(uri);
    }
  }

  /**
   * A webhook event as JSON: what was sent (the body parsed, for reading; its signature among the
   * headers) and what came back, attempt by attempt.
   */
  private async eventText(eventId: string): Promise<string> {
    try {
      const [event] = (await this.service.listEvents({ event_id: eventId })).events;
      const attempts = await this.service.eventAttempts(eventId);
      const parsed = (text: string): unknown => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          return text;
        }
      };
      // Redacted as every document is (the payment's client_secret, card numbers, sensitive names).
      return JSON.stringify(redactJson({
        event: event ?? { event_id: eventId },
        sent: attempts[0] ? parsed(attempts[0].request.body) : null,
        attempts: attempts.map((a) => ({
          attempt_id: a.event_id,
          delivery_attempt: a.delivery_attempt,
          created: a.created,
          delivered: a.is_delivery_successful,
          duration_ms: (a as { duration_ms?: unknown }).duration_ms ?? null,
          request_headers: a.request.headers,
          response: a.response,
        })),
      }), null, 2) + '\n';
    } catch (e) {
      return note({ event_id: eventId, unavailable: l10n.t('The event could not be read: {0}', errorInfo(e).message) });
    }
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const eventId = parseEventDocumentUri(uri);
    if (eventId !== undefined) return this.eventText(eventId);
    const exchange = parseExchangeDocumentUri(uri);
    if (exchange !== undefined) {
      const e = this.requestLog?.exchange(exchange);
      return e
        ? exchangeJsonText(exchange, e)
        : note({ exchange, unavailable: l10n.t('This request is no longer kept: the request log keeps the last {0} of this session.', KEPT_EXCHANGES) });
    }
    const ref = parsePaymentDocumentUri(uri);
    if (!ref) return note({ error: l10n.t('This is not a PerfectPay payment document.'), uri: uri.toString() });
    if (ref.at) {
      const answer = this.service.answers(ref.paymentId).find((a) => a.at === ref.at && a.environment === ref.environment);
      return answer
        ? answerJsonText(answer)
        : note({ payment_id: ref.paymentId, at: ref.at, unavailable: l10n.t('No answer of this payment was kept for this moment.') });
    }
    const key = uri.toString();
    const env = this.service.environment();
    let text: string;
    if (ref.environment !== env.kind) {
      text = this.lastText.get(key) ?? note({
        payment_id: ref.paymentId,
        environment: ref.environment,
        unavailable: l10n.t(
          'This payment belongs to the {0} environment, and the current one is {1}. Select {0} ("PerfectPay: Select Environment") to read it.',
          ref.environment,
          env.label,
        ),
      });
      return text;
    }
    try {
      text = documentText(await this.service.lookupPayment(ref.paymentId), ref);
    } catch (e) {
      const info = errorInfo(e);
      const last = this.lastText.get(key);
      if (last) return last;
      text = note({ payment_id: ref.paymentId, environment: ref.environment, unavailable: info.message, ...(info.code ? { code: info.code } : {}) });
      return text;
    }
    this.lastText.set(key, text);
    return text;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** A live document's text: the payment, or the refund it names (as the payment lists it). */
function documentText(payment: { payment_id: string; refunds?: unknown }, ref: PaymentDocumentRef): string {
  if (!ref.refundId) return paymentJsonText(payment);
  const refund = Array.isArray(payment.refunds) ? payment.refunds.find((r: { refund_id?: unknown }) => r?.refund_id === ref.refundId) : undefined;
  return refund ? paymentJsonText(refund) : note({ payment_id: payment.payment_id, refund_id: ref.refundId, unavailable: l10n.t('The payment does not list this refund.') });
}

/** A JSON object explaining why there is no payment to show (the document stays valid JSON). */
function note(fields: Record<string, string | number>): string {
  return `${JSON.stringify(fields, null, 2)}\n`;
}

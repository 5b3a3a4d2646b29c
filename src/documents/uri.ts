/**
 * The `perfectpay:` URIs of payments opened as JSON documents:
 *
 *   perfectpay:/{environment}/{payment_id}.json                 the payment now (refreshed in place)
 *   perfectpay:/{environment}/{payment_id}.json?at={ISO 8601}   the answer seen at that moment
 *   perfectpay:/{environment}/{payment_id}/refunds/{refund_id}.json   a refund of the payment, as the payment now lists it
 *   perfectpay:/exchanges/{n}.json                              exchange #n of the request log (request and answer)
 *
 * The `.json` extension gives the document VS Code's JSON language (outline, folding, validation).
 */
import * as vscode from 'vscode';
import { isPaymentId, isRefundId } from '../domain/ids';
import { ENVIRONMENT_KINDS, type EnvironmentKind } from '../environment/types';

export const PAYMENT_SCHEME = 'perfectpay';

export interface PaymentDocumentRef {
  environment: EnvironmentKind;
  paymentId: string;
  /** The moment of an earlier answer, for a snapshot document. */
  at?: string;
  /** One refund of the payment, for a refund document. */
  refundId?: string;
}

export function paymentDocumentUri(ref: PaymentDocumentRef): vscode.Uri {
  return vscode.Uri.from({
    scheme: PAYMENT_SCHEME,
    path: ref.refundId ? `/${ref.environment}/${ref.paymentId}/refunds/${ref.refundId}.json` : `/${ref.environment}/${ref.paymentId}.json`,
    query: ref.at ? `at=${encodeURIComponent(ref.at)}` : '',
  });
}

export function parsePaymentDocumentUri(uri: vscode.Uri): PaymentDocumentRef | undefined {
  if (uri.scheme !== PAYMENT_SCHEME) return undefined;
  const m = /^\/([a-z]+)\/([^/]+?)(?:\/refunds\/([^/]+))?\.json$/.exec(uri.path);
  if (!m || !(ENVIRONMENT_KINDS as readonly string[]).includes(m[1]!) || !isPaymentId(m[2])) return undefined;
  if (m[3] !== undefined && !isRefundId(m[3])) return undefined;
  const at = new URLSearchParams(uri.query).get('at') ?? undefined;
  return { environment: m[1] as EnvironmentKind, paymentId: m[2]!, ...(at ? { at } : {}), ...(m[3] ? { refundId: m[3] } : {}) };
}

/** Exchange `n` of the request log as a document. */
export function exchangeDocumentUri(n: number): vscode.Uri {
  return vscode.Uri.from({ scheme: PAYMENT_SCHEME, path: `/exchanges/${n}.json` });
}

/** The exchange number of a request-log document's URI, else undefined. */
export function parseExchangeDocumentUri(uri: vscode.Uri): number | undefined {
  if (uri.scheme !== PAYMENT_SCHEME) return undefined;
  const m = /^\/exchanges\/(\d{1,9})\.json$/.exec(uri.path);
  return m ? Number(m[1]) : undefined;
}

/** Webhook event `id` (with its attempts) as a document: `perfectpay:/events/{event_id}.json`. */
export function eventDocumentUri(eventId: string): vscode.Uri {
  return vscode.Uri.from({ scheme: PAYMENT_SCHEME, path: `/events/${eventId}.json` });
}

/** The event id of an event document's URI, else undefined. */
export function parseEventDocumentUri(uri: vscode.Uri): string | undefined {
  if (uri.scheme !== PAYMENT_SCHEME) return undefined;
  return /^\/events\/([A-Za-z0-9_-]{1,128})\.json$/.exec(uri.path)?.[1];
}

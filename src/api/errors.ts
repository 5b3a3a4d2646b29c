/**
 * Typed errors of the PerfectPay client. Each `message` is written for a person: it says what went
 * wrong and, where we can tell, what to do. None of them ever carries the API key or a card number.
 */
import type { Payment } from './schemas';

export type PerfectPayErrorKind = 'api' | 'network' | 'proxy' | 'certificate' | 'timeout' | 'invalid_answer' | 'invalid_request' | 'cancelled' | 'lost_answer';

export abstract class PerfectPayError extends Error {
  abstract readonly kind: PerfectPayErrorKind;
  /** The request this error belongs to ("POST /payments/pay_…/capture"), when there was one. */
  readonly request?: string;
  constructor(message: string, request?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.request = request;
  }
}

/** The server answered with an error body (`{"error": {type, message, code}}`) or an HTTP error. */
export class ApiError extends PerfectPayError {
  readonly kind = 'api';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly type: string,
    /** The server's own message, untouched. */
    readonly apiMessage: string,
    request?: string,
    /** Seconds, from a 429's Retry-After. */
    readonly retryAfterSeconds?: number,
  ) {
    super(`${apiMessage} (${code}, HTTP ${status})${hintFor(code, status)}`, request);
  }
}

function hintFor(code: string, status: number): string {
  if (code === 'IR_01' || status === 401) return '. Check the API key.';
  if (code === 'RE_04' || status === 429) return '. Too many requests: wait a moment and try again.';
  if (code === 'HE_02') return '. Check the payment id, and that you are on the right environment.';
  if (status >= 500) return '. The server had a problem: try again later.';
  return '';
}

/** No answer could be had: refused, reset, DNS, TLS. */
export class NetworkError extends PerfectPayError {
  readonly kind = 'network';
  constructor(readonly origin: string, readonly reason: string, request?: string, cause?: unknown) {
    super(`Could not reach ${origin}: ${reason}.`, request, { cause });
  }
}

/**
 * The proxy did not carry the request, which therefore never reached the server: it asked for
 * credentials (407), refused (403 or another status), could not be reached, or its setting is not
 * usable. `proxy` is its URL without user name and password.
 */
export class ProxyError extends PerfectPayError {
  readonly kind = 'proxy';
  constructor(
    readonly proxy: string,
    readonly reason: 'auth' | 'refused' | 'unreachable' | 'invalid',
    readonly origin: string,
    readonly detail: string,
    request?: string,
    readonly proxyStatus?: number,
    cause?: unknown,
  ) {
    super(proxyMessage(proxy, reason, origin, detail, proxyStatus), request, { cause });
  }
}

function proxyMessage(proxy: string, reason: ProxyError['reason'], origin: string, detail: string, status?: number): string {
  if (reason === 'auth') return `The proxy ${proxy} asks for credentials (HTTP 407): set http.proxyAuthorization, or the user and password in http.proxy.`;
  if (reason === 'refused') return `The proxy ${proxy} refused to carry the request to ${origin} (HTTP ${status ?? '?'}${detail ? `: ${detail}` : ''}).`;
  if (reason === 'unreachable') return `Could not reach the proxy ${proxy}: ${detail}. Check http.proxy (or HTTPS_PROXY).`;
  return `Not sent: ${detail}.`;
}

/**
 * The server's certificate (or one a TLS-inspecting proxy put in its place) is not trusted: nothing
 * was sent. `issuer` names who issued it, when it could be read.
 */
export class CertificateError extends PerfectPayError {
  readonly kind = 'certificate';
  constructor(
    readonly origin: string,
    readonly code: string,
    readonly issuer: string | undefined,
    readonly proxy: string | undefined,
    request?: string,
    cause?: unknown,
  ) {
    super(
      `The certificate of ${origin} is not trusted (${code})` +
        (issuer ? `: it is issued by "${issuer}"` : '') +
        (proxy ? `, as seen through the proxy ${proxy}` : '') +
        '. If your network inspects TLS with its own certificate authority, trust it (NODE_EXTRA_CA_CERTS, or http.systemCertificates).',
      request,
      { cause },
    );
  }
}

export class TimeoutError extends PerfectPayError {
  readonly kind = 'timeout';
  constructor(readonly origin: string, readonly phase: 'connect' | 'headers' | 'body' | 'total', readonly timeoutMs: number, request?: string) {
    super(
      phase === 'connect'
        ? `Could not connect to ${origin} within ${seconds(timeoutMs)}.`
        : phase === 'total'
          ? `${origin} did not finish answering within ${seconds(timeoutMs)} (retries included).`
          : `${origin} did not answer within ${seconds(timeoutMs)}.`,
      request,
    );
  }
}


/** The server answered, but not with what the API documents. Names the bad field. */
export class InvalidAnswerError extends PerfectPayError {
  readonly kind = 'invalid_answer';
  constructor(readonly detail: string, readonly httpStatus: number, request?: string) {
    super(`The server's answer is not a valid PerfectPay answer: ${detail}.`, request);
  }
}

/** The answer is larger than the client reads: it was not read to the end. */
export class AnswerTooLargeError extends InvalidAnswerError {
  constructor(readonly origin: string, readonly limitBytes: number, httpStatus: number, request?: string) {
    super(`it is larger than ${Math.round(limitBytes / 1e6)} MB and was not read (a payment answer is a few KB)`, httpStatus, request);
  }
}

/** What we were about to send is not valid; nothing was sent. */
export class InvalidRequestError extends PerfectPayError {
  readonly kind = 'invalid_request';
  constructor(readonly detail: string, request?: string) {
    super(`Not sent: ${detail}.`, request);
  }
}

/** A URL the client will not fetch (a QR code URL off the API's origin): refused before any socket opened. */
export class RefusedUrlError extends InvalidRequestError {
  constructor(readonly url: string, readonly reason: string, request?: string) {
    super(reason.replace(/\.$/, ''), request);
  }
}

export class CancelledError extends PerfectPayError {
  readonly kind = 'cancelled';
  constructor(request?: string) {
    super('The request was cancelled.', request);
  }
}

/**
 * The answer to a confirm, capture or cancel was lost (connection dropped, timeout, server fault),
 * so whether it happened is not known. These are never retried blindly: the payment was re-read
 * instead, and `payment` is what it is now (when the re-read worked). `didNotRun` is true only when
 * the re-read proves the action did not take effect (then it is safe to do it again).
 */
export class LostAnswerError extends PerfectPayError {
  readonly kind = 'lost_answer';
  constructor(
    readonly action: string,
    readonly original: PerfectPayError,
    readonly payment: Payment | undefined,
    request?: string,
    readonly didNotRun = false,
  ) {
    super(
      payment
        ? didNotRun
          ? `The answer to ${action} was lost (${stripDot(original.message)}). The payment was re-read: the ${action} did not take effect, it is still "${payment.status}".`
          : `The answer to ${action} was lost (${stripDot(original.message)}). The payment was re-read and is now "${payment.status}": check it before trying again.`
        : `The answer to ${action} was lost (${stripDot(original.message)}), and the payment could not be re-read: check it before trying again.`,
      request,
      { cause: original },
    );
  }
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

function stripDot(s: string): string {
  return s.endsWith('.') ? s.slice(0, -1) : s;
}

/**
 * Whether a request that failed with `e` may have run on the server without its answer reaching
 * us: the connection dropped, a timeout, an answer that could not be read, a server fault (5xx).
 * Read by `kind`, so it also holds for an error made by another copy of this module.
 */
export function answerLost(e: unknown): boolean {
  const { kind, status } = (e ?? {}) as { kind?: unknown; status?: unknown };
  return kind === 'network' || kind === 'timeout' || kind === 'invalid_answer' || (kind === 'api' && typeof status === 'number' && status >= 500);
}

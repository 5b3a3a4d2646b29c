/**
 * HTTP of the sandbox: routing, the key check, body reading and JSON parsing, fault injection and
 * latency on the API routes, and answers. Every request gets an answer (or, under an injected
 * drop, a destroyed connection): errors are caught and answered as JSON, never a stack trace.
 *
 * Nothing is read from a request before it is known to be wanted: the route, the method and the
 * key are checked from the headers, a declared body over the limit is refused from its length,
 * and a refused request's body is not read to its end. Slow or idle clients are cut off in
 * seconds. The connections held at once are capped in the thousands (a user's test suite may well
 * send hundreds of requests at once, each on its own socket): one over the cap is answered 503 with
 * Retry-After and a JSON error, then closed, never reset without a word.
 */
import * as http from 'node:http';
import type { Socket } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { isSensitiveName } from '../domain/redact';
import { ApiError, invalidData, bodyTooLarge, clientSecretMismatch, invalidFormat, keyInUrl, missingParam, notJson, paymentNotFound, refundNotFound, serverError, tooManyConnections, tooManyRequests, unauthorized, unknownRoute, wrongMethod } from './errors';
import { FaultInjector, malformedBody, type FaultDecision } from './faults';
import { qrPngDataUrl, qrTargetUrl } from './nextActions';
import { formToken, indexPage, PAGE_HEADERS, PAGE_NAMES, paymentPage, simplePage } from './pages';
import { renderPayment, renderRefund } from './payments';
import type { PaymentStore } from './store';
import { MERCHANT_ID, DEFAULT_PROFILE_ID } from './payments';
import { deliveredOf, type Webhooks } from './webhooks';
import { eventNotFound, merchantNotFound } from './errors';
import { parseEventListConstraints, validateWebhookSettings, parseFlag, parseListFilter, parseListQuery, parseRefundListFilter, validateRefund, validateRefundUpdate, validateCancel, validateCapture, validateConfirm, validateCreate, validateSimulate } from './validate';

export const MAX_BODY_BYTES = 1024 * 1024;
/** JSON nested deeper than this is refused before it is parsed (serde_json's own limit). */
export const MAX_JSON_DEPTH = 128;
/** Keys that would reach an object's prototype if a body were ever merged into one: refused anywhere. */
const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export interface ServerLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
}

export const DEFAULT_LIMITS: Readonly<ServerLimits> = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 2048,
};

/** Retry-After of the 503 answered to a connection over the cap, in seconds. */
const OVER_CAP_RETRY_AFTER_S = 1;

/**
 * After an answer given without reading a body (a refusal), at most this much more of it is read
 * and dropped, for at most this long, before the connection is closed: closing a socket that still
 * has unread bytes makes the kernel reset the connection, and the client could lose the answer.
 */
const LINGER_BYTES = 64 * 1024;
const LINGER_MS = 1_000;

interface Answer {
  status: number;
  json?: unknown;
  html?: string;
  headers?: Record<string, string>;
}

/** Which key opened the request: the secret key, the publishable key, or none (pages). */
type Access = 'secret' | 'publishable' | 'none';

interface Ctx {
  params: string[];
  query: URLSearchParams;
  body: unknown;
  rawBody: Buffer;
  access: Access;
}

type Handler = (ctx: Ctx) => Answer | Promise<Answer>;

interface Route {
  re: RegExp;
  /** API route: faults and latency apply. */
  api: boolean;
  /** Needs a key in the `api-key` header. */
  auth: boolean;
  /** The publishable key opens it too (with the payment's `client_secret`). */
  publishable: boolean;
  /** A customer page of `/sandbox`: loopback Host only; POSTs check Origin and the form's token. */
  page: boolean;
  /**
   * A POST that any site may send: the 3DS method URL, which a merchant's page posts to from its
   * own origin by design (it changes nothing here).
   */
  anyOrigin?: boolean;
  /** Body parsed as JSON (POST). */
  json: boolean;
  handlers: ReadonlyMap<string, Handler>;
}

export interface ServerDeps {
  store: PaymentStore;
  webhooks: Webhooks;
  apiKey: string;
  publishableKey: string;
  /** Random per start: the key of the tokens that a page's forms must post back (pages.ts formToken). */
  pageSecret: string;
  faults: FaultInjector;
  latencyMs: () => number;
  baseUrl: () => string;
  log: (line: string) => void;
  limits: ServerLimits;
}

const json = (value: unknown, status = 200): Answer => ({ status, json: value });
const html = (body: string, status = 200, headers: Record<string, string> = {}): Answer => ({
  status,
  html: body,
  headers: { ...PAGE_HEADERS, ...headers },
});
const forbiddenPage = (why: string) => html(simplePage('Forbidden', why), 403);

function errorAnswer(e: ApiError): Answer {
  return { status: e.status, json: e.body(), headers: e.headers };
}

function decodeId(raw: string, notFound: () => ApiError = paymentNotFound): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw notFound();
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Percent-decoded for a log line (a card number spelled `4242%204242…` must meet the mask), as sent when it does not decode. */
function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The query string as a log shows it: decoded, sensitive parameters (keys, client secrets) masked.
 * Card numbers in it are masked with the rest of the line.
 */
function loggedQuery(params: URLSearchParams): string {
  const pairs = [...params].map(([k, v]) => `${k}=${isSensitiveName(k) ? '[redacted]' : v}`);
  return pairs.length ? `?${pairs.join('&')}` : '';
}

/** `application/json`, or a `+json` type, whatever its parameters (`; charset=utf-8`). */
function isJsonType(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

function hasBody(req: http.IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** The deepest nesting of a JSON text, counted without parsing it (strings skipped). */
function exceedsDepth(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** The path of the first reserved key in a parsed body (`metadata.__proto__`), if any. */
function reservedKeyPath(value: unknown, path: string[] = []): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = reservedKeyPath(value[i], [...path, String(i)]);
      if (found) return found;
    }
    return undefined;
  }
  for (const [k, v] of Object.entries(value)) {
    if (RESERVED_KEYS.has(k)) return [...path, k].join('.');
    const found = reservedKeyPath(v, [...path, k]);
    if (found) return found;
  }
  return undefined;
}

function parseJsonBody(raw: Buffer): unknown {
  const text = raw.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') return {};
  if (exceedsDepth(text, MAX_JSON_DEPTH)) {
    throw invalidFormat('body', `JSON nested at most ${MAX_JSON_DEPTH} levels deep`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw invalidFormat('body', 'a JSON object');
  }
  const reserved = reservedKeyPath(body);
  if (reserved) throw invalidFormat(reserved, 'a field name other than __proto__, constructor and prototype');
  return body;
}

type BodyResult = { kind: 'ok'; buf: Buffer } | { kind: 'too_large' } | { kind: 'aborted' };

/** Reads a body up to `limit` bytes; past it, stops reading at once (the rest is never read). */
function readBody(req: http.IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (r: BodyResult) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      req.pause();
      resolve(r);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        finish({ kind: 'too_large' });
      } else {
        chunks.push(chunk);
      }
    };
    req.on('data', onData);
    req.on('end', () => finish({ kind: 'ok', buf: Buffer.concat(chunks) }));
    req.on('error', () => finish({ kind: 'aborted' }));
    req.on('close', () => finish({ kind: 'aborted' }));
  });
}

/**
 * Makes the answer to `req` close its connection without reading the rest of the body: Node ends
 * a `connection: close` answer with `socket.destroySoon()`, which would close with unread bytes
 * (a reset that can lose the answer). Instead: shut our side, drop what still comes (bounded),
 * then close.
 */
function closeWithoutReading(req: http.IncomingMessage): void {
  const socket = req.socket;
  socket.destroySoon = () => {
    socket.end();
    let dropped = 0;
    req.on('data', (chunk: Buffer) => {
      dropped += chunk.length;
      if (dropped > LINGER_BYTES) socket.destroy();
    });
    req.resume();
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  };
}

const handlers = (entries: Array<[string, Handler]>): ReadonlyMap<string, Handler> => new Map(entries);
const API = { api: true, auth: true, publishable: false, page: false } as const;
const PAGE = { api: false, auth: false, publishable: false, page: true, json: false } as const;

export class SandboxServer {
  readonly http: http.Server;
  private readonly routes: Route[];
  /** Aborts the latency waits when the server closes. */
  private readonly closed = new AbortController();
  private closing = false;
  /** Connections open now, and those accepted over the cap (answered 503, then closed). */
  private connections = 0;
  private readonly overCap = new WeakSet<Socket>();

  constructor(private readonly deps: ServerDeps) {
    this.routes = this.buildRoutes();
    const { limits } = deps;
    this.http = http.createServer(
      {
        headersTimeout: limits.headersTimeoutMs,
        requestTimeout: limits.requestTimeoutMs,
        // Node checks the two timeouts at this interval (30 s by default): often enough to keep them.
        connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 2))),
      },
      (req, res) => {
        void this.handle(req, res).catch((e: unknown) => {
          // Last resort: handle() catches everything, this only guards against bugs in answering.
          this.deps.log(`internal error while answering: ${e instanceof Error ? e.message : String(e)}`);
          if (!res.headersSent && !res.destroyed) {
            res.writeHead(500, { 'content-type': 'application/json' });
            res.end(JSON.stringify(serverError().body()));
          } else {
            res.destroy();
          }
        });
      },
    );
    this.http.keepAliveTimeout = limits.keepAliveTimeoutMs;
    // Not `http.maxConnections`: Node closes a connection over it without a word. One over the cap
    // is accepted and its first request answered 503 (handle()); an idle one is cut by the timeouts.
    this.http.on('connection', (socket: Socket) => {
      if (++this.connections > limits.maxConnections) this.overCap.add(socket);
      socket.once('close', () => this.connections--);
    });
  }

  /** Stops latency waits and every connection. */
  async close(): Promise<void> {
    this.closing = true;
    this.closed.abort();
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
  }

  private async delay(ms: number): Promise<void> {
    if (ms <= 0) return;
    try {
      await sleep(ms, undefined, { signal: this.closed.signal });
    } catch {
      // Aborted by close(): the request is dropped just after.
    }
  }

  // -------------------------------------------------------------------------------------------
  // Routes

  private buildRoutes(): Route[] {
    const { store, webhooks } = this.deps;
    const pay = (p: Parameters<typeof renderPayment>[0]) => json(renderPayment(p));
    // The events routes name the merchant (or its business profile), as Hyperswitch's do.
    const merchant = (raw: string) => {
      const id = decodeId(raw, merchantNotFound);
      if (id !== MERCHANT_ID && id !== DEFAULT_PROFILE_ID) throw merchantNotFound();
    };
    const event = (raw: string) => {
      const e = webhooks.get(decodeId(raw, eventNotFound));
      if (!e) throw eventNotFound();
      return e;
    };
    const refund = ({ p, r }: ReturnType<PaymentStore['getRefund']>) => json(renderRefund(p, r));
    return [
      // ---- health, for containers and CI waits: no key, no faults, no latency, any Host
      {
        re: /^\/health$/,
        api: false, auth: false, publishable: false, page: false, json: false,
        handlers: handlers([['GET', () => json({ status: 'ok' })]]),
      },
      // ---- refunds (perfectpay-api.md, "Refunds"): the secret key only
      {
        re: /^\/refunds$/,
        ...API, json: true,
        handlers: handlers([['POST', (c) => refund(store.createRefund(validateRefund(c.body)))]]),
      },
      {
        re: /^\/refunds\/list$/,
        ...API, json: true,
        handlers: handlers([['POST', (c) => {
          const { total, page } = store.filterRefunds(parseRefundListFilter(c.body));
          const data = page.map(({ p, r }) => renderRefund(p, r));
          return json({ count: data.length, total_count: total, data });
        }]]),
      },
      {
        re: /^\/refunds\/([^/]+)$/,
        ...API, json: true,
        handlers: handlers([
          ['GET', (c) => refund(store.getRefund(decodeId(c.params[0]!, refundNotFound)))],
          ['POST', (c) => {
            const req = validateRefundUpdate(c.body);
            return refund(store.updateRefund(decodeId(c.params[0]!, refundNotFound), req));
          }],
        ]),
      },
      // ---- webhook events (perfectpay-api.md, "Webhooks and events"): the secret key only
      {
        re: /^\/events\/([^/]+)$/,
        ...API, json: true,
        handlers: handlers([['POST', (c) => {
          merchant(c.params[0]!);
          const f = parseEventListConstraints(c.body);
          const found = webhooks.list().filter((e) =>
            e.createdMs >= f.fromMs &&
            e.createdMs <= f.toMs &&
            (f.objectId === undefined || e.object_id === f.objectId) &&
            (f.eventId === undefined || e.event_id === f.eventId) &&
            (f.types === undefined || f.types.has(e.event_type)) &&
            (f.classes === undefined || f.classes.has(e.event_class)) &&
            (f.delivered === undefined || deliveredOf(e) === f.delivered),
          );
          const events = found.slice(f.offset, f.offset + f.limit).map((e) => webhooks.renderItem(e));
          return json({ events, total_count: found.length });
        }]]),
      },
      {
        re: /^\/events\/([^/]+)\/([^/]+)\/attempts$/,
        ...API, json: false,
        handlers: handlers([['GET', (c) => {
          merchant(c.params[0]!);
          const e = event(c.params[1]!);
          return json(e.attempts.map((a) => webhooks.renderAttempt(e, a)));
        }]]),
      },
      {
        re: /^\/events\/([^/]+)\/([^/]+)\/retry$/,
        ...API, json: true,
        handlers: handlers([['POST', async (c) => {
          merchant(c.params[0]!);
          const e = event(c.params[1]!);
          if (webhooks.webhookUrl === null) throw invalidData('No webhook URL is set: start the sandbox with --webhook-url, or POST /sandbox/webhooks');
          return json(webhooks.renderAttempt(e, await webhooks.retry(e)));
        }]]),
      },
      {
        re: /^\/payments$/,
        ...API, json: true,
        handlers: handlers([['POST', async (c) => pay(await store.create(validateCreate(c.body, store.now())))]]),
      },
      {
        re: /^\/payments\/list$/,
        ...API, json: true,
        handlers: handlers([
          ['GET', (c) => {
            const data = store.list(parseListQuery(c.query)).map((p) => renderPayment(p));
            return json({ size: data.length, data });
          }],
          ['POST', (c) => {
            const { total, page } = store.filter(parseListFilter(c.body));
            const data = page.map((p) => renderPayment(p));
            return json({ count: data.length, total_count: total, data });
          }],
        ]),
      },
      {
        re: /^\/payments\/([^/]+)\/confirm$/,
        ...API, publishable: true, json: true,
        handlers: handlers([['POST', async (c) => {
          const v = validateConfirm(c.body, store.now());
          // A browser proves which payment it may confirm with the payment's client_secret.
          if (c.access === 'publishable' && v.req.client_secret === undefined) throw missingParam('client_secret');
          return pay(await store.confirm(decodeId(c.params[0]!), v));
        }]]),
      },
      {
        re: /^\/payments\/([^/]+)\/capture$/,
        ...API, json: true,
        handlers: handlers([['POST', (c) => {
          const req = validateCapture(c.body);
          return pay(store.capture(decodeId(c.params[0]!), req.amount_to_capture));
        }]]),
      },
      {
        re: /^\/payments\/([^/]+)\/cancel$/,
        ...API, json: true,
        handlers: handlers([['POST', (c) => {
          const req = validateCancel(c.body);
          return pay(store.cancel(decodeId(c.params[0]!), req.cancellation_reason));
        }]]),
      },
      {
        re: /^\/payments\/([^/]+)$/,
        ...API, publishable: true, json: false,
        handlers: handlers([['GET', (c) => {
          const attempts = parseFlag(c.query, 'expand_attempts');
          const captures = parseFlag(c.query, 'expand_captures');
          const secret = c.query.get('client_secret');
          if (c.access === 'publishable' && secret === null) throw missingParam('client_secret');
          const p = store.get(decodeId(c.params[0]!));
          if (secret !== null && secret !== p.client_secret) throw clientSecretMismatch();
          return json(renderPayment(p, { attempts, captures }));
        }]]),
      },
      // ---- the test helper (a key, no faults, no latency) and the customer pages
      {
        re: /^\/sandbox\/payments\/([^/]+)\/simulate$/,
        api: false, auth: true, publishable: false, page: false, json: true,
        handlers: handlers([['POST', (c) => pay(store.simulate(decodeId(c.params[0]!), validateSimulate(c.body).outcome))]]),
      },
      {
        // The webhook URL at run time (the secret is never answered).
        re: /^\/sandbox\/webhooks$/,
        api: false, auth: true, publishable: false, page: false, json: true,
        handlers: handlers([
          ['GET', () => json(webhooks.settings())],
          ['POST', (c) => {
            const { webhook_url } = validateWebhookSettings(c.body);
            try {
              webhooks.setUrl(webhook_url);
            } catch (e) {
              throw invalidData(e instanceof Error ? e.message : String(e));
            }
            return json(webhooks.settings());
          }],
        ]),
      },
      {
        re: /^\/sandbox$/,
        ...PAGE,
        handlers: handlers([['GET', () => {
          const waiting = store
            .list({ limit: 100, fromMs: -Infinity, toMs: Infinity })
            .filter((p) => p.status === 'requires_customer_action' || p.status === 'processing');
          return html(indexPage(waiting, store.size));
        }]]),
      },
      {
        re: /^\/sandbox\/payments\/([^/]+)\/qr_code$/,
        ...PAGE,
        handlers: handlers([['GET', async (c) => {
          const p = store.get(decodeId(c.params[0]!));
          const target = qrTargetUrl(this.deps.baseUrl(), p.payment_id);
          return json({
            qr_code_url: target,
            image_data_url: await qrPngDataUrl(target),
            display_to_timestamp: p.expiresMs,
            status: p.status,
          });
        }]]),
      },
      {
        re: /^\/sandbox\/payments\/([^/]+)\/(complete|fail)$/,
        ...PAGE,
        handlers: handlers([['POST', (c) => this.customerStep(c)]]),
      },
      {
        re: /^\/sandbox\/payments\/([^/]+)\/3ds\/method(?:\/notify)?$/,
        ...PAGE, anyOrigin: true,
        handlers: handlers([
          ['GET', () => html(simplePage('3DS method', 'The 3DS method step was received.'))],
          ['POST', () => html(simplePage('3DS method', 'The 3DS method step was received.'))],
        ]),
      },
      {
        re: /^\/sandbox\/payments\/([^/]+)(?:\/(3ds|3ds\/authenticate|3ds\/authorize|redirect|qr))?$/,
        ...PAGE,
        handlers: handlers([['GET', (c) => {
          const id = decodeId(c.params[0]!);
          if (!store.has(id)) return html(simplePage('Payment not found', 'Payment does not exist in our records'), 404);
          return html(paymentPage(store.get(id), c.params[1] ?? '', this.deps.pageSecret, c.query.get('message') ?? undefined));
        }]]),
      },
    ];
  }

  /** A form on a customer page: complete or fail the step, then back to the page (303). */
  private customerStep(c: Ctx): Answer {
    const { store } = this.deps;
    const id = decodeId(c.params[0]!);
    const step = c.params[1] === 'complete' ? 'complete' : 'fail';
    const form = new URLSearchParams(c.rawBody.toString('utf8'));
    // Only the form the sandbox itself served in this run, for this payment and step, carries the token.
    if (!sameSecret(form.get('token') ?? '', formToken(this.deps.pageSecret, id, step))) {
      return forbiddenPage('This form is not one of this sandbox’s pages, or the sandbox restarted since: reload the page and try again.');
    }
    if (!store.has(id)) return html(simplePage('Payment not found', 'Payment does not exist in our records'), 404);
    const from = form.get('from') ?? '';
    const page = PAGE_NAMES.includes(from) ? from : '';
    const base = `/sandbox/payments/${encodeURIComponent(id)}`;
    const location = page ? `${base}/${page}` : base;
    try {
      if (step === 'complete') store.complete(id);
      else store.failStep(id);
    } catch (e) {
      if (e instanceof ApiError) return html(paymentPage(store.get(id), page, this.deps.pageSecret, e.message), 409);
      throw e;
    }
    return html(simplePage('Done', 'Going back to the payment…'), 303, { location });
  }

  private match(path: string): { route: Route; params: string[] } | null {
    for (const route of this.routes) {
      const m = route.re.exec(path);
      if (m) return { route, params: m.slice(1).filter((x) => x !== undefined) };
    }
    return null;
  }

  /** Which key the `api-key` header holds, if any of ours. */
  private access(req: http.IncomingMessage): Access | null {
    const given = req.headers['api-key'];
    if (typeof given !== 'string' || given.length === 0) return null;
    if (sameSecret(given, this.deps.apiKey)) return 'secret';
    if (sameSecret(given, this.deps.publishableKey)) return 'publishable';
    return null;
  }

  /** The hosts a page may be asked for: loopback names with the sandbox's port (not a rebinding name). */
  private loopbackHosts(): ReadonlySet<string> {
    const port = new URL(this.deps.baseUrl()).port;
    return new Set(['127.0.0.1', 'localhost', '[::1]'].map((h) => `${h}:${port}`));
  }

  /**
   * Why a page request is refused: a Host that is not loopback, a POST from another origin. A POST
   * with no Origin or with `Origin: null` (a browser that keeps the origin to itself) passes here and
   * is left to the form's token, which only a page of this sandbox carries.
   */
  private pageRefusal(req: http.IncomingMessage, method: string, route: Route): Answer | null {
    const host = (req.headers.host ?? '').toLowerCase();
    if (!this.loopbackHosts().has(host)) {
      return forbiddenPage('The sandbox’s pages are served on 127.0.0.1, localhost or [::1] only.');
    }
    const origin = req.headers.origin;
    if (method === 'POST' && !route.anyOrigin && origin !== undefined && origin !== 'null' && origin.toLowerCase() !== `http://${host}`) {
      return forbiddenPage('This form was posted from another site.');
    }
    return null;
  }

  // -------------------------------------------------------------------------------------------
  // Request handling

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = Date.now();
    const method = req.method ?? 'GET';
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://sandbox.local');
    } catch {
      url = new URL('http://sandbox.local/');
    }
    let path = url.pathname;
    if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
    const logLine = (status: number | string, note = '') =>
      this.deps.log(`${method} ${decoded(path)}${loggedQuery(url.searchParams)} -> ${status} (${Date.now() - started} ms)${note}`);
    if (this.closing) {
      res.destroy();
      return;
    }
    // A refusal from the headers alone: the body, if any, is not read.
    const refuse = (answer: Answer) => {
      if (hasBody(req) && !req.complete) {
        answer.headers = { ...answer.headers, connection: 'close' };
        closeWithoutReading(req);
      }
      this.send(res, answer, false);
      logLine(answer.status);
    };

    if (this.overCap.has(req.socket)) {
      const answer = errorAnswer(tooManyConnections(this.deps.limits.maxConnections, OVER_CAP_RETRY_AFTER_S));
      answer.headers = { ...answer.headers, connection: 'close' };
      return refuse(answer);
    }
    const matched = this.match(path);
    if (!matched) return refuse(errorAnswer(unknownRoute()));
    const { route, params } = matched;
    const handler = route.handlers.get(method);
    if (!handler) {
      return refuse({ ...errorAnswer(wrongMethod()), headers: { allow: [...route.handlers.keys()].join(', ') } });
    }
    const keyParam = [...url.searchParams.keys()].find((k) => k.toLowerCase().replace(/_/g, '-') === 'api-key');
    if (keyParam !== undefined) return refuse(errorAnswer(keyInUrl(keyParam)));
    if (route.page) {
      const refusal = this.pageRefusal(req, method, route);
      if (refusal) return refuse(refusal);
    }
    let access: Access = 'none';
    if (route.auth) {
      const a = this.access(req);
      if (a === null || (a === 'publishable' && !route.publishable)) return refuse(errorAnswer(unauthorized()));
      access = a;
    }
    if (method === 'POST' && route.json && hasBody(req) && !isJsonType(req.headers['content-type'])) {
      return refuse(errorAnswer(notJson()));
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) return refuse(errorAnswer(bodyTooLarge(MAX_BODY_BYTES)));

    const body = await readBody(req, MAX_BODY_BYTES);
    if (body.kind === 'aborted' || this.closing) {
      if (!res.destroyed) res.destroy();
      logLine('aborted');
      return;
    }
    if (body.kind === 'too_large') return refuse(errorAnswer(bodyTooLarge(MAX_BODY_BYTES)));

    let answer: Answer;
    let fault: FaultDecision = { kind: 'none', afterProcessing: false };
    if (route.api) {
      fault = this.deps.faults.decide(method, path);
      await this.delay(this.deps.latencyMs());
      if (this.closing) return;
    }
    if (fault.kind === 'rate_limit') {
      answer = errorAnswer(tooManyRequests(this.deps.faults.retryAfterSeconds));
    } else if (fault.kind === 'error' && !fault.afterProcessing) {
      answer = errorAnswer(serverError());
    } else if (fault.kind === 'drop' && !fault.afterProcessing) {
      res.destroy();
      logLine('dropped', ' [fault: drop before processing]');
      return;
    } else {
      answer = await this.run(route, method, handler, params, url.searchParams, body.buf, access);
      if (fault.kind === 'error') answer = errorAnswer(serverError());
      if (fault.kind === 'drop') {
        res.destroy();
        logLine('dropped', ' [fault: drop after processing]');
        return;
      }
    }
    const note = fault.kind === 'none' ? '' : ` [fault: ${fault.kind}${fault.afterProcessing ? ' after processing' : ''}]`;
    this.send(res, answer, fault.kind === 'malformed');
    logLine(fault.kind === 'malformed' ? 200 : answer.status, note);
  }

  /** JSON parsing and the handler; every failure becomes an error answer. */
  private async run(
    route: Route,
    method: string,
    handler: Handler,
    params: string[],
    query: URLSearchParams,
    rawBody: Buffer,
    access: Access,
  ): Promise<Answer> {
    try {
      const body = route.json && method === 'POST' ? parseJsonBody(rawBody) : undefined;
      return await handler({ params, query, body, rawBody, access });
    } catch (e) {
      if (e instanceof ApiError) return errorAnswer(e);
      this.deps.log(`internal error: ${e instanceof Error ? e.message : String(e)}`);
      return errorAnswer(serverError());
    }
  }

  private send(res: http.ServerResponse, answer: Answer, malformed: boolean): void {
    if (res.headersSent || res.destroyed) return;
    let text: string;
    const headers: Record<string, string> = { ...answer.headers };
    if (answer.html !== undefined) {
      text = answer.html;
    } else {
      text = JSON.stringify(answer.json ?? null);
      headers['content-type'] = 'application/json';
    }
    let status = answer.status;
    if (malformed) {
      text = malformedBody(text);
      status = 200;
      headers['content-type'] = 'application/json';
    }
    headers['content-length'] = String(Buffer.byteLength(text));
    res.writeHead(status, headers);
    res.end(text);
  }
}

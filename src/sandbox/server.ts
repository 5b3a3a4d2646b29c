/**
 * HTTP of the sandbox: routing, the api-key check, body reading and JSON parsing, fault injection
 * and latency on the API routes, and answers. Every request gets an answer (or, under an injected
 * drop, a destroyed connection): errors are caught and answered as JSON, never a stack trace.
 */
import * as http from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { ApiError, bodyTooLarge, invalidFormat, paymentNotFound, serverError, tooManyRequests, unauthorized, unknownRoute, wrongMethod } from './errors';
import { FaultInjector, malformedBody, type FaultDecision } from './faults';
import { qrPngDataUrl, qrTargetUrl } from './nextActions';
import { indexPage, PAGE_HEADERS, PAGE_NAMES, paymentPage, simplePage } from './pages';
import { renderPayment } from './payments';
import type { PaymentStore } from './store';
import { parseFlag, parseListQuery, validateCancel, validateCapture, validateConfirm, validateCreate, validateSimulate } from './validate';

export const MAX_BODY_BYTES = 1024 * 1024;

interface Answer {
  status: number;
  json?: unknown;
  html?: string;
  headers?: Record<string, string>;
}

interface Ctx {
  params: string[];
  query: URLSearchParams;
  body: unknown;
  rawBody: Buffer;
}

type Handler = (ctx: Ctx) => Answer | Promise<Answer>;

interface Route {
  re: RegExp;
  /** API route: faults and latency apply. */
  api: boolean;
  /** Needs the api-key header. */
  auth: boolean;
  /** Body parsed as JSON (POST). */
  json: boolean;
  handlers: Partial<Record<string, Handler>>;
}

export interface ServerDeps {
  store: PaymentStore;
  apiKey: string;
  faults: FaultInjector;
  latencyMs: () => number;
  baseUrl: () => string;
  log: (line: string) => void;
}

/** Long digit runs (card numbers) never reach a log line. */
export function redactLogLine(line: string): string {
  return line.replace(/\d[\d -]{10,}\d/g, (m) => (m.replace(/\D/g, '').length >= 12 ? '[redacted]' : m));
}

const json = (value: unknown, status = 200): Answer => ({ status, json: value });
const html = (body: string, status = 200, headers: Record<string, string> = {}): Answer => ({
  status,
  html: body,
  headers: { ...PAGE_HEADERS, ...headers },
});

function errorAnswer(e: ApiError): Answer {
  return { status: e.status, json: e.body(), headers: e.headers };
}

function decodeId(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw paymentNotFound();
  }
}

type BodyResult = { kind: 'ok'; buf: Buffer } | { kind: 'too_large' } | { kind: 'aborted' };

function readBody(req: http.IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    let done = false;
    const finish = (r: BodyResult) => {
      if (!done) {
        done = true;
        resolve(r);
      }
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        // Drain a little more so the client can read the 413, then give up on a flood.
        if (size > limit * 8) {
          req.destroy();
          finish({ kind: 'aborted' });
        }
      } else if (!over) {
        chunks.push(chunk);
      }
    });
    req.on('end', () => finish(over ? { kind: 'too_large' } : { kind: 'ok', buf: Buffer.concat(chunks) }));
    req.on('error', () => finish({ kind: 'aborted' }));
    req.on('close', () => finish(over ? { kind: 'too_large' } : { kind: 'aborted' }));
  });
}

export class SandboxServer {
  readonly http: http.Server;
  private readonly routes: Route[];
  private readonly timers = new Set<NodeJS.Timeout>();
  private closing = false;

  constructor(private readonly deps: ServerDeps) {
    this.routes = this.buildRoutes();
    this.http = http.createServer((req, res) => {
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
    });
    this.http.keepAliveTimeout = 5_000;
  }

  /** Stops timers (latency) and every connection. */
  async close(): Promise<void> {
    this.closing = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
  }

  private delay(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  // -------------------------------------------------------------------------------------------
  // Routes

  private buildRoutes(): Route[] {
    const { store } = this.deps;
    const pay = (p: Parameters<typeof renderPayment>[0]) => json(renderPayment(p));
    return [
      {
        re: /^\/payments$/,
        api: true, auth: true, json: true,
        handlers: { POST: async (c) => pay(await store.create(validateCreate(c.body, store.now()))) },
      },
      {
        re: /^\/payments\/list$/,
        api: true, auth: true, json: false,
        handlers: {
          GET: (c) => {
            const data = store.list(parseListQuery(c.query)).map((p) => renderPayment(p));
            return json({ size: data.length, data });
          },
        },
      },
      {
        re: /^\/payments\/([^/]+)\/confirm$/,
        api: true, auth: true, json: true,
        handlers: { POST: async (c) => pay(await store.confirm(decodeId(c.params[0]!), validateConfirm(c.body))) },
      },
      {
        re: /^\/payments\/([^/]+)\/capture$/,
        api: true, auth: true, json: true,
        handlers: {
          POST: (c) => {
            const req = validateCapture(c.body);
            return pay(store.capture(decodeId(c.params[0]!), req.amount_to_capture));
          },
        },
      },
      {
        re: /^\/payments\/([^/]+)\/cancel$/,
        api: true, auth: true, json: true,
        handlers: {
          POST: (c) => {
            const req = validateCancel(c.body);
            return pay(store.cancel(decodeId(c.params[0]!), req.cancellation_reason));
          },
        },
      },
      {
        re: /^\/payments\/([^/]+)$/,
        api: true, auth: true, json: false,
        handlers: {
          GET: (c) => {
            const attempts = parseFlag(c.query, 'expand_attempts');
            const captures = parseFlag(c.query, 'expand_captures');
            return json(renderPayment(store.get(decodeId(c.params[0]!)), { attempts, captures }));
          },
        },
      },
      // ---- sandbox helpers and customer pages (no faults, no latency)
      {
        re: /^\/sandbox\/payments\/([^/]+)\/simulate$/,
        api: false, auth: true, json: true,
        handlers: {
          POST: (c) => pay(store.simulate(decodeId(c.params[0]!), validateSimulate(c.body).outcome)),
        },
      },
      {
        re: /^\/sandbox$/,
        api: false, auth: false, json: false,
        handlers: {
          GET: () => {
            const waiting = store
              .list({ limit: 100, fromMs: -Infinity, toMs: Infinity })
              .filter((p) => p.status === 'requires_customer_action' || p.status === 'processing');
            return html(indexPage(waiting, store.size));
          },
        },
      },
      {
        re: /^\/sandbox\/payments\/([^/]+)\/qr_code$/,
        api: false, auth: false, json: false,
        handlers: {
          GET: async (c) => {
            const p = store.get(decodeId(c.params[0]!));
            const target = qrTargetUrl(this.deps.baseUrl(), p.payment_id);
            return json({
              qr_code_url: target,
              image_data_url: await qrPngDataUrl(target),
              display_to_timestamp: p.expiresMs,
              status: p.status,
            });
          },
        },
      },
      {
        re: /^\/sandbox\/payments\/([^/]+)\/(complete|fail)$/,
        api: false, auth: false, json: false,
        handlers: { POST: (c) => this.customerStep(c) },
      },
      {
        re: /^\/sandbox\/payments\/([^/]+)\/3ds\/method(?:\/notify)?$/,
        api: false, auth: false, json: false,
        handlers: {
          GET: () => html(simplePage('3DS method', 'The 3DS method step was received.')),
          POST: () => html(simplePage('3DS method', 'The 3DS method step was received.')),
        },
      },
      {
        re: /^\/sandbox\/payments\/([^/]+)(?:\/(3ds|3ds\/authenticate|3ds\/authorize|redirect|qr))?$/,
        api: false, auth: false, json: false,
        handlers: {
          GET: (c) => {
            const id = decodeId(c.params[0]!);
            if (!store.has(id)) return html(simplePage('Payment not found', 'Payment does not exist in our records'), 404);
            return html(paymentPage(store.get(id), c.params[1] ?? '', c.query.get('message') ?? undefined));
          },
        },
      },
    ];
  }

  /** A form on a customer page: complete or fail the step, then back to the page (303). */
  private customerStep(c: Ctx): Answer {
    const { store } = this.deps;
    const id = decodeId(c.params[0]!);
    if (!store.has(id)) return html(simplePage('Payment not found', 'Payment does not exist in our records'), 404);
    const form = new URLSearchParams(c.rawBody.toString('utf8'));
    const from = form.get('from') ?? '';
    const page = PAGE_NAMES.includes(from) ? from : '';
    const base = `/sandbox/payments/${encodeURIComponent(id)}`;
    const location = page ? `${base}/${page}` : base;
    try {
      if (c.params[1] === 'complete') store.complete(id);
      else store.failStep(id);
    } catch (e) {
      if (e instanceof ApiError) return html(paymentPage(store.get(id), page, e.message), 409);
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

  private authorized(req: http.IncomingMessage): boolean {
    const given = req.headers['api-key'];
    if (typeof given !== 'string' || given.length === 0) return false;
    const a = Buffer.from(given);
    const b = Buffer.from(this.deps.apiKey);
    return a.length === b.length && timingSafeEqual(a, b);
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
      this.deps.log(redactLogLine(`${method} ${path}${url.search} -> ${status} (${Date.now() - started} ms)${note}`));

    const body = await readBody(req, MAX_BODY_BYTES);
    if (body.kind === 'aborted' || this.closing) {
      if (!res.destroyed) res.destroy();
      logLine('aborted');
      return;
    }
    const matched = this.match(path);
    let answer: Answer;
    let fault: FaultDecision = { kind: 'none', afterProcessing: false };

    if (!matched) {
      answer = errorAnswer(unknownRoute());
    } else if (!matched.route.handlers[method]) {
      answer = errorAnswer(wrongMethod());
      answer.headers = { allow: Object.keys(matched.route.handlers).join(', ') };
    } else if (body.kind === 'too_large') {
      answer = errorAnswer(bodyTooLarge(MAX_BODY_BYTES));
      answer.headers = { connection: 'close' };
    } else {
      const { route, params } = matched;
      if (route.api) {
        fault = this.deps.faults.decide();
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
        answer = await this.run(route, method, params, url.searchParams, body.buf, req);
        if (fault.kind === 'error') answer = errorAnswer(serverError());
        if (fault.kind === 'drop') {
          res.destroy();
          logLine('dropped', ' [fault: drop after processing]');
          return;
        }
      }
    }
    const note = fault.kind === 'none' ? '' : ` [fault: ${fault.kind}${fault.afterProcessing ? ' after processing' : ''}]`;
    this.send(res, answer, fault.kind === 'malformed');
    logLine(fault.kind === 'malformed' ? 200 : answer.status, note);
  }

  /** Auth, JSON parsing and the handler; every failure becomes an error answer. */
  private async run(
    route: Route,
    method: string,
    params: string[],
    query: URLSearchParams,
    rawBody: Buffer,
    req: http.IncomingMessage,
  ): Promise<Answer> {
    try {
      if (route.auth && !this.authorized(req)) throw unauthorized();
      let body: unknown = undefined;
      if (route.json && method === 'POST') {
        const text = rawBody.toString('utf8').replace(/^\uFEFF/, '');
        if (text.trim() === '') body = {};
        else {
          try {
            body = JSON.parse(text);
          } catch {
            throw invalidFormat('body', 'a JSON object');
          }
        }
      }
      return await route.handlers[method]!({ params, query, body, rawBody });
    } catch (e) {
      if (e instanceof ApiError) return errorAnswer(e);
      this.deps.log(redactLogLine(`internal error: ${e instanceof Error ? e.message : String(e)}`));
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

// A small PerfectPay server written for tests (node:http on loopback), for answers the local sandbox
// never gives: what a real (Hyperswitch-like) server sends, QR code URLs on another origin, redirects.
// Shared by the extension-host suite (test/vscode) and the end-to-end suite (test/e2e). Each test
// puts its own payments in `payments`.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Hit {
  method: string;
  url: string;
  apiKey: string | undefined;
  userAgent: string | undefined;
}

export interface TestServer {
  base: string;
  hits: Hit[];
  close(): Promise<void>;
}

export async function listen(handle: (req: http.IncomingMessage, res: http.ServerResponse, base: string) => void): Promise<TestServer> {
  const hits: Hit[] = [];
  let base = '';
  const server = http.createServer((req, res) => {
    hits.push({ method: req.method ?? '', url: req.url ?? '', apiKey: req.headers['api-key'] as string | undefined, userAgent: req.headers['user-agent'] });
    req.resume();
    req.on('end', () => handle(req, res, base));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    hits,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

export const json = (res: http.ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

/** A 1×1 PNG: what a QR code endpoint answers here. */
export const PNG_DATA_URL = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

/** A payment answer with every field a Hyperswitch-like server sends (null when unset), `over` on top. */
export function paymentAnswer(id: string, over: Record<string, unknown>): Record<string, unknown> {
  const now = new Date();
  return {
    payment_id: id, client_secret: `${id}_secret_abcdefghij0123456789`, merchant_id: 'merchant_test', profile_id: 'pro_test',
    status: 'requires_customer_action', amount: 2500, net_amount: 2500, amount_capturable: 0, amount_received: null,
    currency: 'MYR', capture_method: 'automatic', authentication_type: 'no_three_ds', customer_id: 'cus_test',
    description: 'test server', metadata: null, return_url: null, payment_method: 'real_time_payment', payment_method_type: 'fps',
    payment_method_data: null, next_action: null, error_code: null, error_message: null, cancellation_reason: null,
    connector: 'test_connector', connector_transaction_id: null, attempt_count: 1,
    email: null, name: null, phone: null, phone_country_code: null, billing: null, shipping: null,
    created: now.toISOString(), modified_at: now.toISOString(), expires_on: new Date(now.getTime() + 900_000).toISOString(),
    ...over,
  };
}

export interface FakePerfectPay {
  api: TestServer;
  /** Another origin (another port): answers a QR code too, and records every request it gets. */
  elsewhere: TestServer;
  payments: Map<string, Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * The API (`GET /payments/{id}`, the list routes, all with `key`) and, without a key, QR code routes:
 * `/qr/…` answers a QR code, `/qr-redirect/…` redirects to the other origin.
 */
export async function fakePerfectPay(key: string): Promise<FakePerfectPay> {
  const payments = new Map<string, Record<string, unknown>>();
  const elsewhere = await listen((_req, res) => json(res, 200, { image_data_url: PNG_DATA_URL, qr_code_url: null, display_to_timestamp: null }));
  const api = await listen((req, res, base) => {
    const url = new URL(req.url ?? '/', base);
    if (url.pathname.startsWith('/qr/')) return json(res, 200, { image_data_url: PNG_DATA_URL, qr_code_url: `${base}/pay`, display_to_timestamp: null });
    if (url.pathname.startsWith('/qr-redirect/')) {
      res.writeHead(302, { location: `${elsewhere.base}/qr/redirected` });
      return res.end();
    }
    if (req.headers['api-key'] !== key) {
      return json(res, 401, { error: { type: 'invalid_request', message: 'API key not provided or invalid API key used', code: 'IR_01' } });
    }
    if (url.pathname === '/payments/list') {
      const data = [...payments.values()];
      return json(res, 200, req.method === 'POST' ? { count: data.length, total_count: data.length, data } : { size: data.length, data });
    }
    const m = /^\/payments\/([^/]+)$/.exec(url.pathname);
    const p = m ? payments.get(decodeURIComponent(m[1]!)) : undefined;
    if (!p) return json(res, 404, { error: { type: 'object_not_found', message: 'Payment does not exist in our records', code: 'HE_02' } });
    return json(res, 200, p);
  });
  return {
    api,
    elsewhere,
    payments,
    close: async () => {
      await api.close();
      await elsewhere.close();
    },
  };
}

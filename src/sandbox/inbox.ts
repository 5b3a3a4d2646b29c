/**
 * A webhook inbox: a loopback receiver for someone with no server of their own yet. It keeps what
 * arrives (the last `keep`), checks each delivery's `X-Webhook-Signature-512` against the secret in
 * constant time, and answers 200, or 500 while asked to (to watch the sender retry). No vscode.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIGNATURE_HEADER } from '../domain/events';

export interface InboxArrival {
  /** When it arrived (ms since the epoch). */
  at: number;
  /** Whether the signature matched the secret. */
  valid: boolean;
  /** What the inbox answered. */
  answered: number;
  eventId: string | null;
  eventType: string | null;
  /** The payment or refund the event is about. */
  objectId: string | null;
  /** The raw body as text (at most 256 KB are read). */
  body: string;
}

export interface WebhookInbox {
  url: string;
  arrivals(): InboxArrival[];
  /** While true, every delivery is answered 500. */
  failing: boolean;
  close(): Promise<void>;
}

const MAX_BODY = 256 * 1024;

/** Whether `signature` is the lower-case hex HMAC-SHA512 of `raw` keyed with `secret` (constant time). */
export function verifySignature(raw: Buffer, signature: string | undefined, secret: string): boolean {
  const expected = Buffer.from(createHmac('sha512', secret).update(raw).digest('hex'), 'utf8');
  const given = Buffer.from(signature ?? '', 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function fieldsOf(text: string): Pick<InboxArrival, 'eventId' | 'eventType' | 'objectId'> {
  try {
    const j = JSON.parse(text) as { event_id?: unknown; event_type?: unknown; content?: { object?: { payment_id?: unknown; refund_id?: unknown } } };
    const str = (v: unknown) => (typeof v === 'string' ? v : null);
    return { eventId: str(j.event_id), eventType: str(j.event_type), objectId: str(j.content?.object?.refund_id) ?? str(j.content?.object?.payment_id) };
  } catch {
    return { eventId: null, eventType: null, objectId: null };
  }
}

export async function startWebhookInbox(opts: { secret: () => string; onArrival?: (a: InboxArrival) => void; keep?: number }): Promise<WebhookInbox> {
  const kept: InboxArrival[] = [];
  const keep = opts.keep ?? 200;
  const server = http.createServer((req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const header = req.headers[SIGNATURE_HEADER];
      const valid = size <= MAX_BODY && verifySignature(raw, Array.isArray(header) ? header[0] : header, opts.secret());
      const answered = inbox.failing ? 500 : valid ? 200 : 400;
      const body = raw.toString('utf8');
      const arrival: InboxArrival = { at: Date.now(), valid, answered, body, ...fieldsOf(body) };
      kept.push(arrival);
      if (kept.length > keep) kept.splice(0, kept.length - keep);
      res.writeHead(answered, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ received: answered === 200, signature: valid ? 'valid' : 'invalid' }));
      try {
        opts.onArrival?.(arrival);
      } catch {
        // A failing listener does not break the inbox.
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const inbox: WebhookInbox = {
    url: `http://127.0.0.1:${port}/webhooks`,
    arrivals: () => [...kept].reverse(),
    failing: false,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return inbox;
}

/**
 * A webhook endpoint of our own for the tests: a node:http server on loopback that keeps every
 * delivery (raw body bytes, headers) and answers what the test says (200 by default).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Delivery {
  raw: Buffer;
  headers: http.IncomingHttpHeaders;
  json: any;
}

export interface Receiver {
  url: string;
  deliveries: Delivery[];
  /** The statuses of the next answers, in order; once used up, 200. */
  answers: number[];
  /** The body of every answer (default a small JSON). */
  answerBody: string | undefined;
  /** While true, requests are kept waiting (never answered until it turns false... or the client gives up). */
  hold: boolean;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const deliveries: Delivery[] = [];
  const answers: number[] = [];
  // eslint-disable-next-line prefer-const
  let r: Receiver;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      deliveries.push({ raw, headers: req.headers, json: JSON.parse(raw.toString('utf8')) });
      if (r.hold) return;
      const status = answers.shift() ?? 200;
      res.writeHead(status, { 'content-type': 'application/json', 'x-receiver': 'test' });
      res.end(r.answerBody ?? JSON.stringify({ received: status < 300 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  r = {
    url: `http://127.0.0.1:${port}/webhooks`,
    deliveries,
    answers,
    answerBody: undefined,
    hold: false,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return r;
}

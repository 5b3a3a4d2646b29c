/**
 * A server in its own process for the benchmark, so that the load generator and the server do not
 * share a core: `sandbox` (the local PerfectPay sandbox) or `bare` (a bare node:http server that
 * answers a fixed JSON: the floor any server of this API could reach on this machine).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSandbox } from '../src/sandbox';

async function main(): Promise<void> {
  const kind = process.argv[2];
  const send = (m: unknown): void => void process.send?.(m);
  if (kind === 'sandbox') {
    const seed = Number(process.argv[3] ?? '0');
    // A webhook URL (bench/webhooks.ts): every event is delivered there.
    const webhookUrl = process.argv[4];
    const t0 = performance.now();
    const s = await startSandbox({ port: 0, apiKey: 'sk_bench', seed, ...(webhookUrl ? { webhooks: { url: webhookUrl } } : {}) });
    const seedMs = performance.now() - t0;
    send({ url: s.url, seedMs, rssMb: process.memoryUsage().rss / 2 ** 20, heapMb: process.memoryUsage().heapUsed / 2 ** 20 });
  } else if (kind === 'bare') {
    const body = process.argv[3] ?? '{}';
    const server = http.createServer((req, res) => {
      // Read the request body as a real server must, then answer the same JSON every time.
      req.on('data', () => undefined);
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      });
    });
    server.keepAliveTimeout = 10_000;
    server.listen(0, '127.0.0.1', () => send({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  } else if (kind === 'receiver') {
    // A webhook endpoint: reads each delivery and answers 200; 'count' asks how many arrived.
    let count = 0;
    const server = http.createServer((req, res) => {
      req.on('data', () => undefined);
      req.on('end', () => {
        count++;
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': 2 });
        res.end('{}');
      });
    });
    server.keepAliveTimeout = 10_000;
    process.on('message', (m) => {
      if (m === 'count') send({ count });
    });
    server.listen(0, '127.0.0.1', () => send({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks` }));
  } else {
    throw new Error(`unknown server kind ${kind}`);
  }
  process.on('message', (m) => {
    if (m === 'memory') send({ rssMb: process.memoryUsage().rss / 2 ** 20, heapMb: process.memoryUsage().heapUsed / 2 ** 20 });
    if (m === 'exit') process.exit(0);
  });
}

void main();

/**
 * What the unit suites share: the local sandbox with a client of it, and a bare server that answers
 * whatever a test sets, each started before a describe()'s tests and closed after them.
 */
import * as assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PerfectPayClient, type ClientOptions } from '../../src/api';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../src/sandbox';

/** Throws, naming what, when `value` is not set yet (a hook-made thing read outside a test). */
function ready<T>(value: T | undefined, what: string): T {
  assert.ok(value, `${what} starts in a before hook: use it inside a test`);
  return value;
}

export interface LocalApi {
  readonly sandbox: RunningSandbox;
  readonly client: PerfectPayClient;
}

/** The local sandbox on a free loopback port, opened by `apiKey`, and a client of it with `client`'s options. */
export function useLocalApi(apiKey: string, sandbox: Partial<SandboxOptions> = {}, client: Partial<ClientOptions> = {}): LocalApi {
  let s: RunningSandbox | undefined;
  let c: PerfectPayClient | undefined;
  before(async () => {
    s = await startSandbox({ port: 0, apiKey, ...sandbox });
    c = new PerfectPayClient({ baseUrl: s.url, apiKey, ...client });
  });
  after(async () => {
    await c?.close();
    await s?.close();
  });
  return {
    get sandbox() { return ready(s, 'the sandbox'); },
    get client() { return ready(c, 'the client'); },
  };
}

export interface AnsweringServer {
  /** What the server answers every request with next (as JSON, 200). */
  answer: unknown;
  readonly url: string;
  /** A client of it that tries once. */
  readonly client: PerfectPayClient;
}

/** A bare node:http server on loopback that answers every request with `answer`, and a client of it. */
export function useAnsweringServer(first?: unknown): AnsweringServer {
  let server: http.Server | undefined;
  let url: string | undefined;
  let client: PerfectPayClient | undefined;
  const handle = {
    answer: first,
    get url() { return ready(url, 'the server'); },
    get client() { return ready(client, 'the client'); },
  };
  before(async () => {
    const s = http.createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(handle.answer));
    });
    server = s;
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
    client = new PerfectPayClient({ baseUrl: url, apiKey: 'k', retry: { maxAttempts: 1 } });
  });
  after(async () => {
    await client?.close();
    server?.closeAllConnections();
    const s = server;
    if (s) await new Promise((r) => s.close(r));
  });
  return handle;
}

/**
 * Waits until `condition` holds (checked every 20 ms), failing after `timeoutMs` with `what`: the unit
 * suites' one wait between looks; no test waits a fixed time for something to happen.
 */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

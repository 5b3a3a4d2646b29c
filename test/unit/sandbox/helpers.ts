/**
 * Helpers of the sandbox tests: start a sandbox on a free loopback port and talk to it over real
 * HTTP with the global fetch. Every answer and log line is kept, so a test can prove that no card
 * number or CVC ever left the sandbox.
 */
import * as assert from 'node:assert/strict';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../../src/sandbox';

export const KEY = 'sk_test_sandbox_suite';

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export interface TestSandbox {
  sandbox: RunningSandbox;
  url: string;
  /** Every answer body seen, and every log line. */
  transcript: string[];
  logs: string[];
  /** The sandbox clock, when started with a manual clock. */
  clock: { now: number };
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer>;
  post(path: string, body?: unknown): Promise<Answer>;
  get(path: string): Promise<Answer>;
  close(): Promise<void>;
}

export async function start(opts: Partial<SandboxOptions> & { manualClock?: boolean } = {}): Promise<TestSandbox> {
  const logs: string[] = [];
  const transcript: string[] = [];
  const clock = { now: Date.now() };
  const { manualClock, ...rest } = opts;
  const sandbox = await startSandbox({
    port: 0,
    apiKey: KEY,
    expiryMs: 60_000,
    processingDelayMs: 200,
    log: (l) => logs.push(l),
    ...(manualClock ? { now: () => clock.now } : {}),
    ...rest,
  });
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
    const init: RequestInit = {
      method,
      headers: { 'api-key': KEY, 'content-type': 'application/json', ...headers },
    };
    if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
    const res = await fetch(sandbox.url + path, init);
    const text = await res.text();
    transcript.push(text);
    let json: unknown = undefined;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
  };
  return {
    sandbox,
    url: sandbox.url,
    transcript,
    logs,
    clock,
    call,
    post: (path, body = {}) => call('POST', path, body),
    get: (path) => call('GET', path),
    close: () => sandbox.close(),
  };
}

/**
 * A sandbox for the tests of a describe(): started (with `opts`) before them and closed after them, or
 * before and after each test (`per: 'test'`). The handle answers for the sandbox running at the time.
 */
export function useSandbox(opts: Parameters<typeof start>[0] = {}, per: 'suite' | 'test' = 'suite'): TestSandbox {
  let current: TestSandbox | undefined;
  const now = (): TestSandbox => {
    assert.ok(current, 'the sandbox starts in a before hook: use it inside a test');
    return current;
  };
  (per === 'test' ? beforeEach : before)(async () => {
    current = await start(opts);
  });
  (per === 'test' ? afterEach : after)(() => now().close());
  return {
    get sandbox() { return now().sandbox; },
    get url() { return now().url; },
    get transcript() { return now().transcript; },
    get logs() { return now().logs; },
    get clock() { return now().clock; },
    call: (...args) => now().call(...args),
    post: (path, body) => now().post(path, body),
    get: (path) => now().get(path),
    close: () => now().close(),
  };
}

export function card(number: string, extra: Record<string, string> = {}) {
  return {
    payment_method: 'card',
    payment_method_type: 'credit',
    payment_method_data: {
      card: { card_number: number, card_exp_month: '12', card_exp_year: '35', card_cvc: '737', card_holder_name: 'Jane Doe', ...extra },
    },
  };
}

/** Asserts a 200 payment answer and returns it. */
export function ok(a: Answer): any {
  assert.equal(a.status, 200, `expected 200, got ${a.status}: ${a.text.slice(0, 300)}`);
  return a.json;
}

/** Asserts an error answer of exactly the documented shape. */
export function err(a: Answer, status: number, code: string, message?: string | RegExp): void {
  assert.equal(a.status, status, `expected ${status} ${code}, got ${a.status}: ${a.text.slice(0, 300)}`);
  assert.deepEqual(Object.keys(a.json), ['error']);
  assert.deepEqual(Object.keys(a.json.error).sort(), ['code', 'message', 'type']);
  assert.equal(a.json.error.code, code);
  assert.equal(typeof a.json.error.type, 'string');
  if (typeof message === 'string') assert.equal(a.json.error.message, message);
  else if (message) assert.match(a.json.error.message, message);
  assert.doesNotMatch(a.text, /at .*\.(js|ts):\d+/, 'no stack trace');
}

/** Creates a payment and returns it (asserting 200). */
export async function create(t: TestSandbox, body: Record<string, unknown> = {}): Promise<any> {
  return ok(await t.post('/payments', { amount: 4999, currency: 'USD', ...body }));
}

/** The unit suites' one wait for a condition (test/unit/helpers.ts). */
export { waitFor } from '../helpers';

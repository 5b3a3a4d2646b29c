/**
 * `node dist/sandbox-cli.js --port 4242 --api-key sk_test_local --seed 25 [--latency MS] ...`
 * Runs the local PerfectPay sandbox until SIGINT / SIGTERM. Bad flags: usage on stderr, exit 2.
 */
import { startSandbox } from './index';
import type { SandboxOptions } from './types';

export const USAGE = `Usage: perfectpay-sandbox [options]

Runs a local PerfectPay sandbox (the routes of the PerfectPay payments API) until Ctrl+C.

Options:
  --port N                 port to listen on (default 4242; 0 = any free port)
  --host HOST              address to listen on (default 127.0.0.1)
  --api-key KEY            secret key expected in the api-key header (default sk_test_local)
  --seed N                 fill with N demo payments over every status (default 0)
  --latency MS             delay before every API answer
  --error-rate R           share (0..1) of API requests answered 500 HE_00
  --malformed-rate R       share answered 200 with broken JSON
  --drop-rate R            share whose connection is dropped without answer
  --rate-limit-rate R      share answered 429 RE_04
  --retry-after S          Retry-After of the 429 answers, in seconds (default 1)
  --expiry-ms MS           time until a waiting payment expires (default 900000 = 15 min)
  --processing-delay MS    time a processing payment takes to settle (default 3000)
  --quiet                  do not log each request
  -h, --help               show this help
`;

export class UsageError extends Error {}

type Kind = 'int' | 'rate' | 'ms' | 'string';
const FLAGS: Record<string, Kind> = {
  port: 'int',
  host: 'string',
  'api-key': 'string',
  seed: 'int',
  latency: 'ms',
  'error-rate': 'rate',
  'malformed-rate': 'rate',
  'drop-rate': 'rate',
  'rate-limit-rate': 'rate',
  'retry-after': 'ms',
  'expiry-ms': 'ms',
  'processing-delay': 'ms',
};

export interface CliConfig {
  options: SandboxOptions;
  quiet: boolean;
  help: boolean;
}

/** Parses the command line (`--flag value` or `--flag=value`). Throws UsageError on a bad flag. */
export function parseArgs(argv: readonly string[]): CliConfig {
  const values: Record<string, string> = {};
  let quiet = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    if (arg === '--quiet' || arg === '-q') {
      quiet = true;
      continue;
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m || !(m[1]! in FLAGS)) throw new UsageError(`Unknown option: ${arg}`);
    const name = m[1]!;
    let value = m[2];
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`Option --${name} needs a value`);
    }
    values[name] = value;
  }
  const num = (name: string): number | undefined => {
    const v = values[name];
    if (v === undefined) return undefined;
    const kind = FLAGS[name]!;
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number (got "${v}")`);
    if (kind === 'int' && (!Number.isInteger(n) || n < 0)) throw new UsageError(`--${name} must be a whole number ≥ 0 (got "${v}")`);
    if (kind === 'rate' && (n < 0 || n > 1)) throw new UsageError(`--${name} must be between 0 and 1 (got "${v}")`);
    if (kind === 'ms' && n < 0) throw new UsageError(`--${name} must be ≥ 0 (got "${v}")`);
    return n;
  };
  const port = num('port') ?? 4242;
  if (port > 65535) throw new UsageError(`--port must be at most 65535 (got "${values.port}")`);
  const apiKey = values['api-key'] ?? 'sk_test_local';
  if (apiKey.trim() === '') throw new UsageError('--api-key must not be empty');
  const options: SandboxOptions = { port, host: values.host ?? '127.0.0.1', apiKey };
  const seed = num('seed');
  if (seed !== undefined) options.seed = seed;
  const latency = num('latency');
  if (latency !== undefined) options.latencyMs = latency;
  const expiry = num('expiry-ms');
  if (expiry !== undefined) options.expiryMs = expiry;
  const processing = num('processing-delay');
  if (processing !== undefined) options.processingDelayMs = processing;
  const faults: NonNullable<SandboxOptions['faults']> = {};
  const errorRate = num('error-rate');
  if (errorRate !== undefined) faults.errorRate = errorRate;
  const malformedRate = num('malformed-rate');
  if (malformedRate !== undefined) faults.malformedRate = malformedRate;
  const dropRate = num('drop-rate');
  if (dropRate !== undefined) faults.dropRate = dropRate;
  const rateLimitRate = num('rate-limit-rate');
  if (rateLimitRate !== undefined) faults.rateLimitRate = rateLimitRate;
  const retryAfter = num('retry-after');
  if (retryAfter !== undefined) faults.retryAfterSeconds = retryAfter;
  const sum = (errorRate ?? 0) + (malformedRate ?? 0) + (dropRate ?? 0) + (rateLimitRate ?? 0);
  if (sum > 1) throw new UsageError(`The fault rates add up to ${sum}: at most 1`);
  if (Object.keys(faults).length) options.faults = faults;
  return { options, quiet, help };
}

export async function main(argv: readonly string[]): Promise<number> {
  let config: CliConfig;
  try {
    config = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  if (config.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const log = config.quiet ? undefined : (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  try {
    sandbox = await startSandbox({ ...config.options, log });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'EADDRINUSE' ? `port ${config.options.port} is already in use (try --port 0)` : err.message;
    process.stderr.write(`Could not start the sandbox: ${why}\n`);
    return 1;
  }
  const running = sandbox;
  process.stdout.write(
    `PerfectPay sandbox listening on ${running.url}\n` +
      `  api-key: ${config.options.apiKey}   payments: ${running.paymentCount()}   customer pages: ${running.url}/sandbox\n` +
      `  Ctrl+C to stop\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.stdout.write(`\n${signal}: stopping the sandbox\n`);
      // Should close() ever hang, do not hang with it.
      setTimeout(() => process.exit(0), 3000).unref();
      void running.close().then(resolve, resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`Sandbox failed: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}

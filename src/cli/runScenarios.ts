/**
 * The work of `perfectpay scenarios run [paths…]` and `perfectpay matrix` (./scenarios.ts lists them): scenario files (or the test-card
 * matrix) run through the scenario engine, as the Testing view runs them (the same parser, runner and
 * step lines), against a URL with the key of PERFECTPAY_API_KEY, or a sandbox started and stopped
 * here (`--sandbox`). One line per step, then a summary; `--reporter junit --output FILE` writes JUnit
 * XML. The exit code is the number of scenarios that did not pass (capped at 100); 2 for bad flags.
 *
 * The key is never taken as a flag (it would be in the shell's history and `ps`) nor printed: the
 * runner redacts it from every answer and message.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PerfectPayClient } from '../api/client';
import { isLoopbackHost, SANDBOX_URL } from '../domain/network';
import { SCENARIO_SUFFIX } from '../domain/scenarioFiles';
import { newWebhookSecret, startSandbox } from '../sandbox';
import { startWebhookInbox } from '../sandbox/inbox';
import { UsageError, usageError } from '../sandbox/cli';
import { newKey } from '../sandbox/random';
import {
  cancelLeftovers, clientPort, formatProblem, markedPort, matrixScenarios, parseScenario, runScenario, runWithLimit, SCENARIO_CONCURRENCY, SCENARIO_ENVIRONMENTS, stepLines,
  type RunEnvironment, type Scenario, type ScenarioEnvironment, type ScenarioPort, type ScenarioResult,
} from '../scenarioEngine';
import type { CliIo } from './command';
import { junitXml, type JunitCase } from './junit';

export const KEY_VARIABLE = 'PERFECTPAY_API_KEY';
/** The exit code's cap (a shell's codes stop at 255; 126 and up mean other things). */
const MAX_EXIT = 100;
/** Exit code of a run stopped by Ctrl+C or SIGTERM (128 + SIGINT). */
const INTERRUPTED = 130;

const TARGET_HELP = `Where they run (one of):
  --base-url URL           a PerfectPay server; its key from the environment variable ${KEY_VARIABLE}
  --sandbox                a local sandbox started for this run on a free loopback port, stopped after

Options:
  --environment ENV        what the URL is: local (a local sandbox: simulate works), sandbox (the hosted
                           sandbox) or custom. Default: local for --sandbox and a loopback URL, sandbox
                           for ${SANDBOX_URL}, custom otherwise. A scenario runs on a custom URL
                           only when it says "environment": "custom" or --environment custom is given.
  --reporter junit         also write JUnit XML (with --output FILE), for CI
  --output FILE            where the JUnit XML goes
  --concurrency N          scenarios at once (default ${SCENARIO_CONCURRENCY}); the steps of one run in order
  -h, --help               show this help

Exit code: the number of scenarios that did not pass (at most ${MAX_EXIT}); 0 when all passed;
2 for bad flags or no scenario found; ${INTERRUPTED} when stopped by Ctrl+C or SIGTERM.
`;

export const RUN_USAGE = `Usage: perfectpay scenarios run [options] [paths…]

Runs scenario files (*.perfectpay.json) as VS Code's Testing view runs them: one line per step, then a
summary. A path is a file, or a folder searched for *.perfectpay.json (node_modules and dot-folders
left out); none: the current folder.

${TARGET_HELP}`;

export const MATRIX_USAGE = `Usage: perfectpay matrix [options]

Runs the test-card matrix: every test card and payment method of the PerfectPay contract, each
confirmed and its outcome checked against the documented one. Payments left waiting are cancelled.

${TARGET_HELP}`;

const OPTIONS = {
  'base-url': { type: 'string' },
  sandbox: { type: 'boolean' },
  environment: { type: 'string' },
  reporter: { type: 'string' },
  output: { type: 'string' },
  concurrency: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface RunFlags {
  paths: string[];
  baseUrl?: string;
  sandbox: boolean;
  environment?: ScenarioEnvironment;
  junit?: string;
  concurrency: number;
  help: boolean;
}

/** Parses the flags; throws UsageError. */
export function parseRunFlags(argv: readonly string[], positionals: boolean): RunFlags {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: positionals });
  } catch (e) {
    throw usageError(e);
  }
  const v = parsed.values;
  const flags: RunFlags = { paths: parsed.positionals, sandbox: v.sandbox === true, concurrency: SCENARIO_CONCURRENCY, help: v.help === true };
  if (flags.help) return flags;
  const baseUrl = v['base-url'];
  if (baseUrl !== undefined) {
    let u: URL;
    try {
      u = new URL(baseUrl);
    } catch {
      throw new UsageError(`--base-url must be a URL (got "${baseUrl}")`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UsageError(`--base-url must be http or https (got "${baseUrl}")`);
    if (u.username || u.password) throw new UsageError(`--base-url must not carry a user name or password: the key goes in ${KEY_VARIABLE}`);
    flags.baseUrl = baseUrl;
  }
  if (flags.sandbox && flags.baseUrl !== undefined) throw new UsageError('--sandbox and --base-url: give one of them');
  if (!flags.sandbox && flags.baseUrl === undefined) throw new UsageError('where should they run? Give --base-url URL (the key in PERFECTPAY_API_KEY) or --sandbox');
  if (v.environment !== undefined) {
    if (!(SCENARIO_ENVIRONMENTS as readonly string[]).includes(v.environment)) throw new UsageError(`--environment must be one of ${SCENARIO_ENVIRONMENTS.join(', ')} (got "${v.environment}")`);
    if (flags.sandbox && v.environment !== 'local') throw new UsageError('--sandbox is a local sandbox: --environment local, or none');
    flags.environment = v.environment as ScenarioEnvironment;
  }
  if (v.reporter !== undefined && v.reporter !== 'junit') throw new UsageError(`--reporter must be junit (got "${v.reporter}"); the lines on the terminal are always printed`);
  if (v.reporter === 'junit') {
    if (!v.output?.trim()) throw new UsageError('--reporter junit needs --output FILE');
    flags.junit = v.output;
  } else if (v.output !== undefined) {
    throw new UsageError('--output goes with --reporter junit');
  }
  if (v.concurrency !== undefined) {
    const n = Number(v.concurrency);
    if (!Number.isInteger(n) || n < 1 || n > 32) throw new UsageError(`--concurrency must be a whole number from 1 to 32 (got "${v.concurrency}")`);
    flags.concurrency = n;
  }
  return flags;
}

/** Where scenarios run: a client, the environment as the runner checks it, and how to let go of it. */
interface Target {
  port: ScenarioPort;
  environment: RunEnvironment;
  allowCustom: boolean;
  secrets: string[];
  close(): Promise<void>;
}

/** What the URL is, when --environment does not say. */
function guessEnvironment(url: URL): ScenarioEnvironment {
  if (url.origin === SANDBOX_URL) return 'sandbox';
  if (isLoopbackHost(url.hostname)) return 'local';
  return 'custom';
}

const LABELS: Record<ScenarioEnvironment, string> = { local: 'Local sandbox', sandbox: 'PerfectPay sandbox', custom: 'Custom' };

/**
 * `webhooks`: some scenario has an `expect_webhook` step. With --sandbox, a webhook inbox (the
 * extension's receiver, checking each signature with the sandbox's secret) gets the sandbox's
 * deliveries, and the steps read it; with --base-url this command receives none, and says so.
 */
async function openTarget(flags: RunFlags, io: CliIo, webhooks: boolean): Promise<Target> {
  if (flags.sandbox) {
    const apiKey = newKey('snd_');
    const secret = newWebhookSecret();
    const inbox = webhooks ? await startWebhookInbox({ secret: () => secret }) : undefined;
    let sandbox: Awaited<ReturnType<typeof startSandbox>>;
    try {
      sandbox = await startSandbox({ port: 0, host: '127.0.0.1', apiKey, webhooks: { url: inbox?.url ?? null, secret } });
    } catch (e) {
      await inbox?.close();
      throw e;
    }
    const client = new PerfectPayClient({ baseUrl: sandbox.url, apiKey });
    const port = clientPort(client);
    return {
      port: inbox ? { ...port, webhookDeliveries: async () => inbox.arrivals().reverse().map((a) => ({ body: a.body, signatureValid: a.valid })) } : port,
      environment: { kind: 'local', label: `Local sandbox (${sandbox.url}, started for this run)`, supportsSimulate: true },
      allowCustom: false,
      secrets: [apiKey, secret],
      close: async () => {
        await client.close();
        await sandbox.close();
        await inbox?.close();
      },
    };
  }
  const apiKey = io.env[KEY_VARIABLE]?.trim();
  if (!apiKey) throw new UsageError(`${KEY_VARIABLE} is not set: the API key of --base-url's server goes there (never in a flag)`);
  const url = new URL(flags.baseUrl!);
  const kind = flags.environment ?? guessEnvironment(url);
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) io.stderr.write(`warning: ${url.origin} is plain http to another machine: the key crosses the network unencrypted\n`);
  // A proxy and extra certificates from the environment, as curl and VS Code read them (HTTPS_PROXY,
  // NO_PROXY, NODE_EXTRA_CA_CERTS): a CI runner behind a proxy; loopback always goes direct.
  const client = new PerfectPayClient({ baseUrl: flags.baseUrl!, apiKey, network: { env: io.env } });
  return {
    port: { ...clientPort(client), webhookDeliveries: async () => ({ unavailable: 'no webhook inbox: with --base-url this command receives no webhooks (run it with --sandbox, which starts an inbox for the run).' }) },
    environment: { kind, label: `${LABELS[kind]} (${url.origin})`, supportsSimulate: kind === 'local' },
    // Naming the environment "custom" is this command's "run it there anyway" (the Testing view asks).
    allowCustom: flags.environment === 'custom',
    secrets: [apiKey],
    close: () => client.close(),
  };
}

/** One scenario to run, or a file that could not be read as one. */
interface Job {
  /** The file, relative to the current folder ("matrix" for the matrix's rows). */
  source: string;
  name: string;
  scenario?: Scenario;
  problems?: string[];
}

const SKIPPED_DIRS = new Set(['node_modules']);

/** The scenario files under `paths` (files as given, folders searched), sorted, each once. */
async function findFiles(paths: readonly string[], cwd: string): Promise<string[]> {
  const found = new Set<string>();
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name) && !e.name.startsWith('.')) await walk(p);
      } else if (e.isFile() && e.name.endsWith(SCENARIO_SUFFIX)) {
        found.add(p);
      }
    }
  };
  for (const given of paths.length ? paths : ['.']) {
    const p = resolve(cwd, given);
    let st;
    try {
      st = await stat(p);
    } catch {
      throw new UsageError(`no such file or folder: ${given}`);
    }
    if (st.isDirectory()) await walk(p);
    else found.add(p);
  }
  return [...found].sort();
}

async function fileJobs(paths: readonly string[], cwd: string): Promise<Job[]> {
  const files = await findFiles(paths, cwd);
  if (!files.length) throw new UsageError(`no *${SCENARIO_SUFFIX} file in ${paths.length ? paths.join(', ') : 'the current folder'}`);
  return Promise.all(
    files.map(async (file): Promise<Job> => {
      const source = relative(cwd, file) || basename(file);
      const base = basename(file);
      const fallbackName = base.endsWith(SCENARIO_SUFFIX) ? base.slice(0, -SCENARIO_SUFFIX.length) : base;
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (e) {
        return { source, name: fallbackName, problems: [`cannot be read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`] };
      }
      const parsed = parseScenario(text, { fallbackName });
      if (!parsed.ok) return { source, name: fallbackName, problems: parsed.problems.map((p) => `${source}: ${formatProblem(p)}`) };
      return { source, name: parsed.scenario.name, scenario: parsed.scenario };
    }),
  );
}

interface Outcome {
  job: Job;
  result?: ScenarioResult;
  output: string;
}

/** Runs the jobs, printing each scenario's lines as it ends; then the summary, the JUnit file, the exit code. */
async function runJobs(jobs: Job[], flags: RunFlags, io: CliIo, kind: 'scenarios' | 'matrix'): Promise<number> {
  const t0 = performance.now();
  const at = new Date();
  let target: Target;
  try {
    target = await openTarget(flags, io, jobs.some((j) => j.scenario?.steps.some((s) => s.kind === 'expect_webhook')));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    io.stderr.write(`perfectpay: could not start the sandbox: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  const outcomes: Outcome[] = [];
  const what = kind === 'matrix' ? `the test-card matrix (${jobs.length} rows)` : `${jobs.length} scenario${jobs.length === 1 ? '' : 's'}`;
  io.stdout.write(`Running ${what} on ${target.environment.label}, ${flags.concurrency} at a time\n\n`);
  try {
    const port = markedPort(target.port, kind === 'matrix' ? 'matrix' : 'scenario');
    await runWithLimit(jobs, flags.concurrency, async (job) => {
      const lines: string[] = [];
      const out = (s: string): void => void lines.push(s);
      let result: ScenarioResult | undefined;
      if (!job.scenario) {
        const problems = job.problems ?? [];
        out(`✗ ${job.name}: not run, the file has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}`);
        for (const p of problems) out(`    ${p}`);
      } else {
        out(`▶ ${job.scenario.name} — ${target.environment.label}${kind === 'scenarios' ? `  (${job.source})` : ''}`);
        result = await runScenario(job.scenario, port, {
          environment: target.environment,
          signal: io.signal,
          allowCustom: target.allowCustom,
          howToSwitch: 'Run it with --sandbox, or say what --base-url is with --environment.',
          secrets: target.secrets,
          onStep: (e) => {
            if (e.type === 'end') for (const line of stepLines(e.result)) out(line);
          },
          onPayment: (id) => out(`  payment ${id}`),
        });
        if (result.outcome === 'passed') out(`✓ passed in ${result.durationMs} ms`);
        else if (result.outcome === 'failed') out(`✗ failed at step ${result.steps.find((s) => s.outcome === 'failed')?.label ?? '?'}`);
        else if (result.outcome === 'refused') out(`✗ ${result.message}${target.environment.kind === 'custom' && !target.allowCustom ? ' (--environment custom runs it anyway)' : ''}`);
        else out('– cancelled');
        if (result.payments.length) out(`  payments made: ${result.payments.join(', ')}`);
      }
      const output = lines.join('\n') + '\n';
      io.stdout.write(output);
      outcomes.push({ job, result, output });
    });
    if (kind === 'matrix' && !io.signal.aborted) {
      const n = await cancelLeftovers(outcomes.map((o) => o.result), target.port, (m) => io.stderr.write(`${m}\n`));
      if (n) io.stdout.write(`(${n} payment${n === 1 ? '' : 's'} left waiting by the matrix cancelled)\n`);
    }
  } finally {
    await target.close().catch(() => undefined);
  }
  // In the order given (the lines were printed as each ended).
  const order = new Map(jobs.map((j, i) => [j, i]));
  outcomes.sort((a, b) => order.get(a.job)! - order.get(b.job)!);
  const ms = performance.now() - t0;
  const passed = outcomes.filter((o) => o.result?.outcome === 'passed').length;
  const failed = outcomes.filter((o) => o.result?.outcome === 'failed').length;
  const notRun = outcomes.length - passed - failed;
  const noun = kind === 'matrix' ? 'rows' : outcomes.length === 1 ? 'scenario' : 'scenarios';
  io.stdout.write(
    kind === 'matrix'
      ? `\n${outcomes.length} ${noun}: ${passed} as documented, ${failed} differ, ${notRun} not run (${(ms / 1000).toFixed(1)} s)\n`
      : `\n${outcomes.length} ${noun}: ${passed} passed, ${failed} failed${notRun ? `, ${notRun} not run` : ''} (${(ms / 1000).toFixed(1)} s)\n`,
  );
  if (flags.junit !== undefined) {
    const file = resolve(io.cwd, flags.junit);
    const cases: JunitCase[] = outcomes.map((o) => ({ name: o.job.name, classname: o.job.source, result: o.result, problems: o.job.problems, output: o.output }));
    try {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, junitXml(kind === 'matrix' ? 'perfectpay test-card matrix' : 'perfectpay scenarios', cases, at, ms));
      io.stdout.write(`JUnit XML: ${relative(io.cwd, file) || file}\n`);
    } catch (e) {
      io.stderr.write(`perfectpay: could not write ${flags.junit}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
      return Math.max(1, Math.min(MAX_EXIT, failed + notRun));
    }
  }
  if (io.signal.aborted) {
    io.stderr.write(`${typeof io.signal.reason === 'string' ? io.signal.reason : 'Stopped'}: the run was stopped\n`);
    return INTERRUPTED;
  }
  return Math.min(MAX_EXIT, failed + notRun);
}

/** A subcommand's run: its help, its flags' errors (one line, exit 2), then `body`. */
function command(words: readonly string[], usage: string, positionals: boolean, body: (flags: RunFlags, io: CliIo) => Promise<number>) {
  return async (args: string[], io: CliIo): Promise<number> => {
    try {
      const flags = parseRunFlags(args, positionals);
      if (flags.help) {
        io.stdout.write(usage);
        return 0;
      }
      return await body(flags, io);
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      io.stderr.write(`perfectpay ${words.join(' ')}: ${e.message} (see perfectpay ${words.join(' ')} --help)\n`);
      return 2;
    }
  };
}

/** `perfectpay scenarios run`. */
export const runScenarioFiles = command(['scenarios', 'run'], RUN_USAGE, true, async (flags, io) => runJobs(await fileJobs(flags.paths, io.cwd), flags, io, 'scenarios'));

/** `perfectpay matrix`. */
export const runMatrix = command(['matrix'], MATRIX_USAGE, false, (flags, io) =>
  runJobs(matrixScenarios().map(({ row, scenario }) => ({ source: `matrix/${row.id}`, name: scenario.name, scenario })), flags, io, 'matrix'));

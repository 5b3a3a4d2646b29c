/**
 * The Testing view's "PerfectPay Scenarios": each `*.perfectpay.json` file of the workspace is a test
 * and each of its steps a child (with its line, so results show in the gutter), plus the built-in
 * test-card matrix. Files are found lazily (when the Testing view first asks, or a scenario is run)
 * and followed with a FileSystemWatcher and the editor's unsaved text.
 *
 * A run goes through the PaymentsService (the payments enter the history, tree and inspector like
 * any other), one step at a time per scenario and up to 4 scenarios at once; the TestRun's token
 * cancels the requests in flight. A failure names the step, what was expected and what came back,
 * with the (redacted) answer and a link to the payment's inspector; every payment made is written to
 * the run's output with its inspector link.
 */
import { COMMAND_IDS } from '../domain/commandIds';
import * as vscode from 'vscode';
import { l10n } from '../environment/l10n';
import { SCENARIO_GLOB, SCENARIO_SUFFIX } from '../domain/scenarioFiles';
import type { MatrixRow, RunEnvironment, Scenario, ScenarioEngine, ScenarioProblem, ScenarioResult, StepResult, TextRange } from './engine';
import type { PaymentsService } from '../services/PaymentsService';
import { servicePort } from './ports';
import type { WebhookInboxHost } from '../services/webhookInbox';

export const CONTROLLER_ID = 'perfectpay.scenarios';
export const MATRIX_ITEM_ID = 'perfectpay.matrix';
/** The tags of the two kinds of item: a run profile runs only its own. */
const SCENARIO_TAG = new vscode.TestTag('perfectpay-scenario');
const MATRIX_TAG = new vscode.TestTag('perfectpay-matrix');
const INSPECT = COMMAND_IDS.inspect;
/** The source of the scenario problems this extension puts in the Problems view. */
const PROBLEM_SOURCE = 'PerfectPay scenario';

/** `command:perfectpay.inspectPayment?["pay_…"]`: opens the payment's inspector. */
export function inspectLink(paymentId: string): string {
  return `command:${INSPECT}?${encodeURIComponent(JSON.stringify([paymentId]))}`;
}

interface FileEntry {
  uri: vscode.Uri;
  item: vscode.TestItem;
  scenario?: Scenario;
  problems?: ScenarioProblem[];
}

/** What a test run reported, for the extension's own tests (the VS Code API has no reader). */
export interface RecordedState {
  state: 'enqueued' | 'started' | 'passed' | 'failed' | 'errored' | 'skipped';
  messages: { message: string; expected?: string; actual?: string; line?: number; uri?: string }[];
}
export interface RecordedRun {
  states: Map<string, RecordedState>;
  output: string;
  results: Map<string, ScenarioResult>;
  environment: string;
  at: string;
}

export interface RunOptions {
  /** Let scenarios without "environment": "custom" run on a custom URL (the matrix command asks first). */
  allowCustom?: boolean;
  /** Told as each scenario ends. */
  onScenarioDone?: (done: number, total: number) => void;
}

interface Job {
  key: string;
  item: vscode.TestItem;
  scenario?: Scenario;
  /** The step items, by step index (none for matrix rows). */
  steps: (vscode.TestItem | undefined)[];
  uri?: vscode.Uri;
  problems?: ScenarioProblem[];
}

const toRange = (r: TextRange): vscode.Range => new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
/** Escapes what Markdown would read as markup (an underscore only at a word's edge: `error_code` stays as it is). */
const md = (s: string): string => s.replace(/[\\`*[\]<>]|(?<!\w)_|_(?!\w)/g, '\\$&');

export class ScenarioController implements vscode.Disposable {
  readonly controller: vscode.TestController;
  readonly diagnostics: vscode.DiagnosticCollection;
  private readonly files = new Map<string, FileEntry>();
  private matrixItem: vscode.TestItem | undefined;
  private readonly matrixRows = new Map<string, { row: MatrixRow; scenario: Scenario }>();
  private discovery: Promise<void> | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires when a file's items were (re)built from its text. */
  readonly onDidUpdateFile = this.changed.event;
  private readonly finished = new vscode.EventEmitter<RecordedRun>();
  /** Fires when a run ends. */
  readonly onDidFinishRun = this.finished.event;
  /** The latest result of each scenario (file URI or matrix row id). */
  readonly results = new Map<string, ScenarioResult>();
  /** The last matrix run: its environment and time (for the Markdown export). */
  lastMatrix: { environment: string; at: string } | undefined;
  /** The last run, as reported (for tests). */
  lastRun: RecordedRun | undefined;
  private readonly pendingEdits = new Map<string, ReturnType<typeof setTimeout>>();
  /** Each file's problems as this extension found them (what the Problems view shows of them: showProblems). */
  private readonly ownProblems = new Map<string, vscode.Diagnostic[]>();

  constructor(
    private readonly service: PaymentsService,
    private readonly log: vscode.LogOutputChannel,
    /** The scenario engine, from the runtime bundle (loaded on first use). */
    readonly engine: () => ScenarioEngine,
    /** The webhook inbox, which `expect_webhook` steps read. */
    private readonly inbox?: WebhookInboxHost,
  ) {
    this.controller = vscode.tests.createTestController(CONTROLLER_ID, l10n.t('PerfectPay Scenarios'));
    this.diagnostics = vscode.languages.createDiagnosticCollection('perfectpay-scenarios');
    // Nothing is read at activation: the Testing view (or a run) asks for the items first.
    this.controller.resolveHandler = async (item) => {
      if (!item) await this.discover();
    };
    this.controller.refreshHandler = async () => {
      this.discovery = undefined;
      await this.discover(true);
    };
    // Two profiles: the workspace's scenarios, and the built-in matrix (30 payments), which "Run All Tests"
    // leaves out. Each runs only the items of its tag.
    this.controller.createRunProfile(l10n.t('Run'), vscode.TestRunProfileKind.Run, async (request, token) => {
      await this.run(request, token);
    }, true, SCENARIO_TAG);
    this.controller.createRunProfile(l10n.t('Run Test Card Matrix'), vscode.TestRunProfileKind.Run, async (request, token) => {
      if (request.include) await this.run(request, token);
    }, true, MATRIX_TAG);
    this.disposables.push(
      this.controller,
      this.diagnostics,
      // The JSON language service validates an open scenario against its schema (package.json's
      // jsonValidation): a line it already marks is not marked twice.
      vscode.languages.onDidChangeDiagnostics((e) => {
        for (const uri of e.uris) if (this.ownProblems.has(uri.toString())) this.showProblems(uri);
      }),
      this.changed,
      this.finished,
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (!this.discovery || !isScenarioUri(e.document.uri) || e.contentChanges.length === 0) return;
        const key = e.document.uri.toString();
        clearTimeout(this.pendingEdits.get(key));
        this.pendingEdits.set(key, setTimeout(() => {
          this.pendingEdits.delete(key);
          this.update(e.document.uri, e.document.getText());
        }, 300));
      }),
    );
  }

  // ------------------------------------------------------------------------------ discovery

  /** Whether the files had been looked for when activation finished (never: for tests). */
  discoveredAtActivation = false;

  /** Whether the workspace's files have been looked for yet (not at activation). */
  get discovered(): boolean {
    return this.discovery !== undefined;
  }

  /** Finds the workspace's scenario files (once) and starts following them. */
  discover(force = false): Promise<void> {
    if (this.discovery && !force) return this.discovery;
    const p = (async () => {
      this.addMatrix();
      if (!this.disposables.some((d) => d instanceof WatcherHolder)) {
        const watcher = vscode.workspace.createFileSystemWatcher(SCENARIO_GLOB);
        this.disposables.push(
          new WatcherHolder(watcher),
          watcher.onDidCreate((uri) => void this.updateFromDisk(uri)),
          watcher.onDidChange((uri) => void this.updateFromDisk(uri)),
          watcher.onDidDelete((uri) => this.remove(uri)),
        );
      }
      const uris = await vscode.workspace.findFiles(SCENARIO_GLOB, '**/node_modules/**', 2000);
      const seen = new Set(uris.map((u) => u.toString()));
      for (const [key, f] of this.files) if (!seen.has(key) && f.uri.scheme === 'file') this.remove(f.uri);
      await Promise.all(uris.map((u) => this.updateFromDisk(u)));
    })();
    this.discovery = p;
    p.catch((e) => this.log.warn(`Scenarios: could not list the workspace's scenario files: ${String(e)}`));
    return p;
  }

  private addMatrix(): void {
    if (this.matrixItem) return;
    const root = this.controller.createTestItem(MATRIX_ITEM_ID, l10n.t('Test card matrix (built-in)'));
    root.tags = [MATRIX_TAG];
    root.description = l10n.t('{0} cards and methods of the contract', this.engine().MATRIX_ROWS.length);
    root.sortText = '~';
    for (const [i, entry] of this.engine().matrixScenarios().entries()) {
      const item = this.controller.createTestItem(`${MATRIX_ITEM_ID}/${entry.row.id}`, entry.row.title);
      item.tags = [MATRIX_TAG];
      item.description = entry.row.documented;
      item.sortText = String(i).padStart(3, '0');
      root.children.add(item);
      this.matrixRows.set(item.id, entry);
    }
    this.controller.items.add(root);
    this.matrixItem = root;
  }

  /** The matrix's Testing-view item (made on first use). */
  matrix(): vscode.TestItem {
    this.addMatrix();
    return this.matrixItem!;
  }

  async updateFromDisk(uri: vscode.Uri): Promise<FileEntry | undefined> {
    if (!isScenarioUri(uri)) return undefined;
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open?.isDirty) return this.update(uri, open.getText());
    try {
      const bytes = await vscode.workspace.fs.readFile(uri);
      return this.update(uri, new TextDecoder().decode(bytes));
    } catch {
      this.remove(uri);
      return undefined;
    }
  }

  /** (Re)builds a file's items from its text. */
  update(uri: vscode.Uri, text: string): FileEntry {
    const key = uri.toString();
    let entry = this.files.get(key);
    const base = uri.path.slice(uri.path.lastIndexOf('/') + 1);
    const fallbackName = base.endsWith(SCENARIO_SUFFIX) ? base.slice(0, -SCENARIO_SUFFIX.length) : base;
    if (!entry) {
      const item = this.controller.createTestItem(key, fallbackName, uri);
      item.tags = [SCENARIO_TAG];
      item.description = vscode.workspace.asRelativePath(uri, true);
      this.controller.items.add(item);
      entry = { uri, item };
      this.files.set(key, entry);
    }
    const parsed = this.engine().parseScenario(text, { fallbackName });
    const item = entry.item;
    if (parsed.ok) {
      const s = parsed.scenario;
      entry.scenario = s;
      entry.problems = undefined;
      item.label = s.name;
      item.error = undefined;
      item.range = toRange(s.nameRange);
      item.children.replace(
        s.steps.map((step) => {
          const child = this.controller.createTestItem(`${key}#${step.index}`, step.label, uri);
          child.tags = [SCENARIO_TAG];
          child.range = toRange(step.range);
          child.sortText = String(step.index).padStart(4, '0');
          return child;
        }),
      );
      this.setProblems(uri, []);
    } else {
      entry.scenario = undefined;
      entry.problems = parsed.problems;
      item.label = fallbackName;
      item.range = toRange(parsed.problems[0]!.range);
      item.children.replace([]);
      item.error = new vscode.MarkdownString(parsed.problems.map((p) => `- ${md(this.engine().formatProblem(p))}`).join('\n'));
      this.setProblems(
        uri,
        parsed.problems.map((p) => {
          const d = new vscode.Diagnostic(toRange(p.range), p.path ? `${p.path}: ${p.message}` : p.message, vscode.DiagnosticSeverity.Error);
          d.source = PROBLEM_SOURCE;
          return d;
        }),
      );
    }
    this.changed.fire(uri);
    return entry;
  }

  /** How many problems the file has (all of them, also those the JSON schema marks already). */
  problemCount(uri: vscode.Uri): number {
    return this.ownProblems.get(uri.toString())?.length ?? 0;
  }

  private setProblems(uri: vscode.Uri, problems: vscode.Diagnostic[]): void {
    if (problems.length) this.ownProblems.set(uri.toString(), problems);
    else this.ownProblems.delete(uri.toString());
    this.showProblems(uri);
  }

  /**
   * Each mistake once in the Problems view: a problem of ours is left out where another source (the
   * JSON schema's validation of the open file) marks the same line; it is back when that one is gone.
   */
  private showProblems(uri: vscode.Uri): void {
    const ours = this.ownProblems.get(uri.toString()) ?? [];
    const marked = new Set(vscode.languages.getDiagnostics(uri).filter((d) => d.source !== PROBLEM_SOURCE).map((d) => d.range.start.line));
    const shown = ours.filter((d) => !marked.has(d.range.start.line));
    const keyOf = (ds: readonly vscode.Diagnostic[]): string => ds.map((d) => `${d.range.start.line}:${d.message}`).join('\n');
    // Only on a change: setting fires onDidChangeDiagnostics, which calls this again.
    if (keyOf(shown) !== keyOf(this.diagnostics.get(uri) ?? [])) this.diagnostics.set(uri, shown);
  }

  private remove(uri: vscode.Uri): void {
    const key = uri.toString();
    if (!this.files.delete(key)) return;
    this.controller.items.delete(key);
    this.ownProblems.delete(key);
    this.diagnostics.delete(uri);
    this.results.delete(key);
    this.changed.fire(uri);
  }

  /** The file's entry, read from its editor (unsaved text included) or the disk. */
  async entry(uri: vscode.Uri): Promise<FileEntry | undefined> {
    await this.discover();
    return this.updateFromDisk(uri);
  }

  // ------------------------------------------------------------------------------------ runs

  /** Runs what `request` includes: every scenario of the Testing view when it includes nothing. */
  async run(request: vscode.TestRunRequest, token: vscode.CancellationToken, options: RunOptions = {}): Promise<Map<string, ScenarioResult>> {
    await this.discover();
    const jobs = await this.jobsOf(request);
    const run = this.controller.createTestRun(request, jobs.length === 1 ? jobs[0]!.scenario?.name : undefined, true);
    const env = this.service.environment();
    const environment: RunEnvironment = { kind: env.kind, label: env.label, supportsSimulate: env.supportsSimulate };
    const recorded: RecordedRun = { states: new Map(), output: '', results: new Map(), environment: env.label, at: new Date().toISOString() };
    const report = recorder(run, recorded);
    const ac = new AbortController();
    const sub = token.onCancellationRequested(() => ac.abort());
    // A switch of environment stops the run: no step goes where its scenario was not checked for.
    let switched: string | undefined;
    const envSub = this.service.onDidChangeEnvironment((e) => {
      switched ??= e.label;
      ac.abort();
    });
    const port = servicePort(this.service, this.inbox);
    const scenarioPort = this.engine().markedPort(port, 'scenario');
    const matrixPort = this.engine().markedPort(port, 'matrix');
    let done = 0;
    try {
      for (const job of jobs) {
        report.enqueued(job.item);
        for (const s of job.steps) if (s) report.enqueued(s);
      }
      await this.engine().runWithLimit(jobs, this.engine().SCENARIO_CONCURRENCY, async (job) => {
        const result = await this.runJob(job, report, environment, ac.signal, this.matrixRows.has(job.item.id) ? matrixPort : scenarioPort, options, () => switched);
        if (result) {
          this.results.set(job.key, result);
          recorded.results.set(job.key, result);
        }
        options.onScenarioDone?.(++done, jobs.length);
      });
      // The matrix's payments left waiting (a customer's step, a capture) are cancelled: nobody will finish them.
      if (!switched) await this.cancelLeftovers(jobs.filter((j) => this.matrixRows.has(j.item.id)).map((j) => recorded.results.get(j.key)), port);
    } finally {
      sub.dispose();
      envSub.dispose();
      run.end();
    }
    if (jobs.some((j) => this.matrixRows.has(j.item.id))) this.lastMatrix = { environment: env.label, at: recorded.at };
    this.lastRun = recorded;
    this.finished.fire(recorded);
    return recorded.results;
  }

  /** Cancels the matrix's payments left waiting (the engine's cancelLeftovers); a failure is logged. */
  private async cancelLeftovers(results: readonly (ScenarioResult | undefined)[], port: ReturnType<typeof servicePort>): Promise<void> {
    const n = await this.engine().cancelLeftovers(results, port, (m) => this.log.warn(m));
    if (n) this.log.info(`Test card matrix: cancelled ${n} payment(s) left waiting by the run`);
  }

  /** Runs a file's scenario from the editor (CodeLens, palette): its result. */
  async runFile(uri: vscode.Uri): Promise<ScenarioResult | undefined> {
    const entry = await this.entry(uri);
    if (!entry) return undefined;
    const cts = new vscode.CancellationTokenSource();
    try {
      const results = await this.run(new vscode.TestRunRequest([entry.item]), cts.token);
      return results.get(entry.uri.toString());
    } finally {
      cts.dispose();
    }
  }

  private async jobsOf(request: vscode.TestRunRequest): Promise<Job[]> {
    const excluded = new Set((request.exclude ?? []).map((i) => i.id));
    const roots: vscode.TestItem[] = [];
    if (request.include) roots.push(...request.include);
    else this.controller.items.forEach((i) => roots.push(i));
    const jobs = new Map<string, Job>();
    const addRow = (item: vscode.TestItem): void => {
      const entry = this.matrixRows.get(item.id);
      if (entry && !excluded.has(item.id)) jobs.set(item.id, { key: entry.row.id, item, scenario: entry.scenario, steps: [] });
    };
    for (const item of roots) {
      if (excluded.has(item.id)) continue;
      // "Run All" (nothing included) runs the workspace's scenarios; the matrix runs when asked for.
      if (item.id === MATRIX_ITEM_ID && !request.include) continue;
      if (item.id === MATRIX_ITEM_ID) {
        item.children.forEach(addRow);
        continue;
      }
      if (this.matrixRows.has(item.id)) {
        addRow(item);
        continue;
      }
      // A step runs with its whole scenario (it depends on the steps before it).
      const fileItem = item.parent ?? item;
      if (excluded.has(fileItem.id) || jobs.has(fileItem.id) || !fileItem.uri) continue;
      const entry = await this.updateFromDisk(fileItem.uri);
      if (!entry) continue;
      const steps: (vscode.TestItem | undefined)[] = [];
      entry.item.children.forEach((c) => {
        const i = Number(c.id.slice(c.id.lastIndexOf('#') + 1));
        steps[i] = c;
      });
      jobs.set(entry.item.id, { key: entry.item.id, item: entry.item, scenario: entry.scenario, steps, uri: entry.uri, problems: entry.problems });
    }
    // The matrix's rows are scenarios of their own; the order of the view is kept.
    return [...jobs.values()].filter((j) => !(j.item.parent && excluded.has(j.item.parent.id)));
  }

  private async runJob(
    job: Job,
    report: Reporter,
    environment: RunEnvironment,
    signal: AbortSignal,
    port: ReturnType<typeof servicePort>,
    options: RunOptions,
    switchedTo: () => string | undefined,
  ): Promise<ScenarioResult | undefined> {
    const lines: string[] = [];
    const out = (s: string): void => {
      lines.push(s);
    };
    const flush = (): void => report.output(lines.join('\r\n') + '\r\n', job.item);
    if (!job.scenario) {
      const problems = job.problems ?? [];
      const m = new vscode.TestMessage(
        `${problems.length === 1 ? l10n.t('The scenario file has a problem:') : l10n.t('The scenario file has {0} problems:', problems.length)}\n${problems.map(this.engine().formatProblem).join('\n')}`,
      );
      if (job.uri && problems[0]) m.location = new vscode.Location(job.uri, toRange(problems[0].range));
      report.errored(job.item, [m]);
      out(`✗ ${l10n.t('{0}: not run, the file has problems ({1})', job.item.label, problems.map(this.engine().formatProblem).join('; '))}`);
      flush();
      return undefined;
    }
    const scenario = job.scenario;
    report.started(job.item);
    out(`▶ ${scenario.name} — ${environment.label}`);
    const result = await this.engine().runScenario(scenario, port, {
      environment,
      signal,
      allowCustom: options.allowCustom,
      onStep: (e) => {
        const item = job.steps[e.step.index];
        if (e.type === 'start') {
          if (item) report.started(item);
          return;
        }
        const r = e.result;
        for (const line of this.engine().stepLines(r, (code) => l10n.t('refused as expected: {0}', code))) out(line);
        if (!item) return;
        if (r.outcome === 'passed') report.passed(item, r.durationMs);
        else if (r.outcome === 'failed') report.failed(item, this.failureMessages(r, job), r.durationMs);
        else report.skipped(item);
      },
      // Plain text (the output cannot hold links): the failure messages link to the inspector.
      onPayment: (id) => out(`  ${l10n.t('payment {0}', id)}`),
    });
    // Steps never started (after a failure, a refusal or a cancel).
    for (const r of result.steps) {
      const item = job.steps[r.index];
      if (item && r.outcome === 'skipped' && report.state(item) !== 'skipped') report.skipped(item);
    }
    if (result.outcome === 'passed') {
      report.passed(job.item, result.durationMs);
      out(`✓ ${l10n.t('passed in {0} ms', result.durationMs)}`);
    } else if (result.outcome === 'failed') {
      const failed = result.steps.find((s) => s.outcome === 'failed')!;
      // The file's own message is the diff (the peek opens on it); the answer is with the step's.
      report.failed(job.item, this.failureMessages(failed, job, false), result.durationMs);
      out(`✗ ${l10n.t('failed at step {0}', failed.label)}`);
    } else if (result.outcome === 'refused') {
      report.errored(job.item, [new vscode.TestMessage(result.message ?? l10n.t('Not run.'))]);
      out(`✗ ${result.message}`);
    } else {
      const to = switchedTo();
      if (to !== undefined) {
        result.message = l10n.t('Stopped: the environment changed to {0} during the run (the steps left were not sent).', to);
        report.errored(job.item, [new vscode.TestMessage(result.message)]);
        out(`✗ ${result.message}`);
      } else {
        report.skipped(job.item);
        out(`– ${l10n.t('cancelled')}`);
      }
    }
    if (result.payments.length) out(`  ${l10n.t('payments made: {0}', result.payments.join(', '))}`);
    flush();
    return result;
  }

  /**
   * The messages of a failed step: what was expected and what came back (a diff, at the line of the
   * field that did not match), then the answer (redacted) with a link to the payment's inspector.
   */
  private failureMessages(r: StepResult, job: Job, withAnswer = true): vscode.TestMessage[] {
    const title = new vscode.MarkdownString(md(r.message ?? l10n.t('Step {0} failed.', r.label)));
    const first = r.expected !== undefined && r.actual !== undefined ? vscode.TestMessage.diff(title, r.expected, r.actual) : new vscode.TestMessage(title);
    const messages = [first];
    if (withAnswer && (r.paymentId || r.answer !== undefined)) {
      const answer = new vscode.MarkdownString(undefined, true);
      answer.isTrusted = { enabledCommands: [INSPECT] };
      if (r.paymentId) answer.appendMarkdown(`${l10n.t('Payment [{0}]({1}) (open its inspector).', md(r.paymentId), inspectLink(r.paymentId))} `);
      if (r.answer !== undefined) {
        answer.appendMarkdown(`${l10n.t('The answer to step {0} (redacted):', md(r.label))}\n`);
        answer.appendCodeblock(JSON.stringify(r.answer, null, 2), 'json');
      }
      messages.push(new vscode.TestMessage(answer));
    }
    const step = job.scenario?.steps[r.index];
    const range = r.range ?? step?.range;
    // The diff points at the field that did not match; the answer, at the step.
    if (job.uri && range) first.location = new vscode.Location(job.uri, toRange(range));
    if (job.uri && step && messages[1]) messages[1].location = new vscode.Location(job.uri, toRange(step.range));
    return messages;
  }

  dispose(): void {
    for (const t of this.pendingEdits.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}

class WatcherHolder implements vscode.Disposable {
  constructor(private readonly watcher: vscode.FileSystemWatcher) {}
  dispose(): void {
    this.watcher.dispose();
  }
}

export function isScenarioUri(uri: vscode.Uri): boolean {
  return uri.path.endsWith(SCENARIO_SUFFIX);
}

interface Reporter {
  enqueued(item: vscode.TestItem): void;
  started(item: vscode.TestItem): void;
  passed(item: vscode.TestItem, ms?: number): void;
  failed(item: vscode.TestItem, messages: vscode.TestMessage[], ms?: number): void;
  errored(item: vscode.TestItem, messages: vscode.TestMessage[]): void;
  skipped(item: vscode.TestItem): void;
  output(text: string, item: vscode.TestItem): void;
  state(item: vscode.TestItem): RecordedState['state'] | undefined;
}

/** Reports to the TestRun and keeps a copy (the extension's tests read it). */
function recorder(run: vscode.TestRun, rec: RecordedRun): Reporter {
  const set = (item: vscode.TestItem, state: RecordedState['state'], messages: vscode.TestMessage[] = []): void => {
    rec.states.set(item.id, {
      state,
      messages: messages.map((m) => ({
        message: typeof m.message === 'string' ? m.message : m.message.value,
        expected: m.expectedOutput,
        actual: m.actualOutput,
        line: m.location?.range.start.line,
        uri: m.location?.uri.toString(),
      })),
    });
  };
  return {
    enqueued: (i) => (run.enqueued(i), set(i, 'enqueued')),
    started: (i) => (run.started(i), set(i, 'started')),
    passed: (i, ms) => (run.passed(i, ms), set(i, 'passed')),
    failed: (i, m, ms) => (run.failed(i, m, ms), set(i, 'failed', m)),
    errored: (i, m) => (run.errored(i, m), set(i, 'errored', m)),
    skipped: (i) => (run.skipped(i), set(i, 'skipped')),
    output: (text, item) => {
      run.appendOutput(text, undefined, item);
      rec.output += text;
    },
    state: (i) => rec.states.get(i.id)?.state,
  };
}

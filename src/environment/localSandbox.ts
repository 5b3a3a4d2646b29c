/**
 * The local sandbox's lifecycle: started in-process on a loopback port on first use, with a random
 * key made here (not logged, not shown), and stopped on dispose (deactivate) or restart (a new seed).
 *
 * Several windows share one sandbox: the window that starts it (its owner) writes its URL and keys
 * in `local-sandbox.lock` in global storage (mode 0600, written atomically; src/sandbox/lock.ts); another
 * window finds it, checks that it answers to that key, and uses it instead of starting its own. A lock
 * whose process is gone or whose sandbox does not answer is stale: the window starts its own and takes
 * the lock over. Claiming, and the owner's last save with the lock's removal, happen under a lock
 * between windows (`local-sandbox.lock.claim`, src/environment/fileLock.ts), so a window that takes
 * over after the owner closed finds its payments saved. Only the owner saves `local-sandbox.json`.
 *
 * Its payments outlive the window: the sandbox's snapshot is kept in the extension's global
 * storage (`local-sandbox.json`), written about a second after a change and when the sandbox
 * stops, and read when it next starts (never at activation). It starts on the port it had last
 * time when that port is free (so URLs copied from it keep working), on a free one otherwise.
 * A snapshot made with another seed setting, or `reset()`, means a fresh seeded sandbox; an
 * unreadable one is set aside as `local-sandbox.json.corrupt-<time>` (as the sandbox's --snapshot does).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { withFileLock } from './fileLock';
import type { RunningSandbox, SandboxOptions, SandboxSnapshot } from '../sandbox/types';
import type { RuntimeLoader } from './runtime';

export interface LocalSandboxHandle {
  url: string;
  apiKey: string;
  /** The sandbox's own publishable key (made at each start, like the secret key). */
  publishableKey: string;
  /** Whether it is another window's sandbox (found through the lock file). */
  shared: boolean;
}

export const SNAPSHOT_FILE = 'local-sandbox.json';
export const LOCK_FILE = 'local-sandbox.lock';
/** How long a window waits for a shared sandbox to answer before taking it for gone. */
const ALIVE_TIMEOUT_MS = 2000;
const FILE_FORMAT = 'perfectpay-local-sandbox';
const FILE_VERSION = 1;

/** What `local-sandbox.json` holds. The API key is not in it: each start makes a new one. */
interface SavedSandbox {
  format: typeof FILE_FORMAT;
  version: typeof FILE_VERSION;
  /** The `perfectpay.localSandbox.seed` it was started with (another seed: not restored). */
  seed: number;
  /** The port it listened on (tried first next time). */
  port: number;
  savedAt: string;
  /** `RunningSandbox.snapshot()`, checked by the sandbox itself when restored. */
  snapshot: SandboxSnapshot;
  /**
   * The newest payments as `GET /payments/list` answered them when saved: what the Payments view shows
   * while the sandbox starts again (untrusted: the view checks each row). Absent in older files.
   */
  firstPage?: unknown[];
}

/** How many of the newest payments are kept for the view's first page (the largest page size). */
const FIRST_PAGE_KEPT = 100;

export interface LocalSandboxOptions {
  /** Where the snapshot is kept (the extension's `globalStorageUri`); none: nothing is kept. */
  storageUri?: vscode.Uri;
  /** Delay between a change and its save. Default 1000 ms. */
  saveDelayMs?: number;
  /** Called when it is stopped or reset (its URL and key are no longer valid). */
  onStopped?: () => void;
  /** Called when it has started (`handle` is its URL and keys). */
  onStarted?: () => void;
  /** Its webhook settings, read at each start: the secret (kept in SecretStorage) and the URL last set. */
  webhooks?: () => Promise<{ secret: string; url: string | null }>;
}

/** What reading the saved file gave: the sandbox, nothing (no file), or what was wrong with it. */
interface SavedRead {
  saved?: SavedSandbox;
  /** The file's modification time when read (a local file only). */
  mtimeMs?: number;
  problem?: { kind: 'io' | 'unreadable'; text: string };
}

interface Started {
  /** This window's own sandbox; none when it uses another window's. */
  running?: RunningSandbox;
  handle: LocalSandboxHandle;
  seed: number;
}

export class LocalSandbox implements vscode.Disposable {
  private starting: Promise<Started> | undefined;
  private running: RunningSandbox | undefined;
  /** Another window's sandbox, while this window uses it. */
  private shared: LocalSandboxHandle | undefined;
  /** The stops under way (their final save included): a start waits for them. */
  private stopping: Promise<void> = Promise.resolve();
  /** File operations, one at a time, in order. */
  private io: Promise<unknown> = Promise.resolve();
  private saveTimer: NodeJS.Timeout | undefined;
  /** The saved file as last read (see savedFile). */
  private lastRead: Promise<SavedRead> | undefined;
  private lastPort: number | undefined;
  private readonly file: vscode.Uri | undefined;
  /** The lock file, when the storage is a local folder (other windows can share the sandbox). */
  private readonly lockPath: string | undefined;
  private readonly saveDelayMs: number;
  private readonly onStopped: (() => void) | undefined;
  private readonly onStarted: (() => void) | undefined;
  private readonly webhooks: LocalSandboxOptions['webhooks'];
  /** The running sandbox's URL and keys. */
  private started: Started | undefined;
  /** Counts stops: a start that a stop overtook does not make itself the running one. */
  private halts = 0;
  /** Saves done (for tests). */
  saves = 0;

  constructor(
    private readonly loadRuntime: RuntimeLoader,
    private readonly log: vscode.LogOutputChannel,
    options: LocalSandboxOptions = {},
  ) {
    this.file = options.storageUri ? vscode.Uri.joinPath(options.storageUri, SNAPSHOT_FILE) : undefined;
    this.lockPath = options.storageUri?.scheme === 'file' ? vscode.Uri.joinPath(options.storageUri, LOCK_FILE).fsPath : undefined;
    this.saveDelayMs = options.saveDelayMs ?? 1000;
    this.onStopped = options.onStopped;
    this.onStarted = options.onStarted;
    this.webhooks = options.webhooks;
  }

  /** The running sandbox (tests use it to inject faults). */
  get instance(): RunningSandbox | undefined {
    return this.running;
  }

  /** The running sandbox's URL (this window's or the shared one), if it is running. */
  get url(): string | undefined {
    return this.running?.url ?? this.shared?.url;
  }

  /** Whether this window uses another window's sandbox. */
  get isShared(): boolean {
    return this.shared !== undefined;
  }

  /** The running sandbox's URL and keys, if it is running. */
  get handle(): LocalSandboxHandle | undefined {
    return this.started?.handle;
  }

  /** Where the snapshot is kept, if anywhere. */
  get snapshotUri(): vscode.Uri | undefined {
    return this.file;
  }

  /**
   * The first page as the sandbox answered it when last saved, for the view to show while the sandbox
   * starts: only before it has started, and only for the same seed (another seed discards the file).
   * Reads the file only: neither the runtime nor the sandbox is loaded for it.
   */
  async lastFirstPage(seed: number): Promise<unknown[] | undefined> {
    if (this.url || !this.file) return undefined;
    const { saved } = await this.savedFile();
    if (!saved || saved.seed !== seed || !Array.isArray(saved.firstPage)) return undefined;
    return saved.firstPage;
  }

  /** Starts it once (concurrent callers share the start); a failed start is retried next time. */
  async ensure(seed: number): Promise<LocalSandboxHandle> {
    if (!this.starting) {
      const attempt = this.start(seed);
      this.starting = attempt;
      attempt.catch(() => {
        if (this.starting === attempt) this.starting = undefined;
      });
    }
    return (await this.starting).handle;
  }

  /**
   * The shared sandbox this window used is gone (its window closed, or it restarted with new keys):
   * forgotten, so that the next `ensure` finds the next one or starts this window's own.
   */
  forgetShared(handle: LocalSandboxHandle): void {
    if (!this.shared || this.shared.apiKey !== handle.apiKey) return;
    this.log.info(`Local sandbox: the one shared on ${handle.url} is gone; this window takes over`);
    this.shared = undefined;
    this.started = undefined;
    this.starting = undefined;
  }

  /** Another window's sandbox if one answers, else this window's own (the lock taken over). */
  private async start(seed: number): Promise<Started> {
    const halts = this.halts;
    await this.stopping;
    const lockPath = this.lockPath;
    const started = !lockPath
      ? await this.startOwn(seed, halts)
      : await withFileLock(`${lockPath}.claim`, async () => {
          const found = await this.findShared(lockPath, seed);
          if (found) {
            if (halts === this.halts) this.shared = found;
            return { handle: found, seed };
          }
          // Read again if another window saved since this one read the file (for the view's first page).
          const read = this.lastRead && (await this.lastRead);
          if (read && read.mtimeMs !== (await fileTime(this.file))) this.lastRead = undefined;
          const own = await this.startOwn(seed, halts);
          await this.writeLock(lockPath, own);
          return own;
        });
    // A start that a stop overtook does not make itself the running one.
    if (halts === this.halts) {
      this.started = started;
      this.onStarted?.();
    }
    return started;
  }

  private async startOwn(seed: number, halts: number): Promise<Started> {
    const t0 = Date.now();
    const apiKey = `sk_local_${randomBytes(24).toString('hex')}`;
    const saved = await this.takeSaved();
    let restore: SandboxSnapshot | undefined;
    if (saved && saved.seed !== seed) {
      this.log.info(
        `Local sandbox: the seed setting changed (${saved.seed} → ${seed}): starting from the seed; the payments of the last session are discarded`,
      );
      await this.queue(() => this.remove());
    } else if (saved) {
      restore = saved.snapshot;
    }
    let self: RunningSandbox | undefined;
    const webhooks = await this.webhooks?.();
    const options: SandboxOptions = {
      ...(webhooks ? { webhooks } : {}),
      host: '127.0.0.1',
      apiKey,
      seed,
      restore,
      // The sandbox logs no key; the split is a second lock on that door.
      log: (line) => this.log.trace(`[sandbox] ${line.split(apiKey).join('[redacted]')}`),
      onChange: () => {
        if (self && this.running === self) this.scheduleSave();
      },
    };
    const runtime = this.loadRuntime();
    const port = saved?.port ?? this.lastPort;
    let running: RunningSandbox;
    if (port) {
      try {
        running = await runtime.startSandbox({ ...options, port });
      } catch (e) {
        this.log.info(`Local sandbox: port ${port} (last session's) is not available (${errorText(e)}): using a free port`);
        running = await runtime.startSandbox({ ...options, port: 0 });
      }
    } else {
      running = await runtime.startSandbox({ ...options, port: 0 });
    }
    self = running;
    const current = halts === this.halts;
    if (current) this.running = running;
    this.lastPort = running.port;
    const ms = Date.now() - t0;
    if (running.restoreProblem) {
      this.log.warn(`Local sandbox: the saved payments could not be restored (${running.restoreProblem}); starting from the seed`);
    }
    if (running.startedFrom === 'snapshot') {
      const moved = restore && restore.origin !== running.url ? ` (was ${restore.origin})` : '';
      this.log.info(
        `Local sandbox started on ${running.url}${moved}: restored ${running.paymentCount()} payment(s) saved ${saved?.savedAt ?? ''} (${ms} ms)`,
      );
    } else {
      this.log.info(`Local sandbox started on ${running.url} with ${seed} demo payments (${ms} ms)`);
      // Saved once at once: the next window shows these payments while its sandbox starts.
      this.scheduleSave();
    }
    return { running, handle: { url: running.url, apiKey, publishableKey: running.publishableKey, shared: false }, seed };
  }

  // ------------------------------------------------------------------------------ sharing

  /** The sandbox of the lock file, if it is another window's that answers to its key with the same seed. */
  private async findShared(lockPath: string, seed: number): Promise<LocalSandboxHandle | undefined> {
    let text: string;
    try {
      text = await readFile(lockPath, 'utf8');
    } catch (e) {
      if (!isNotFound(e)) this.log.warn(`Local sandbox: could not read ${lockPath} (${errorText(e)})`);
      return undefined;
    }
    const { lock, problem } = this.loadRuntime().parseSandboxLock(text);
    if (!lock) {
      this.log.warn(`Local sandbox: ${lockPath} is not a lock this version wrote (${problem}): starting this window's own`);
      return undefined;
    }
    if (lock.seed !== seed) {
      this.log.info(`Local sandbox: the one on ${lock.url} has another seed (${lock.seed}): starting this window's own`);
      return undefined;
    }
    if (!processAlive(lock.pid) || !(await answers(lock.url, lock.apiKey))) {
      this.log.info(`Local sandbox: the one on ${lock.url} (process ${lock.pid}) is gone: starting this window's own`);
      return undefined;
    }
    this.log.info(`Local sandbox: using the one another window started on ${lock.url}`);
    return { url: lock.url, apiKey: lock.apiKey, publishableKey: lock.publishableKey, shared: true };
  }

  /** Writes the lock of this window's sandbox: mode 0600 (it holds the keys), atomically. */
  private async writeLock(lockPath: string, started: Started): Promise<void> {
    const lock = this.loadRuntime().makeSandboxLock({
      pid: process.pid,
      url: started.handle.url,
      apiKey: started.handle.apiKey,
      publishableKey: started.handle.publishableKey,
      seed: started.seed,
      startedAt: new Date().toISOString(),
    });
    const tmp = `${lockPath}.${process.pid}.tmp`;
    try {
      await rm(tmp, { force: true });
      await writeFile(tmp, JSON.stringify(lock), { encoding: 'utf8', mode: 0o600 });
      await rename(tmp, lockPath);
    } catch (e) {
      this.log.warn(`Local sandbox: could not write ${lockPath} (${errorText(e)}): other windows start their own`);
    }
  }

  /** Removes the lock if it is still this sandbox's (another window may have taken it over). */
  private async releaseLock(started: Started): Promise<void> {
    if (!this.lockPath) return;
    try {
      const { lock } = this.loadRuntime().parseSandboxLock(await readFile(this.lockPath, 'utf8'));
      if (lock?.apiKey === started.handle.apiKey) await rm(this.lockPath, { force: true });
    } catch (e) {
      if (!isNotFound(e)) this.log.warn(`Local sandbox: could not remove ${this.lockPath} (${errorText(e)})`);
    }
  }

  /** Stops it (if started), saving its payments first; the next `ensure` starts it again, restored. */
  stop(): Promise<void> {
    return this.halt(true);
  }

  /** Discards its payments (the running sandbox and the snapshot): the next `ensure` starts from the seed. */
  reset(): Promise<void> {
    return this.halt(false);
  }

  private halt(keep: boolean): Promise<void> {
    const starting = this.starting;
    this.starting = undefined;
    this.running = undefined;
    this.shared = undefined;
    this.started = undefined;
    this.halts++;
    this.cancelSave();
    if (starting) this.onStopped?.();
    const done = (async () => {
      if (starting) {
        try {
          const started = await starting;
          const running = started.running;
          if (!running) {
            // Another window's: it goes on; this window no longer uses it.
            this.log.info(`Local sandbox: this window stops using the one on ${started.handle.url}`);
            if (!keep) this.log.warn('Local sandbox: its payments are kept: the window that started it resets it');
            return;
          }
          // Closed, saved and unlocked at one go: a window taking over meanwhile finds the payments saved.
          const stopOwn = async (): Promise<void> => {
            await running.close();
            if (keep) await this.queue(() => this.write(started));
            await this.releaseLock(started);
          };
          await (this.lockPath ? withFileLock(`${this.lockPath}.claim`, stopOwn) : stopOwn());
          this.log.info(keep ? `Local sandbox stopped (${running.paymentCount()} payment(s) kept)` : 'Local sandbox stopped');
        } catch {
          // It never started, or is already closed.
        }
      }
      if (!keep) {
        await this.queue(() => this.remove());
        this.log.info('Local sandbox reset: its payments are discarded; it starts again from the seed');
      }
    })();
    const previous = this.stopping;
    this.stopping = Promise.all([previous, done]).then(() => undefined);
    return this.stopping;
  }

  /** Saves the running sandbox now (what the debounced save does). */
  async save(): Promise<void> {
    this.cancelSave();
    const started = this.starting && (await this.starting.catch(() => undefined));
    if (started?.running && this.running === started.running) await this.queue(() => this.write(started));
  }

  private scheduleSave(): void {
    if (this.saveTimer || !this.file) return;
    // Not reset by later changes: a busy sandbox is still saved once a second.
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      void this.save();
    }, this.saveDelayMs);
  }

  private cancelSave(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
  }

  dispose(): void {
    void this.stop();
  }

  // ----------------------------------------------------------------------------------- file

  private queue<T>(task: () => Promise<T>): Promise<T> {
    const result = this.io.then(task, task);
    this.io = result.catch(() => undefined);
    return result;
  }

  /**
   * The saved file, read once and shared: the view's preview (lastFirstPage) and the start that follows
   * it use the same read. A write or a removal forgets it; a start takes it (the next start reads again).
   */
  private savedFile(): Promise<SavedRead> {
    return (this.lastRead ??= this.queue(() => this.readSaved()));
  }

  /** Reads and checks the saved file; says what went wrong rather than acting on it (see start). */
  private async readSaved(): Promise<SavedRead> {
    if (!this.file) return {};
    let text: string;
    const mtimeMs = await fileTime(this.file);
    try {
      text = await readText(this.file);
    } catch (e) {
      return isNotFound(e) ? {} : { problem: { kind: 'io', text: errorText(e) } };
    }
    try {
      const o = JSON.parse(text) as Partial<SavedSandbox> | null;
      if (!o || typeof o !== 'object' || o.format !== FILE_FORMAT) throw new Error('not a saved local sandbox');
      if (o.version !== FILE_VERSION) throw new Error(`version ${String(o.version)} is not ${FILE_VERSION}`);
      if (typeof o.seed !== 'number' || !o.snapshot || typeof o.snapshot !== 'object') throw new Error('seed or snapshot missing');
      const port = typeof o.port === 'number' && Number.isInteger(o.port) && o.port > 0 && o.port < 65536 ? o.port : 0;
      return { saved: { ...(o as SavedSandbox), port }, mtimeMs };
    } catch (e) {
      return { problem: { kind: 'unreadable', text: errorText(e) } };
    }
  }

  /** The saved sandbox a start restores, or undefined (none, or unreadable: a warning, and the seed it is). */
  private async takeSaved(): Promise<SavedSandbox | undefined> {
    const { saved, problem } = await this.savedFile();
    this.lastRead = undefined;
    if (!problem || !this.file) return saved;
    if (problem.kind === 'io') {
      this.log.warn(`Local sandbox: could not read ${this.file.fsPath} (${problem.text}); starting from the seed`);
      return undefined;
    }
    // Set aside, as the sandbox's own --snapshot does: the next save must not overwrite what a person
    // may still want to look at or mend.
    let aside = '';
    if (this.file.scheme === 'file') {
      try {
        aside = ` (kept as ${await this.loadRuntime().setAsideSnapshotFile(this.file.fsPath, Date.now())})`;
      } catch {
        // Gone meanwhile, or not writable: the warning says it all.
      }
    }
    this.log.warn(`Local sandbox: the saved payments in ${this.file.fsPath} are unreadable (${problem.text}); starting from the seed${aside}`);
    return undefined;
  }

  private async write(started: Started): Promise<void> {
    this.lastRead = undefined;
    if (!this.file || !started.running) return;
    try {
      const snapshot = started.running.snapshot();
      const saved: SavedSandbox = {
        format: FILE_FORMAT,
        version: FILE_VERSION,
        seed: started.seed,
        port: started.running.port,
        savedAt: new Date().toISOString(),
        snapshot,
        firstPage: started.running.firstPage(FIRST_PAGE_KEPT),
      };
      await writeText(this.file, JSON.stringify(saved));
      this.saves++;
      this.log.trace(`Local sandbox: ${snapshot.payments.length} payment(s) saved to ${this.file.fsPath}`);
    } catch (e) {
      this.log.warn(`Local sandbox: could not save its payments to ${this.file.fsPath} (${errorText(e)})`);
    }
  }

  private async remove(): Promise<void> {
    this.lastRead = undefined;
    if (!this.file) return;
    try {
      if (this.file.scheme === 'file') await rm(this.file.fsPath, { force: true });
      else await vscode.workspace.fs.delete(this.file);
    } catch (e) {
      if (!isNotFound(e)) this.log.warn(`Local sandbox: could not delete ${this.file.fsPath} (${errorText(e)})`);
    }
  }
}

// Node's fs for file URIs (also works while the extension host shuts down), VS Code's otherwise.

async function readText(uri: vscode.Uri): Promise<string> {
  if (uri.scheme === 'file') return readFile(uri.fsPath, 'utf8');
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

async function writeText(uri: vscode.Uri, text: string): Promise<void> {
  const dir = vscode.Uri.joinPath(uri, '..');
  if (uri.scheme === 'file') {
    await mkdir(dir.fsPath, { recursive: true });
    // A temporary file renamed over the old one: a reader never sees half a file.
    const tmp = `${uri.fsPath}.${process.pid}.tmp`;
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, uri.fsPath);
    return;
  }
  await vscode.workspace.fs.createDirectory(dir);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
}

/** A local file's modification time (undefined: none, or not a local file). */
async function fileTime(uri: vscode.Uri | undefined): Promise<number | undefined> {
  if (uri?.scheme !== 'file') return undefined;
  return stat(uri.fsPath).then((s) => s.mtimeMs, () => undefined);
}

/** Whether a process runs (one of another user, that may not be signalled, runs too). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: unknown }).code === 'EPERM';
  }
}

/** Whether a local sandbox answers on `url` to `apiKey` (one small list). */
async function answers(url: string, apiKey: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/payments/list?limit=1`, { headers: { 'api-key': apiKey }, signal: AbortSignal.timeout(ALIVE_TIMEOUT_MS) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

function isNotFound(e: unknown): boolean {
  return (
    (e as { code?: unknown })?.code === 'ENOENT' ||
    (e instanceof vscode.FileSystemError && e.code === 'FileNotFound')
  );
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

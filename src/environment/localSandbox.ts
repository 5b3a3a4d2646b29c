/**
 * The local sandbox's lifecycle: started in-process on a free loopback port on first use, with a
 * random key made here that never leaves memory (not stored, not logged, not shown), seeded with
 * demo payments, and stopped on dispose (deactivate) or restart (a new seed).
 */
import { randomBytes } from 'node:crypto';
import type * as vscode from 'vscode';
import type { RunningSandbox } from '../sandbox/types';
import type { RuntimeLoader } from '../services/runtime';

export interface LocalSandboxHandle {
  url: string;
  apiKey: string;
}

export class LocalSandbox implements vscode.Disposable {
  private starting: Promise<{ running: RunningSandbox; apiKey: string }> | undefined;
  private running: RunningSandbox | undefined;

  constructor(
    private readonly loadRuntime: RuntimeLoader,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** The running sandbox (tests use it to inject faults). */
  get instance(): RunningSandbox | undefined {
    return this.running;
  }

  /** The running sandbox's URL, if it is running. */
  get url(): string | undefined {
    return this.running?.url;
  }

  /** Starts it once (concurrent callers share the start); a failed start is retried next time. */
  async ensure(seed: number): Promise<LocalSandboxHandle> {
    if (!this.starting) {
      const apiKey = `sk_local_${randomBytes(24).toString('hex')}`;
      const attempt = (async () => {
        const t0 = Date.now();
        const running = await this.loadRuntime().startSandbox({
          port: 0,
          host: '127.0.0.1',
          apiKey,
          seed,
          // The sandbox logs no key; the split is a second lock on that door.
          log: (line) => this.log.trace(`[sandbox] ${line.split(apiKey).join('[redacted]')}`),
        });
        this.running = running;
        this.log.info(`Local sandbox started on ${running.url} with ${seed} demo payments (${Date.now() - t0} ms)`);
        return { running, apiKey };
      })();
      this.starting = attempt;
      attempt.catch(() => {
        if (this.starting === attempt) this.starting = undefined;
      });
    }
    const { running, apiKey } = await this.starting;
    return { url: running.url, apiKey };
  }

  /** Stops it (if started); the next `ensure` starts a fresh one. */
  async stop(): Promise<void> {
    const starting = this.starting;
    this.starting = undefined;
    this.running = undefined;
    if (!starting) return;
    try {
      const { running } = await starting;
      await running.close();
      this.log.info('Local sandbox stopped');
    } catch {
      // It never started, or is already closed.
    }
  }

  dispose(): void {
    void this.stop();
  }
}

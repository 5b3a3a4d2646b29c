/**
 * Persistence of what the extension has seen of each payment (the inspector's timeline), in a JSON
 * file under the extension's globalStorageUri (it survives a reload, and does not weigh on the global
 * state that VS Code loads for every window). Loaded on first use, saved a moment after a change (one
 * write for a burst of answers), capped: the most recently seen payments, and a size in bytes.
 */
import * as vscode from 'vscode';
import { appendObservation, type PaymentObservation } from '../model/history';

export const HISTORY_FILE = 'history.json';
export const MAX_PAYMENTS = 300;
/** The file never grows past this: the least recently seen payments are dropped first. */
export const MAX_HISTORY_BYTES = 2_000_000;
const SAVE_DELAY_MS = 400;
/** Where 0.1.0 kept the history (moved to the file on first load). */
const LEGACY_STATE_KEY = 'perfectpay.history.v1';

type Stored = Record<string, PaymentObservation[]>;

export class HistoryStore {
  /** Insertion order = recency (re-inserted on every change). */
  private map = new Map<string, PaymentObservation[]>();
  private loading: Promise<void> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly storageUri: vscode.Uri | undefined,
    private readonly legacy: vscode.Memento | undefined,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  private get file(): vscode.Uri | undefined {
    return this.storageUri && vscode.Uri.joinPath(this.storageUri, HISTORY_FILE);
  }

  /** Reads the file once; what was added before it finished is kept on top. */
  load(): Promise<void> {
    return (this.loading ??= this.read());
  }

  private async read(): Promise<void> {
    let stored: Stored = {};
    const file = this.file;
    if (file) {
      try {
        const bytes = await vscode.workspace.fs.readFile(file);
        const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) stored = parsed as Stored;
      } catch (e) {
        if (!(e instanceof vscode.FileSystemError && e.code === 'FileNotFound')) this.log.warn(`History file unreadable, starting afresh: ${String(e)}`);
      }
    }
    const legacy = this.legacy?.get<Stored>(LEGACY_STATE_KEY);
    if (legacy && typeof legacy === 'object') {
      stored = { ...legacy, ...stored };
      void this.legacy?.update(LEGACY_STATE_KEY, undefined);
      this.scheduleSave();
    }
    const loaded = new Map(Object.entries(stored).filter(([, v]) => Array.isArray(v)));
    for (const [k, v] of this.map) {
      loaded.delete(k);
      loaded.set(k, v);
    }
    this.map = loaded;
    this.trim();
  }

  get(paymentId: string): PaymentObservation[] {
    return [...(this.map.get(paymentId) ?? [])];
  }

  add(paymentId: string, obs: PaymentObservation): void {
    const before = this.map.get(paymentId) ?? [];
    const after = appendObservation(before, obs);
    if (after === before) return;
    this.map.delete(paymentId);
    this.map.set(paymentId, after);
    this.trim();
    this.scheduleSave();
  }

  private trim(): void {
    while (this.map.size > MAX_PAYMENTS) this.map.delete(this.map.keys().next().value as string);
  }

  private scheduleSave(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, SAVE_DELAY_MS);
  }

  /** Writes now (the size cap applied); resolves when written. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const file = this.file;
    if (!file || !this.loading) return this.saving;
    this.saving = this.saving.then(async () => {
      await this.load();
      let text = JSON.stringify(Object.fromEntries(this.map));
      while (text.length > MAX_HISTORY_BYTES && this.map.size > 1) {
        this.map.delete(this.map.keys().next().value as string);
        text = JSON.stringify(Object.fromEntries(this.map));
      }
      try {
        await vscode.workspace.fs.createDirectory(this.storageUri!);
        await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(text));
      } catch (e) {
        this.log.warn(`Could not save the payments' history: ${String(e)}`);
      }
    });
    return this.saving;
  }
}

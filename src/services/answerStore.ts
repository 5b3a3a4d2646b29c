/**
 * The whole answers seen of each payment (redacted; src/model/answers.ts), for comparing a payment
 * with itself at an earlier moment. Kept in `answers.json` under the extension's globalStorageUri
 * beside the history: loaded on first use, saved a moment after a change, capped (the most recently
 * seen payments, a size in bytes).
 */
import * as vscode from 'vscode';
import { appendAnswer, type PaymentAnswer } from '../model/answers';

export const ANSWERS_FILE = 'answers.json';
export const MAX_ANSWERED_PAYMENTS = 100;
export const MAX_ANSWERS_BYTES = 3_000_000;
const SAVE_DELAY_MS = 1000;

type Stored = Record<string, PaymentAnswer[]>;

export class AnswerStore {
  /** Insertion order = recency. */
  private map = new Map<string, PaymentAnswer[]>();
  private loading: Promise<void> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly storageUri: vscode.Uri | undefined,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  private get file(): vscode.Uri | undefined {
    return this.storageUri && vscode.Uri.joinPath(this.storageUri, ANSWERS_FILE);
  }

  load(): Promise<void> {
    return (this.loading ??= this.read());
  }

  private async read(): Promise<void> {
    let stored: Stored = {};
    const file = this.file;
    if (file) {
      try {
        const parsed: unknown = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(file)));
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) stored = parsed as Stored;
      } catch (e) {
        if (!(e instanceof vscode.FileSystemError && e.code === 'FileNotFound')) this.log.warn(`Answers file unreadable, starting afresh: ${String(e)}`);
      }
    }
    const loaded = new Map<string, PaymentAnswer[]>();
    for (const [k, v] of Object.entries(stored)) {
      if (Array.isArray(v)) loaded.set(k, v.filter((a) => a && typeof a.at === 'string' && a.payment && typeof a.payment === 'object'));
    }
    // What arrived while reading is newer: on top.
    for (const [k, v] of this.map) {
      const before = loaded.get(k) ?? [];
      loaded.delete(k);
      loaded.set(k, v.reduce((list, a) => appendAnswer(list, a), before));
    }
    this.map = loaded;
    this.trim();
  }

  /** Whether answers of this payment are kept. */
  has(paymentId: string): boolean {
    return this.map.has(paymentId);
  }

  get(paymentId: string): PaymentAnswer[] {
    return [...(this.map.get(paymentId) ?? [])];
  }

  add(paymentId: string, answer: PaymentAnswer): void {
    const before = this.map.get(paymentId) ?? [];
    const after = appendAnswer(before, answer);
    if (after === before) return;
    this.map.delete(paymentId);
    this.map.set(paymentId, after);
    this.trim();
    this.scheduleSave();
  }

  private trim(): void {
    while (this.map.size > MAX_ANSWERED_PAYMENTS) this.map.delete(this.map.keys().next().value as string);
  }

  private scheduleSave(): void {
    if (this.timer || !this.file) return;
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
      while (text.length > MAX_ANSWERS_BYTES && this.map.size > 1) {
        this.map.delete(this.map.keys().next().value as string);
        text = JSON.stringify(Object.fromEntries(this.map));
      }
      try {
        await vscode.workspace.fs.createDirectory(this.storageUri!);
        await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(text));
      } catch (e) {
        this.log.warn(`Could not save the payments' answers: ${String(e)}`);
      }
    });
    return this.saving;
  }
}

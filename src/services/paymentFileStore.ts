/**
 * A list of entries per payment, kept in a JSON file under the extension's globalStorageUri: loaded on
 * first use, saved a moment after a change (one write for a burst of answers), capped (the most
 * recently seen payments, and a size in bytes). The history (the timeline's observations) and the
 * answers kept for Compare are two of these.
 *
 * Several windows share the file: a save reads it again under a lock (`<file>.lock`, created
 * exclusively) and merges by payment and entry (src/model/paymentLists.ts) before writing, so no window
 * loses what another one saved; the write is atomic (a temporary file renamed over it).
 */
import { rename, writeFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { withFileLock } from '../environment/fileLock';
import { mergeByPayment, type Dated } from '../model/paymentLists';

export interface PaymentFileStoreOptions<T extends Dated> {
  /** The file's name in the storage folder. */
  file: string;
  /** What it holds, for log lines ("history", "answers"). */
  what: string;
  maxPayments: number;
  maxBytes: number;
  saveDelayMs: number;
  /** Adds an entry to a payment's list: the same list when there is nothing new to keep. */
  append(list: readonly T[], entry: T): T[];
  /** Whether a stored entry is well-formed (others are dropped on load). */
  valid(entry: unknown): entry is T;
  /** Entries kept elsewhere by an older version, moved into the file on first load. */
  legacy?: { take(): Record<string, T[]> | undefined };
}

export class PaymentFileStore<T extends Dated> {
  /** Insertion order = recency (re-inserted on every change). */
  private map = new Map<string, T[]>();
  private loading: Promise<void> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly storageUri: vscode.Uri | undefined,
    private readonly log: vscode.LogOutputChannel,
    private readonly o: PaymentFileStoreOptions<T>,
  ) {}

  private get file(): vscode.Uri | undefined {
    return this.storageUri && vscode.Uri.joinPath(this.storageUri, this.o.file);
  }

  /** Reads the file once; what was added before it finished is kept on top. */
  load(): Promise<void> {
    return (this.loading ??= this.read());
  }

  private async read(): Promise<void> {
    let loaded = await this.readFile();
    const legacy = this.o.legacy?.take();
    if (legacy) {
      const moved = this.validLists(legacy);
      for (const [k, v] of loaded) moved.set(k, v);
      loaded = moved;
      this.scheduleSave();
    }
    for (const [k, v] of this.map) {
      const before = loaded.get(k) ?? [];
      loaded.delete(k);
      loaded.set(k, v.reduce((list, e) => this.o.append(list, e), before));
    }
    this.map = loaded;
    this.trim();
  }

  /** The lists in the file (its well-formed entries), empty when there is none or it is unreadable. */
  private async readFile(): Promise<Map<string, T[]>> {
    const file = this.file;
    if (!file) return new Map();
    try {
      const parsed: unknown = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(file)));
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return this.validLists(parsed as Record<string, unknown>);
    } catch (e) {
      if (!(e instanceof vscode.FileSystemError && e.code === 'FileNotFound')) this.log.warn(`The ${this.o.what} file is unreadable, starting afresh: ${String(e)}`);
    }
    return new Map();
  }

  private validLists(stored: Record<string, unknown>): Map<string, T[]> {
    const lists = new Map<string, T[]>();
    for (const [k, v] of Object.entries(stored)) if (Array.isArray(v)) lists.set(k, v.filter((e): e is T => this.o.valid(e)));
    return lists;
  }

  has(paymentId: string): boolean {
    return this.map.has(paymentId);
  }

  get(paymentId: string): T[] {
    return [...(this.map.get(paymentId) ?? [])];
  }

  add(paymentId: string, entry: T): void {
    const before = this.map.get(paymentId) ?? [];
    const after = this.o.append(before, entry);
    if (after === before) return;
    this.map.delete(paymentId);
    this.map.set(paymentId, after);
    this.trim();
    this.scheduleSave();
  }

  private trim(): void {
    while (this.map.size > this.o.maxPayments) this.map.delete(this.map.keys().next().value as string);
  }

  private scheduleSave(): void {
    if (this.timer || !this.file) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.o.saveDelayMs);
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
      try {
        if (file.scheme === 'file') await withFileLock(`${file.fsPath}.lock`, () => this.mergeAndWrite(file));
        else await this.mergeAndWrite(file);
      } catch (e) {
        this.log.warn(`Could not save the payments' ${this.o.what}: ${String(e)}`);
      }
    });
    return this.saving;
  }

  /** Reads what other windows saved, keeps theirs and ours, and writes the whole (capped). */
  private async mergeAndWrite(file: vscode.Uri): Promise<void> {
    this.map = mergeByPayment(await this.readFile(), this.map, this.o.append);
    this.trim();
    let text = JSON.stringify(Object.fromEntries(this.map));
    while (text.length > this.o.maxBytes && this.map.size > 1) {
      this.map.delete(this.map.keys().next().value as string);
      text = JSON.stringify(Object.fromEntries(this.map));
    }
    await vscode.workspace.fs.createDirectory(this.storageUri!);
    if (file.scheme !== 'file') {
      await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(text));
      return;
    }
    // A reader (another window) never sees half a file.
    const tmp = `${file.fsPath}.${process.pid}.tmp`;
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, file.fsPath);
  }
}

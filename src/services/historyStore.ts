/**
 * Persistence of what the extension has seen of each payment (the inspector's timeline), in the
 * extension's global state (a Memento: survives a reload). Loaded on first use, saved a moment
 * after a change (one write for a burst of answers), kept to the most recently seen payments.
 */
import type * as vscode from 'vscode';
import { appendObservation, type PaymentObservation } from '../model/history';

const STATE_KEY = 'perfectpay.history.v1';
export const MAX_PAYMENTS = 300;
const SAVE_DELAY_MS = 400;

type Stored = Record<string, PaymentObservation[]>;

export class HistoryStore {
  /** Insertion order = recency (re-inserted on every change). */
  private map: Map<string, PaymentObservation[]> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly memento: vscode.Memento) {}

  private load(): Map<string, PaymentObservation[]> {
    if (!this.map) {
      const stored = this.memento.get<Stored>(STATE_KEY) ?? {};
      this.map = new Map(Object.entries(stored).filter(([, v]) => Array.isArray(v)));
    }
    return this.map;
  }

  get(paymentId: string): PaymentObservation[] {
    return [...(this.load().get(paymentId) ?? [])];
  }

  add(paymentId: string, obs: PaymentObservation): void {
    const map = this.load();
    const before = map.get(paymentId) ?? [];
    const after = appendObservation(before, obs);
    if (after === before) return;
    map.delete(paymentId);
    map.set(paymentId, after);
    while (map.size > MAX_PAYMENTS) map.delete(map.keys().next().value as string);
    this.scheduleSave();
  }

  private scheduleSave(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, SAVE_DELAY_MS);
  }

  flush(): Thenable<void> | undefined {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (!this.map) return undefined;
    return this.memento.update(STATE_KEY, Object.fromEntries(this.map));
  }
}

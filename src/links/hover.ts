/**
 * The card shown when hovering a payment id (text: src/model/hoverCard.ts). It never blocks on the
 * server and never storms it:
 *  - an answer seen less than 30 s ago (by the tree, the inspector, a command or an earlier hover) is
 *    shown at once, with no request;
 *  - otherwise, once the document has been still for a moment and the hover is still wanted (nothing
 *    is sent while typing, nor for ids the pointer only passed over), ONE read shared with every
 *    other caller (`PaymentsService.lookupPayment`: one request per id per 30 s at most);
 *  - the card waits for that read a little only; past that it shows "loading…" (or the answer last
 *    seen, marked as refreshing), and the next hover shows the answer.
 */
import * as vscode from 'vscode';
import type { EnvironmentManager } from '../environment/EnvironmentManager';
import { errorInfo } from '../environment/errors';
import { otherEnvironmentsWithKey } from '../environment/otherEnvironments';
import { HOVER_TIMINGS, hoverCardMarkdown, HOVER_TRUSTED_COMMANDS, type CardState, type HoverTimings } from '../model/hoverCard';
import { paymentIdAt } from '../model/paymentIds';
import { LOOKUP_MAX_AGE_MS, type PaymentsService } from '../services/PaymentsService';
import { statusIconId } from '../tree/items';
import { appliesTo } from './settings';

export class PaymentHoverProvider implements vscode.HoverProvider, vscode.Disposable {
  /** When each document was last edited (ms), by URI. */
  private readonly lastEdit = new Map<string, number>();
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly service: PaymentsService,
    private readonly environments: EnvironmentManager,
    private readonly timings: HoverTimings = HOVER_TIMINGS,
  ) {
    this.disposables = [
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length) this.lastEdit.set(e.document.uri.toString(), Date.now());
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.lastEdit.delete(d.uri.toString())),
    ];
  }

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    if (!appliesTo(document)) return undefined;
    const found = paymentIdAt(document.lineAt(position.line).text, position.character);
    if (!found) return undefined;
    const range = new vscode.Range(position.line, found.start, position.line, found.end);
    const card = (state: CardState, others?: { kind: string; label: string }[]): vscode.Hover =>
      new vscode.Hover(this.markdown(found.id, state, others), range);

    const cached = this.service.cached(found.id);
    const seenAt = this.service.seenAt(found.id);
    if (cached && seenAt !== undefined && Date.now() - seenAt < LOOKUP_MAX_AGE_MS) return card({ kind: 'found', payment: cached, seenAt });

    if (!(await this.settled(document, token))) return undefined;
    if (this.environments.configProblem()) return card({ kind: 'error', message: this.environments.configProblem()! });
    if (await this.environments.needsApiKey()) return card({ kind: 'needsKey' });

    const lookup = this.service.lookupPayment(found.id);
    const outcome = await within(lookup, this.timings.waitMs, token);
    if (token.isCancellationRequested) return undefined;
    if (outcome.kind === 'late') {
      return cached ? card({ kind: 'found', payment: cached, seenAt, refreshing: true }) : card({ kind: 'loading' });
    }
    if (outcome.kind === 'value') return card({ kind: 'found', payment: outcome.value, seenAt: this.service.seenAt(found.id) });
    const info = errorInfo(outcome.error);
    if (info.code === 'HE_02') return card({ kind: 'notFound' }, await otherEnvironmentsWithKey(this.environments));
    if (info.kind === 'missing_key') return card({ kind: 'needsKey' });
    return card({ kind: 'error', message: info.message });
  }

  private markdown(id: string, state: CardState, others?: { kind: string; label: string }[]): vscode.MarkdownString {
    const md = new vscode.MarkdownString(
      hoverCardMarkdown({
        id,
        state,
        environmentLabel: this.service.environment().label,
        icon: state.kind === 'found' ? statusIconId(state.payment.status).icon : undefined,
        others,
        now: Date.now(),
      }),
      true,
    );
    // Command links work for our own commands only; nothing else in the card is a link.
    md.isTrusted = { enabledCommands: [...HOVER_TRUSTED_COMMANDS] };
    return md;
  }

  /**
   * Waits until the document has been still for `typingIdleMs` and at least `debounceMs` passed;
   * false when the hover was cancelled meanwhile (then nothing is sent).
   */
  private async settled(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<boolean> {
    const started = Date.now();
    const key = document.uri.toString();
    for (;;) {
      if (token.isCancellationRequested) return false;
      const now = Date.now();
      const until = Math.max(started + this.timings.debounceMs, (this.lastEdit.get(key) ?? 0) + this.timings.typingIdleMs);
      if (now >= until) return true;
      await delay(until - now, token);
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

type Outcome<T> = { kind: 'value'; value: T } | { kind: 'error'; error: unknown } | { kind: 'late' };

/** The promise's outcome if it settles within `ms` (and the token is not cancelled), else 'late'. */
function within<T>(promise: Promise<T>, ms: number, token: vscode.CancellationToken): Promise<Outcome<T>> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish({ kind: 'late' }), ms);
    const sub = token.onCancellationRequested(() => finish({ kind: 'late' }));
    function finish(o: Outcome<T>): void {
      clearTimeout(timer);
      sub.dispose();
      resolve(o);
    }
    promise.then(
      (value) => finish({ kind: 'value', value }),
      (error: unknown) => finish({ kind: 'error', error }),
    );
  });
}

function delay(ms: number, token: vscode.CancellationToken): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    const sub = token.onCancellationRequested(done);
    function done(): void {
      clearTimeout(timer);
      sub.dispose();
      resolve();
    }
  });
}

/**
 * Fault injection for the API routes: which fault (if any) strikes a request, and whether it
 * strikes before or after the request is processed. A create whose answer is lost after it was
 * processed HAS been stored: that is what lets a client prove that its retried create (with the
 * same payment_id) makes exactly one payment. Shares strike at random, so which request meets a
 * fault depends on every other request that came meanwhile; a targeted rule strikes exactly the
 * requests it names, which is what a test that needs one particular fault uses.
 */
import type { SandboxFaults, TargetedFault } from './types';

export type FaultKind = 'none' | 'rate_limit' | 'error' | 'malformed' | 'drop';

export interface FaultDecision {
  kind: FaultKind;
  /** True: the request is processed first, then its answer is replaced (error, malformed) or lost (drop). */
  afterProcessing: boolean;
}

const NONE: FaultDecision = { kind: 'none', afterProcessing: false };

const rate = (r: number | undefined) => (typeof r === 'number' && Number.isFinite(r) ? Math.min(1, Math.max(0, r)) : 0);

/**
 * A request a targeted rule matches meets that rule's fault (see `SandboxFaults.targeted`). Any other
 * draws ONE random number per API request and picks the fault whose share it falls in, in the
 * order rate limit, error, malformed, drop (cumulative shares). Errors and drops alternate between
 * striking after the request was processed and before it (the first one strikes after).
 * Rate limits always strike before; malformed answers always after.
 */
export class FaultInjector {
  private faults: SandboxFaults | undefined;
  private alternate = 0;
  /** The targeted rules with the strikes each has left. */
  private targeted: Array<{ rule: TargetedFault; left: number }> = [];

  constructor(faults?: SandboxFaults) {
    this.set(faults);
  }

  set(faults: SandboxFaults | undefined): void {
    this.faults = faults ? { ...faults } : undefined;
    this.alternate = 0;
    this.targeted = (faults?.targeted ?? []).map((rule) => ({ rule: { ...rule }, left: rule.times ?? 1 }));
  }

  get retryAfterSeconds(): number {
    const s = this.faults?.retryAfterSeconds;
    return typeof s === 'number' && Number.isFinite(s) && s >= 0 ? Math.ceil(s) : 1;
  }

  /** The fault for one API request (`path` without its query). */
  decide(method: string, path: string): FaultDecision {
    const f = this.faults;
    if (!f) return NONE;
    const hit = this.targeted.find((t) => t.left > 0 && t.rule.method.toUpperCase() === method.toUpperCase() && t.rule.path === path);
    if (hit) {
      hit.left--;
      const kind = hit.rule.kind;
      if (kind === 'rate_limit') return { kind, afterProcessing: false };
      if (kind === 'malformed') return { kind, afterProcessing: true };
      return { kind, afterProcessing: hit.rule.when === 'after' };
    }
    const table: Array<[FaultKind, number]> = [
      ['rate_limit', rate(f.rateLimitRate)],
      ['error', rate(f.errorRate)],
      ['malformed', rate(f.malformedRate)],
      ['drop', rate(f.dropRate)],
    ];
    if (table.every(([, r]) => r === 0)) return NONE;
    let r = (f.random ?? Math.random)();
    for (const [kind, share] of table) {
      if (r < share) {
        if (kind === 'rate_limit') return { kind, afterProcessing: false };
        if (kind === 'malformed') return { kind, afterProcessing: true };
        return { kind, afterProcessing: this.alternate++ % 2 === 0 };
      }
      r -= share;
    }
    return NONE;
  }
}

/** A body that starts like JSON and breaks off: what a proxy cutting an answer short leaves. */
export function malformedBody(json: string): string {
  const cut = Math.max(1, Math.floor(json.length / 2));
  return json.slice(0, cut) + '<!-- upstream reset -->';
}

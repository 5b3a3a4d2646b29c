/**
 * Snapshot and restore of the sandbox's store (`RunningSandbox.snapshot()`, `SandboxOptions.restore`):
 * what the extension keeps between two windows so the user's payments survive a reload.
 *
 * A snapshot is checked field by field before it is used: anything else than what the store itself
 * would have written (another version, a missing or mistyped field, a duplicate id) refuses the
 * whole snapshot, and the sandbox starts from its seed instead. Cards are rebuilt from their masked
 * fields only, so nothing else (a full number, a CVC) can enter the store through a snapshot.
 *
 * Restored on another origin (another port), every next_action URL pointing at the old origin is
 * moved to the new one, including the notification URL inside the base64 3DS method data, and
 * each QR image whose URL moved is drawn again.
 */
import { AUTHENTICATION_TYPES, CAPTURE_METHODS, PAYMENT_STATUSES } from '../api/schemas';
import { qrPngDataUrl } from './nextActions';
import type { PaymentStore } from './store';
import {
  SANDBOX_SNAPSHOT_VERSION,
  type ActionKind,
  type MaskedCard,
  type Outcome,
  type SandboxSnapshot,
  type StoredAttempt,
  type StoredCapture,
  type StoredPayment,
} from './types';

export const SNAPSHOT_FORMAT = 'perfectpay-sandbox-snapshot';

const ACTION_KINDS: readonly ActionKind[] = [
  'three_ds_redirect',
  'three_ds_invoke',
  'redirect',
  'sdk_session_token',
  'bank_transfer',
  'qr_image',
  'qr_url',
  'qr_fetch',
  'wait_screen',
];

export function takeSnapshot(store: PaymentStore, origin: string, nowMs: number): SandboxSnapshot {
  const { seq, payments } = store.exportState();
  return {
    format: SNAPSHOT_FORMAT,
    version: SANDBOX_SNAPSHOT_VERSION,
    origin,
    takenAt: new Date(nowMs).toISOString(),
    seq,
    payments,
  };
}

// ---------------------------------------------------------------------------------------------
// Validation

class Invalid extends Error {}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function obj(v: unknown, where: string): Obj {
  if (!isObj(v)) throw new Invalid(`${where} is not an object`);
  return v;
}

function str(o: Obj, k: string, where: string): string {
  const v = o[k];
  if (typeof v !== 'string') throw new Invalid(`${where}.${k} is not a string`);
  return v;
}

function strOrNull(o: Obj, k: string, where: string): string | null {
  const v = o[k];
  if (v === null) return null;
  if (typeof v !== 'string') throw new Invalid(`${where}.${k} is not a string or null`);
  return v;
}

function num(o: Obj, k: string, where: string): number {
  const v = o[k];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Invalid(`${where}.${k} is not a finite number`);
  return v;
}

function int(o: Obj, k: string, where: string): number {
  const v = num(o, k, where);
  if (!Number.isSafeInteger(v) || v < 0) throw new Invalid(`${where}.${k} is not an integer ≥ 0`);
  return v;
}

function numOrNull(o: Obj, k: string, where: string): number | null {
  return o[k] === null ? null : num(o, k, where);
}

function oneOf<T extends string>(o: Obj, k: string, values: readonly T[], where: string): T {
  const v = o[k];
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
    throw new Invalid(`${where}.${k} is not one of ${values.join(', ')}`);
  }
  return v as T;
}

/** A plain JSON value (what a next_action holds), copied. */
function jsonValue(v: unknown, where: string, depth = 0): unknown {
  if (depth > 20) throw new Invalid(`${where} is nested too deeply`);
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Invalid(`${where} is not a finite number`);
    return v;
  }
  if (Array.isArray(v)) return v.map((x, i) => jsonValue(x, `${where}[${i}]`, depth + 1));
  if (isObj(v)) {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) out[k] = jsonValue(x, `${where}.${k}`, depth + 1);
    return out;
  }
  throw new Invalid(`${where} is not JSON`);
}

function card(v: unknown, where: string): MaskedCard | null {
  if (v === null) return null;
  const o = obj(v, where);
  const last4 = str(o, 'last4', where);
  if (!/^\d{4}$/.test(last4)) throw new Invalid(`${where}.last4 is not 4 digits`);
  // Only the masked fields, whatever else the file holds.
  return {
    last4,
    card_network: str(o, 'card_network', where),
    card_exp_month: str(o, 'card_exp_month', where),
    card_exp_year: str(o, 'card_exp_year', where),
    card_holder_name: strOrNull(o, 'card_holder_name', where),
  };
}

function stepOf(v: unknown, where: string): { action: ActionKind; then: 'authorise' | 'processing' } {
  const o = obj(v, where);
  return { action: oneOf(o, 'action', ACTION_KINDS, where), then: oneOf(o, 'then', ['authorise', 'processing'] as const, where) };
}

function outcome(v: unknown, where: string): Outcome | null {
  if (v === null) return null;
  const o = obj(v, where);
  const kind = oneOf(o, 'kind', ['authorise', 'processing', 'decline', 'action'] as const, where);
  switch (kind) {
    case 'authorise':
    case 'processing':
      return { kind };
    case 'decline':
      return { kind, code: str(o, 'code', where), message: str(o, 'message', where) };
    case 'action':
      return { kind, ...stepOf(o, where) };
  }
}

function attempt(v: unknown, where: string): StoredAttempt {
  const o = obj(v, where);
  return {
    attempt_id: str(o, 'attempt_id', where),
    status: str(o, 'status', where),
    amount: int(o, 'amount', where),
    payment_method: strOrNull(o, 'payment_method', where),
    error_code: strOrNull(o, 'error_code', where),
    error_message: strOrNull(o, 'error_message', where),
    createdMs: num(o, 'createdMs', where),
    modifiedMs: num(o, 'modifiedMs', where),
  };
}

function capture(v: unknown, where: string): StoredCapture {
  const o = obj(v, where);
  return {
    capture_id: str(o, 'capture_id', where),
    status: str(o, 'status', where),
    amount: int(o, 'amount', where),
    createdMs: num(o, 'createdMs', where),
  };
}

function metadata(v: unknown, where: string): Record<string, string> | null {
  if (v === null) return null;
  const o = obj(v, where);
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(o)) {
    if (typeof x !== 'string') throw new Invalid(`${where}.${k} is not a string`);
    out[k] = x;
  }
  return out;
}

function list<T>(v: unknown, where: string, each: (x: unknown, where: string) => T): T[] {
  if (!Array.isArray(v)) throw new Invalid(`${where} is not an array`);
  return v.map((x, i) => each(x, `${where}[${i}]`));
}

function payment(v: unknown, where: string): StoredPayment {
  const o = obj(v, where);
  const id = str(o, 'payment_id', where);
  if (!/^[\w.-]{1,128}$/.test(id)) throw new Invalid(`${where}.payment_id is not a payment id`);
  const attempts = list(o.attempts, `${where}.attempts`, attempt);
  if (attempts.length === 0) throw new Invalid(`${where}.attempts is empty`);
  return {
    seq: int(o, 'seq', where),
    createdMs: num(o, 'createdMs', where),
    modifiedMs: num(o, 'modifiedMs', where),
    expiresMs: num(o, 'expiresMs', where),
    payment_id: id,
    client_secret: str(o, 'client_secret', where),
    status: oneOf(o, 'status', PAYMENT_STATUSES, where),
    amount: int(o, 'amount', where),
    net_amount: int(o, 'net_amount', where),
    amount_capturable: int(o, 'amount_capturable', where),
    amount_received: o.amount_received === null ? null : int(o, 'amount_received', where),
    currency: str(o, 'currency', where),
    capture_method: oneOf(o, 'capture_method', CAPTURE_METHODS, where),
    authentication_type: oneOf(o, 'authentication_type', AUTHENTICATION_TYPES, where),
    customer_id: strOrNull(o, 'customer_id', where),
    description: strOrNull(o, 'description', where),
    metadata: metadata(o.metadata, `${where}.metadata`),
    return_url: strOrNull(o, 'return_url', where),
    payment_method: strOrNull(o, 'payment_method', where),
    payment_method_type: strOrNull(o, 'payment_method_type', where),
    card: card(o.card, `${where}.card`),
    next_action: o.next_action === null ? null : (jsonValue(obj(o.next_action, `${where}.next_action`), `${where}.next_action`) as Obj),
    error_code: strOrNull(o, 'error_code', where),
    error_message: strOrNull(o, 'error_message', where),
    cancellation_reason: strOrNull(o, 'cancellation_reason', where),
    attempt_count: int(o, 'attempt_count', where),
    attachedOutcome: outcome(o.attachedOutcome, `${where}.attachedOutcome`),
    pendingAction: o.pendingAction === null ? null : stepOf(o.pendingAction, `${where}.pendingAction`),
    settleAtMs: numOrNull(o, 'settleAtMs', where),
    attempts,
    captures: list(o.captures, `${where}.captures`, capture),
  };
}

/** The origin of an http(s) URL, or undefined. */
function originOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

export type ParsedSnapshot = { ok: true; snapshot: SandboxSnapshot } | { ok: false; problem: string };

/** Checks a snapshot (of unknown origin: a file) and copies it into the store's shape. */
export function parseSnapshot(value: unknown): ParsedSnapshot {
  try {
    const o = obj(value, 'snapshot');
    if (o.format !== SNAPSHOT_FORMAT) throw new Invalid(`snapshot.format is not "${SNAPSHOT_FORMAT}"`);
    if (o.version !== SANDBOX_SNAPSHOT_VERSION) {
      throw new Invalid(`snapshot version ${JSON.stringify(o.version)} is not the supported version ${SANDBOX_SNAPSHOT_VERSION}`);
    }
    const origin = str(o, 'origin', 'snapshot');
    if (originOf(origin) !== origin) throw new Invalid('snapshot.origin is not an http(s) origin');
    const payments = list(o.payments, 'snapshot.payments', payment);
    const ids = new Set<string>();
    const seqs = new Set<number>();
    for (const p of payments) {
      if (ids.has(p.payment_id)) throw new Invalid(`payment ${p.payment_id} appears twice`);
      if (seqs.has(p.seq)) throw new Invalid(`seq ${p.seq} appears twice`);
      ids.add(p.payment_id);
      seqs.add(p.seq);
    }
    return {
      ok: true,
      snapshot: {
        format: SNAPSHOT_FORMAT,
        version: SANDBOX_SNAPSHOT_VERSION,
        origin,
        takenAt: typeof o.takenAt === 'string' ? o.takenAt : '',
        seq: int(o, 'seq', 'snapshot'),
        payments,
      },
    };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, problem: e.message };
    return { ok: false, problem: `unreadable snapshot (${e instanceof Error ? e.message : String(e)})` };
  }
}

// ---------------------------------------------------------------------------------------------
// Moving to another origin

function moveUrl(s: string, from: string, to: string): string {
  if (s === from) return to;
  const rest = s.slice(from.length);
  return s.startsWith(from) && (rest.startsWith('/') || rest.startsWith('?') || rest.startsWith('#')) ? to + rest : s;
}

/** The 3DS method data is base64 JSON carrying a URL of ours: decoded, moved, encoded again. */
function moveBase64Json(s: string, from: string, to: string): string {
  try {
    const decoded = Buffer.from(s, 'base64').toString('utf8');
    if (Buffer.from(decoded, 'utf8').toString('base64') !== s) return s;
    const moved = moveValue(JSON.parse(decoded) as unknown, from, to);
    return Buffer.from(JSON.stringify(moved)).toString('base64');
  } catch {
    return s;
  }
}

function moveValue(v: unknown, from: string, to: string, key = ''): unknown {
  if (typeof v === 'string') {
    if (key === 'three_ds_method_data') return moveBase64Json(v, from, to);
    return moveUrl(v, from, to);
  }
  if (Array.isArray(v)) return v.map((x) => moveValue(x, from, to));
  if (isObj(v)) {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) out[k] = moveValue(x, from, to, k);
    return out;
  }
  return v;
}

/** Draws again every QR image (`image_data_url` beside a `qr_code_url`) whose URL moved. */
async function redrawQr(before: unknown, after: unknown): Promise<void> {
  if (Array.isArray(before) && Array.isArray(after)) {
    for (let i = 0; i < after.length; i++) await redrawQr(before[i], after[i]);
    return;
  }
  if (!isObj(before) || !isObj(after)) return;
  if (
    typeof after.qr_code_url === 'string' &&
    typeof after.image_data_url === 'string' &&
    after.qr_code_url !== before.qr_code_url
  ) {
    after.image_data_url = await qrPngDataUrl(after.qr_code_url);
  }
  for (const k of Object.keys(after)) await redrawQr(before[k], after[k]);
}

/**
 * Moves the next_action URLs of the payments from `from` to `to` (in place). Returns how many
 * payments changed.
 */
export async function moveOrigin(payments: StoredPayment[], from: string, to: string): Promise<number> {
  if (from === to) return 0;
  let changed = 0;
  for (const p of payments) {
    if (!p.next_action) continue;
    const moved = moveValue(p.next_action, from, to) as Obj;
    if (JSON.stringify(moved) === JSON.stringify(p.next_action)) continue;
    await redrawQr(p.next_action, moved);
    p.next_action = moved;
    changed++;
  }
  return changed;
}

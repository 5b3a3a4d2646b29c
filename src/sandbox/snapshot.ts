/**
 * Snapshot and restore of the sandbox's store (`RunningSandbox.snapshot()`, `SandboxOptions.restore`):
 * what the extension keeps between two windows so the user's payments survive a reload.
 *
 * A snapshot is checked against zod/mini schemas of the store's shape before it is used: anything
 * else than what the store itself would have written (another version, a missing or mistyped field, a duplicate id) refuses the
 * whole snapshot, and the sandbox starts from its seed instead. Cards are rebuilt from their masked
 * fields only, so nothing else (a full number, a CVC) can enter the store through a snapshot.
 *
 * Card numbers in free text (description, metadata, addresses…) are masked again on the way in:
 * a snapshot written by hand, or by an older sandbox, never brings one into the store.
 *
 * Restored on another origin (another port), every next_action URL pointing at the old origin is
 * moved to the new one, including the notification URL inside the base64 3DS method data, and
 * each QR image whose URL moved is drawn again.
 *
 * A snapshot kept in a file (`SandboxOptions.snapshotFile`) that does not parse is set aside as
 * `<file>.corrupt-<time>`, so that the next start does not meet it again, and the seed is used.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import * as z from 'zod/mini';
import { AUTHENTICATION_TYPES, CAPTURE_METHODS } from '../domain/payment';
import { describeZodError } from '../api/schemas';
import { PAYMENT_STATUSES } from '../domain/status';
import { qrPngDataUrl } from './nextActions';
import { ECHOED_FIELDS, maskCardNumbers } from './payments';
import type { PaymentStore } from './store';
import { SANDBOX_SNAPSHOT_VERSION, type ActionKind, type SandboxSnapshot, type StoredEvent, type StoredPayment } from './types';
import type { Webhooks } from './webhooks';
import { DELIVERY_ATTEMPTS } from '../domain/events';

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

export function takeSnapshot(store: PaymentStore, webhooks: Webhooks, origin: string, nowMs: number): SandboxSnapshot {
  const { seq, payments } = store.exportState();
  return {
    format: SNAPSHOT_FORMAT,
    version: SANDBOX_SNAPSHOT_VERSION,
    origin,
    takenAt: new Date(nowMs).toISOString(),
    seq,
    payments,
    events: webhooks.exportState(),
  };
}

// ---------------------------------------------------------------------------------------------
// Validation: zod/mini schemas of the store's own shape. `z.object` drops keys it does not name, so
// a card comes back with its masked fields only, whatever else the file holds.

const stepSchema = z.object({ action: z.enum(ACTION_KINDS), then: z.enum(['authorise', 'processing']) });

const outcomeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('authorise') }),
  z.object({ kind: z.literal('processing') }),
  z.object({ kind: z.literal('decline'), code: z.string(), message: z.string() }),
  z.object({ kind: z.literal('action'), action: stepSchema.shape.action, then: stepSchema.shape.then }),
]);

const cardSchema = z.object({
  last4: z.string().check(z.regex(/^\d{4}$/, 'not 4 digits')),
  card_network: z.string(),
  card_exp_month: z.string(),
  card_exp_year: z.string(),
  card_holder_name: z.nullable(z.string()),
  card_type: z.optional(z.string()),
  card_isin: z.optional(z.string().check(z.regex(/^\d{6}$/, 'not 6 digits'))),
});

const attemptSchema = z.object({
  attempt_id: z.string(),
  status: z.string(),
  amount: z.int(),
  payment_method: z.nullable(z.string()),
  error_code: z.nullable(z.string()),
  error_message: z.nullable(z.string()),
  createdMs: z.number(),
  modifiedMs: z.number(),
});

const captureSchema = z.object({
  capture_id: z.string(),
  status: z.string(),
  amount: z.int(),
  createdMs: z.number(),
  connector_capture_id: z.optional(z.string()),
});

const jsonObject = z.record(z.string(), z.json());

const refundSchema = z.object({
  seq: z.int(),
  refund_id: z.string().check(z.regex(/^[\w.-]{1,128}$/, 'not a refund id')),
  amount: z.int().check(z.positive('is not above 0')),
  status: z.enum(['pending', 'succeeded', 'failed', 'review']),
  reason: z.nullable(z.string()),
  metadata: z.nullable(jsonObject),
  refund_type: z.enum(['instant', 'scheduled']),
  error_code: z.nullable(z.string()),
  error_message: z.nullable(z.string()),
  connector_refund_id: z.string(),
  createdMs: z.number(),
  modifiedMs: z.number(),
  settleAtMs: z.nullable(z.number()),
  settleTo: z.nullable(z.enum(['succeeded', 'failed'])),
});

const storedPaymentSchema = z.object({
  seq: z.int(),
  createdMs: z.number(),
  modifiedMs: z.number(),
  expiresMs: z.number(),
  payment_id: z.string().check(z.regex(/^[\w.-]{1,128}$/, 'not a payment id')),
  client_secret: z.string(),
  status: z.enum(PAYMENT_STATUSES),
  amount: z.int(),
  net_amount: z.int(),
  amount_capturable: z.int(),
  amount_received: z.nullable(z.int()),
  currency: z.string(),
  capture_method: z.enum(CAPTURE_METHODS),
  authentication_type: z.enum(AUTHENTICATION_TYPES),
  customer_id: z.nullable(z.string()),
  description: z.nullable(z.string()),
  metadata: z.nullable(jsonObject),
  return_url: z.nullable(z.string()),
  payment_method: z.nullable(z.string()),
  payment_method_type: z.nullable(z.string()),
  card: z.nullable(cardSchema),
  // Fields added after version 1 was first written: optional, so older snapshots still restore.
  method_billing: z.optional(z.nullable(jsonObject)),
  connector_transaction_id: z.optional(z.nullable(z.string())),
  echoed: z.optional(jsonObject),
  external_3ds: z.optional(z.boolean()),
  next_action: z.nullable(z.record(z.string(), z.json())),
  error_code: z.nullable(z.string()),
  error_message: z.nullable(z.string()),
  cancellation_reason: z.nullable(z.string()),
  attempt_count: z.int(),
  attachedOutcome: z.nullable(outcomeSchema),
  pendingAction: z.nullable(stepSchema),
  settleAtMs: z.nullable(z.number()),
  attempts: z.array(attemptSchema).check(z.minLength(1, 'is empty')),
  captures: z.array(captureSchema),
  refunds: z.optional(z.array(refundSchema)),
});

const headerPairsSchema = z.array(z.tuple([z.string(), z.string()]));
const webhookAttemptSchema = z.object({
  attempt_id: z.string(),
  kind: z.enum(DELIVERY_ATTEMPTS),
  createdMs: z.number(),
  url: z.nullable(z.string()),
  request_headers: headerPairsSchema,
  response: z.nullable(
    z.object({
      status_code: z.nullable(z.int()),
      headers: z.nullable(headerPairsSchema),
      body: z.nullable(z.string()),
      error_message: z.nullable(z.string()),
    }),
  ),
  durationMs: z.nullable(z.number()),
  delivered: z.nullable(z.boolean()),
});
const eventSchema = z.object({
  seq: z.int(),
  event_id: z.string(),
  event_type: z.string(),
  event_class: z.enum(['payments', 'refunds']),
  object_id: z.string(),
  profile_id: z.string(),
  createdMs: z.number(),
  body: z.string(),
  attempts: z.array(webhookAttemptSchema),
});

const snapshotSchema = z.object({
  origin: z.string().check(z.refine((o) => originOf(o) === o, 'not an http(s) origin')),
  takenAt: z.optional(z.unknown()),
  seq: z.int(),
  payments: z.array(storedPaymentSchema),
  events: z.optional(z.array(eventSchema)),
});

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

const ECHOED: ReadonlySet<string> = new Set(ECHOED_FIELDS);

/** A restored payment with its free text masked and only the echoed fields the sandbox answers. */
function cleaned(p: StoredPayment): StoredPayment {
  const echoed: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p.echoed ?? {})) if (ECHOED.has(k)) echoed[k] = v;
  return {
    ...p,
    description: maskCardNumbers(p.description),
    metadata: maskCardNumbers(p.metadata),
    return_url: maskCardNumbers(p.return_url),
    cancellation_reason: maskCardNumbers(p.cancellation_reason),
    method_billing: maskCardNumbers(p.method_billing ?? null),
    echoed: maskCardNumbers(echoed),
    card: p.card ? { ...p.card, card_holder_name: maskCardNumbers(p.card.card_holder_name) } : null,
    ...(p.refunds ? { refunds: p.refunds.map((r) => ({ ...r, reason: maskCardNumbers(r.reason), metadata: maskCardNumbers(r.metadata) })) } : {}),
  };
}

/** Checks a snapshot (of unknown origin: a file) and copies it into the store's shape. */
export function parseSnapshot(value: unknown): ParsedSnapshot {
  const head = value && typeof value === 'object' ? (value as { format?: unknown; version?: unknown }) : undefined;
  if (!head) return { ok: false, problem: 'snapshot is not an object' };
  if (head.format !== SNAPSHOT_FORMAT) return { ok: false, problem: `snapshot.format is not "${SNAPSHOT_FORMAT}"` };
  if (head.version !== SANDBOX_SNAPSHOT_VERSION) {
    return { ok: false, problem: `snapshot version ${JSON.stringify(head.version)} is not the supported version ${SANDBOX_SNAPSHOT_VERSION}` };
  }
  let parsed: ReturnType<typeof snapshotSchema.safeParse>;
  try {
    parsed = snapshotSchema.safeParse(value);
  } catch (e) {
    // A value nested deeper than the stack: no store wrote that.
    return { ok: false, problem: `snapshot could not be checked (${e instanceof Error ? e.message : String(e)})` };
  }
  if (!parsed.success) return { ok: false, problem: `snapshot ${describeZodError(parsed.error)}` };
  const { origin, takenAt, seq, payments, events } = parsed.data;
  const ids = new Set<string>();
  const seqs = new Set<number>();
  const refundIds = new Set<string>();
  for (const p of payments) {
    if (ids.has(p.payment_id)) return { ok: false, problem: `payment ${p.payment_id} appears twice` };
    if (seqs.has(p.seq)) return { ok: false, problem: `seq ${p.seq} appears twice` };
    ids.add(p.payment_id);
    seqs.add(p.seq);
    for (const r of p.refunds ?? []) {
      if (refundIds.has(r.refund_id)) return { ok: false, problem: `refund ${r.refund_id} appears twice` };
      refundIds.add(r.refund_id);
    }
  }
  return {
    ok: true,
    snapshot: {
      format: SNAPSHOT_FORMAT,
      version: SANDBOX_SNAPSHOT_VERSION,
      origin,
      takenAt: typeof takenAt === 'string' ? takenAt : '',
      seq,
      payments: (payments as StoredPayment[]).map(cleaned),
      // The bodies are what was sent (already masked then), kept as they are: a retry resends them.
      events: (events ?? []) as StoredEvent[],
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Moving to another origin

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

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

// ---------------------------------------------------------------------------------------------
// A snapshot in a file

export type SnapshotFile =
  | { kind: 'missing' }
  | { kind: 'read'; value: unknown }
  /** The file is there but is not JSON (cut short, overwritten, not ours). */
  | { kind: 'unreadable'; problem: string };

export async function readSnapshotFile(file: string): Promise<SnapshotFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'unreadable', problem: e instanceof Error ? e.message : String(e) };
  }
  try {
    return { kind: 'read', value: JSON.parse(text) as unknown };
  } catch (e) {
    return { kind: 'unreadable', problem: `not JSON (${e instanceof Error ? e.message : String(e)})` };
  }
}

/** Renames a snapshot file that could not be used to `<file>.corrupt-<time>`; answers the new name. */
export async function setAsideSnapshotFile(file: string, nowMs: number): Promise<string> {
  const aside = `${file}.corrupt-${new Date(nowMs).toISOString().replace(/[:.]/g, '-')}`;
  await rename(file, aside);
  return aside;
}

/** Writes a snapshot to its file through a temporary file renamed over it: never half a file. */
export async function writeSnapshotFile(file: string, snapshot: SandboxSnapshot): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, JSON.stringify(snapshot), 'utf8');
  await rename(tmp, file);
}

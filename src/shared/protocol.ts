/**
 * The one message protocol between the payment inspector (extension side, src/inspector/) and its
 * webview (browser side, webview/). Both ends import this file: the schemas below are the types
 * (derived with z.infer) AND the validators, so a message that does not match is dropped (and
 * logged) by whichever end receives it.
 *
 * Security notes, enforced by the schemas themselves (so the webview re-checks what the extension
 * already checked):
 *  - a QR `image` is only ever a `data:image/(png|gif|jpeg);base64,` URL;
 *  - a QR border colour is only ever a CSS hex colour;
 *  - an `openable` URL is http(s), and the extension only opens URLs that the current model shows;
 *  - messages from the webview are strict objects: an unknown field makes the message invalid.
 *
 * Pure: no `vscode`, no DOM, no Node. Bundled into the webview too (zod/mini keeps it small).
 */
import * as z from 'zod/mini';
import { PAYMENT_ID_RE } from '../domain/ids';
import { SIMULATE_OUTCOMES, STATUS_KINDS } from '../domain/status';

// ---------------------------------------------------------------------------------------------
// Shared checks

/** The QR images we accept: PNG, GIF or JPEG as base64 data URLs, up to ~1.5 MB. */
export const QR_DATA_URL_RE = /^data:image\/(?:png|gif|jpeg);base64,[A-Za-z0-9+/]+={0,2}$/;
export const MAX_DATA_URL_LENGTH = 2_000_000;
/** The largest controls' code the page accepts (dist/webview-toolkit.js is about 115 KB). */
export const MAX_TOOLKIT_CODE = 2_000_000;
/** A CSS hex colour: #rgb, #rgba, #rrggbb or #rrggbbaa. */
export const HEX_COLOUR_RE = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/;

export function isQrDataUrl(value: unknown): boolean {
  return typeof value === 'string' && value.length <= MAX_DATA_URL_LENGTH && QR_DATA_URL_RE.test(value);
}

export function isHexColour(value: unknown): boolean {
  return typeof value === 'string' && HEX_COLOUR_RE.test(value);
}


const str = z.string();
const nstr = z.nullable(z.string());
const nnum = z.nullable(z.number());
const text = (max: number) => z.string().check(z.maxLength(max));
const paymentId = z.string().check(z.regex(PAYMENT_ID_RE));
const qrImage = z.string().check(z.maxLength(MAX_DATA_URL_LENGTH), z.regex(QR_DATA_URL_RE));
const hexColour = z.string().check(z.regex(HEX_COLOUR_RE));

// ---------------------------------------------------------------------------------------------
// The view model (built by the extension, rendered by the webview)

export const statusKindSchema = z.enum(STATUS_KINDS);

/** A URL as shown: its scheme and host plainly, and whether the extension may open it (http/https). */
export const urlViewSchema = z.object({
  url: str,
  scheme: str,
  host: str,
  openable: z.boolean(),
});
export type UrlView = z.infer<typeof urlViewSchema>;

export const qrViewSchema = z.object({
  /** A validated data URL, or null (then the QR is drawn from `qrUrl`, or not at all). */
  image: z.nullable(qrImage),
  /** What the QR code carries (drawn by the webview when there is no image). */
  qrUrl: nstr,
  drawFromUrl: z.boolean(),
  displayText: nstr,
  /** A validated hex colour, or null. */
  borderColor: z.nullable(hexColour),
  /** Epoch ms until which the QR code is to be shown. */
  expiresAt: nnum,
  /** What was refused from the server's data ("border_color is not a hex colour"...). */
  warnings: z.array(str),
});
export type QrView = z.infer<typeof qrViewSchema>;

export const bankRowSchema = z.object({ key: str, label: str, value: str });
export const bankSectionSchema = z.object({ name: str, title: str, rows: z.array(bankRowSchema) });

export const nextActionViewSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('redirect'), type: str, url: urlViewSchema }),
  z.object({
    kind: z.literal('threeDs'),
    type: str,
    authenticationUrl: z.nullable(urlViewSchema),
    authorizeUrl: z.nullable(urlViewSchema),
    messageVersion: nstr,
    method: z.nullable(
      z.object({ key: nstr, submission: z.nullable(z.boolean()), data: nstr, url: z.nullable(urlViewSchema) }),
    ),
    poll: z.nullable(z.object({ id: nstr, delaySecs: nnum, frequency: nnum })),
  }),
  z.object({ kind: z.literal('sdkToken'), type: str, walletName: str, tokenJson: str }),
  z.object({
    kind: z.literal('bankTransfer'),
    type: str,
    sections: z.array(bankSectionSchema),
    receiver: z.nullable(z.object({ received: nstr, charged: nstr, remaining: nstr })),
  }),
  z.object({ kind: z.literal('qr'), type: str, qr: qrViewSchema }),
  z.object({
    kind: z.literal('fetchQr'),
    type: str,
    /** The URL to GET for the QR code (openable: an http(s) URL the person may open after a confirmation). */
    fetchUrl: urlViewSchema,
    /**
     * Whether the extension fetches it: only from the API's own origin (no redirects, no key). Any
     * other URL is never fetched; the webview shows it with an Open button instead.
     */
    fetch: z.object({ allowed: z.boolean(), apiOrigin: nstr, reason: nstr }),
  }),
  z.object({ kind: z.literal('wait'), type: str, from: z.number(), to: nnum }),
  z.object({ kind: z.literal('raw'), type: str, json: str, problem: nstr }),
]);
export type NextActionView = z.infer<typeof nextActionViewSchema>;
export type NextActionViewKind = NextActionView['kind'];

export const TIMELINE_SOURCES = ['payment', 'history', 'attempt', 'capture', 'refund', 'webhook'] as const;
export const timelineEntrySchema = z.object({
  /** ISO 8601, or null when the time is not known. */
  at: nstr,
  /** The status the payment was in after this step; null when not seen. */
  status: nstr,
  statusLabel: nstr,
  kind: statusKindSchema,
  /** What caused the step: "Created", "Captured 20.00 USD", "Failed: card_declined — …". */
  label: str,
  detail: nstr,
  source: z.enum(TIMELINE_SOURCES),
});
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;


/**
 * A JSON value (the payment's metadata) as a flat list of rows in document order: a container row
 * (object, array) is followed by its children at depth + 1. The webview nests them again into
 * collapsible <details>, every key and value set as text. `more` says how many entries were left
 * out (a size or depth limit).
 */
export const JSON_ROW_KINDS = ['object', 'array', 'string', 'number', 'boolean', 'null', 'more'] as const;
export const jsonRowSchema = z.object({
  depth: z.int().check(z.minimum(0), z.maximum(64)),
  /** The object key, or the array index as a string; '' for a `more` row. */
  key: str,
  inArray: z.boolean(),
  kind: z.enum(JSON_ROW_KINDS),
  /** A scalar's value as text (a string as sent, a number as JSON writes it); the `more` row's note. */
  text: nstr,
  /** A container's number of entries. */
  size: nnum,
});
export type JsonRow = z.infer<typeof jsonRowSchema>;

/** A billing or shipping address (Hyperswitch's shape: address, phone, email), as lines of text. */
export const addressViewSchema = z.object({
  /** "Billing", "Shipping", "Billing (payment method)". */
  title: str,
  name: nstr,
  /** Street lines, then "city state zip", then the country: what is there. */
  lines: z.array(str),
  phone: nstr,
  email: nstr,
});
export type AddressView = z.infer<typeof addressViewSchema>;

export const inspectorModelSchema = z.object({
  paymentId,
  /** The panel's title ("49.99 USD · pay_abc…"). */
  title: str,
  /** When the extension received the answer this model shows (ISO 8601). */
  receivedAt: str,
  environment: z.object({ label: str, supportsSimulate: z.boolean() }),
  status: z.object({
    value: str,
    label: str,
    kind: statusKindSchema,
    known: z.boolean(),
    terminal: z.boolean(),
    meaning: nstr,
    next: nstr,
  }),
  amounts: z.object({
    currency: str,
    amount: str,
    capturable: nstr,
    received: nstr,
    net: nstr,
    /** The capturable amount as a person types it ("49.99"), to prefill the capture field. */
    capturableInput: str,
    /** What the refunds that have not failed hold back, and what is left to refund; null when there are no refunds. */
    refunded: nstr,
    leftToRefund: nstr,
  }),
  /** The payment's refunds, oldest first. */
  refunds: z.array(z.object({ id: str, amount: str, status: str, statusLabel: str, kind: statusKindSchema, reason: nstr, error: nstr, at: nstr })),
  details: z.object({
    captureMethod: nstr,
    authenticationType: nstr,
    customerId: nstr,
    description: nstr,
    paymentMethod: nstr,
    card: nstr,
    errorCode: nstr,
    errorMessage: nstr,
    cancellationReason: nstr,
    connector: nstr,
    /** The processor's reference (`pi_…`), once authorised; copyable. */
    connectorTransactionId: nstr,
    returnUrl: nstr,
    attemptCount: nnum,
    /** The customer's name, email and phone as the payment carries them. */
    customerName: nstr,
    email: nstr,
    phone: nstr,
  }),
  addresses: z.array(addressViewSchema),
  /** The metadata as a JSON tree (empty: none). */
  metadata: z.array(jsonRowSchema),
  times: z.object({ created: nstr, modified: nstr, expires: nstr }),
  /** The secret itself is only sent on request ({type:'revealSecret'} → {type:'secret'}). */
  hasClientSecret: z.boolean(),
  nextAction: z.nullable(nextActionViewSchema),
  timeline: z.array(timelineEntrySchema),
  /** What the panel offers, from the one action table (src/domain/status.ts): canDo, simulateOutcomes. */
  actions: z.object({ confirm: z.boolean(), capture: z.boolean(), cancel: z.boolean(), refund: z.boolean(), simulate: z.array(z.enum(SIMULATE_OUTCOMES)) }),
  cancellationReasons: z.array(str),
  /** The panel is polling the payment (non-terminal and visible). */
  polling: z.boolean(),
  /** The last answer as pretty JSON, client secret and any card number removed. */
  rawJson: str,
});
export type InspectorModel = z.infer<typeof inspectorModelSchema>;

// ---------------------------------------------------------------------------------------------
// Extension → webview

export const toWebviewSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('model'), model: inspectorModelSchema }),
  /** The QR of a fetch_qr_code_information, fetched by the extension (never by the webview). */
  z.object({ type: z.literal('qr'), paymentId, qr: z.nullable(qrViewSchema), fetchedAt: str, error: nstr }),
  z.object({ type: z.literal('busy'), busy: z.boolean(), action: nstr }),
  /**
   * An error to show. `read`: a read of the payment failed, and the next answer clears it; `action` (the
   * default): an action was refused or failed, and it stays until the person changes a field, starts
   * another action or dismisses it (a new answer, a poll's, does not take it away).
   */
  z.object({ type: z.literal('error'), message: str, source: z.optional(z.enum(['read', 'action'])) }),
  z.object({ type: z.literal('secret'), paymentId, value: nstr }),
  /** A short confirmation ("Copied"), shown briefly. */
  z.object({ type: z.literal('notice'), message: str }),
  /**
   * The controls' code (dist/webview-toolkit.js), asked for by the page after its first paint and run by
   * its nonce; null when the extension could not read it (the page then links it).
   */
  z.object({ type: z.literal('toolkit'), code: z.nullable(z.string().check(z.maxLength(MAX_TOOLKIT_CODE))) }),
]);
export type ToWebview = z.infer<typeof toWebviewSchema>;

// ---------------------------------------------------------------------------------------------
// Webview → extension

export const PANEL_ACTIONS = ['confirm', 'capture', 'cancel', 'refund', 'refresh', 'copyCurl', 'copyId', 'simulate'] as const;
export type PanelAction = (typeof PANEL_ACTIONS)[number];
/** The simulated customer outcomes a panel can ask for (which ones it offers: the model's actions). */
export const PANEL_OUTCOMES = SIMULATE_OUTCOMES;

const actionMessageSchema = z
  .strictObject({
    type: z.literal('action'),
    action: z.enum(PANEL_ACTIONS),
    /** For capture: the amount as typed ("20.00"), sent as amount_to_capture; absent = the capturable amount shown; empty is refused. */
    amount: z.optional(text(40)),
    /** For cancel. */
    reason: z.optional(text(200)),
    /** For simulate. */
    outcome: z.optional(z.enum(PANEL_OUTCOMES)),
  })
  .check(
    z.refine((m) => m.action !== 'simulate' || m.outcome !== undefined, { message: 'simulate needs an outcome' }),
    z.refine((m) => m.amount === undefined || m.action === 'capture', { message: 'amount is only for capture' }),
    z.refine((m) => m.reason === undefined || m.action === 'cancel', { message: 'reason is only for cancel' }),
    z.refine((m) => m.outcome === undefined || m.action === 'simulate', { message: 'outcome is only for simulate' }),
  );

export const fromWebviewSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  /** After the first render of a model: ms since the webview's document started loading. */
  z.strictObject({
    type: z.literal('painted'),
    sinceLoadMs: z.number(),
    /** performance.now() marks of the webview's start-up: script start, components registered, model in, drawn. */
    marks: z.optional(z.record(z.string().check(z.maxLength(40)), z.number())),
  }),
  actionMessageSchema,
  z.strictObject({ type: z.literal('openUrl'), url: text(8192) }),
  z.strictObject({ type: z.literal('copy'), text: text(200_000), what: z.optional(text(80)) }),
  z.strictObject({ type: z.literal('revealSecret') }),
  /** The person typed in the panel: it is kept (no longer a preview). */
  z.strictObject({ type: z.literal('keep') }),
  /** After the first paint: the controls' code, please (answered with a 'toolkit' message). */
  z.strictObject({ type: z.literal('toolkit') }),
  z.strictObject({ type: z.literal('log'), level: z.enum(['info', 'warn', 'error']), message: text(2000) }),
]);
export type FromWebview = z.infer<typeof fromWebviewSchema>;
export type ActionMessage = Extract<FromWebview, { type: 'action' }>;

// ---------------------------------------------------------------------------------------------
// The webview's persisted state (getState/setState), handed to the serializer after a reload.

export const webviewStateSchema = z.object({
  paymentId,
  model: z.optional(z.nullable(inspectorModelSchema)),
});
export type WebviewState = z.infer<typeof webviewStateSchema>;

// ---------------------------------------------------------------------------------------------
// Validators

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

function parseWith<T>(schema: z.ZodMiniType<T>, data: unknown): Parsed<T> {
  const r = schema.safeParse(data);
  if (r.success) return { ok: true, value: r.data };
  const error = r.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.map(String).join('.') : '(message)'}: ${i.message}`)
    .join('; ');
  return { ok: false, error };
}

/** Validates a message the webview received. */
export function parseToWebview(data: unknown): Parsed<ToWebview> {
  return parseWith(toWebviewSchema, data);
}

/** Validates a message the extension received from the webview. */
export function parseFromWebview(data: unknown): Parsed<FromWebview> {
  return parseWith(fromWebviewSchema, data);
}

export function parseInspectorModel(data: unknown): Parsed<InspectorModel> {
  return parseWith(inspectorModelSchema, data);
}

/**
 * The state a webview saved. A saved model that no longer matches the schema (saved by an older
 * version of the extension) is dropped, not the panel: it is restored with its payment id and reads
 * the payment again.
 */
export function parseWebviewState(data: unknown): Parsed<WebviewState> {
  const whole = parseWith(webviewStateSchema, data);
  if (whole.ok) return whole;
  const idOnly = parseWith(z.object({ paymentId }), data);
  return idOnly.ok ? { ok: true, value: { paymentId: idOnly.value.paymentId, model: null } } : whole;
}

/** A short, log-safe description of a message that was dropped (its type, never its contents). */
export function describeDropped(data: unknown): string {
  if (data && typeof data === 'object' && 'type' in data) {
    const t = (data as { type: unknown }).type;
    return typeof t === 'string' ? `type "${t.slice(0, 40)}"` : 'a message with a non-string type';
  }
  return `a ${data === null ? 'null' : typeof data} value`;
}

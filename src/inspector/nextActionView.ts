/**
 * What the inspector shows of a payment's `next_action`: one view model per known type, built here
 * (pure, unit-tested) and drawn by the webview (webview/nextAction.ts). Everything the server says
 * is checked before it can reach the page: URLs are parsed and only http(s) ones are openable, a
 * QR image must be a base64 PNG/GIF/JPEG data URL, a border colour must be a CSS hex colour, and a
 * known type whose fields are not as documented is shown as its JSON, plainly.
 *
 * No `vscode`, no DOM, no Node.
 */
import { parseNextAction, type FetchedQrCode, type NextAction, type QrCodeInformation } from '../api/nextAction';
import { maskCardsInText } from '../domain/cards';
import { formatMoney } from '../domain/money';
import { isSensitiveName } from '../domain/redact';
import { isHexColour, isQrDataUrl, MAX_DATA_URL_LENGTH, type NextActionView, type QrView, type UrlView } from '../shared/protocol';
import { qrFetchDecision } from '../domain/qrFetch';

/** The longest text a QR code drawn by the webview may carry (QR version 40, byte mode, level L). */
export const MAX_QR_TEXT = 2048;


/** A URL as shown: scheme and host plainly; openable only for http and https. */
export function urlView(raw: string): UrlView {
  try {
    const u = new URL(raw);
    const scheme = u.protocol.replace(/:$/, '');
    return { url: raw, scheme, host: u.host, openable: (scheme === 'http' || scheme === 'https') && u.host !== '' };
  } catch {
    const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(raw);
    return { url: raw, scheme: m ? m[1]!.toLowerCase() : '', host: '', openable: false };
  }
}

function optionalUrl(raw: string | null | undefined): UrlView | null {
  return typeof raw === 'string' && raw !== '' ? urlView(raw) : null;
}

/**
 * A deep copy without the keys that must never be shown (the one list of sensitive names, and
 * card_number), card numbers in text cut to their last four. A `__proto__` key stays a plain key.
 */
export function withoutSensitive(value: unknown): unknown {
  if (typeof value === 'string') return maskCardsInText(value);
  if (Array.isArray(value)) return value.map(withoutSensitive);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (isSensitiveName(k) || k.toLowerCase() === 'card_number') continue;
      Object.defineProperty(out, k, { value: withoutSensitive(v), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

/** Pretty JSON of anything the server sent, sensitive keys removed. */
export function prettyJson(value: unknown): string {
  try {
    return JSON.stringify(withoutSensitive(value), null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

/** "account_number" → "Account number"; "iban" → "IBAN" (a few well-known acronyms kept upper-case). */
export function humanize(key: string): string {
  const acronyms = new Set(['iban', 'bic', 'swift', 'ach', 'sepa', 'bacs', 'url', 'id', 'qr', 'sdk', 'ifsc']);
  const words = key.split(/[_\s]+/).filter(Boolean).map((w) => (acronyms.has(w.toLowerCase()) ? w.toUpperCase() : w.toLowerCase()));
  if (!words.length) return key;
  const first = words[0]!;
  words[0] = first === first.toUpperCase() ? first : first.charAt(0).toUpperCase() + first.slice(1);
  return words.join(' ');
}

/** Builds a QR view from either a qr_code_information next_action or a fetched QR answer. */
export function qrView(
  info: Pick<QrCodeInformation, 'image_data_url' | 'qr_code_url' | 'display_to_timestamp'> &
    Partial<Pick<QrCodeInformation, 'display_text' | 'border_color'>>,
): QrView {
  const warnings: string[] = [];
  let image: string | null = null;
  const dataUrl: string = typeof info.image_data_url === 'string' ? info.image_data_url : '';
  if (dataUrl !== '') {
    if (isQrDataUrl(dataUrl)) image = dataUrl;
    else if (dataUrl.length > MAX_DATA_URL_LENGTH) warnings.push('image_data_url is too large to show.');
    else warnings.push('image_data_url is not a base64 PNG, GIF or JPEG data URL: not shown.');
  }
  const qrUrl = typeof info.qr_code_url === 'string' && info.qr_code_url !== '' ? info.qr_code_url : null;
  let drawFromUrl = false;
  if (!image && qrUrl) {
    if (qrUrl.length <= MAX_QR_TEXT) drawFromUrl = true;
    else warnings.push('qr_code_url is too long to draw as a QR code.');
  }
  let borderColor: string | null = null;
  if (typeof info.border_color === 'string' && info.border_color !== '') {
    if (isHexColour(info.border_color)) borderColor = info.border_color;
    else warnings.push('border_color is not a CSS hex colour: ignored.');
  }
  const expires = info.display_to_timestamp;
  return {
    image,
    qrUrl,
    drawFromUrl,
    displayText: typeof info.display_text === 'string' && info.display_text !== '' ? info.display_text : null,
    borderColor,
    expiresAt: typeof expires === 'number' && Number.isFinite(expires) ? expires : null,
    warnings,
  };
}

/** The QR of a fetch_qr_code_information answer. */
export function fetchedQrView(fetched: FetchedQrCode): QrView {
  return qrView(fetched);
}

function raw(action: NextAction, problem?: string): NextActionView {
  return { kind: 'raw', type: action.type, json: prettyJson(action), problem: problem ?? null };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The view of a payment's next_action (null when there is none). `currency` formats the amounts of
 * a bank transfer's receiver; `apiBaseUrl` (the current environment's) decides whether a
 * fetch_qr_code_information URL may be fetched.
 */
export function nextActionView(action: NextAction | null | undefined, currency: string, options: { apiBaseUrl?: string } = {}): NextActionView | null {
  if (!action) return null;
  const parsed = parseNextAction(action);
  if (!parsed.known) return raw(parsed.raw, parsed.problem);
  const a = parsed.action;
  switch (a.type) {
    case 'redirect_to_url':
      return { kind: 'redirect', type: a.type, url: urlView(a.redirect_to_url) };
    case 'three_ds_invoke': {
      const d = a.three_ds_data;
      const m = d.three_ds_method_details;
      const p = d.poll_config;
      return {
        kind: 'threeDs',
        type: a.type,
        authenticationUrl: optionalUrl(d.three_ds_authentication_url),
        authorizeUrl: optionalUrl(d.three_ds_authorize_url),
        messageVersion: d.message_version ?? null,
        method: m
          ? {
              key: m.three_ds_method_key ?? null,
              submission: m.three_ds_method_data_submission ?? null,
              data: m.three_ds_method_data ?? null,
              url: optionalUrl(m.three_ds_method_url),
            }
          : null,
        poll: p ? { id: p.poll_id ?? null, delaySecs: p.delay_in_secs ?? null, frequency: p.frequency ?? null } : null,
      };
    }
    case 'third_party_sdk_session_token':
      return {
        kind: 'sdkToken',
        type: a.type,
        walletName: a.session_token.wallet_name,
        tokenJson: prettyJson(a.session_token),
      };
    case 'display_bank_transfer_information': {
      // Hyperswitch puts `receiver` inside bank_transfer_steps_and_charges_details; older answers beside it.
      const details = a.bank_transfer_steps_and_charges_details as Record<string, unknown>;
      const inner = isRecord(details.receiver) && ['amount_received', 'amount_charged', 'amount_remaining'].some((k) => k in (details.receiver as object))
        ? (details.receiver as { amount_received?: unknown; amount_charged?: unknown; amount_remaining?: unknown })
        : undefined;
      const sectionEntries = Object.entries(a.bank_transfer_steps_and_charges_details).filter(([name, fields]) => !(inner && name === 'receiver') && isRecord(fields));
      const sections = sectionEntries.map(([name, fields]) => ({
        name,
        title: humanize(name),
        rows: Object.entries(fields)
          .filter(([k]) => !isSensitiveName(k) && k.toLowerCase() !== 'card_number')
          .map(([key, value]) => ({ key, label: humanize(key), value: value === null ? '—' : String(value) })),
      }));
      const r = a.receiver ?? inner;
      const money = (n: unknown) => (typeof n === 'number' ? formatMoney(n, currency) : null);
      return {
        kind: 'bankTransfer',
        type: a.type,
        sections,
        receiver: r
          ? { received: money(r.amount_received), charged: money(r.amount_charged), remaining: money(r.amount_remaining) }
          : null,
      };
    }
    case 'qr_code_information': {
      const qr = qrView(a);
      if (!qr.image && !qr.drawFromUrl) {
        return raw(action, 'Neither a valid image_data_url nor a qr_code_url to draw: shown as JSON.');
      }
      return { kind: 'qr', type: a.type, qr };
    }
    case 'fetch_qr_code_information':
      return { kind: 'fetchQr', type: a.type, fetchUrl: urlView(a.qr_code_fetch_url), fetch: qrFetchDecision(a.qr_code_fetch_url, options.apiBaseUrl) };
    case 'wait_screen_information':
      return {
        kind: 'wait',
        type: a.type,
        from: a.display_from_timestamp,
        to: typeof a.display_to_timestamp === 'number' ? a.display_to_timestamp : null,
      };
  }
}

/** Every URL a view offers to open (the extension opens only these, and only if http/https). */
export function openableUrls(view: NextActionView | null): string[] {
  if (!view) return [];
  const urls: (UrlView | null | undefined)[] = [];
  switch (view.kind) {
    case 'redirect':
      urls.push(view.url);
      break;
    case 'threeDs':
      urls.push(view.authenticationUrl, view.authorizeUrl, view.method?.url);
      break;
    case 'fetchQr':
      // A QR code URL the extension does not fetch (not on the API's origin) may be opened instead.
      if (!view.fetch.allowed) urls.push(view.fetchUrl);
      break;
    default:
      break;
  }
  return urls.filter((u): u is UrlView => !!u && u.openable).map((u) => u.url);
}


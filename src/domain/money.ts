/**
 * Money as people read and type it, and as the API carries it (integers in the currency's minor
 * unit). Pure functions: no I/O, no `vscode`.
 */

/** ISO 4217 currencies with their number of minor-unit digits. USD first: it is the default. */
export const CURRENCY_EXPONENTS: Readonly<Record<string, number>> = {
  USD: 2, EUR: 2, GBP: 2, JPY: 0, INR: 2, AUD: 2, CAD: 2, CHF: 2, CNY: 2, SGD: 2, HKD: 2,
  NZD: 2, SEK: 2, NOK: 2, DKK: 2, PLN: 2, CZK: 2, HUF: 2, BRL: 2, MXN: 2, ZAR: 2, MYR: 2,
  THB: 2, IDR: 2, PHP: 2, AED: 2, SAR: 2, TRY: 2, ILS: 2, KRW: 0, VND: 0, CLP: 0, ISK: 0,
  UGX: 0, XOF: 0, XAF: 0, KWD: 3, BHD: 3, JOD: 3, OMR: 3, TND: 3,
};

export const CURRENCIES: readonly string[] = Object.keys(CURRENCY_EXPONENTS);

export function isKnownCurrency(code: string): boolean {
  return Object.prototype.hasOwnProperty.call(CURRENCY_EXPONENTS, code);
}

/** Digits after the decimal point; 2 for a currency we do not know (the common case). */
export function currencyExponent(currency: string): number {
  return CURRENCY_EXPONENTS[currency.toUpperCase()] ?? 2;
}

/** 4999, "USD" → "49.99"; 5000, "JPY" → "5000". Negative amounts keep their sign. */
export function formatMinorUnits(amount: number, currency: string): string {
  const exp = currencyExponent(currency);
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(amount));
  if (exp === 0) return sign + String(abs);
  const s = String(abs).padStart(exp + 1, '0');
  return `${sign}${s.slice(0, -exp)}.${s.slice(-exp)}`;
}

/** 4999, "USD" → "49.99 USD", the form used in the tree, titles and messages. */
export function formatMoney(amount: number | null | undefined, currency: string): string {
  if (amount === null || amount === undefined || !Number.isFinite(amount)) return `— ${currency}`;
  return `${formatMinorUnits(amount, currency)} ${currency}`;
}

export type ParsedAmount = { ok: true; minor: number } | { ok: false; reason: string };

/**
 * Parses money as people type it ("49.99", "49,99", "1,000.50", "$12", "5000") into minor units.
 * Refuses what is not a positive amount in the currency's precision, with a reason to show.
 */
export function parseMoney(input: string, currency: string): ParsedAmount {
  const exp = currencyExponent(currency);
  let text = input.trim().replace(/\s+/g, '').replace(/^[$€£¥₹]/, '');
  if (text.toUpperCase().endsWith(currency.toUpperCase())) text = text.slice(0, -currency.length);
  if (text === '') return { ok: false, reason: 'Enter an amount, for example 49.99.' };
  // "49,99" (one comma, up to the currency's digits after it) is a decimal comma; other commas
  // group thousands ("1,000.50").
  const decimalComma = /^\d+,\d{1,3}$/.test(text) && !/^\d{1,3},\d{3}$/.test(text);
  text = decimalComma ? text.replace(',', '.') : text.replace(/,(?=\d{3}(\D|$))/g, '');
  const m = /^(\d+)(?:\.(\d*))?$/.exec(text);
  if (!m) return { ok: false, reason: `"${input.trim()}" is not an amount. Type digits, for example 49.99.` };
  const whole = m[1]!;
  const frac = m[2] ?? '';
  if (frac.length > exp) {
    return {
      ok: false,
      reason: exp === 0
        ? `${currency} has no minor unit: type a whole number.`
        : `${currency} has ${exp} decimal places at most.`,
    };
  }
  const minor = Number(whole + frac.padEnd(exp, '0'));
  if (!Number.isSafeInteger(minor)) return { ok: false, reason: 'That amount is too large.' };
  if (minor <= 0) return { ok: false, reason: 'The amount must be greater than zero.' };
  return { ok: true, minor };
}

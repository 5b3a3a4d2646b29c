// Every wait of the end-to-end suite, in one place. The values hold on a busy two-core machine (another
// `npm test` beside this one); PERFECTPAY_TIMEOUT_SCALE (default 1) multiplies them all for a slower one,
// e.g. PERFECTPAY_TIMEOUT_SCALE=2. A timeout here is a limit, never a pause: every wait polls a condition and
// returns as soon as it holds.

/** The factor from PERFECTPAY_TIMEOUT_SCALE: a positive number, else 1. */
export const timeoutScale: number = (() => {
  const raw = process.env.PERFECTPAY_TIMEOUT_SCALE;
  const n = raw === undefined || raw === '' ? 1 : Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`PERFECTPAY_TIMEOUT_SCALE must be a positive number, not "${raw}"`);
  return n;
})();

const scaled = (ms: number): number => Math.round(ms * timeoutScale);

export const timeouts = {
  /**
   * One read inside a poll (an element's text, an input's value): short and not scaled, because the poll
   * around it looks again until its own, scaled, limit.
   */
  look: 1_000,
  /** Something already on its way: a hover card, a toast's button, a frame's element (5 s). */
  short: scaled(5_000),
  /** The answer to one key press or click: the palette, a quick input, a tab, a theme (15 s). */
  action: scaled(15_000),
  /** A step that makes requests or redraws: a notification, a tree row, a rendered panel (30 s). */
  step: scaled(30_000),
  /** A flow or a start: the view's first page, an inspector, an extension's activation (60 s). */
  slow: scaled(60_000),
  /** code-server up, the workbench loaded, an extension installed (120 s). */
  load: scaled(120_000),
  /** One test, from its session's start to its last check (mocha's limit for a test or a hook: 300 s). */
  test: scaled(300_000),
  /** A test that also builds and installs the .vsix (420 s). */
  testWithPackage: scaled(420_000),
} as const;

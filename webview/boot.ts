/**
 * Imported first by main.ts, so that it runs before any other module of the bundle is evaluated:
 * the time the bundle's code started (its load and parse before it, its modules' evaluation after).
 */
export const bundleStart = performance.now();

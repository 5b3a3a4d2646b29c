/**
 * The heavy half of the extension, bundled to dist/runtime.js and loaded lazily on first use
 * (`require('./runtime.js')` in src/extension.ts; see the top of esbuild.mjs): the API client
 * (undici, zod) and the local sandbox.
 */
export * from './api';
export { startSandbox } from './sandbox';

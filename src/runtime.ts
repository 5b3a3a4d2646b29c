/**
 * The heavy half of the extension, bundled to dist/runtime.js and loaded lazily on first use
 * (`require('./runtime.js')` in src/extension.ts; see the top of esbuild.mjs): the API client
 * (undici, zod) and the local sandbox.
 */
export * from './api';
export { startSandbox, newWebhookSecret } from './sandbox';
export { startWebhookInbox, verifySignature, type InboxArrival, type WebhookInbox } from './sandbox/inbox';
export { webhookVerificationCode, WEBHOOK_SECRET_VARIABLE, type WebhookCodeLanguage } from './api/webhookCode';
export { setAsideSnapshotFile } from './sandbox/snapshot';
import * as z from 'zod/mini';

/**
 * The one copy of zod/mini, for the extension bundle too (see zodFromRuntime in esbuild.mjs): the
 * members our schemas use (a namespace re-export would keep all of zod, locales included).
 */
export const zodMini = {
  array: z.array, boolean: z.boolean, discriminatedUnion: z.discriminatedUnion, enum: z.enum, int: z.int,
  json: z.json, literal: z.literal, looseObject: z.looseObject, maxLength: z.maxLength, maximum: z.maximum,
  minLength: z.minLength, minimum: z.minimum, nullable: z.nullable, number: z.number, object: z.object,
  optional: z.optional, pipe: z.pipe, record: z.record, refine: z.refine, regex: z.regex,
  strictObject: z.strictObject, string: z.string, transform: z.transform, union: z.union, unknown: z.unknown,
};
export { makeSandboxLock, parseSandboxLock, type SandboxLock } from './sandbox/lock';

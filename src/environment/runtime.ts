/**
 * The shape of the lazily loaded runtime (dist/runtime.js): the API client and the local sandbox.
 * Only a type here: the extension reaches the values through the loader that src/extension.ts
 * passes in (`require('./runtime.js')`, see the top of esbuild.mjs), never through an import.
 */
export type RuntimeModule = typeof import('../runtime');

export type RuntimeLoader = () => RuntimeModule;

/** The webhook inbox's types (src/sandbox/inbox.ts), for the layers above that may not import the sandbox. */
export type { InboxArrival, WebhookInbox } from '../sandbox/inbox';

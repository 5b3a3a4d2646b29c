/**
 * The lock file of a local sandbox shared by several VS Code windows (`local-sandbox.lock`, beside
 * `local-sandbox.json` in the extension's global storage): the window that started the sandbox (its
 * owner) writes where it listens and its keys there, mode 0600; another window reads it, checks that the
 * sandbox answers to that key, and uses it instead of starting its own. Only the owner saves the
 * sandbox's payments. The format and its check live here (no `vscode`); src/environment/localSandbox.ts
 * does the file's I/O.
 */
import * as z from 'zod/mini';
import { describeZodError } from '../api/schemas';

export const SANDBOX_LOCK_FORMAT = 'perfectpay-local-sandbox-lock';
export const SANDBOX_LOCK_VERSION = 1;

const lockSchema = z.object({
  format: z.literal(SANDBOX_LOCK_FORMAT),
  version: z.literal(SANDBOX_LOCK_VERSION),
  /** The owner's process (its extension host). */
  pid: z.int().check(z.minimum(1)),
  /** Loopback only: a lock file never sends a key anywhere else. */
  url: z.string().check(z.regex(/^http:\/\/127\.0\.0\.1:\d{1,5}$/, 'not a loopback URL')),
  apiKey: z.string().check(z.minLength(8)),
  publishableKey: z.string().check(z.minLength(8)),
  /** The `perfectpay.localSandbox.seed` it was started with. */
  seed: z.int(),
  startedAt: z.string(),
});

export type SandboxLock = z.infer<typeof lockSchema>;

export function makeSandboxLock(fields: Omit<SandboxLock, 'format' | 'version'>): SandboxLock {
  return { format: SANDBOX_LOCK_FORMAT, version: SANDBOX_LOCK_VERSION, ...fields };
}

/** The lock file's text checked: the lock, or what is wrong with it (never the text itself: it holds a key). */
export function parseSandboxLock(text: string): { lock?: SandboxLock; problem?: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { problem: 'not JSON' };
  }
  const r = lockSchema.safeParse(json);
  return r.success ? { lock: r.data } : { problem: describeZodError(r.error) };
}

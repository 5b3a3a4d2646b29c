// Which extensions the extension host has activated, and why, read from its log as VS Code writes it:
// `<user-data-dir>/logs/<session>/exthost<N>/remoteexthost.log` (code-server's extension host is a "remote"
// one), lines such as
//   [info] ExtensionService#_doActivateExtension perfectpay.perfectpay-explorer, startup: false, activationEvent: 'onView:perfectpay.payments'
//   [info] Eager extensions activated        (the `*` and `workspaceContains:` ones; onStartupFinished follows)
// Used to show that a window which never opens PerfectPay does not activate it (issue 10).
import * as fs from 'fs';
import * as path from 'path';
import { waitFor } from './codeServer';
import { timeouts } from './timeouts';

export const PERFECTPAY_ID = 'perfectpay.perfectpay-explorer';

export interface Activation {
  extensionId: string;
  startup: boolean;
  event: string;
}

function logFiles(userDataDir: string): string[] {
  const logs = path.join(userDataDir, 'logs');
  if (!fs.existsSync(logs)) return [];
  const out: string[] = [];
  for (const session of fs.readdirSync(logs)) {
    const dir = path.join(logs, session);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const host of fs.readdirSync(dir).filter((d) => /^exthost\d+$/.test(d))) {
      const f = path.join(dir, host, 'remoteexthost.log');
      if (fs.existsSync(f)) out.push(f);
    }
  }
  return out;
}

/** The extension host log text (all hosts, all sessions of this user-data dir). */
export function extHostLog(userDataDir: string): string {
  return logFiles(userDataDir).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
}

/** Every activation the extension host has logged so far, in order. */
export function activations(userDataDir: string): Activation[] {
  const re = /ExtensionService#_doActivateExtension (\S+), startup: (true|false), activationEvent: '([^']*)'/g;
  return [...extHostLog(userDataDir).matchAll(re)].map((m) => ({ extensionId: m[1]!, startup: m[2] === 'true', event: m[3]! }));
}

/** `probe` through waitFor; on timeout the error also lists the activations logged by then. */
async function waitInLog<T>(userDataDir: string, probe: () => T, what: string, timeoutMs: number): Promise<Exclude<T, false | 0 | '' | null | undefined>> {
  try {
    return await waitFor(probe, { what, timeout: timeoutMs, interval: 200 });
  } catch (e) {
    const logged = activations(userDataDir).map((x) => `${x.extensionId} (${x.event})`).join(', ') || 'none';
    throw new Error(`${e instanceof Error ? e.message : String(e)}; activations logged: ${logged}`);
  }
}

/** Waits until `ok(activations)` holds; the error names `what` and the activations seen. */
export async function waitForActivations(userDataDir: string, ok: (a: Activation[]) => boolean, what: string, timeoutMs = timeouts.slow): Promise<Activation[]> {
  return waitInLog(userDataDir, () => {
    const a = activations(userDataDir);
    return ok(a) && a;
  }, what, timeoutMs);
}

/**
 * Waits until the extension host has finished its start-up activations: "Eager extensions activated" is
 * logged, and so is a built-in extension activated at `onStartupFinished` (VS Code fires that event right
 * after the eager ones), so that an extension which still asked for onStartupFinished would be active by then.
 */
export async function waitForStartupActivations(userDataDir: string, timeoutMs = timeouts.slow): Promise<Activation[]> {
  return waitInLog(userDataDir, () => {
    const a = activations(userDataDir);
    return /Eager extensions activated/.test(extHostLog(userDataDir)) && a.some((x) => x.event === 'onStartupFinished') && a;
  }, "the extension host's start-up activations (eager, then onStartupFinished)", timeoutMs);
}

/**
 * The integrated terminal's view of the local sandbox: `PERFECTPAY_API_KEY`,
 * `PERFECTPAY_PUBLISHABLE_KEY` and `PERFECTPAY_BASE_URL` through the extension's environment-variable
 * collection, so that a cURL copied from the local sandbox runs as it is in a new integrated terminal
 * (the copies read the keys from those variables; the local sandbox's keys never leave memory
 * otherwise). Only the local sandbox's: its keys open nothing but a loopback toy. For any other
 * environment the collection is empty: a hosted key never goes into it. Not persistent: VS Code keeps
 * nothing of it on disk, and a key of a stopped sandbox is no use anyway.
 */
import type * as vscode from 'vscode';
import { l10n } from './l10n';
import { API_KEY_ENV_VAR, PUBLISHABLE_KEY_ENV_VAR } from '../api/curl';
import type { LocalSandboxHandle } from './localSandbox';

/** The variable that holds the local sandbox's base URL. */
export const BASE_URL_ENV_VAR = 'PERFECTPAY_BASE_URL';

export class TerminalEnvironment {
  constructor(private readonly collection: vscode.EnvironmentVariableCollection) {
    collection.persistent = false;
    this.clear();
  }

  /** Empty, with its description (which `clear()` removes too). */
  private clear(): void {
    this.collection.clear();
    this.collection.description = l10n.t('PerfectPay local sandbox key and URL');
  }

  /** The local sandbox's key and URL (the current environment is the local sandbox, and it runs), or none. */
  show(local: LocalSandboxHandle | undefined): void {
    if (!local) {
      this.clear();
      return;
    }
    this.collection.replace(API_KEY_ENV_VAR, local.apiKey);
    this.collection.replace(PUBLISHABLE_KEY_ENV_VAR, local.publishableKey);
    this.collection.replace(BASE_URL_ENV_VAR, local.url);
  }
}

/**
 * The user's secret API keys, in VS Code's SecretStorage ONLY (one per environment; a custom
 * environment's key belongs to its origin). Never written to settings, logs or messages.
 */
import * as vscode from 'vscode';
import type { EnvironmentKind } from './types';
import { httpOrigin } from './settings';

const PREFIX = 'perfectpay.apiKey.';

/** The SecretStorage name of an environment's key; undefined for `local` (its key is generated). */
export function secretName(kind: EnvironmentKind, baseUrl: string): string | undefined {
  if (kind === 'local') return undefined;
  if (kind === 'sandbox') return `${PREFIX}sandbox`;
  return `${PREFIX}custom:${httpOrigin(baseUrl) ?? baseUrl}`;
}

/**
 * The SecretStorage name of an environment's publishable key (for confirms made as the browser makes
 * them); undefined for `local` (the local sandbox makes its own). Not a secret the way the secret key is,
 * but it belongs to an account, so it is kept beside it and never in settings.
 */
export function publishableSecretName(kind: EnvironmentKind, baseUrl: string): string | undefined {
  const name = secretName(kind, baseUrl);
  return name && `${PREFIX}publishable.${name.slice(PREFIX.length)}`;
}

/** The SecretStorage name of the local sandbox's webhook secret (its payment_response_hash_key). */
export const WEBHOOK_SECRET_NAME = 'perfectpay.webhookSecret.local';

export class ApiKeyStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires with the secret's name when one of our keys changes (here or in another window). */
  readonly onDidChange = this.changed.event;
  private readonly sub: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.sub = secrets.onDidChange((e) => {
      if (e.key.startsWith(PREFIX)) this.changed.fire(e.key);
    });
  }

  async get(name: string): Promise<string | undefined> {
    const v = await this.secrets.get(name);
    return v && v.trim() ? v.trim() : undefined;
  }

  async set(name: string, key: string): Promise<void> {
    await this.secrets.store(name, key.trim());
  }

  async delete(name: string): Promise<void> {
    await this.secrets.delete(name);
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}

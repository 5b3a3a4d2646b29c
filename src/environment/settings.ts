/** The extension's settings (`perfectpay.*`), read in one place. */
import * as vscode from 'vscode';
import { l10n } from './l10n';
import { ENVIRONMENT_KINDS, type EnvironmentKind } from './types';
import { isLoopbackHost, SANDBOX_URL } from '../domain/network';
import type { NetworkSettings } from '../api/network';

export { isLoopbackHost, SANDBOX_URL };

export interface Settings {
  environment: EnvironmentKind;
  /** For `custom`: the base URL as the user typed it (maybe empty or invalid). */
  baseUrl: string;
  seed: number;
  pageSize: number;
  pciControlledEnvironment: boolean;
}

export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration('perfectpay');
  const env = c.get<string>('environment', 'local');
  const pageSize = Math.trunc(c.get<number>('pageSize', 25));
  const seed = Math.trunc(c.get<number>('localSandbox.seed', 25));
  return {
    environment: (ENVIRONMENT_KINDS as readonly string[]).includes(env) ? (env as EnvironmentKind) : 'local',
    baseUrl: (c.get<string>('baseUrl', '') ?? '').trim(),
    seed: Number.isFinite(seed) && seed >= 0 ? Math.min(seed, 1000) : 25,
    pageSize: Number.isFinite(pageSize) ? Math.min(100, Math.max(1, pageSize)) : 25,
    pciControlledEnvironment: c.get<boolean>('pciControlledEnvironment', false) === true,
  };
}

/** Settings whose change means a new environment (client, key, what raw card data may go to). */
export function affectsEnvironment(e: vscode.ConfigurationChangeEvent): boolean {
  return (
    e.affectsConfiguration('perfectpay.environment') ||
    e.affectsConfiguration('perfectpay.baseUrl') ||
    e.affectsConfiguration('perfectpay.pciControlledEnvironment') ||
    e.affectsConfiguration('perfectpay.localSandbox.seed')
  );
}

/**
 * VS Code's own network settings (`http.*`), as the client follows them (src/api/network.ts checks
 * their values, reads the environment variables and certificate files). Read again on every change.
 */
export function readNetworkSettings(): NetworkSettings {
  const c = vscode.workspace.getConfiguration('http');
  return {
    proxy: c.get('proxy'),
    noProxy: c.get('noProxy'),
    proxyAuthorization: c.get('proxyAuthorization'),
    strictSSL: c.get('proxyStrictSSL'),
    proxySupport: c.get('proxySupport'),
    systemCertificates: c.get('systemCertificates'),
  };
}

/**
 * Writes a setting where its effective value comes from: a workspace that sets
 * `perfectpay.environment` (as `npm start`'s does) would otherwise hide a change written to the
 * user's settings.
 */
export async function updateSetting(key: string, value: unknown): Promise<void> {
  const c = vscode.workspace.getConfiguration('perfectpay');
  await c.update(key, value, settingTarget(c.inspect(key)));
}

/** The scope that holds the effective value of a setting (Global when only the default does). */
export function settingTarget(i: { workspaceValue?: unknown; workspaceFolderValue?: unknown } | undefined): vscode.ConfigurationTarget {
  if (i?.workspaceValue !== undefined) return vscode.ConfigurationTarget.Workspace;
  if (i?.workspaceFolderValue !== undefined) return vscode.ConfigurationTarget.WorkspaceFolder;
  return vscode.ConfigurationTarget.Global;
}

/** The origin of a URL, or undefined when it is not an http(s) URL. */
export function httpOrigin(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

/** A URL over plain http to another machine: the key and payment data would cross the network in clear. */
export function isPlainHttpRemote(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' && !isLoopbackHost(u.hostname);
  } catch {
    return false;
  }
}

/** Why a custom base URL cannot be used, or undefined when it can. */
export function baseUrlProblem(url: string): string | undefined {
  if (!url) return l10n.t('No base URL is set for the custom environment (setting perfectpay.baseUrl).');
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return l10n.t('The custom base URL "{0}" is not a URL. Set perfectpay.baseUrl to something like https://payments.example.com.', url);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    return l10n.t('The custom base URL must start with http:// or https://, not {0}//.', u.protocol);
  }
  return undefined;
}

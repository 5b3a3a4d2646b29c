/** "PerfectPay: Select Environment" and "PerfectPay: Set API Key". */
import * as vscode from 'vscode';
import { baseUrlProblem, httpOrigin, isPlainHttpRemote, SANDBOX_URL, updateSetting } from '../environment/settings';
import type { EnvironmentInfo, EnvironmentKind } from '../environment/types';
import { askApiKey, reportError, type CommandDeps } from './context';
import { askOnce } from './multiStep';

const KINDS: readonly EnvironmentKind[] = ['local', 'sandbox', 'custom'];

/**
 * `perfectpay.selectEnvironment(kind? | { environment, baseUrl?, pciControlledEnvironment? })`:
 * resolves to the environment now in use (undefined when dismissed).
 */
export async function selectEnvironment(d: CommandDeps, arg?: unknown): Promise<EnvironmentInfo | undefined> {
  const o = typeof arg === 'string' ? { environment: arg } : ((arg ?? {}) as { environment?: unknown; baseUrl?: unknown; pciControlledEnvironment?: unknown });
  let kind = typeof o.environment === 'string' && (KINDS as readonly string[]).includes(o.environment) ? (o.environment as EnvironmentKind) : undefined;
  let baseUrl = typeof o.baseUrl === 'string' ? o.baseUrl.trim() : undefined;
  const interactive = kind === undefined;
  const s = d.environments.settings();
  if (!kind) {
    kind = await askOnce((input) =>
      input.pick<EnvironmentKind>({
        title: 'PerfectPay: Select Environment',
        step: 1,
        totalSteps: 1,
        placeholder: `Now: ${d.service.environment().label}`,
        active: s.environment,
        items: [
          { label: '$(vm) Local sandbox', description: 'in VS Code, offline, demo payments, no key needed', value: 'local' },
          { label: '$(cloud) PerfectPay sandbox', description: SANDBOX_URL, value: 'sandbox' },
          { label: '$(server-environment) Custom URL…', description: s.baseUrl || 'your own server', value: 'custom' },
        ],
      }),
    );
    if (!kind) return undefined;
  }
  if (kind === 'custom' && baseUrl === undefined) {
    if (!interactive && s.baseUrl) baseUrl = s.baseUrl;
    else {
      baseUrl = (
        await askOnce((input) =>
          input.input({
            title: 'PerfectPay: Custom environment',
            step: 1,
            totalSteps: 1,
            value: s.baseUrl,
            prompt: 'Base URL of the PerfectPay API (the routes /payments… are under it)',
            placeholder: 'https://payments.example.com',
            validate: (v) => (v.trim() ? baseUrlProblem(v.trim()) : 'Type the base URL.'),
          }),
        )
      )?.trim();
      if (!baseUrl) return undefined;
    }
  }
  const target = kind === 'custom' ? (baseUrl ?? s.baseUrl) : undefined;
  if (target && isPlainHttpRemote(target) && !d.environments.plainHttpConfirmed(target)) {
    // An explicit yes, every time it is not yet given: a workspace or a typo must not send the key in clear.
    const yes = 'Send Over Plain HTTP';
    const choice = await vscode.window.showWarningMessage(
      `${httpOrigin(target)} uses plain http: your API key and payment data would cross the network unencrypted.`,
      { modal: true, detail: 'Use https unless this is a network you control. You can change this later with "PerfectPay: Select Environment".' },
      yes,
    );
    if (choice !== yes) return undefined;
    await d.environments.confirmPlainHttp(target);
  }
  try {
    if (typeof o.pciControlledEnvironment === 'boolean') await updateSetting('pciControlledEnvironment', o.pciControlledEnvironment);
    if (baseUrl !== undefined && baseUrl !== s.baseUrl) await updateSetting('baseUrl', baseUrl);
    if (kind !== s.environment) await updateSetting('environment', kind);
  } catch (e) {
    reportError(d, e, { doing: 'Could not change the environment' });
    return undefined;
  }
  const env = d.service.environment();
  if (interactive) {
    d.notifier.info(`PerfectPay environment: ${env.label}.`);
    if (await d.environments.needsApiKey()) await setApiKey(d);
  }
  return env;
}

/**
 * `perfectpay.setApiKey(key? | { apiKey, environment? })`: stores the key of the current (or the
 * given) environment in SecretStorage; resolves true when one was stored.
 */
export async function setApiKey(d: CommandDeps, arg?: unknown): Promise<boolean | undefined> {
  const o = typeof arg === 'string' ? { apiKey: arg } : ((arg ?? {}) as { apiKey?: unknown; environment?: unknown });
  const s = d.environments.settings();
  let kind: EnvironmentKind = typeof o.environment === 'string' && (KINDS as readonly string[]).includes(o.environment) ? (o.environment as EnvironmentKind) : s.environment;
  if (kind === 'local') {
    // The local sandbox makes its own key: the user meant a key for another environment.
    const picked = await askOnce((input) =>
      input.pick<EnvironmentKind>({
        title: 'PerfectPay: Set API Key',
        step: 1,
        totalSteps: 1,
        placeholder: 'The local sandbox needs no key (it makes its own). A key for which environment?',
        items: [
          { label: '$(cloud) PerfectPay sandbox', description: SANDBOX_URL, value: 'sandbox' },
          ...(s.baseUrl && !baseUrlProblem(s.baseUrl) ? [{ label: '$(server-environment) Custom', description: s.baseUrl, value: 'custom' as const }] : []),
        ],
      }),
    );
    if (!picked) return undefined;
    kind = picked;
  }
  const label = kind === 'sandbox' ? 'the PerfectPay sandbox' : `${s.baseUrl || 'the custom environment'}`;
  const key = typeof o.apiKey === 'string' && o.apiKey.trim() ? o.apiKey.trim() : await askApiKey(label);
  if (!key) return undefined;
  try {
    await d.environments.setApiKey(key, kind);
  } catch (e) {
    reportError(d, e, { doing: 'Could not store the API key' });
    return undefined;
  }
  d.notifier.info(`API key saved for ${label} (in VS Code's secret storage).`);
  return true;
}

export function showRequestLog(d: CommandDeps): void {
  d.requestLog.show();
}

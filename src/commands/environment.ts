/** "PerfectPay: Select Environment" and "PerfectPay: Set API Key". */
import * as vscode from 'vscode';
import { l10n } from '../environment/l10n';
import { baseUrlProblem, httpOrigin, isPlainHttpRemote, SANDBOX_URL, updateSetting } from '../environment/settings';
import type { EnvironmentInfo, EnvironmentKind } from '../environment/types';
import { askApiKey, cmd, isPublishableKey, publishableKeyWarning, reportError, type CommandDeps } from './context';
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
        title: l10n.t('PerfectPay: Select Environment'),
        step: 1,
        totalSteps: 1,
        placeholder: l10n.t('Now: {0}', d.service.environment().label),
        active: s.environment,
        items: [
          { label: `$(vm) ${l10n.t('Local sandbox')}`, description: l10n.t('in VS Code, offline, demo payments, no key needed'), value: 'local' },
          { label: `$(cloud) ${l10n.t('PerfectPay sandbox')}`, description: SANDBOX_URL, value: 'sandbox' },
          { label: `$(server-environment) ${l10n.t('Custom URL…')}`, description: s.baseUrl || l10n.t('your own server'), value: 'custom' },
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
            title: l10n.t('PerfectPay: Custom environment'),
            step: 1,
            totalSteps: 1,
            value: s.baseUrl,
            prompt: l10n.t('Base URL of the PerfectPay API (the routes /payments… are under it)'),
            placeholder: 'https://payments.example.com',
            validate: (v) => (v.trim() ? baseUrlProblem(v.trim()) : l10n.t('Type the base URL.')),
          }),
        )
      )?.trim();
      if (!baseUrl) return undefined;
    }
  }
  const target = kind === 'custom' ? (baseUrl ?? s.baseUrl) : undefined;
  if (target && isPlainHttpRemote(target) && !d.environments.plainHttpConfirmed(target)) {
    // An explicit yes, every time it is not yet given: a workspace or a typo must not send the key in clear.
    const yes = l10n.t('Send Over Plain HTTP');
    const choice = await vscode.window.showWarningMessage(
      l10n.t('{0} uses plain http: your API key and payment data would cross the network unencrypted.', String(httpOrigin(target))),
      { modal: true, detail: l10n.t('Use https unless this is a network you control. You can change this later with "PerfectPay: Select Environment".') },
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
    reportError(d, e, { doing: l10n.t('Could not change the environment') });
    return undefined;
  }
  const env = d.service.environment();
  if (interactive) {
    d.notifier.info(l10n.t('PerfectPay environment: {0}.', env.label));
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
        title: l10n.t('PerfectPay: Set API Key'),
        step: 1,
        totalSteps: 1,
        placeholder: l10n.t('The local sandbox needs no key (it makes its own). A key for which environment?'),
        items: [
          { label: `$(cloud) ${l10n.t('PerfectPay sandbox')}`, description: SANDBOX_URL, value: 'sandbox' },
          ...(s.baseUrl && !baseUrlProblem(s.baseUrl) ? [{ label: `$(server-environment) ${l10n.t('Custom')}`, description: s.baseUrl, value: 'custom' as const }] : []),
        ],
      }),
    );
    if (!picked) return undefined;
    kind = picked;
  }
  const label = kind === 'sandbox' ? l10n.t('the PerfectPay sandbox') : s.baseUrl || l10n.t('the custom environment');
  const key = typeof o.apiKey === 'string' && o.apiKey.trim() ? o.apiKey.trim() : await askApiKey(label);
  if (!key) return undefined;
  try {
    await d.environments.setApiKey(key, kind);
  } catch (e) {
    reportError(d, e, { doing: l10n.t('Could not store the API key') });
    return undefined;
  }
  if (isPublishableKey(key)) d.notifier.warn(`${l10n.t('API key saved for {0}, but it starts with pk_.', label)} ${publishableKeyWarning()}`, {
    title: l10n.t('Set API Key'),
    run: () => vscode.commands.executeCommand(cmd.setApiKey, { environment: kind }),
  });
  else d.notifier.info(l10n.t("API key saved for {0} (in VS Code's secret storage).", label));
  return true;
}

export function showRequestLog(d: CommandDeps): void {
  d.requestLog.show();
}

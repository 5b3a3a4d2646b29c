/** "PerfectPay: Reset Local Sandbox": discards every payment of the local sandbox, back to the seed. */
import * as vscode from 'vscode';
import { l10n } from '../environment/l10n';
import type { CommandDeps } from './context';

/**
 * `perfectpay.resetLocalSandbox({ confirm?: boolean, skipConfirmation?: boolean })`: asks first (a
 * modal; `{ confirm: false }` or `{ skipConfirmation: true }` skips it), then discards the local
 * sandbox's payments (running and saved), starts it again from the seed when it is the current
 * environment, and reloads the view. Resolves true when reset, undefined when not confirmed.
 */
export async function resetLocalSandbox(d: CommandDeps, arg?: unknown): Promise<boolean | undefined> {
  const o = arg && typeof arg === 'object' ? (arg as { confirm?: unknown; skipConfirmation?: unknown }) : {};
  const seed = d.environments.settings().seed;
  if (o.confirm !== false && o.skipConfirmation !== true) {
    const reset = l10n.t('Reset');
    const answer = await vscode.window.showWarningMessage(
      l10n.t('Reset the local sandbox?'),
      {
        modal: true,
        detail: l10n.t(
          'Every payment in the local sandbox is deleted, the ones you created included, and it starts again with its {0} demo payments. This cannot be undone.',
          seed,
        ),
      },
      reset,
    );
    if (answer !== reset) return undefined;
  }
  await d.environments.resetLocalSandbox();
  if (d.service.environment().kind === 'local') {
    await d.tree.refresh();
    d.notifier.info(l10n.t('Local sandbox reset: it starts again with its {0} demo payments.', seed));
  } else {
    d.notifier.info(l10n.t('Local sandbox reset: it starts from its demo payments next time you select it.'));
  }
  return true;
}

/**
 * "Which payment?" when a command was given none: the recent payments that allow the action (from
 * ONE list page), or an id typed in the box.
 */
import * as vscode from 'vscode';
import { l10n } from '../environment/l10n';
import type { Payment } from '../api/schemas';
import { amountLeftToRefund } from '../domain/payment';
import { canDo, type PaymentAction } from '../domain/status';
import { errorInfo } from '../environment/errors';
import { paymentDescription, paymentLabel, statusIconId } from '../tree/items';
import type { CommandDeps } from './context';

interface Item extends vscode.QuickPickItem {
  paymentId?: string;
}

/** Resolves to a payment id, or undefined when dismissed. */
export function pickPayment(d: CommandDeps, title: string, action?: PaymentAction): Promise<string | undefined> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<Item>();
    qp.title = title;
    qp.placeholder = action
      ? l10n.t('A recent payment that can be {0}, or type a payment id', pastTense(action))
      : l10n.t('A recent payment, or type a payment id');
    qp.matchOnDescription = true;
    qp.matchOnDetail = true;
    qp.ignoreFocusOut = true;
    qp.busy = true;
    let listed: Item[] = [];
    let done = false;
    const typedItem = (value: string): Item | undefined => {
      const v = value.trim();
      if (!v || /\s/.test(v)) return undefined;
      return { label: `$(search) ${l10n.t('Use payment id "{0}"', v)}`, paymentId: v, alwaysShow: true };
    };
    const render = (): void => {
      const typed = typedItem(qp.value);
      qp.items = typed && !listed.some((i) => i.paymentId === qp.value.trim()) ? [...listed, typed] : listed;
    };
    const finish = (id: string | undefined): void => {
      if (done) return;
      done = true;
      resolve(id);
      qp.dispose();
    };
    qp.onDidChangeValue(render);
    qp.onDidAccept(() => {
      const chosen = qp.selectedItems[0] ?? qp.activeItems[0];
      if (chosen?.paymentId) finish(chosen.paymentId);
      else if (qp.value.trim()) finish(qp.value.trim());
    });
    qp.onDidHide(() => finish(undefined));
    qp.show();
    d.service
      .listPayments({ limit: d.environments.settings().pageSize })
      .then(
        (page) => {
          const usable = page.data.filter((p) => !action || (canDo(action, p.status) && (action !== 'refund' || amountLeftToRefund(p) > 0)));
          listed = usable.map(itemOf);
          if (!listed.length) {
            listed = [
              {
                label: action
                  ? l10n.t('No recent payment can be {0}: type a payment id', pastTense(action))
                  : l10n.t('No recent payments: type a payment id'),
                alwaysShow: true,
              },
            ];
          }
        },
        (e) => {
          listed = [{ label: `$(error) ${l10n.t('Could not load recent payments')}`, detail: errorInfo(e).message, alwaysShow: true }];
        },
      )
      .finally(() => {
        qp.busy = false;
        if (!done) render();
      });
  });
}

function itemOf(p: Payment): Item {
  return {
    label: `$(${statusIconId(p.status).icon}) ${paymentLabel(p)}`,
    description: paymentDescription(p),
    detail: p.payment_id,
    paymentId: p.payment_id,
  };
}

function pastTense(a: PaymentAction): string {
  return a === 'confirm'
    ? l10n.t('confirmed')
    : a === 'capture'
      ? l10n.t('captured')
      : a === 'cancel'
        ? l10n.t('cancelled')
        : a === 'refund'
          ? l10n.t('refunded')
          : l10n.t('simulated');
}

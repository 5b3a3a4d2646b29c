/**
 * "PerfectPay: Compare Payments": a diff editor between two payments' JSON documents, or between a
 * payment now and an earlier answer of it (the answers the extension saw, kept with its timeline).
 *
 *   perfectpay.comparePayments(row | id | { paymentId, with?: otherPaymentId, at?: ISO time of an earlier answer })
 *
 * Without `with` or `at`, asks: one of the earlier answers, or another payment. Resolves to the two
 * documents' URIs `{ left, right }`, or undefined.
 */
import * as vscode from 'vscode';
import { l10n } from '../environment/l10n';
import { isPaymentId, shortId } from '../domain/ids';
import { answerJsonText, answerLabel, paymentJsonText, type PaymentAnswer } from '../model/answers';
import { paymentDocumentUri } from '../documents/uri';
import { parseArg } from './args';
import type { CommandDeps } from './context';
import { askOnce } from './multiStep';
import { paymentToRead, readable } from './openPaymentAsJson';
import { pickPayment } from './pickPayment';

type Choice = { kind: 'at'; at: string; label: string } | { kind: 'other' };

export async function comparePayments(d: CommandDeps, arg?: unknown): Promise<{ left: string; right: string } | undefined> {
  const a = parseArg(arg);
  const id = await paymentToRead(d, arg, l10n.t('PerfectPay: Compare Payments'));
  if (!id) return undefined;
  const now = await readable(d, id);
  if (!now) return undefined;
  const env = d.service.environment().kind;

  let other = typeof a.fields.with === 'string' ? a.fields.with.trim() : undefined;
  let at = typeof a.fields.at === 'string' ? a.fields.at : undefined;
  let atLabel: string | undefined;
  const earlier = earlierAnswers(d.service.answers(id), env, paymentJsonText(now));
  if (at !== undefined) {
    const found = d.service.answers(id).find((x) => x.at === at && x.environment === env);
    if (!found) {
      d.notifier.warn(l10n.t('No answer of {0} was kept for {1}.', id, at));
      return undefined;
    }
    atLabel = answerLabel(found);
  }
  if (other === undefined && at === undefined) {
    const choice = await askOnce((input) =>
      input.pick<Choice>({
        title: l10n.t('PerfectPay: Compare {0}', id),
        step: 1,
        totalSteps: 1,
        placeholder: earlier.length
          ? l10n.t('Compare it now with an earlier answer, or with another payment')
          : l10n.t('No earlier answer differs from now: compare with another payment'),
        items: [
          ...earlier.map((x) => ({ label: `$(history) ${answerLabel(x)}`, description: l10n.t('then ↔ now'), value: { kind: 'at', at: x.at, label: answerLabel(x) } as Choice })),
          { label: `$(arrow-swap) ${l10n.t('Another payment…')}`, value: { kind: 'other' } as Choice },
        ],
      }),
    );
    if (!choice) return undefined;
    if (choice.kind === 'at') {
      at = choice.at;
      atLabel = choice.label;
    } else {
      other = await pickPayment(d, l10n.t('PerfectPay: Compare {0} with…', shortId(id)));
      if (!other) return undefined;
    }
  }

  let left: vscode.Uri;
  let right: vscode.Uri;
  let title: string;
  if (other !== undefined) {
    if (!isPaymentId(other)) {
      d.notifier.error(l10n.t('"{0}" is not a payment id.', String(other).slice(0, 60)));
      return undefined;
    }
    if (!(await readable(d, other))) return undefined;
    left = paymentDocumentUri({ environment: env, paymentId: id });
    right = paymentDocumentUri({ environment: env, paymentId: other });
    title = `${shortId(id, 16)} ↔ ${shortId(other, 16)}`;
  } else {
    left = paymentDocumentUri({ environment: env, paymentId: id, at });
    right = paymentDocumentUri({ environment: env, paymentId: id });
    title = l10n.t('{0}: {1} ↔ now', shortId(id, 16), String(atLabel ?? at));
  }
  await vscode.commands.executeCommand('vscode.diff', left, right, title, { preview: false });
  return { left: left.toString(), right: right.toString() };
}

/** The earlier answers of this environment that differ from now, newest first. */
function earlierAnswers(answers: readonly PaymentAnswer[], env: string, nowText: string): PaymentAnswer[] {
  const out: PaymentAnswer[] = [];
  const seen = new Set<string>([nowText]);
  for (const x of [...answers].reverse()) {
    if (x.environment !== env) continue;
    const text = answerJsonText(x);
    if (seen.has(text)) continue;
    seen.add(text);
    out.push(x);
  }
  return out;
}

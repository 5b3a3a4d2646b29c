/**
 * "PerfectPay: Copy as Code": the request a "Copy as cURL" makes, as Node (`fetch`), Python
 * (`requests`) or HTTPie (src/api/code.ts). Same rule as the cURL copy: the key is read from the
 * environment variable PERFECTPAY_API_KEY, never written; the body is redacted.
 *
 *   perfectpay.copyAsCode(row | id | { paymentId, request?: 'retrieve'|'confirm'|'capture'|'cancel', language?: 'node'|'python'|'httpie'|'curl' })
 *
 * Resolves to the text copied, or undefined.
 */
import * as vscode from 'vscode';
import { CODE_LANGUAGE_LABELS, isCopyFormat, type CopyFormat } from '../api/code';
import { parseArg } from './args';
import { ensureReady, type CommandDeps } from './context';
import { copyRequest } from './copy';
import { askOnce } from './multiStep';
import { pickPayment } from './pickPayment';

const l10n = vscode.l10n;

const OFFERED: readonly CopyFormat[] = ['node', 'python', 'httpie', 'curl'];

export async function copyAsCode(d: CommandDeps, arg?: unknown): Promise<string | undefined> {
  const a = parseArg(arg);
  if (!(await ensureReady(d))) return undefined;
  const id = a.paymentId ?? (await pickPayment(d, l10n.t('PerfectPay: Copy as Code')));
  if (!id) return undefined;
  const language = isCopyFormat(a.fields.language)
    ? a.fields.language
    : await askOnce((input) =>
        input.pick<CopyFormat>({
          title: l10n.t('PerfectPay: Copy as Code ({0})', id),
          step: 1,
          totalSteps: 1,
          placeholder: l10n.t('As what? (keys are read from environment variables, never written)'),
          items: OFFERED.map((f) => ({ label: CODE_LANGUAGE_LABELS[f], value: f })),
        }),
      );
  if (!language) return undefined;
  return copyRequest(d, a, id, {
    title: l10n.t('PerfectPay: Copy as Code'),
    make: (r) => d.service.codeFor(language, r.method, r.path, r.body, r.key),
    doing: l10n.t('Could not make the code'),
    copied: (kind) => l10n.t('Copied {0} {1} as {2}.', kind, id, CODE_LANGUAGE_LABELS[language]),
  });
}

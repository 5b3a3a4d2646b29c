/**
 * The webhook commands: Set Webhook URL, Resend Event, Copy Webhook Secret, Copy Webhook
 * Verification Code, Open Event, and the webhook inbox (start, stop, answer 500 / 200). An event
 * is named by its id, `{ eventId }`, or a row of the Webhooks view.
 */
import * as vscode from 'vscode';
import type { EventAttempt } from '../api/schemas';
import { l10n } from '../environment/l10n';
import { eventDocumentUri } from '../documents/uri';
import { reportError, type CommandDeps } from './context';

/** The event id a command was given: a string, `{ eventId }`, or a Webhooks view row. */
function eventIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg.trim() || undefined;
  if (!arg || typeof arg !== 'object') return undefined;
  const o = arg as { eventId?: unknown; event?: { event_id?: unknown } };
  if (typeof o.eventId === 'string') return o.eventId;
  if (typeof o.event?.event_id === 'string') return o.event.event_id;
  return undefined;
}

/** Asks which event, newest first, when none was given. */
async function pickEvent(d: CommandDeps, title: string): Promise<string | undefined> {
  await d.webhooks.refresh();
  const events = d.webhooks.shownEvents();
  if (!events.length) {
    d.notifier.info(l10n.t('There are no events yet.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    events.map((e) => ({ label: e.event_type, description: e.object_id, detail: e.event_id, id: e.event_id })),
    { title, placeHolder: l10n.t('Which event?'), matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.id;
}

/** The problem with a webhook URL typed by the user, or undefined. */
export function webhookUrlInputProblem(v: string): string | undefined {
  let u: URL;
  try {
    u = new URL(v.trim());
  } catch {
    return l10n.t('Type a URL, e.g. http://localhost:3000/webhooks');
  }
  return u.protocol === 'http:' || u.protocol === 'https:' ? undefined : l10n.t('The webhook URL must start with http:// or https://');
}

/** `perfectpay.setWebhookUrl(url | null?)`: the local sandbox's webhook URL; resolves to the URL set (null: none). */
export async function setWebhookUrl(d: CommandDeps, arg?: unknown): Promise<string | null | undefined> {
  let url: string | null | undefined = typeof arg === 'string' || arg === null ? arg : undefined;
  if (url === undefined) {
    const items: Array<vscode.QuickPickItem & { value: string | null | 'inbox' | 'other' }> = [
      { label: l10n.t('Webhook inbox in VS Code'), description: d.inbox.url ?? l10n.t('starts it'), value: 'inbox' },
      { label: 'http://localhost:3000/webhooks', value: 'http://localhost:3000/webhooks' },
      { label: 'http://localhost:8080/webhooks', value: 'http://localhost:8080/webhooks' },
      { label: l10n.t('Another URL…'), value: 'other' },
      { label: l10n.t('None (record events, do not send them)'), value: null },
    ];
    const picked = await vscode.window.showQuickPick(items, { title: l10n.t('PerfectPay: Set Webhook URL'), placeHolder: l10n.t('Where the local sandbox sends its events') });
    if (!picked) return undefined;
    if (picked.value === 'inbox') return startWebhookInbox(d);
    if (picked.value === 'other') {
      const typed = await vscode.window.showInputBox({
        title: l10n.t('PerfectPay: Set Webhook URL'),
        prompt: l10n.t('An http or https URL that receives POSTs'),
        value: 'http://localhost:3000/webhooks',
        validateInput: (v) => webhookUrlInputProblem(v),
      });
      if (typed === undefined) return undefined;
      url = typed.trim();
    } else {
      url = picked.value;
    }
  }
  if (url !== null) {
    const problem = webhookUrlInputProblem(url);
    if (problem) {
      d.notifier.error(problem);
      return undefined;
    }
  }
  try {
    await d.service.setWebhookUrl(url);
  } catch (e) {
    reportError(d, e, { doing: l10n.t('Setting the webhook URL') });
    return undefined;
  }
  d.notifier.info(url === null ? l10n.t('The local sandbox now records its events without sending them.') : l10n.t('The local sandbox now sends its events to {0}.', url));
  void d.webhooks.refresh();
  return url;
}

/** `perfectpay.resendEvent(event?)`: one more delivery now (a manual retry); resolves to its attempt. */
export async function resendEvent(d: CommandDeps, arg?: unknown): Promise<EventAttempt | undefined> {
  const id = eventIdOf(arg) ?? (await pickEvent(d, l10n.t('PerfectPay: Resend Event')));
  if (!id) return undefined;
  let attempt: EventAttempt;
  try {
    attempt = await d.service.retryEvent(id);
  } catch (e) {
    reportError(d, e, { doing: l10n.t('Resending {0}', id) });
    return undefined;
  }
  const outcome = attempt.response.status_code ?? attempt.response.error_message ?? '';
  if (attempt.is_delivery_successful) d.notifier.info(l10n.t('{0} sent again: {1}.', attempt.event_type, String(outcome)));
  else d.notifier.warn(l10n.t('{0} sent again, and not delivered: {1}.', attempt.event_type, String(outcome)));
  void d.webhooks.refresh();
  return attempt;
}

/** `perfectpay.openEvent(event?)`: the event and its attempts as a read-only JSON document. */
export async function openEvent(d: CommandDeps, arg?: unknown): Promise<vscode.TextDocument | undefined> {
  const id = eventIdOf(arg) ?? (await pickEvent(d, l10n.t('PerfectPay: Open Event')));
  if (!id) return undefined;
  const doc = await vscode.workspace.openTextDocument(eventDocumentUri(id));
  await vscode.window.showTextDocument(doc, { preview: true });
  return doc;
}

/** `perfectpay.copyWebhookSecret`: the local sandbox's webhook secret to the clipboard (never shown or logged). */
export async function copyWebhookSecret(d: CommandDeps): Promise<boolean> {
  if (d.service.environment().kind !== 'local') {
    d.notifier.info(l10n.t("The webhook secret of {0} is its business profile's payment_response_hash_key: copy it from its dashboard.", d.service.environment().label));
    return false;
  }
  await vscode.env.clipboard.writeText(await d.environments.webhookSecret());
  d.notifier.info(l10n.t('Copied the local sandbox’s webhook secret. Keep it out of your code: read it from PERFECTPAY_WEBHOOK_SECRET.'));
  return true;
}

/** `perfectpay.copyWebhookVerificationCode(language?)`: Node or Python code that verifies a delivery. */
export async function copyWebhookVerificationCode(d: CommandDeps, arg?: unknown): Promise<string | undefined> {
  let language: 'node' | 'python' | undefined = arg === 'node' || arg === 'python' ? arg : undefined;
  if (!language) {
    const picked = await vscode.window.showQuickPick(
      [{ label: 'Node.js', value: 'node' as const }, { label: 'Python', value: 'python' as const }],
      { title: l10n.t('PerfectPay: Copy Webhook Verification Code'), placeHolder: l10n.t('Which language?') },
    );
    language = picked?.value;
  }
  if (!language) return undefined;
  const runtime = d.environments.runtime();
  const code = runtime.webhookVerificationCode(language);
  await vscode.env.clipboard.writeText(code);
  d.notifier.info(l10n.t('Copied code that verifies X-Webhook-Signature-512 over the raw body. It reads the secret from ${0}.', runtime.WEBHOOK_SECRET_VARIABLE));
  return code;
}

/** `perfectpay.startWebhookInbox`: the loopback inbox, the local sandbox pointed at it; resolves to its URL. */
export async function startWebhookInbox(d: CommandDeps): Promise<string | undefined> {
  if (d.service.environment().kind !== 'local') {
    d.notifier.info(l10n.t('The webhook inbox receives the local sandbox’s events: select the local sandbox first.'));
    return undefined;
  }
  let url: string;
  try {
    url = await d.inbox.start();
  } catch (e) {
    reportError(d, e, { doing: l10n.t('Starting the webhook inbox') });
    return undefined;
  }
  d.notifier.info(l10n.t('The webhook inbox listens on {0}; the local sandbox sends its events there.', url));
  await vscode.commands.executeCommand('perfectpay.webhooks.focus');
  return url;
}

export async function stopWebhookInbox(d: CommandDeps): Promise<void> {
  await d.inbox.stop();
}

export function inboxAnswer500(d: CommandDeps): void {
  d.inbox.setFailing(true);
}

export function inboxAnswer200(d: CommandDeps): void {
  d.inbox.setFailing(false);
}

export function refreshWebhooks(d: CommandDeps): Promise<void> {
  return d.webhooks.refresh();
}

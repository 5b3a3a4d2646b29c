/**
 * "Start Webhook Inbox": a loopback receiver in the extension (the runtime's startWebhookInbox) that
 * the local sandbox is pointed at, checking each delivery's signature with the local webhook secret.
 * What arrives is listed in the Webhooks view; it can answer 500 on demand, to watch the retries.
 */
import * as vscode from 'vscode';
import type { EnvironmentManager } from '../environment/EnvironmentManager';
import type { InboxArrival, WebhookInbox } from '../environment/runtime';
import type { PaymentsService } from './PaymentsService';

export class WebhookInboxHost implements vscode.Disposable {
  private inbox: WebhookInbox | undefined;
  private starting: Promise<string> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when something arrives, and when the inbox starts, stops or changes its answer. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly environments: EnvironmentManager, private readonly service: PaymentsService) {}

  get url(): string | undefined {
    return this.inbox?.url;
  }

  get failing(): boolean {
    return this.inbox?.failing ?? false;
  }

  arrivals(): InboxArrival[] {
    return this.inbox?.arrivals() ?? [];
  }

  /** Starts it (once) and points the local sandbox at it; resolves to its URL. */
  start(): Promise<string> {
    return (this.starting ??= this.startOnce().catch((e: unknown) => {
      this.starting = undefined;
      throw e;
    }));
  }

  private async startOnce(): Promise<string> {
    const secret = await this.environments.webhookSecret();
    const inbox = await this.environments.runtime().startWebhookInbox({ secret: () => secret, onArrival: () => this.changed.fire() });
    try {
      // Not remembered: the inbox lives as long as this window, its port with it.
      await this.service.setWebhookUrl(inbox.url, { remember: false });
    } catch (e) {
      await inbox.close();
      throw e;
    }
    this.inbox = inbox;
    this.changed.fire();
    return inbox.url;
  }

  /** While on, every delivery is answered 500 (the sandbox retries it). */
  setFailing(on: boolean): void {
    if (!this.inbox) return;
    this.inbox.failing = on;
    this.changed.fire();
  }

  /** Stops it; the local sandbox goes back to the URL Set Webhook URL chose (or none). */
  async stop(): Promise<void> {
    const inbox = this.inbox;
    this.inbox = undefined;
    this.starting = undefined;
    if (!inbox) return;
    await inbox.close();
    this.changed.fire();
    if (this.service.environment().kind === 'local') await this.service.setWebhookUrl(this.environments.rememberedWebhookUrl(), { remember: false }).catch(() => undefined);
  }

  dispose(): void {
    void this.inbox?.close();
    this.inbox = undefined;
    this.changed.dispose();
  }
}

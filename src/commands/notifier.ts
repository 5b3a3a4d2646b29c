/**
 * Messages to the user. Never awaited by a command (a command returns its result at once; the
 * buttons act later). In ExtensionMode.Test only, the last few are remembered so tests can check what
 * a person was told (and press its buttons).
 */
import * as vscode from 'vscode';

export interface MessageAction {
  title: string;
  run: () => unknown;
}

export interface ShownMessage {
  level: 'info' | 'warning' | 'error';
  text: string;
  actions: string[];
  at: number;
  /** Does what the button `title` does, as if the person had clicked it (for tests). */
  choose(title: string): Promise<unknown>;
}

const KEEP = 50;

export class Notifier implements vscode.Disposable {
  private readonly shown: ShownMessage[] = [];
  private readonly emitter = new vscode.EventEmitter<ShownMessage>();
  readonly onDidShow = this.emitter.event;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    /** Remember messages for tests (ExtensionMode.Test only). */
    private readonly remember = false,
  ) {}

  /** The last messages shown, oldest first. */
  get messages(): readonly ShownMessage[] {
    return this.shown;
  }

  info(text: string, ...actions: MessageAction[]): void {
    this.show('info', text, actions);
  }

  warn(text: string, ...actions: MessageAction[]): void {
    this.show('warning', text, actions);
  }

  error(text: string, ...actions: MessageAction[]): void {
    this.show('error', text, actions);
  }

  private show(level: ShownMessage['level'], text: string, actions: MessageAction[]): void {
    const msg: ShownMessage = {
      level,
      text,
      actions: actions.map((a) => a.title),
      at: Date.now(),
      choose: async (title) => {
        const action = actions.find((a) => a.title === title);
        if (!action) throw new Error(`no button "${title}" on "${text}"`);
        return action.run();
      },
    };
    if (this.remember) {
      this.shown.push(msg);
      if (this.shown.length > KEEP) this.shown.splice(0, this.shown.length - KEEP);
      this.emitter.fire(msg);
    }
    if (level !== 'info') this.log[level === 'error' ? 'error' : 'warn'](text);
    const fn =
      level === 'info' ? vscode.window.showInformationMessage : level === 'warning' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
    fn(text, ...msg.actions).then(
      (choice) => {
        const action = actions.find((a) => a.title === choice);
        if (!action) return;
        try {
          void Promise.resolve(action.run()).catch((e) => this.log.error(`"${action.title}" failed: ${String(e)}`));
        } catch (e) {
          this.log.error(`"${action.title}" failed: ${String(e)}`);
        }
      },
      () => undefined,
    );
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

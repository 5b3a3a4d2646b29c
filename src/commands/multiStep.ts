/**
 * Guided multi-step input: one QuickPick or InputBox per question, a step counter ("2/6"), a back
 * button, validation in the box (with the reason), and answers kept when going back. After the
 * pattern of VS Code's multi-step input sample.
 */
import * as vscode from 'vscode';

class FlowAction {
  static readonly back = new FlowAction();
  static readonly cancel = new FlowAction();
}

export type Step = (input: MultiStepInput) => Thenable<Step | void>;

export interface PickItem<T> extends vscode.QuickPickItem {
  value: T;
}

interface Common {
  title: string;
  step: number;
  totalSteps: number;
}

export interface PickOptions<T> extends Common {
  items: PickItem<T>[];
  placeholder?: string;
  /** The item to put the cursor on (the previous answer, when going back). */
  active?: T;
  /** An extra item computed from what is typed (e.g. "Use “…”"), shown first when not undefined. */
  typed?: (value: string) => PickItem<T> | undefined;
  matchOnDescription?: boolean;
  matchOnDetail?: boolean;
}

export interface InputOptions extends Common {
  value?: string;
  prompt: string;
  placeholder?: string;
  password?: boolean;
  /** The reason the value is refused, or undefined when it is fine. */
  validate?: (value: string) => string | undefined;
}

/** Runs a flow of steps. Resolves true when it ran to the end, false when it was dismissed. */
export class MultiStepInput {
  private current?: vscode.QuickInput;
  private readonly steps: Step[] = [];

  static async run(start: Step): Promise<boolean> {
    const input = new MultiStepInput();
    return input.stepThrough(start);
  }

  private async stepThrough(start: Step): Promise<boolean> {
    let step: Step | void = start;
    let completed = true;
    while (step) {
      this.steps.push(step);
      if (this.current) {
        this.current.enabled = false;
        this.current.busy = true;
      }
      try {
        step = await step(this);
      } catch (err) {
        if (err === FlowAction.back) {
          this.steps.pop();
          step = this.steps.pop();
        } else if (err === FlowAction.cancel) {
          step = undefined;
          completed = false;
        } else {
          this.current?.dispose();
          throw err;
        }
      }
    }
    this.current?.dispose();
    return completed;
  }

  /** Goes back to the previous step (for a step that finds its answer does not fit). */
  back(): never {
    throw FlowAction.back;
  }

  private show(input: vscode.QuickInput): void {
    this.current?.dispose();
    this.current = input;
    input.show();
  }

  private get canGoBack(): boolean {
    return this.steps.length > 1;
  }

  pick<T>(o: PickOptions<T>): Promise<T> {
    const disposables: vscode.Disposable[] = [];
    return new Promise<T>((resolve, reject) => {
      const qp = vscode.window.createQuickPick<PickItem<T>>();
      qp.title = o.title;
      // A lone question shows no "1/1".
      qp.step = o.totalSteps > 1 ? o.step : undefined;
      qp.totalSteps = o.totalSteps > 1 ? o.totalSteps : undefined;
      qp.placeholder = o.placeholder;
      qp.ignoreFocusOut = true;
      qp.matchOnDescription = o.matchOnDescription ?? true;
      qp.matchOnDetail = o.matchOnDetail ?? false;
      qp.items = o.items;
      const active = o.items.find((i) => i.value === o.active);
      if (active) qp.activeItems = [active];
      qp.buttons = this.canGoBack ? [vscode.QuickInputButtons.Back] : [];
      let typedItem: PickItem<T> | undefined;
      disposables.push(
        qp.onDidTriggerButton((b) => {
          if (b === vscode.QuickInputButtons.Back) reject(FlowAction.back);
        }),
        qp.onDidChangeValue((value) => {
          if (!o.typed) return;
          typedItem = o.typed(value);
          qp.items = typedItem ? [typedItem, ...o.items] : o.items;
        }),
        qp.onDidAccept(() => {
          const chosen = qp.selectedItems[0] ?? qp.activeItems[0];
          if (chosen) resolve(chosen.value);
        }),
        qp.onDidHide(() => reject(FlowAction.cancel)),
      );
      this.show(qp);
    }).finally(() => disposables.forEach((d) => d.dispose()));
  }

  input(o: InputOptions): Promise<string> {
    const disposables: vscode.Disposable[] = [];
    return new Promise<string>((resolve, reject) => {
      const box = vscode.window.createInputBox();
      box.title = o.title;
      box.step = o.totalSteps > 1 ? o.step : undefined;
      box.totalSteps = o.totalSteps > 1 ? o.totalSteps : undefined;
      box.value = o.value ?? '';
      box.prompt = o.prompt;
      box.placeholder = o.placeholder;
      box.password = o.password ?? false;
      box.ignoreFocusOut = true;
      box.buttons = this.canGoBack ? [vscode.QuickInputButtons.Back] : [];
      const check = (v: string): string | undefined => o.validate?.(v);
      disposables.push(
        box.onDidTriggerButton((b) => {
          if (b === vscode.QuickInputButtons.Back) reject(FlowAction.back);
        }),
        box.onDidChangeValue((v) => {
          box.validationMessage = check(v);
        }),
        box.onDidAccept(() => {
          const reason = check(box.value);
          box.validationMessage = reason;
          if (reason === undefined) resolve(box.value);
        }),
        box.onDidHide(() => reject(FlowAction.cancel)),
      );
      this.show(box);
      // Show the reason for a prefilled value at once (e.g. an amount that no longer fits).
      if (box.value) box.validationMessage = check(box.value);
    }).finally(() => disposables.forEach((d) => d.dispose()));
  }
}

/** One question on its own (no steps): resolves undefined when dismissed. */
export async function askOnce<T>(ask: (input: MultiStepInput) => Promise<T>): Promise<T | undefined> {
  let result: T | undefined;
  const done = await MultiStepInput.run(async (input) => {
    result = await ask(input);
  });
  return done ? result : undefined;
}

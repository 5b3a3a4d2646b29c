// The API VS Code gives a webview's script (once: acquireVsCodeApi may be called a single time).
interface VsCodeWebviewApi<State> {
  postMessage(message: unknown): void;
  getState(): State | undefined;
  setState<T extends State>(state: T): T;
}
declare function acquireVsCodeApi<State = unknown>(): VsCodeWebviewApi<State>;

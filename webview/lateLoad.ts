/**
 * Imported by webview/toolkit.ts before the toolkit itself, so that it runs first.
 *
 * The toolkit follows VS Code's theme from a window 'load' listener, added as its design tokens are
 * created: there it copies the body's `--vscode-*` variables into its tokens, and from there on it
 * watches the body's class, which VS Code sets anew at each theme change. The page runs the toolkit
 * after its first paint, when 'load' has long fired: that listener never ran, and the controls kept
 * the toolkit's defaults, the dark palette (#3c3c3c fields, #3a3d41 buttons, #cccccc labels), in every
 * theme. So, when the page has loaded already, a 'load' listener added while the toolkit's modules
 * run is kept here, and runLateLoadListeners() runs it once the components are registered.
 */
const late: EventListenerOrEventListenerObject[] = [];
const patched = document.readyState === 'complete';

if (patched) {
  const add = EventTarget.prototype.addEventListener;
  window.addEventListener = function (this: Window, type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions) {
    if (type === 'load' && listener) late.push(listener);
    else add.call(this, type, listener, options);
  } as typeof window.addEventListener;
}

/** Puts window.addEventListener back and runs the 'load' listeners that came too late for the event. */
export function runLateLoadListeners(): void {
  if (!patched) return;
  delete (window as { addEventListener?: unknown }).addEventListener;
  const event = new Event('load');
  for (const listener of late.splice(0)) {
    if (typeof listener === 'function') listener.call(window, event);
    else listener.handleEvent(event);
  }
}

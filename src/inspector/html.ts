/**
 * The inspector webview's HTML: a strict Content-Security-Policy; the webview's code (dist/webview.js)
 * and style (dist/webview.css) written into the page, the script by nonce. Written in, not linked: a
 * linked file reaches a webview through VS Code's resource loader (a service worker and the remote
 * file system, in VS Code for the Web and code-server), a round trip before the first paint that the
 * page does not need to make; the files are read once per window and kept. The controls' code
 * (dist/webview-toolkit.js, the bigger part) is not in the page: the page asks for it in a message
 * after its first paint and runs it by this nonce. So the page fetches nothing: a fetch still under
 * way when its panel was closed has been seen (code-server 1.100) to leave the next panel's webview
 * blank.
 *
 * The payment's id goes in an attribute, escaped; its first model (the one the tree already holds,
 * when it does) as JSON data, never markup: a `<script type="application/json">` data block, which no
 * browser runs, with every `<` written `\u003c` (jsonForDataBlock). The page reads it as it reads a
 * message (JSON.parse, the protocol's check, text); everything later arrives as validated messages.
 */
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { l10n } from '../environment/l10n';
import { escapeHtml, jsonForDataBlock } from '../domain/text';
import { FIRST_MODEL_ID } from '../shared/page';
import type { InspectorModel } from '../shared/protocol';

export const VIEW_TYPE = 'perfectpay.inspector';

/** How a panel loads its page; read at each load (tests change it). */
export interface PageLoadOptions {
  /** A page on screen that has not painted after this long is loaded again (src/inspector/panel.ts). */
  firstPaintTimeoutMs: number;
  /** Tests only: the first this many loads of each panel's page leave its script out (a page that stays silent). */
  silentLoads: number;
}

export const DEFAULT_PAGE_LOAD: Readonly<PageLoadOptions> = { firstPaintTimeoutMs: 4000, silentLoads: 0 };

export function nonce(): string {
  const bytes = new Uint8Array(18);
  // globalThis.crypto exists in the Node 20 extension host.
  globalThis.crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}


/** The only folders the webview may load from. */
export function localResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')];
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    enableForms: false,
    localResourceRoots: localResourceRoots(extensionUri),
    enableFindWidget: true,
    retainContextWhenHidden: false,
  };
}

export function contentSecurityPolicy(webview: vscode.Webview, scriptNonce: string): string {
  return [
    "default-src 'none'",
    `img-src data: ${webview.cspSource}`,
    `style-src ${webview.cspSource} 'unsafe-inline'`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${scriptNonce}'`,
  ].join('; ');
}

/** The webview's own files, read once (they ship with the extension and do not change while it runs). */
const assets = new Map<string, string | undefined>();
function asset(extensionUri: vscode.Uri, name: 'webview.js' | 'webview-toolkit.js' | 'webview.css'): string | undefined {
  if (!assets.has(name)) {
    let text: string | undefined;
    try {
      text = readFileSync(vscode.Uri.joinPath(extensionUri, 'dist', name).fsPath, 'utf8');
    } catch {
      text = undefined; // Not on this disk: linked instead (below).
    }
    // Written into the page, an end tag (or a `<script` that makes the parser look for two) would end the
    // element early: esbuild emits neither today, but a later dependency might; such a file is linked, never cut.
    assets.set(name, text !== undefined && !/<\/?script|<\/style/i.test(text) ? text : undefined);
  }
  return assets.get(name);
}

/** The controls' code (dist/webview-toolkit.js) for the page's 'toolkit' message; undefined when unreadable. */
export function toolkitCode(extensionUri: vscode.Uri): string | undefined {
  return asset(extensionUri, 'webview-toolkit.js');
}

/**
 * The page. Until its script draws, it shows "Loading <id>…" (never a blank panel). `withoutScript`
 * (tests only: a page that stays silent) leaves the script out.
 */
export function inspectorHtml(webview: vscode.Webview, extensionUri: vscode.Uri, paymentId: string, firstModel?: InspectorModel, withoutScript = false): string {
  const n = nonce();
  const uri = (name: string): string => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', name)).toString();
  const scriptText = asset(extensionUri, 'webview.js');
  const styleText = asset(extensionUri, 'webview.css');
  const style = styleText !== undefined ? `<style nonce="${n}">${styleText}</style>` : `<link rel="stylesheet" href="${escapeHtml(uri('webview.css'))}">`;
  const script = scriptText !== undefined ? `<script nonce="${n}">${scriptText}</script>` : `<script nonce="${n}" src="${escapeHtml(uri('webview.js'))}"></script>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(webview, n)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${style}
<title>${escapeHtml(l10n.t('PerfectPay payment {0}', paymentId))}</title>
</head>
<body>
<main id="app" data-payment-id="${escapeHtml(paymentId)}" data-toolkit="${escapeHtml(uri('webview-toolkit.js'))}" aria-busy="true">
<p class="loading">${escapeHtml(l10n.t('Loading {0}…', paymentId))}</p>
</main>
${firstModel ? `<script type="application/json" id="${FIRST_MODEL_ID}">${jsonForDataBlock(firstModel)}</script>\n` : ''}${withoutScript ? '' : script}
</body>
</html>`;
}

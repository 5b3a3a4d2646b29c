/**
 * The inspector webview's HTML: a strict Content-Security-Policy, one script (dist/webview.js) by
 * nonce, one stylesheet (dist/webview.css). No data of the payment goes in here except its id, in an
 * attribute, escaped: everything else arrives as validated messages and is set as text.
 */
import * as vscode from 'vscode';
import { l10n } from '../environment/l10n';
import { escapeHtml } from '../domain/text';

export const VIEW_TYPE = 'perfectpay.inspector';

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

export function inspectorHtml(webview: vscode.Webview, extensionUri: vscode.Uri, paymentId: string): string {
  const n = nonce();
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.css'));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(webview, n)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>${escapeHtml(l10n.t('PerfectPay payment {0}', paymentId))}</title>
</head>
<body>
<main id="app" data-payment-id="${escapeHtml(paymentId)}" aria-busy="true">
<p class="loading">${escapeHtml(l10n.t('Loading {0}…', paymentId))}</p>
</main>
<script nonce="${n}" src="${script.toString()}"></script>
</body>
</html>`;
}

// The bench probe (see package.json): the least an extension can do to show a tree and a webview panel,
// so that bench/uiBench.ts can set PerfectPay Explorer's view and inspector side by side with it in the
// same VS Code. Activated by its view or its command (VS Code generates those activation events).
'use strict';
const vscode = require('vscode');

const ROWS = Array.from({ length: 10 }, (_, i) => i + 1);
let opened = 0;

function open(n) {
  opened++;
  const panel = vscode.window.createWebviewPanel('perfectpayProbe.panel', `Probe ${n} (#${opened})`, vscode.ViewColumn.Active, { enableScripts: true });
  const nonce = Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
  panel.webview.html = `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-${nonce}';">
</head><body><p id="probe-text"></p>
<script nonce="${nonce}">document.getElementById('probe-text').textContent = 'Probe panel ${n}, open #${opened}';</script>
</body></html>`;
}

exports.activate = (context) => {
  const tree = {
    getChildren: (el) => (el ? [] : ROWS),
    getTreeItem: (n) => {
      const item = new vscode.TreeItem(`Probe row ${n}`);
      item.id = `row-${n}`;
      item.command = { command: 'perfectpayProbe.open', title: 'Open', arguments: [n] };
      return item;
    },
  };
  context.subscriptions.push(
    vscode.window.registerTreeDataProvider('perfectpayProbe.rows', tree),
    vscode.commands.registerCommand('perfectpayProbe.open', (n) => open(typeof n === 'number' ? n : 0)),
  );
};
exports.deactivate = () => {};

// Checks the extension-host test harness itself: these run inside a real VS Code (code-server 4.100.3,
// or VS Code desktop through @vscode/test-electron) with the extension under development loaded.
import * as assert from 'assert';
import * as vscode from 'vscode';

describe('extension-host harness', () => {
  it('runs inside VS Code 1.100', () => {
    assert.ok(vscode.version.startsWith('1.100'), `vscode.version is ${vscode.version}`);
  });

  it('has the extension under development loaded', () => {
    const ext = vscode.extensions.getExtension('perfectpay.perfectpay-explorer');
    assert.ok(ext, 'perfectpay.perfectpay-explorer is not among vscode.extensions.all');
    assert.strictEqual(ext.packageJSON.name, 'perfectpay-explorer');
  });
});

/** The panel's VS Code: commands, clipboard, the modal confirmation and the browser (PanelUi). */
import * as vscode from 'vscode';
import type { PanelUi } from './actions';

export function vscodePanelUi(): PanelUi {
  return {
    executeCommand: <T>(command: string, arg: unknown) => vscode.commands.executeCommand<T | undefined>(command, arg),
    writeClipboard: (text) => vscode.env.clipboard.writeText(text),
    confirm: async (message, detail, button) => (await vscode.window.showWarningMessage(message, { modal: true, detail }, button)) === button,
    openExternal: (url) => vscode.env.openExternal(vscode.Uri.parse(url, true)),
  };
}

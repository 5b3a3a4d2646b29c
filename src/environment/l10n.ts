/**
 * `vscode.l10n`, for the user-facing strings of the VS Code layer: `l10n.t` with the English text as
 * its first argument, a string literal, and `{0}`, `{1}`… for the values. One module-level binding
 * rather than `vscode.l10n` at each of the ~380 calls: esbuild cannot shorten a property chain on the
 * external `vscode` module, but it does shorten this binding, which keeps the release bundle within
 * its budget.
 *
 * A file that calls it also imports 'vscode': that is how `npm run l10n` (@vscode/l10n-dev export)
 * finds its calls (test/unit/l10n.test.ts checks it). A file with no other use for `vscode` binds
 * `const l10n = vscode.l10n` itself rather than import an unused namespace.
 */
import * as vscode from 'vscode';

export const l10n = vscode.l10n;

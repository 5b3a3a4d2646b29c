/**
 * Payments where developers already work: ids as links (every text editor, the request log, the
 * integrated terminal), a hover card on each, and payments as read-only JSON documents
 * (`perfectpay:` URIs). Two functions register the providers: the documents' at activation, the
 * links' and hover's a moment later (each registration is work for VS Code before the view's first
 * rows); the commands they lead to (Open Payment Link, Open as JSON, Compare, Copy as Code) are with
 * the others in src/commands.
 *
 * Registering does no I/O and loads nothing; the first request happens when a person hovers an id,
 * follows a link or opens a document.
 */
import * as vscode from 'vscode';
import { PaymentDocuments } from '../documents/paymentDocuments';
import { PAYMENT_SCHEME } from '../documents/uri';
import type { EnvironmentManager } from '../environment/EnvironmentManager';
import type { ExchangeSource } from '../model/requestLine';
import type { PaymentsService } from '../services/PaymentsService';
import { ExchangeLinkProvider, PaymentDocumentLinkProvider } from './documentLinks';
import { PaymentHoverProvider } from './hover';
import { forgetLinkSettings } from './settings';
import { PaymentTerminalLinkProvider } from './terminalLinks';

export interface LinkDeps {
  service: PaymentsService;
  environments: EnvironmentManager;
}

export interface DocumentDeps {
  service: PaymentsService;
  /** The request log, whose exchanges open as `perfectpay:/exchanges/{n}.json`. */
  requestLog: ExchangeSource;
}

/** Every scheme (files, untitled, the request log's `output`, our own JSON documents…); the settings filter by language and size. */
const EVERYWHERE: vscode.DocumentSelector = [{ scheme: '*' }];

/** `perfectpay:` documents (read-only JSON of a payment): at activation, as `onFileSystem:perfectpay` activates for them. */
export function registerPaymentDocuments(deps: DocumentDeps): vscode.Disposable[] {
  const documents = new PaymentDocuments(deps.service, deps.requestLog);
  return [documents, vscode.workspace.registerTextDocumentContentProvider(PAYMENT_SCHEME, documents)];
}

/** Ids as links and hover cards in editors and terminals (src/extension.ts registers them after the view's first rows). */
export function registerLinks(deps: LinkDeps): vscode.Disposable[] {
  const hover = new PaymentHoverProvider(deps.service, deps.environments);
  return [
    hover,
    vscode.languages.registerDocumentLinkProvider(EVERYWHERE, new PaymentDocumentLinkProvider()),
    vscode.languages.registerDocumentLinkProvider([{ scheme: 'output' }, { language: 'log' }], new ExchangeLinkProvider()),
    vscode.languages.registerHoverProvider(EVERYWHERE, hover),
    vscode.window.registerTerminalLinkProvider(new PaymentTerminalLinkProvider()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('perfectpay.links')) forgetLinkSettings();
    }),
  ];
}

/** `perfectpay.links.*`: whether ids become links and hovers, and in which languages (read once per change). */
import * as vscode from 'vscode';
import { languageMatches, MAX_SCANNED_CHARS } from '../model/paymentIds';

export interface LinkSettings {
  enabled: boolean;
  /** Language ids (`*` = all, `!id` excluded). */
  languages: readonly string[];
}

let cached: LinkSettings | undefined;

export function linkSettings(): LinkSettings {
  if (cached) return cached;
  const c = vscode.workspace.getConfiguration('perfectpay.links');
  const languages = c.get<unknown>('languages', ['*']);
  cached = {
    enabled: c.get<boolean>('enabled', true) !== false,
    languages: Array.isArray(languages) ? languages.filter((l): l is string => typeof l === 'string') : ['*'],
  };
  return cached;
}

/** Forgets the settings read (on a change of `perfectpay.links`). */
export function forgetLinkSettings(): void {
  cached = undefined;
}

/** Characters in the document, without copying its text. */
export function documentLength(document: vscode.TextDocument): number {
  return document.offsetAt(document.lineAt(document.lineCount - 1).range.end);
}

/** Whether a document gets links and hovers: enabled, its language allowed, 1 MB at most. */
export function appliesTo(document: vscode.TextDocument): boolean {
  const s = linkSettings();
  return s.enabled && languageMatches(document.languageId, s.languages) && documentLength(document) <= MAX_SCANNED_CHARS;
}

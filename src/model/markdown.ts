/**
 * Untrusted text (anything a server sent: a description, a customer id, an unknown status, an error
 * message) made safe for a VS Code MarkdownString. Every ASCII punctuation character (the comma
 * aside) is backslash-escaped (CommonMark allows it for all of them), which also defuses links, autolinks
 * (`https\://`), HTML, emphasis and theme icons (`\$(zap)`); line breaks become spaces, so one value
 * stays on one line. Pure: imports nothing.
 *
 * (Another module, src/domain/text.ts, is to get the same helpers; until then they live here.)
 */

// Every ASCII punctuation character but the comma (harmless, and frequent in sentences).
const PUNCTUATION = /[!-+\-./:-@[-`{-~]/g;
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** Text to show as it is inside Markdown: no formatting, link, HTML or icon can come out of it. */
export function escapeMarkdown(text: unknown): string {
  return String(text).replace(CONTROL, ' ').replace(PUNCTUATION, (c) => `\\${c}`);
}

/**
 * Text as an inline code span: a fence of backticks longer than any run inside, padded when the text
 * starts or ends with one. `$(` is broken by a zero-width space so no theme icon is drawn from it.
 */
export function codeSpan(text: unknown): string {
  const s = String(text).replace(CONTROL, ' ').replace(/\$\(/g, '$\u200b(');
  let longest = 0;
  for (const run of s.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  const pad = s.startsWith('`') || s.endsWith('`') || s === '' ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
}

/** A `command:` link target with its arguments (JSON-encoded, then URI-encoded, as VS Code reads them). */
export function commandUri(command: string, args: readonly unknown[] = []): string {
  return args.length ? `command:${command}?${encodeURIComponent(JSON.stringify(args))}` : `command:${command}`;
}

/** Escaping of untrusted text for the places it is shown. Pure: imports nothing. */

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML content and attribute values (the sandbox's pages, the inspector's shell). */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * A value as the text of an HTML `<script type="application/json">` data block: its JSON with every
 * `<` written `\u003c` (the same JSON to JSON.parse), so no text in it can close the element or open
 * a comment. A data block is never run; this keeps its contents data.
 */
export function jsonForDataBlock(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

// ---------------------------------------------------------------------------------------------
// Markdown (tooltips and hovers: vscode.MarkdownString, rendered by VS Code with `marked`)

/** Line breaks, other control characters and Unicode line/paragraph separators. */
const BREAKS = /\r\n|[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
/** Every ASCII punctuation character: CommonMark lets each be backslash-escaped. */
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/g;
/** U+2060 WORD JOINER: invisible, breaks a `$(icon)` or `\|` sequence without showing anything. */
const JOINER = '\u2060';

/** One line: breaks and control characters become spaces, runs of white space one space. */
function oneLine(text: string): string {
  return text.replace(BREAKS, ' ').replace(/\s+/g, ' ');
}

/**
 * A server string as Markdown text that shows exactly as those characters (on one line): no
 * emphasis, link, image, HTML, heading, list, table cell break or theme icon can come out of it.
 * Every ASCII punctuation character is backslash-escaped, except `$`, which becomes `&#36;` (VS Code
 * turns `$(name)` into an icon after rendering, and an escaped `\$(name)` would show its backslash
 * there). Safe inside a table cell as well (`\|` is the cell's own escape).
 */
export function escapeMarkdown(text: unknown): string {
  return oneLine(String(text ?? '')).replace(ASCII_PUNCTUATION, (c) => (c === '$' ? '&#36;' : `\\${c}`));
}

/**
 * An id or a code as a Markdown code span, shown as sent but without its backticks and line breaks
 * (which a code span cannot carry), and without a backslash added anywhere: inside a code span a
 * backslash is shown, so nothing is backslash-escaped. `$(` gets an invisible joiner so that VS Code
 * draws no theme icon. In a table cell (`inTable`), `|` must be written `\|` (the table's escape,
 * which the renderer removes before it reads the span). Empty (nothing left to show): ''.
 */
export function codeSpan(text: unknown, options: { inTable?: boolean } = {}): string {
  let s = String(text ?? '').replace(BREAKS, ' ').replace(/`/g, '').replace(/\$\(/g, `$${JOINER}(`);
  if (s.trim() === '') return '';
  if (options.inTable) s = s.replace(/\\?\|/g, (m) => (m.length === 2 ? `\\${JOINER}\\|` : '\\|'));
  // CommonMark drops one space at each end when both ends are spaces: pad so none is lost.
  if (s.startsWith(' ') && s.endsWith(' ')) s = ` ${s} `;
  return `\`${s}\``;
}

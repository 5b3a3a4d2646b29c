/** Command links for MarkdownStrings (escaping of server text is src/domain/text.ts's). Pure. */

/** A `command:` link target with its arguments (JSON-encoded, then URI-encoded, as VS Code reads them). */
export function commandUri(command: string, args: readonly unknown[] = []): string {
  return args.length ? `command:${command}?${encodeURIComponent(JSON.stringify(args))}` : `command:${command}`;
}
